// Reconnect delays: exponential backoff with full jitter, capped, reset only after a stable connection.

/** First retry waits up to this long: quick enough to mask a deploy-time blip. */
export const BACKOFF_BASE_MS = 500;
/** Never wait longer than this between attempts: a price feed that is down for minutes is covered by polling. */
export const BACKOFF_CAP_MS = 30_000;
/** A connection must stay up this long before the attempt counter resets (a flapping feed keeps backing off). */
export const BACKOFF_STABLE_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): uniformly random in [0, min(cap, base·2^attempt)]
 * ("full jitter", AWS Architecture Blog), so many shards or many objects do not reconnect in lockstep.
 */
export function nextDelay(attempt: number, rand01: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.max(0, Math.min(1, rand01)) * ceiling);
}

/** The attempt counter after a connection that opened at `openedAt` closed at `now`. */
export function attemptAfterClose(attempt: number, openedAt: number | undefined, now: number): number {
  if (openedAt !== undefined && now - openedAt >= BACKOFF_STABLE_MS) return 0;
  return attempt + 1;
}
