// What happens when a best bid crosses a trigger: confirm stale prices, claim the trigger exactly
// once, sell through trading, record the fire (or the refusal) with its latency, re-arm or disarm.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../workers/db/client";
import { triggerEvents, triggers } from "../workers/db/schema";
import { errorText, log } from "../workers/lib/log";
import { fromMicroInt, type MicroInt } from "../workers/money/micros";
import type { BookQuote } from "../workers/polymarket/types";
import { executeSell } from "../workers/trading/execute-sell";
import type { TradingDeps } from "../workers/trading/ports";
import type { TradeResult } from "../workers/trading/results";
import type { FiredTrigger } from "./streamer-core";
import type { ArmedTrigger } from "./trigger-index";

/** A price older than this is confirmed against REST before a trigger sells on it. */
export const CONFIRM_PRICE_OLDER_THAN_MS = 2_000;

export type FireOutcome = "sold" | "partially_sold" | "sell_failed" | "in_flight" | "refused";

export interface FireRecord {
  trigger: ArmedTrigger;
  outcome: FireOutcome;
  reason: string;
  bid: MicroInt;
  source: string;
  priceAgeMs: number;
  /** Frame receipt (or poll) to the sell's answer, in ms. */
  latencyMs: number;
  result?: TradeResult;
}

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

const crosses = (t: ArmedTrigger, level: MicroInt, bid: MicroInt) => (t.kind === "take_profit" ? bid >= level : bid <= level);

export async function runFiredTrigger(deps: RunnerDeps, f: FiredTrigger): Promise<FireRecord> {
  const t = f.trigger;
  const siblings = deps.pause(t.positionId);
  let bid = f.bid;
  let source: string = f.source;
  const priceAgeMs = deps.now() - f.receivedAt;
  const done = (outcome: FireOutcome, reason: string, result?: TradeResult): FireRecord => ({
    trigger: t, outcome, reason, bid, source, priceAgeMs, latencyMs: deps.now() - f.receivedAt, ...(result ? { result } : {}),
  });

  if (source === "poll" || priceAgeMs > CONFIRM_PRICE_OLDER_THAN_MS) {
    const fresh = await deps.confirmBook(t.tokenId).catch(() => null);
    const freshBid = fresh?.bids[0]?.price;
    if (freshBid === undefined || !crosses(t, f.level, freshBid)) {
      deps.rearm([t, ...siblings]);
      return record(deps, done("refused", freshBid === undefined ? "stale price could not be confirmed" : `stale price not confirmed (bid now ${fromMicroInt(freshBid)})`));
    }
    bid = freshBid;
    source = "rest";
  }

  // One sale per position is guaranteed by trading's position claim (whoever else sells: the user,
  // a second trigger, another instance). Marking the trigger fired is bookkeeping, so it runs
  // alongside the sale instead of adding a round trip before it.
  const userId = t.userId ?? (await ownerOf(deps.db, t.positionId));
  const onFailure = t.onFailure ?? "rearm";
  const markFired = deps.db
    .update(triggers)
    .set({ status: "fired", firedAt: new Date(), highWater: t.highWater !== undefined ? fromMicroInt(t.highWater) : undefined, updatedAt: new Date() })
    .where(and(eq(triggers.id, t.id), eq(triggers.status, "armed")))
    .returning({ id: triggers.id });
  const [marked, result] = await Promise.all([
    markFired.catch((err: Error) => {
      log.warn("trigger_mark_failed", { triggerId: t.id, error: err.message });
      return [];
    }),
    executeSell(deps.trading, { userId, positionId: t.positionId, shares: "all", reason: t.kind, referencePrice: BigInt(bid) }),
  ]);
  if (!marked.length && result.status === "rejected") {
    deps.rearm(siblings);
    return record(deps, done("refused", `trigger no longer armed (removed or already fired); ${result.message}`, result));
  }

  if (result.status === "filled" || result.status === "partially_filled") {
    const stillOpen = result.position.status !== "closed";
    if (stillOpen) await rearmInDb(deps, t, siblings);
    else await deps.db.update(triggers).set({ status: "cancelled", updatedAt: new Date() }).where(and(eq(triggers.positionId, t.positionId), eq(triggers.status, "armed")));
    return record(deps, done(stillOpen ? "partially_sold" : "sold", stillOpen ? "sold what the book took within the bound; the rest stays open and armed" : "position closed", result));
  }
  if (result.status === "in_flight") return record(deps, done("in_flight", result.message, result));
  // Rejected: the position is back to active (or someone else's sell won).
  if (result.reason === "already_being_sold" || result.reason === "position_closed") {
    await deps.db.update(triggers).set({ status: "cancelled", updatedAt: new Date() }).where(eq(triggers.id, t.id));
    return record(deps, done("refused", result.message, result));
  }
  if (onFailure === "disarm") {
    await deps.db.update(triggers).set({ status: "failed", updatedAt: new Date() }).where(eq(triggers.id, t.id));
    deps.rearm(siblings);
  } else {
    await rearmInDb(deps, t, siblings);
  }
  return record(deps, done("sell_failed", result.message, result));
}

async function rearmInDb(deps: RunnerDeps, t: ArmedTrigger, siblings: ArmedTrigger[]): Promise<void> {
  await deps.db.update(triggers).set({ status: "armed", updatedAt: new Date() }).where(and(eq(triggers.id, t.id), eq(triggers.status, "fired")));
  deps.rearm([t, ...siblings]);
}

async function record(deps: RunnerDeps, r: FireRecord): Promise<FireRecord> {
  const fields = {
    triggerId: r.trigger.id,
    positionId: r.trigger.positionId,
    kind: r.trigger.kind,
    outcome: r.outcome,
    reason: r.reason,
    bid: fromMicroInt(r.bid),
    source: r.source,
    priceAgeMs: r.priceAgeMs,
    latencyMs: r.latencyMs,
  };
  if (r.outcome === "refused") log.warn("trigger_refused", fields);
  else log.info("trigger_fired", fields);
  try {
    await deps.db.insert(triggerEvents).values({
      positionId: r.trigger.positionId,
      triggerId: r.trigger.id,
      userId: r.trigger.userId ?? (await ownerOf(deps.db, r.trigger.positionId)),
      outcome: r.outcome,
      reason: r.reason.slice(0, 500),
      price: fromMicroInt(r.bid),
      priceSource: r.source,
      priceAgeMs: Math.max(0, Math.round(r.priceAgeMs)),
      latencyMs: r.latencyMs.toFixed(3),
      orderId: r.result && "orderId" in r.result ? (r.result.orderId ?? null) : null,
    });
  } catch (err) {
    log.warn("trigger_event_write_failed", { error: errorText(err), triggerId: r.trigger.id });
  }
  await deps.notify(r).catch((err: Error) => log.warn("trigger_notify_failed", { error: err.message }));
  return r;
}

async function ownerOf(db: Db, positionId: number): Promise<number> {
  const r = await db.execute<{ user_id: string }>(sql`SELECT user_id FROM positions WHERE id = ${positionId}`);
  return Number(r.rows[0]?.user_id ?? 0);
}
