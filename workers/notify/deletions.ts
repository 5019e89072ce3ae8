// Messages that must leave the chat (an exported key after 60 s, a pasted key): recorded in Postgres
// (message_deletions) BEFORE the bot sends them, deleted when due by a sweep the cron and the
// streamer's alarm run, retried with backoff until Telegram confirms, and, when Telegram says the
// message is too old to delete, the owner is told to delete it. Without the database, deleteNow tries
// at once. Overlapping sweeps are safe: each row is leased by one sweep at a time.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import { type BotApiAnswer, type BotApiSettings, callBotApi, type CallOptions } from "../telegram/bot-api";

export type DeletionPurpose = "exported_key" | "pasted_key";

/** Telegram lets a bot delete a message for 48 hours after it was sent. */
export const DELETE_WINDOW_MS = 48 * 3_600_000;
/** Retries: 10 s, 20 s, 40 s … at most 10 minutes apart (Telegram or the network may be down for a while). */
const RETRY_BASE_MS = 10_000;
const RETRY_CAP_MS = 600_000;
/** A sweep holds the rows it took this long; a sweep that died lets another take them after it. */
const LEASE_MS = 60_000;
/** A row still without its message id this long after it was recorded: the send failed, or its id was lost. */
const SEND_LOST_MS = 5 * 60_000;
/** Finished rows are kept a week for the operator, then deleted. */
const KEEP_MS = 7 * 86_400_000;
const SWEEP_BATCH = 100;

/** The wait before attempt `attempts + 1` (pure). */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** "message to delete not found": deleted already (by the user), as good as done. */
const GONE = /message to delete not found|message_id_invalid/i;
/** Telegram refuses for good: the message is older than 48 h (or otherwise undeletable). */
const TOO_OLD = /message can't be deleted/i;

type Outcome = "deleted" | "too_old" | "retry";

function outcomeOf(r: BotApiAnswer): Outcome {
  if (r.ok || GONE.test(r.description)) return "deleted";
  if (TOO_OLD.test(r.description)) return "too_old";
  return "retry";
}

/** Records that a message will have to go (before it is sent; `messageId` follows with attachMessage). */
export async function recordDeletion(db: Db, d: { userId: number; chatId: number; purpose: DeletionPurpose; dueAt: number; messageId?: number }): Promise<number> {
  const due = new Date(d.dueAt).toISOString();
  const res = await db.execute<{ id: string }>(sql`
    INSERT INTO message_deletions (user_id, chat_id, message_id, purpose, due_at, next_attempt_at)
    VALUES (${d.userId}, ${d.chatId}, ${d.messageId ?? null}, ${d.purpose}, ${due}::timestamptz, ${due}::timestamptz)
    RETURNING id`);
  return Number(res.rows[0]!.id);
}

/** The message id, once Telegram returned it. */
export async function attachMessage(db: Db, id: number, messageId: number): Promise<void> {
  await db.execute(sql`UPDATE message_deletions SET message_id = ${messageId}, updated_at = now() WHERE id = ${id}`);
}

/** Deletes a message without the database (it is down, or the row could not be written): a few quick tries. */
export async function deleteNow(settings: BotApiSettings, chatId: number, messageId: number, opts: CallOptions & { tries?: number } = {}): Promise<boolean> {
  const tries = opts.tries ?? 3;
  for (let i = 0; i < tries; i++) {
    const r = await callBotApi(settings, "deleteMessage", { chat_id: chatId, message_id: messageId }, opts);
    const o = outcomeOf(r);
    if (o === "deleted") return true;
    if (o === "too_old") return false;
    if (i + 1 < tries) await (opts.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms))))(250 * 2 ** i);
  }
  return false;
}

interface Due {
  id: number;
  userId: number;
  chatId: number;
  messageId: number | null;
  purpose: DeletionPurpose;
  attempts: number;
  createdAt: number;
}

/** Takes the due rows for this sweep (a lease: another sweep skips them for LEASE_MS). */
async function claimDue(db: Db, now: number): Promise<Due[]> {
  const at = new Date(now).toISOString();
  const res = await db.execute<Record<string, unknown>>(sql`
    UPDATE message_deletions SET next_attempt_at = ${new Date(now + LEASE_MS).toISOString()}::timestamptz, updated_at = now()
    WHERE id IN (SELECT id FROM message_deletions WHERE status = 'pending' AND next_attempt_at <= ${at}::timestamptz
                 ORDER BY next_attempt_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id, user_id, chat_id, message_id, purpose, attempts, created_at`);
  return res.rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    chatId: Number(r.chat_id),
    messageId: r.message_id === null ? null : Number(r.message_id),
    purpose: r.purpose === "pasted_key" ? "pasted_key" : "exported_key",
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at as string | Date).getTime(),
  }));
}

