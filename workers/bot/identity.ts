// Who an update is from, and whether its chat can be trusted: in a private chat Telegram's chat id is
// the user's id, so an update naming any other chat (for a message, or for the message a button sits
// on) is forged. Such an update is refused before anything reads or writes the account.

import type { ParsedUpdate } from "./update-schema";

export type IdentityRefusal =
  /** A private chat whose id is not the sender's: only a forged update says that. */
  | "foreign_chat"
  /** A button without the message it sits on (inline mode, which the bot does not use). */
  | "no_message";

export type Identity =
  | { ok: true; telegramId: number; private: boolean }
  | { ok: false; telegramId: number; reason: IdentityRefusal }
  /** Nothing the bot acts on (no sender, a bot, another kind of update). */
  | null;

export function identify(u: ParsedUpdate): Identity {
  const cq = u.callback_query;
  const m = u.message ?? u.edited_message;
  const from = cq?.from ?? m?.from;
  if (!from || from.is_bot || from.id <= 0) return null;
  const chat = cq ? cq.message?.chat : m?.chat;
  if (!chat) return { ok: false, telegramId: from.id, reason: "no_message" };
  if (chat.type !== "private") return { ok: true, telegramId: from.id, private: false };
  if (chat.id !== from.id) return { ok: false, telegramId: from.id, reason: "foreign_chat" };
  return { ok: true, telegramId: from.id, private: true };
}
