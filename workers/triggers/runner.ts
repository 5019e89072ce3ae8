// One fire, orchestrated: pause the position's other triggers, confirm a stale price over REST, sell
// (the position claim makes it exactly once), then write, re-arm, record and tell what decide.ts says.
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import { fromMicroInt, type MicroInt } from "../money/micros";
import type { BookQuote } from "../polymarket/types";
import { executeSell } from "../trading/execute-sell";
import type { TradingDeps } from "../trading/ports";
import type { TradeResult } from "../trading/results";
import { decideAfterSell } from "./decide";
import { markFired, recordFire, writeAfterFire } from "./store";
import { type ArmedTrigger, type CrossingSource, crosses, type FiredTrigger, type FireOutcome, type FireRecord } from "./types";

/** A price older than this is confirmed against REST before a trigger sells on it. */
export const CONFIRM_PRICE_OLDER_THAN_MS = 2_000;

export interface RunnerDeps {
  db: Db;
  trading: TradingDeps;
  now(): number;
  /** Fresh book over REST (stale-price confirmation). */
  confirmBook(tokenId: string): Promise<BookQuote | null>;
  /** Put triggers back into the in-memory index (and the object's storage). */
  rearm(triggers: ArmedTrigger[]): void;
  /** Take every trigger of a position out of the index (it is being sold). */
  pause(positionId: number): ArmedTrigger[];
  notify(record: FireRecord): Promise<void>;
}

type Seen = { bid: MicroInt; source: CrossingSource; refused?: string };

export async function runFiredTrigger(deps: RunnerDeps, f: FiredTrigger): Promise<FireRecord> {
  const t = f.trigger;
  const siblings = deps.pause(t.positionId);
  const priceAgeMs = deps.now() - f.receivedAt;
  const seen = await confirmIfStale(deps, f, priceAgeMs);
  const done = (outcome: FireOutcome, reason: string, result?: TradeResult) =>
    finish(deps, { trigger: t, outcome, reason, bid: seen.bid, source: seen.source, priceAgeMs, latencyMs: deps.now() - f.receivedAt, ...(result ? { result } : {}) });
  if (seen.refused !== undefined) {
    deps.rearm([t, ...siblings]);
    return done("refused", seen.refused);
  }
  // One sale per position is guaranteed by trading's position claim (whoever else sells: the user,
  // a second trigger, another instance). Marking the trigger fired is bookkeeping, so it runs
  // alongside the sale instead of adding a round trip before it.
  const [marked, result] = await Promise.all([
    markFired(deps.db, t).catch((err: Error) => {
      log.warn("trigger_mark_failed", { triggerId: t.id, error: err.message });
      return false;
    }),
    executeSell(deps.trading, { userId: t.userId, positionId: t.positionId, shares: "all", reason: t.kind, referencePrice: BigInt(seen.bid) }),
  ]);
  const after = decideAfterSell(result, t, marked);
  await writeAfterFire(deps.db, t, after.write);
  deps.rearm(after.rearm === "all" ? [t, ...siblings] : after.rearm === "siblings" ? siblings : []);
  return done(after.outcome, after.reason, result);
}

/** A polled or old price is checked against a fresh REST book before anything is sold on it. */
async function confirmIfStale(deps: RunnerDeps, f: FiredTrigger, priceAgeMs: number): Promise<Seen> {
  if (f.source !== "poll" && priceAgeMs <= CONFIRM_PRICE_OLDER_THAN_MS) return { bid: f.bid, source: f.source };
  const fresh = await deps.confirmBook(f.trigger.tokenId).catch(() => null);
  const freshBid = fresh?.bids[0]?.price;
  if (freshBid === undefined) return { bid: f.bid, source: f.source, refused: "stale price could not be confirmed" };
  if (!crosses(f.trigger.kind, f.level, freshBid)) return { bid: f.bid, source: f.source, refused: `stale price not confirmed (bid now ${fromMicroInt(freshBid)})` };
  return { bid: freshBid, source: "rest" };
}

/** Logs, records in trigger_events and tells the trader; a failure of either is logged, never thrown. */
async function finish(deps: RunnerDeps, r: FireRecord): Promise<FireRecord> {
  const fields = { triggerId: r.trigger.id, positionId: r.trigger.positionId, kind: r.trigger.kind, outcome: r.outcome, reason: r.reason, bid: fromMicroInt(r.bid), source: r.source, priceAgeMs: r.priceAgeMs, latencyMs: r.latencyMs };
  if (r.outcome === "refused") log.warn("trigger_refused", fields);
  else log.info("trigger_fired", fields);
  await recordFire(deps.db, r).catch((err) => log.warn("trigger_event_write_failed", { error: errorText(err), triggerId: r.trigger.id }));
  await deps.notify(r).catch((err: Error) => log.warn("trigger_notify_failed", { error: err.message }));
  return r;
}
