// The parts of a Telegram Update the bot uses, parsed at the edge with zod (the rest passes through).
import { z } from "zod";

/** Telegram never sends more; anything longer is not from Telegram. */
const MAX_TEXT = 4096;

/**
 * Text the bot may store or search: Postgres text and jsonb cannot hold U+0000, so a NUL (never in
 * real Telegram text, common in hostile updates) becomes U+FFFD, keeping UTF-16 entity offsets.
 */
const storable = (s: z.ZodString) => s.transform((v) => v.replaceAll("\u0000", "\uFFFD"));

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: storable(z.string()),
  last_name: storable(z.string()).optional(),
  username: storable(z.string()).optional(),
});
const chat = z.looseObject({ id: z.number().int(), type: z.string() });
const message = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: storable(z.string().max(MAX_TEXT)).optional(),
  /** A photo's or a document's caption (Telegram allows 1,024 characters; a key can hide there too). */
  caption: storable(z.string().max(MAX_TEXT)).optional(),
});
const callbackQuery = z.looseObject({
  id: z.string().min(1),
  from: user,
  data: z.string().optional(),
  // An old message may come back as InaccessibleMessage ({ chat, message_id, date: 0 }).
  message: z.looseObject({ message_id: z.number().int(), chat, date: z.number().int() }).optional(),
});

export const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
});
export type ParsedUpdate = z.infer<typeof updateSchema>;

/** Where to tell the user something about this update, when there is anyone to tell. */
export function replyTarget(u: ParsedUpdate): { chatId: number } | { callbackQueryId: string } | null {
  if (u.callback_query) return { callbackQueryId: u.callback_query.id };
  const m = u.message ?? u.edited_message;
  return m && m.chat.type === "private" ? { chatId: m.chat.id } : null;
}

/** The message of an update that carries user text (new or edited), with that text (or caption). */
export function userText(u: ParsedUpdate): { chatId: number; messageId: number; text: string; edited: boolean } | null {
  const m = u.message ?? u.edited_message;
  const text = m?.text ?? m?.caption;
  if (!m || text === undefined) return null;
  return { chatId: m.chat.id, messageId: m.message_id, text, edited: u.message === undefined };
}
