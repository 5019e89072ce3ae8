// Webhook deliveries are at-least-once: an update_id is recorded before the bot acts on it.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** Updates older than this cannot be redelivered by Telegram (it keeps them 24 h); a week is ample. */
const KEEP_MS = 7 * 86_400_000;
/** One delivery in this many also prunes old ids (cheap, and no cron is needed for it). */
const PRUNE_EVERY = 500;

/**
 * True when this update_id is new (act on it); false when it was seen before (do nothing). A refused
 * update is recorded with why (the operator counts them: refusedUpdates).
 */
export async function recordUpdate(db: Db, updateId: number, now: number, refused?: string): Promise<boolean> {
  const res = await db.execute(sql`INSERT INTO telegram_updates (update_id, refused) VALUES (${updateId}, ${refused ?? null}) ON CONFLICT DO NOTHING RETURNING update_id`);
  if (updateId % PRUNE_EVERY === 0) {
    await db.execute(sql`DELETE FROM telegram_updates WHERE received_at < ${new Date(now - KEEP_MS).toISOString()}::timestamptz`);
  }
  return res.rows.length === 1;
}

/** Updates refused in the last `sinceMs`, by reason (dashboard and metrics). */
export async function refusedUpdates(db: Db, now: number, sinceMs = 86_400_000): Promise<Record<string, number>> {
  const res = await db.execute<{ refused: string; n: string }>(sql`
    SELECT refused, count(*)::text AS n FROM telegram_updates
    WHERE refused IS NOT NULL AND received_at >= ${new Date(now - sinceMs).toISOString()}::timestamptz GROUP BY refused`);
  return Object.fromEntries(res.rows.map((r) => [r.refused, Number(r.n)]));
}
