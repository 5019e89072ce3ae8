// Per-user rate limits on trading actions and searches: fixed windows counted in Postgres (rate_limits).
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

export type Bucket = "trade" | "search" | "wallet";

/** Generous for a person tapping, tight enough to stop a script or a stuck client hammering the venue. */
export const LIMITS: Record<Bucket, { limit: number; windowMs: number }> = {
  trade: { limit: 12, windowMs: 60_000 },
  search: { limit: 20, windowMs: 60_000 },
  wallet: { limit: 6, windowMs: 60_000 },
};

export type RateResult = { ok: true } | { ok: false; retryAfterS: number };

/** Pure: the window a moment falls in and how long until the next one. */
export function windowOf(now: number, windowMs: number): { start: number; retryAfterS: number } {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, retryAfterS: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
}

/** Counts one action; refused once the window's count passes the limit. */
export async function hitRateLimit(db: Db, userId: number, bucket: Bucket, now: number): Promise<RateResult> {
  const { limit, windowMs } = LIMITS[bucket];
  const w = windowOf(now, windowMs);
  const res = await db.execute(sql`
    INSERT INTO rate_limits (user_id, bucket, window_start, count) VALUES (${userId}, ${bucket}, ${new Date(w.start).toISOString()}::timestamptz, 1)
    ON CONFLICT (user_id, bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING count`);
  const count = Number(res.rows[0]?.count ?? 1);
  if (count === 1) {
    // First hit of a window: drop this user's old windows of the bucket (keeps the table small).
    await db.execute(sql`DELETE FROM rate_limits WHERE user_id = ${userId} AND bucket = ${bucket} AND window_start < ${new Date(w.start).toISOString()}::timestamptz`);
  }
  return count <= limit ? { ok: true } : { ok: false, retryAfterS: w.retryAfterS };
}

export const rateLimitedText = (r: { retryAfterS: number }) => `Easy there: too many requests. Try again in ${r.retryAfterS} s.`;
