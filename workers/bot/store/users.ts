// The bot's reads and writes of users: the account (created on first contact), pending input, preferences, mode.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Micros, toMicros, toNumericString } from "../../money/micros";
import { type Pending, type PendingQuestion, readPending } from "./pending-input";
import { type Prefs, readPrefs } from "./user-prefs";

export interface Account {
  id: number;
  telegramId: number;
  chatId: number | null;
  firstName: string | null;
  mode: "paper" | "live";
  paperCash: Micros;
  paperDeposits: Micros;
  paperEpoch: number;
  prefs: Prefs;
  /** Raw users.settings, kept so an update merges into it instead of dropping other keys. */
  settings: Record<string, unknown>;
  pending: Pending | null;
  /** Created by this very update. */
  isNew: boolean;
}

export interface NewAccount {
  telegramId: number;
  chatId: number;
  username: string | null;
  firstName: string | null;
  mode: "paper" | "live";
  paperStart: Micros;
}

type Row = Record<string, unknown>;

function accountFrom(r: Row, now: number): Account {
  const settings = r.settings && typeof r.settings === "object" ? (r.settings as Record<string, unknown>) : {};
  return {
    id: Number(r.id),
    telegramId: Number(r.telegram_id),
    chatId: r.chat_id === null || r.chat_id === undefined ? null : Number(r.chat_id),
    firstName: r.first_name === null || r.first_name === undefined ? null : String(r.first_name),
    mode: r.mode === "live" ? "live" : "paper",
    paperCash: toMicros(String(r.paper_cash)),
    paperDeposits: toMicros(String(r.paper_deposits)),
    paperEpoch: Number(r.paper_epoch),
    prefs: readPrefs(settings),
    settings,
    pending: readPending(r.pending_input, now),
    isNew: r.is_new === true,
  };
}

const COLUMNS = sql`id, telegram_id, chat_id, first_name, mode, paper_cash, paper_deposits, paper_epoch, settings, pending_input`;

/**
 * The user's account, created on first contact with the start balance and the default mode.
 * One round trip; a concurrent first contact inserts once (ON CONFLICT) and both see the row.
 */
export async function ensureAccount(db: Db, a: NewAccount, now: number): Promise<Account> {
  const start = toNumericString(a.paperStart);
  const res = await db.execute(sql`
    WITH ins AS (
      INSERT INTO users (telegram_id, chat_id, username, first_name, mode, paper_cash, paper_deposits)
      VALUES (${a.telegramId}, ${a.chatId}, ${a.username}, ${a.firstName}, ${a.mode}, ${start}::numeric, ${start}::numeric)
      ON CONFLICT (telegram_id) DO NOTHING
      RETURNING ${COLUMNS}, true AS is_new)
    SELECT * FROM ins
    UNION ALL SELECT ${COLUMNS}, false AS is_new FROM users WHERE telegram_id = ${a.telegramId}
    LIMIT 1`);
  let row = res.rows[0];
  if (!row) {
    // The concurrent inserter's row was not visible to our snapshot: read it now.
    const again = await db.execute(sql`SELECT ${COLUMNS}, false AS is_new FROM users WHERE telegram_id = ${a.telegramId}`);
    row = again.rows[0]!;
  }
  const account = accountFrom(row, now);
  // The chat is stored at sign-up and never moved by an update (only an account from before chat ids
  // were kept gets its first one, and only from a verified private chat: workers/bot/identity.ts).
  if (account.chatId === null) {
    await db.execute(sql`UPDATE users SET chat_id = ${a.chatId}, updated_at = now() WHERE id = ${account.id} AND chat_id IS NULL`);
    account.chatId = a.chatId;
  }
  return account;
}

export async function setPending(db: Db, userId: number, q: PendingQuestion | null, now: number): Promise<void> {
  const value = q === null ? null : JSON.stringify({ ...q, at: now });
  await db.execute(sql`UPDATE users SET pending_input = ${value}::jsonb, updated_at = now() WHERE id = ${userId}`);
}

/** Merges keys into users.settings (jsonb ||), so keys the bot does not own are kept. */
export async function mergeSettings(db: Db, userId: number, patch: Record<string, unknown>): Promise<void> {
  await db.execute(sql`UPDATE users SET settings = settings || ${JSON.stringify(patch)}::jsonb, updated_at = now() WHERE id = ${userId}`);
}

export async function setMode(db: Db, userId: number, mode: "paper" | "live"): Promise<void> {
  await db.execute(sql`UPDATE users SET mode = ${mode}, updated_at = now() WHERE id = ${userId}`);
}
