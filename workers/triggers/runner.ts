// One fire, orchestrated: pause the position's other triggers, confirm a stale price over REST, sell
// (the position claim makes it exactly once), then write, re-arm, record and tell what decide.ts says.
// No fire is lost: a sale that fails or throws re-arms the trigger in Postgres with a backoff.
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import { fromMicroInt, type MicroInt, type Micros } from "../money/micros";
import type { BookQuote } from "../polymarket/types";
import { executeSell } from "../trading/execute-sell";
import type { TradingDeps } from "../trading/ports";
import type { TradeResult } from "../trading/results";
import { type AfterSell, decideAfterSell, retryDelayMs } from "./decide";
import { needsConfirmation, saleBound } from "./exit-rule";
import { scheduleRetry } from "./retry-store";
import { markFired, recordFire, writeAfterFire } from "./store";
import { type ArmedTrigger, type CrossingSource, crosses, type FiredTrigger, type FireOutcome, type FireRecord } from "./types";

/** A price older than this is confirmed against REST before a trigger sells on it. */
export const CONFIRM_PRICE_OLDER_THAN_MS = 2_000;

export interface RunnerDeps {
  db: Db;
  /** Trading (built on first use: building it can fail, e.g. a keyring that does not load). */
  trading(): Promise<TradingDeps>;
  now(): number;
  /** Fresh book over REST (stale-price confirmation). */
  confirmBook(tokenId: string): Promise<BookQuote | null>;
  /** Put triggers back into the in-memory index (and the object's storage); retryAt holds one back. */
  rearm(triggers: ArmedTrigger[]): void;
  /** Take every trigger of a position out of the index (it is being sold). */
  pause(positionId: number): ArmedTrigger[];
  notify(record: FireRecord): Promise<void>;
  /** TRIGGER_JUMP_CONFIRM_BPS: a bid that moved more than this share in one frame is confirmed over REST. */
  jumpConfirmBps: number;
}

/** The REST confirmation itself failed (not: it disagreed): retried with the backoff like a failed sale. */
class ConfirmFailed extends Error {}

type Seen = { bid: MicroInt; source: CrossingSource; refused?: string };

export async function runFiredTrigger(deps: RunnerDeps, f: FiredTrigger): Promise<FireRecord> {
  const t = f.trigger;
  const siblings = deps.pause(t.positionId);
  const priceAgeMs = deps.now() - f.receivedAt;
  let seen: Seen = { bid: f.bid, source: f.source };
  const done = (outcome: FireOutcome, reason: string, extra: Partial<FireRecord> = {}) =>
    finish(deps, { trigger: t, outcome, reason, bid: seen.bid, source: seen.source, priceAgeMs, latencyMs: deps.now() - f.receivedAt, ...extra });
  try {
    seen = await confirmIfStale(deps, f, priceAgeMs);
    if (seen.refused !== undefined) {
      deps.rearm([t, ...siblings]);
      return await done("refused", seen.refused);
    }
    const trading = await deps.trading();
    const checkBook = seen.source === "rest" ? undefined : async (book: BookQuote, shares: Micros, worst: Micros) => {
      const why = needsConfirmation(f, book, shares, worst, deps.jumpConfirmBps);
      if (why === null) return book;
      const fresh = await restBook(deps, t.tokenId);
      const freshBid = fresh?.bids[0]?.price;
      if (!fresh || freshBid === undefined) return { refused: `${why}; REST shows no bids` };
      if (!crosses(t.kind, f.level, freshBid)) return { refused: `${why}; REST shows the bid at ${fromMicroInt(freshBid)}, which does not cross the level` };
      seen = { bid: freshBid, source: "rest" };
      log.info("trigger_book_confirmed", { triggerId: t.id, why, bid: fromMicroInt(freshBid) });
      return fresh;
    };
    // One sale per position is guaranteed by trading's position claim (whoever else sells: the user,
    // a second trigger, another instance). Marking the trigger fired is bookkeeping, so it runs
    // alongside the sale instead of adding a round trip before it.
    const [marked, result] = await Promise.all([
      markFired(deps.db, t).catch((err: Error) => {
        log.warn("trigger_mark_failed", { triggerId: t.id, error: err.message });
        return false;
      }),
      executeSell(trading, { userId: t.userId, positionId: t.positionId, shares: "all", reason: t.kind, ...saleBound({ ...f, bid: seen.bid }), ...(checkBook ? { checkBook } : {}) }),
    ]);
    const after = decideAfterSell(result, t, marked);
    if (after.write === "retry") return await done(after.outcome, after.reason, { result, ...(await retryLater(deps, t, siblings, after)) });
    // The sale has answered: a failed bookkeeping write must not turn it into a "failed sale" (a closed
    // position's triggers are ignored, and the sweep re-arms one left fired on an open position).
    await writeAfterFire(deps.db, t, after.write).catch((err) => log.warn("trigger_write_failed", { triggerId: t.id, write: after.write, error: errorText(err) }));
    deps.rearm(after.rearm === "all" ? [t, ...siblings] : after.rearm === "siblings" ? siblings : []);
    return await done(after.outcome, after.reason, { result });
  } catch (err) {
    // A fire that throws (a keyring that does not load, a REST failure, a price out of range) is not lost.
    log.error("trigger_fire_threw", { triggerId: t.id, positionId: t.positionId, error: errorText(err) });
    const why = err instanceof ConfirmFailed ? err.message : `the sell could not be placed: ${errorText(err)}`;
    return done("sell_failed", why, await retryLater(deps, t, siblings, { outcome: "sell_failed" }));
  }
}

