// Webhook deliveries are at-least-once: an update_id is recorded before the bot acts on it.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** Updates older than this cannot be redelivered by Telegram (it keeps them 24 h); a week is ample. */
const KEEP_MS = 7 * 86_400_000;
/** One delivery in this many also prunes old ids (cheap, and no cron is needed for it). */
const PRUNE_EVERY = 500;

/** True when this update_id is new (act on it); false when it was seen before (do nothing). */
export async function recordUpdate(db: Db, updateId: number, now: number): Promise<boolean> {
  const res = await db.execute(sql`INSERT INTO telegram_updates (update_id) VALUES (${updateId}) ON CONFLICT DO NOTHING RETURNING update_id`);
  if (updateId % PRUNE_EVERY === 0) {
    await db.execute(sql`DELETE FROM telegram_updates WHERE received_at < ${new Date(now - KEEP_MS).toISOString()}::timestamptz`);
  }
  return res.rows.length === 1;
}
