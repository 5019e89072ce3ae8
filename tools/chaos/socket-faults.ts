// Socket fault actions for scenario 1, each returning what it observed: a drop followed until every
// wanted token is subscribed again, garbage with the parse errors it must cause, a burst's frames.
import { parseMarketFrame } from "../../workers/polymarket/ws-messages";
import { garbageFrame } from "../local-polymarket/garbage";
import { type Chaos, sleep, streamer, waitUntil } from "./harness";

/** Backoff is capped at 30 s, a connect attempt times out after 10 s: a drop heals well within this. */
const RESUBSCRIBE_TIMEOUT_MS = 75_000;

/**
 * Drops every market-channel connection and waits until connections opened after the drop carry
 * every token the streamer wants. Answers the time it took, or null when it never did.
 */
export async function dropAndResubscribe(c: Chaos): Promise<number | null> {
  const before = Math.max(0, ...c.pm.connections().map((x) => x.id));
  const t0 = Date.now();
  c.pm.faults.drop();
  try {
    await waitUntil(
      async () => {
        const wanted = (await streamer(c)).subscriptions;
        const carried = new Set(c.pm.connections().filter((x) => x.id > before).flatMap((x) => x.assetIds));
        return wanted.length > 0 && wanted.every((t) => carried.has(t));
      },
      "resubscription after a drop",
      RESUBSCRIBE_TIMEOUT_MS,
      50,
    );
    return Date.now() - t0;
  } catch {
    return null;
  }
}

/** Parse errors one copy of garbage frame `i` must cause (the parser's own count of dropped parts). */
export function garbageCost(i: number): number {
  return parseMarketFrame(garbageFrame(i), 0).dropped;
}

export interface GarbageResult {
  sent: number;
  expectedErrors: number;
  countedErrors: number;
  /** A connection closed meanwhile: frames in flight on it were lost with it (not a defect). */
  reconnected: boolean;
}

/**
 * Sends frames `from`..`from + count - 1` of the garbage cycle to every open connection and waits
 * until the streamer has counted the parse errors they must cause (each connection gets a copy).
 */
export async function sendGarbage(c: Chaos, from: number, count: number, settleMs: number): Promise<GarbageResult> {
  const before = await streamer(c);
  const base = before.parseErrors;
  const connections = c.pm.connections().length;
  let perCopy = 0;
  for (let i = from; i < from + count; i++) perCopy += garbageCost(i);
  const expectedErrors = perCopy * connections;
  for (let i = from; i < from + count; i++) c.pm.emit(garbageFrame(i));
  let counted = base;
  await waitUntil(
    async () => {
      counted = (await streamer(c)).parseErrors;
      return counted - base >= expectedErrors;
    },
    "garbage parse errors",
    settleMs,
    100,
  ).catch(() => undefined);
  await sleep(300); // anything counted beyond the expectation shows up here
  const after = await streamer(c);
  return { sent: count * connections, expectedErrors, countedErrors: after.parseErrors - base, reconnected: after.reconnects !== before.reconnects };
}

export interface BurstResult {
  /** price_change frames the venue sent on the streamer's connections meanwhile (counted by the venue). */
  framesSent: number;
  /** price_change events the streamer counted meanwhile. */
  framesSeen: number;
  ms: number;
  /** A connection closed meanwhile: frames in flight on it were lost with it (not a defect). */
  reconnected: boolean;
}

/** price_change frames the local Polymarket has sent on its open connections (the streamer's). */
const sentPriceChanges = (c: Chaos): number => c.pm.connections().reduce((n, x) => n + (x.sent.price_change ?? 0), 0);

/**
 * A burst of `perSecond` price_change frames for `ms` (it replaces the steady background feed),
 * then waits until the streamer's count stops moving, and restarts the background feed.
 */
export async function burst(c: Chaos, perSecond: number, ms: number): Promise<BurstResult> {
  c.pm.scenario.stop();
  // Frames of the background feed still queued for the streamer would be counted as the burst's:
  // start once its count has stopped moving.
  let start = await streamer(c);
  await waitUntil(
    async () => {
      const now = await streamer(c);
      const still = (now.messages.price_change ?? 0) === (start.messages.price_change ?? 0);
      start = now;
      return still;
    },
    "the background feed to drain",
    30_000,
    250,
  ).catch(() => undefined);
  const before = start.messages.price_change ?? 0;
  const sentBefore = sentPriceChanges(c);
  const t0 = Date.now();
  c.pm.faults.burst(perSecond, ms);
  let seen = 0;
  let sent = 0;
  try {
    await sleep(ms);
    let last = -1;
    await waitUntil(
      async () => {
        seen = ((await streamer(c)).messages.price_change ?? 0) - before;
        sent = sentPriceChanges(c) - sentBefore;
        const still = seen === last && seen >= sent;
        last = seen;
        return still;
      },
      "the burst to be absorbed",
      60_000,
      250,
    ).catch(() => undefined);
  } finally {
    c.heartbeat();
  }
  const end = await streamer(c);
  return { framesSent: sent, framesSeen: seen, ms: Date.now() - t0, reconnected: end.reconnects !== start.reconnects };
}