/**
 * Re-arms `t` with its backoff, in Postgres first (scheduleRetry), then in the index. With Postgres
 * down it is re-armed in memory only: the sweep re-arms a trigger left `fired` once Postgres answers.
 * The trader is told about the first failure in a row only (quiet after that).
 */
async function retryLater(deps: RunnerDeps, t: ArmedTrigger, siblings: ArmedTrigger[], after: Pick<AfterSell, "outcome">): Promise<Partial<FireRecord>> {
  const now = deps.now();
  let next: { attempts: number; retryAt: number } | null;
  try {
    next = await scheduleRetry(deps.db, t.id, now, retryDelayMs);
  } catch (err) {
    log.warn("trigger_retry_write_failed", { triggerId: t.id, error: errorText(err) });
    const attempts = (t.attempts ?? 0) + 1;
    next = { attempts, retryAt: now + retryDelayMs(attempts) };
  }
  if (next === null) {
    deps.rearm(siblings); // removed, replaced or closed meanwhile: nothing left to retry
    return { quiet: true };
  }
  deps.rearm([{ ...t, attempts: next.attempts, retryAt: next.retryAt }, ...siblings]);
  return { retryInMs: next.retryAt - now, attempts: next.attempts, quiet: after.outcome === "refused" || next.attempts > 1 };
}

/** A polled or old price is checked against a fresh REST book before anything is sold on it. */
async function confirmIfStale(deps: RunnerDeps, f: FiredTrigger, priceAgeMs: number): Promise<Seen> {
  if (f.source !== "poll" && priceAgeMs <= CONFIRM_PRICE_OLDER_THAN_MS) return { bid: f.bid, source: f.source };
  const fresh = await restBook(deps, f.trigger.tokenId);
  const freshBid = fresh?.bids[0]?.price;
  if (freshBid === undefined) return { bid: f.bid, source: f.source, refused: "stale price could not be confirmed" };
  if (!crosses(f.trigger.kind, f.level, freshBid)) return { bid: f.bid, source: f.source, refused: `stale price not confirmed (bid now ${fromMicroInt(freshBid)})` };
  return { bid: freshBid, source: "rest" };
}

/** Pauses before each retry of a record or a notification that failed (Postgres down: about 30 s in all). */
export const BACKGROUND_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

/** Tries `work` again after each pause until it succeeds; logs when it gives up. Never throws. */
function retryInBackground(work: () => Promise<unknown>, what: string, triggerId: number, attempt = 0): void {
  const wait = BACKGROUND_RETRY_MS[attempt];
  if (wait === undefined) return void log.error(`${what}_gave_up`, { triggerId, attempts: attempt });
  setTimeout(() => {
    work().catch(() => retryInBackground(work, what, triggerId, attempt + 1));
  }, wait);
}

/** The REST book; its failure is a ConfirmFailed (retried with the backoff, told once). */
function restBook(deps: RunnerDeps, tokenId: string): Promise<BookQuote | null> {
  return deps.confirmBook(tokenId).catch((err: unknown) => {
    throw new ConfirmFailed(`the price could not be confirmed over REST: ${errorText(err)}`);
  });
}

/** Logs, records in trigger_events and tells the trader; a failure of either is logged, never thrown. */
async function finish(deps: RunnerDeps, r: FireRecord): Promise<FireRecord> {
  const fields = { triggerId: r.trigger.id, positionId: r.trigger.positionId, kind: r.trigger.kind, outcome: r.outcome, reason: r.reason, bid: fromMicroInt(r.bid), source: r.source, priceAgeMs: r.priceAgeMs, latencyMs: r.latencyMs, attempts: r.attempts, retryInMs: r.retryInMs };
  if (r.outcome === "refused") log.warn("trigger_refused", fields);
  else log.info("trigger_fired", fields);
  await recordFire(deps.db, r).catch((err) => {
    log.warn("trigger_event_write_failed", { error: errorText(err), triggerId: r.trigger.id });
    retryInBackground(() => recordFire(deps.db, r), "trigger_event_write", r.trigger.id);
  });
  // Not awaited: the next sale never waits for this trader's message. A notification that throws
  // (its Postgres lookup failed) is tried again; one Telegram refused is not (notify logs it).
  if (!r.quiet) void deps.notify(r).catch((err: Error) => {
    log.warn("trigger_notify_failed", { error: err.message, triggerId: r.trigger.id });
    retryInBackground(() => deps.notify(r), "trigger_notify", r.trigger.id);
  });
  return r;
}
