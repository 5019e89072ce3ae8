// Reconnect delays: a drop of a connection that had been up is retried at once (a short jitter);
// exponential backoff with full jitter, capped, applies only to consecutive failed attempts.

/** First retry waits up to this long: quick enough to mask a deploy-time blip. */
export const BACKOFF_BASE_MS = 500;
/** Never wait longer than this between attempts: a price feed that is down for minutes is covered by polling. */
export const BACKOFF_CAP_MS = 30_000;
/** A connection that stayed up this long counts as having been up even if it carried no data frame. */
export const BACKOFF_STABLE_MS = 30_000;
/** The first retry after a drop of a live connection waits a random 0..this (so shards do not stampede the venue). */
export const RECONNECT_JITTER_MS = 100;

/**
 * Delay before reconnect attempt `attempt` (0-based): uniformly random in [0, min(cap, base·2^attempt)]
 * ("full jitter", AWS Architecture Blog), so many shards or many objects do not reconnect in lockstep.
 */
export function nextDelay(attempt: number, rand01: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.max(0, Math.min(1, rand01)) * ceiling);
}

/**
 * The attempt counter after a connection that opened at `openedAt` closed at `now`: 0 (retry at once)
 * when it had been up (it carried a data frame, or stayed open a stable while), else one more failure.
 */
export function attemptAfterClose(attempt: number, openedAt: number | undefined, now: number, carriedData = false): number {
  if (openedAt !== undefined && (carriedData || now - openedAt >= BACKOFF_STABLE_MS)) return 0;
  return attempt + 1;
}

/** Delay before the attempt after a close: jitter within RECONNECT_JITTER_MS for attempt 0, backoff after. */
export function delayForAttempt(attempt: number, rand01: number): number {
  if (attempt === 0) return Math.floor(Math.max(0, Math.min(1, rand01)) * RECONNECT_JITTER_MS);
  return nextDelay(attempt, rand01);
}
