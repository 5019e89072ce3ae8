// Security actions that run after a delay the owner can cancel (secure_actions): a key export is sent
// 10 minutes after the PIN was given, a forgotten PIN is cleared 24 hours after the request. The
// request is announced at once (with Cancel), so a stolen Telegram session cannot empty a wallet in
// two taps. Due actions run from the streamer's alarm (woken at the due time) and from the cron.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import { attachMessage, recordDeletion } from "../notify/deletions";
import { exportFailedMessage, keyMessage, pinResetMessage, sendScreen } from "../notify/messages";
import type { BotApiSettings, CallOptions } from "../telegram/bot-api";
import { exportPrivateKey, type WalletDeps } from "../wallets/wallet-store";
import { clearPin } from "./pin-store";

export type SecureKind = "export_key" | "reset_pin";

/** Between the PIN and the key: long enough for the owner to see the notice and cancel. */
export const EXPORT_DELAY_MS = 10 * 60_000;
/** A forgotten PIN is cleared only this long after the request (any Cancel stops it). */
export const PIN_RESET_DELAY_MS = 24 * 3_600_000;
/** The key stays in the chat this long, then the message is deleted. */
export const KEY_MESSAGE_TTL_MS = 60_000;
/** A running action whose runner died is taken again after this long. */
const RUN_LEASE_MS = 120_000;

const DELAY: Record<SecureKind, number> = { export_key: EXPORT_DELAY_MS, reset_pin: PIN_RESET_DELAY_MS };

export interface PendingAction {
  id: number;
  kind: SecureKind;
  dueAt: number;
  /** Created by this call (false: the one already pending is returned). */
  fresh: boolean;
}

const at = (t: unknown) => new Date(t as string | Date).getTime();

/** One pending action per owner and kind: asking again returns the one already waiting. */
export async function requestAction(db: Db, userId: number, kind: SecureKind, now: number): Promise<PendingAction> {
  const existing = await pendingAction(db, userId, kind);
  if (existing) return existing;
  const due = new Date(now + DELAY[kind]).toISOString();
  const r = await db.execute<{ id: string; due_at: string }>(sql`
    INSERT INTO secure_actions (user_id, kind, due_at) VALUES (${userId}, ${kind}, ${due}::timestamptz) RETURNING id, due_at`);
  log.warn("secure_action_requested", { user_id: userId, kind, due_at: due });
  return { id: Number(r.rows[0]!.id), kind, dueAt: at(r.rows[0]!.due_at), fresh: true };
}

export async function pendingAction(db: Db, userId: number, kind: SecureKind): Promise<PendingAction | null> {
  const r = await db.execute<{ id: string; due_at: string }>(sql`
    SELECT id, due_at FROM secure_actions WHERE user_id = ${userId} AND kind = ${kind} AND status = 'pending' ORDER BY id DESC LIMIT 1`);
  const row = r.rows[0];
  return row ? { id: Number(row.id), kind, dueAt: at(row.due_at), fresh: false } : null;
}

export async function setNotice(db: Db, id: number, messageId: number): Promise<void> {
  await db.execute(sql`UPDATE secure_actions SET notice_message_id = ${messageId} WHERE id = ${id}`);
}

/** Cancels the owner's pending action; false when it already ran (or is not theirs). */
export async function cancelAction(db: Db, userId: number, id: number): Promise<boolean> {
  const r = await db.execute(sql`UPDATE secure_actions SET status = 'cancelled', done_at = now() WHERE id = ${id} AND user_id = ${userId} AND status = 'pending' RETURNING id`);
  if (r.rows.length) log.warn("secure_action_cancelled", { user_id: userId, id });
  return r.rows.length > 0;
}

interface Due {
  id: number;
  userId: number;
  telegramId: number;
  chatId: number;
  kind: SecureKind;
}

async function claimDue(db: Db, now: number): Promise<Due[]> {
  const r = await db.execute<Record<string, unknown>>(sql`
    UPDATE secure_actions a SET status = 'running', due_at = ${new Date(now + RUN_LEASE_MS).toISOString()}::timestamptz
    FROM users u
    WHERE u.id = a.user_id AND a.id IN (
      SELECT id FROM secure_actions WHERE status IN ('pending', 'running') AND due_at <= ${new Date(now).toISOString()}::timestamptz
      ORDER BY due_at LIMIT 20 FOR UPDATE SKIP LOCKED)
    RETURNING a.id, a.user_id, a.kind, u.telegram_id, coalesce(u.chat_id, u.telegram_id) AS chat_id`);
  return r.rows.map((x) => ({ id: Number(x.id), userId: Number(x.user_id), telegramId: Number(x.telegram_id), chatId: Number(x.chat_id), kind: x.kind === "reset_pin" ? "reset_pin" : "export_key" }));
}

async function end(db: Db, id: number, status: "done" | "failed"): Promise<void> {
  await db.execute(sql`UPDATE secure_actions SET status = ${status}, done_at = now() WHERE id = ${id}`);
}

export interface SecureDeps {
  db: Db;
  wallets: WalletDeps;
  telegram: BotApiSettings;
  opts?: CallOptions;
}

/**
 * The key, sent only to the owner's stored chat, protected from forwarding and saving, its deletion
 * recorded BEFORE it is sent (a crash after sending still gets it deleted).
 */
async function sendKey(d: SecureDeps, a: Due, now: number): Promise<void> {
  const key = await exportPrivateKey(d.wallets, a.userId);
  if (!key) return void (await sendScreen(d.telegram, a.chatId, exportFailedMessage("There is no wallet to export any more."), d.opts));
  const deletion = await recordDeletion(d.db, { userId: a.userId, chatId: a.chatId, purpose: "exported_key", dueAt: now + KEY_MESSAGE_TTL_MS });
  const sent = await sendScreen(d.telegram, a.chatId, keyMessage(key.address, key.privateKey, KEY_MESSAGE_TTL_MS), { ...d.opts, protectContent: true });
  if (!sent.ok) throw new Error(`key not sent: ${sent.description}`);
  await attachMessage(d.db, deletion, sent.messageId).catch((err) => log.error("key_deletion_unattached", { user_id: a.userId, error: errorText(err) }));
}

/** Runs every due action once; a failure is told to the owner and never retried blindly. */
export async function runDueActions(d: SecureDeps, now: number): Promise<{ exported: number; reset: number; failed: number }> {
  const out = { exported: 0, reset: 0, failed: 0 };
  for (const a of await claimDue(d.db, now)) {
    try {
      if (a.kind === "export_key") {
        await sendKey(d, a, now);
        out.exported++;
      } else {
        await clearPin(d.db, a.userId);
        await sendScreen(d.telegram, a.chatId, pinResetMessage(), d.opts);
        out.reset++;
      }
      await end(d.db, a.id, "done");
    } catch (err) {
      out.failed++;
      log.error("secure_action_failed", { id: a.id, user_id: a.userId, kind: a.kind, error: errorText(err) });
      await end(d.db, a.id, "failed").catch(() => undefined);
      await sendScreen(d.telegram, a.chatId, exportFailedMessage("Something went wrong; nothing was sent. Ask again from Wallet."), d.opts).catch(() => undefined);
    }
  }
  return out;
}
