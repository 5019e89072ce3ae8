// Messages that must leave the chat (an exported key after 60 s): recorded in Postgres
// (trade_intents, kind 'delete_message'), then deleted by a sweep the cron and the streamer's alarm
// run; each deletion is claimed once, so overlapping sweeps are safe.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { log } from "../lib/log";
import { type BotApiSettings, callBotApi, type CallOptions } from "../telegram/bot-api";

const deletionSchema = z.object({ chatId: z.number().int(), messageId: z.number().int() });
/** Intents are worthless a day after they expire. */
const INTENT_RETENTION_MS = 86_400_000;

/** Records that a message must be deleted at `at` (durable: a sweep deletes it even if the Worker dies). */
export async function scheduleDeletion(db: Db, d: { id: string; userId: number; chatId: number; messageId: number; at: number }): Promise<void> {
  await db.execute(sql`
    INSERT INTO trade_intents (id, user_id, kind, payload, expires_at)
    VALUES (${d.id}, ${d.userId}, 'delete_message', ${JSON.stringify({ chatId: d.chatId, messageId: d.messageId })}::jsonb, ${new Date(d.at).toISOString()}::timestamptz)`);
}

/** Claims the deletions due at `now` (each at most once) so the caller can delete the messages. */
export async function claimDueDeletions(db: Db, now: number, limit = 100): Promise<Array<{ chatId: number; messageId: number }>> {
  const at = new Date(now).toISOString();
  const res = await db.execute(sql`
    UPDATE trade_intents SET used_at = ${at}::timestamptz
    WHERE id IN (SELECT id FROM trade_intents WHERE kind = 'delete_message' AND used_at IS NULL AND expires_at <= ${at}::timestamptz
                 ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING payload`);
  return res.rows.flatMap((r) => {
    const p = deletionSchema.safeParse(r.payload);
    return p.success ? [p.data] : [];
  });
}

/** Old intents of every kind (deletions once done) are deleted: it keeps the table small. */
export async function purgeOldIntents(db: Db, now: number): Promise<number> {
  const cutoff = new Date(now - INTENT_RETENTION_MS).toISOString();
  const res = await db.execute(sql`DELETE FROM trade_intents WHERE expires_at < ${cutoff}::timestamptz AND (used_at IS NOT NULL OR kind <> 'delete_message')`);
  return res.rowCount ?? 0;
}

export async function sweepDueDeletions(settings: BotApiSettings, db: Db, now: number, opts: CallOptions = {}): Promise<{ deleted: number; failed: number }> {
  const due = await claimDueDeletions(db, now);
  let deleted = 0;
  let failed = 0;
  for (const d of due) {
    const r = await callBotApi(settings, "deleteMessage", { chat_id: d.chatId, message_id: d.messageId }, opts);
    // "message to delete not found": the user deleted it already, which is just as good.
    if (r.ok || /not found/i.test(r.description)) deleted++;
    else {
      failed++;
      log.warn("bot_scheduled_delete_failed", { chat_id: d.chatId, message_id: d.messageId, error: r.description });
    }
  }
  await purgeOldIntents(db, now);
  return { deleted, failed };
}