async function finish(db: Db, id: number, status: "deleted" | "gave_up", error: string | null): Promise<void> {
  await db.execute(sql`UPDATE message_deletions SET status = ${status}, last_error = ${error}, attempts = attempts + 1, updated_at = now() WHERE id = ${id}`);
}

async function retryLater(db: Db, d: Due, now: number, error: string): Promise<void> {
  const next = new Date(now + retryDelayMs(d.attempts + 1)).toISOString();
  await db.execute(sql`UPDATE message_deletions SET attempts = attempts + 1, next_attempt_at = ${next}::timestamptz, last_error = ${error.slice(0, 300)}, updated_at = now() WHERE id = ${d.id}`);
}

const WHAT: Record<DeletionPurpose, string> = { exported_key: "the message with your exported key", pasted_key: "the message where you pasted a key" };

/** The owner must delete it: said once, in plain text. */
async function tellOwner(settings: BotApiSettings, d: Due, opts: CallOptions): Promise<void> {
  const r = await callBotApi(settings, "sendMessage", { chat_id: d.chatId, text: `⚠️ I could not delete ${WHAT[d.purpose]}. Delete it yourself now: anyone who sees a key controls the wallet.` }, opts);
  if (!r.ok) log.warn("bot_deletion_notice_failed", { user_id: d.userId, error: r.description });
}

async function sweepOne(settings: BotApiSettings, db: Db, d: Due, now: number, opts: CallOptions): Promise<Outcome | "lost"> {
  if (d.messageId === null) {
    if (now - d.createdAt < SEND_LOST_MS) {
      await db.execute(sql`UPDATE message_deletions SET next_attempt_at = ${new Date(now + RETRY_BASE_MS).toISOString()}::timestamptz WHERE id = ${d.id}`);
      return "retry";
    }
    await finish(db, d.id, "gave_up", "message id never recorded");
    await tellOwner(settings, d, opts);
    return "lost";
  }
  const o = outcomeOf(await callBotApi(settings, "deleteMessage", { chat_id: d.chatId, message_id: d.messageId }, opts));
  if (o === "deleted") await finish(db, d.id, "deleted", null);
  else if (o === "too_old" || now - d.createdAt > DELETE_WINDOW_MS) {
    await finish(db, d.id, "gave_up", "too old to delete");
    await tellOwner(settings, d, opts);
  } else await retryLater(db, d, now, "Telegram did not confirm the deletion");
  return o;
}

export type SweepReport = {
  deleted: number;
  retrying: number;
  gaveUp: number;
};

export async function sweepDueDeletions(settings: BotApiSettings, db: Db, now: number, opts: CallOptions = {}): Promise<SweepReport> {
  const report: SweepReport = { deleted: 0, retrying: 0, gaveUp: 0 };
  for (const d of await claimDue(db, now)) {
    try {
      const o = await sweepOne(settings, db, d, now, opts);
      if (o === "deleted") report.deleted++;
      else if (o === "retry") report.retrying++;
      else report.gaveUp++;
    } catch (err) {
      report.retrying++; // the lease runs out and the next sweep takes it again
      log.warn("bot_scheduled_delete_failed", { deletion_id: d.id, error: errorText(err) });
    }
  }
  await db.execute(sql`DELETE FROM message_deletions WHERE status <> 'pending' AND updated_at < ${new Date(now - KEEP_MS).toISOString()}::timestamptz`);
  await purgeOldIntents(db, now);
  return report;
}

/** Intents are worthless a day after they expire; deleting them keeps the table small. */
const INTENT_RETENTION_MS = 86_400_000;

async function purgeOldIntents(db: Db, now: number): Promise<number> {
  const res = await db.execute(sql`DELETE FROM trade_intents WHERE expires_at < ${new Date(now - INTENT_RETENTION_MS).toISOString()}::timestamptz`);
  return res.rowCount ?? 0;
}
