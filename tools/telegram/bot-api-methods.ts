// The Bot API methods a bot uses, each answering as api.telegram.org does (result or error
// description), over the stand-in's chats, callback queries, commands and update queue.
import type { BotCommand, InlineKeyboardMarkup, MessageEntity, User, UserFromGetMe } from "grammy/types";
import { badRequest, ParamError, parseParams, type InlineKeyboard, type MethodName, type Params, type ReplyKeyboard } from "./bot-api-params";
import type { ApiResponse } from "./bot-api-types";
import type { ChatState, ChatStore, StoredMessage } from "./chat-store";
import { toMessage } from "./chat-store";
import { checkInlineKeyboard, renderContent, sameContent } from "./message-content";
import type { FloodGate } from "./flood";
import type { UpdateQueue, Webhook } from "./update-queue";

export interface PendingQuery {
  chatId: number;
  messageId: number;
  /** Epoch ms after which Telegram no longer accepts an answer. */
  expiresAt: number;
  answered: boolean;
}

export interface MethodContext {
  chats: ChatStore;
  queue: UpdateQueue;
  queries: Map<string, PendingQuery>;
  commands: Map<string, BotCommand[]>;
  bot: UserFromGetMe;
  flood: FloodGate;
  now: () => number;
}

/** "Typing…" shows for up to 5 seconds after sendChatAction, as in Telegram's clients. */
const CHAT_ACTION_MS = 5_000;
const CHAT_ACTIONS = ["typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"];
/** Telegram's default (and maximum) webhook parallelism. */
const DEFAULT_MAX_CONNECTIONS = 40;
const MAX_CONNECTIONS_LIMIT = 100;
const NOT_MODIFIED = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

/** A bot message's `from`: the User fields only, not getMe's capabilities. */
function botSender(bot: UserFromGetMe): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

const ok = (result: unknown, description?: string): ApiResponse => (description ? { ok: true, result, description } : { ok: true, result });
const seconds = (ms: number) => Math.floor(ms / 1000);

class Forbidden extends Error {}

function chatOf(ctx: MethodContext, chatId: number | string): ChatState {
  const chat = ctx.chats.get(chatId);
  if (!chat) throw new ParamError("chat not found");
  if (chat.blocked) throw new Forbidden("bot was blocked by the user");
  return chat;
}

function botMessage(chat: ChatState, id: number): StoredMessage {
  const m = chat.messages.get(id);
  if (!m) throw new ParamError("message to edit not found");
  if (m.from !== "bot") throw new ParamError("message can't be edited");
  return m;
}

export function commandsKey(scope: { type: string } | undefined, language: string | undefined): string {
  return JSON.stringify([scope ?? { type: "default" }, language ?? ""]);
}

/** Telegram lets a bot delete a message for 48 hours (Bot API deleteMessage). */
const DELETE_WINDOW_S = 48 * 3600;

type Handler<M extends MethodName> = (ctx: MethodContext, p: Params<M>) => ApiResponse | Promise<ApiResponse>;

const handlers: { [M in MethodName]: Handler<M> } = {
  getMe: (ctx) => ok(ctx.bot),
  sendMessage: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    const content = renderContent(p.text, p.parse_mode, p.entities as MessageEntity[] | undefined);
    const rm = p.reply_markup;
    const markup = rm && "inline_keyboard" in rm ? checkInlineKeyboard(rm as InlineKeyboard) : undefined;
    if (rm && "keyboard" in rm) chat.replyKeyboard = (rm as ReplyKeyboard).keyboard.map((row) => row.map((b) => (typeof b === "string" ? b : b.text)));
    if (rm && "remove_keyboard" in rm) chat.replyKeyboard = null;
    const stored: StoredMessage = { id: chat.take(), from: "bot", sender: botSender(ctx.bot), ...content, date: seconds(ctx.now()) };
    if (markup) stored.markup = markup;
    if (p.protect_content) stored.protected = true;
    chat.add(stored);
    // A message from the bot ends its "typing…", as in Telegram's clients.
    chat.typingUntil = 0;
    return ok(toMessage(chat, stored));
  },
  sendPhoto: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    const content = p.caption ? renderContent(p.caption, p.parse_mode, undefined) : { text: "", entities: [], raw: "" };
    const rm = p.reply_markup;
    const markup = rm && "inline_keyboard" in rm ? checkInlineKeyboard(rm as InlineKeyboard) : undefined;
    const photo = { file: p.photo.file, type: p.photo.type, base64: Buffer.from(p.photo.bytes).toString("base64") };
    const stored: StoredMessage = { id: chat.take(), from: "bot", sender: botSender(ctx.bot), ...content, photo, date: seconds(ctx.now()) };
    if (markup) stored.markup = markup;
    chat.add(stored);
    chat.typingUntil = 0;
    return ok(toMessage(chat, stored));
  },
  editMessageText: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    const m = botMessage(chat, p.message_id);
    const content = renderContent(p.text, p.parse_mode, p.entities as MessageEntity[] | undefined);
    const markup = checkInlineKeyboard(p.reply_markup);
    if (sameContent(m, withMarkup(content, markup))) throw new ParamError(NOT_MODIFIED);
    const { parseMode: _old, markup: _oldMarkup, ...rest } = m;
    const edited: StoredMessage = { ...rest, ...content, editDate: seconds(ctx.now()) };
    if (markup) edited.markup = markup;
    chat.messages.set(m.id, edited);
    return ok(toMessage(chat, edited));
  },
  editMessageReplyMarkup: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    const m = botMessage(chat, p.message_id);
    const markup = checkInlineKeyboard(p.reply_markup);
    if (sameContent(m, withMarkup(m, markup))) throw new ParamError(NOT_MODIFIED);
    const { markup: _old, ...rest } = m;
    const edited: StoredMessage = { ...rest, editDate: seconds(ctx.now()) };
    if (markup) edited.markup = markup;
    chat.messages.set(m.id, edited);
    return ok(toMessage(chat, edited));
  },
  deleteMessage: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    const m = chat.messages.get(p.message_id);
    if (!m) throw new ParamError("message to delete not found");
    // Telegram: "A message can only be deleted if it was sent less than 48 hours ago."
    if (seconds(ctx.now()) - m.date > DELETE_WINDOW_S) throw new ParamError("message can't be deleted for everyone");
    chat.messages.delete(p.message_id);
    return ok(true);
  },
  deleteMessages: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    // Telegram skips the ids it cannot find and still answers true.
    for (const id of p.message_ids) chat.messages.delete(id);
    return ok(true);
  },
  answerCallbackQuery: (ctx, p) => {
    const q = ctx.queries.get(p.callback_query_id);
    if (!q || q.answered || ctx.now() > q.expiresAt) throw new ParamError(QUERY_TOO_OLD);
    q.answered = true;
    const chat = ctx.chats.get(q.chatId);
    if (chat) {
      const notice = { at: ctx.now(), queryId: p.callback_query_id, messageId: q.messageId, showAlert: p.show_alert ?? false };
      chat.notices.push({ ...notice, ...(p.text !== undefined ? { text: p.text } : {}), ...(p.url !== undefined ? { url: p.url } : {}) });
    }
    return ok(true);
  },
  sendChatAction: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    if (!CHAT_ACTIONS.includes(p.action)) throw new ParamError("wrong parameter action in request");
    chat.typingUntil = ctx.now() + CHAT_ACTION_MS;
    return ok(true);
  },
  setWebhook: (ctx, p) => {
    if (p.url === "") return handlers.deleteWebhook(ctx, { drop_pending_updates: p.drop_pending_updates });
    checkWebhookUrl(p.url);
    if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(p.secret_token)) throw new ParamError("secret token contains unallowed characters");
    const max = p.max_connections ?? DEFAULT_MAX_CONNECTIONS;
    if (max < 1 || max > MAX_CONNECTIONS_LIMIT) throw new ParamError("bad webhook: max_connections must be between 1 and 100");
    const same = ctx.queue.currentWebhook()?.url === p.url;
    const hook: Webhook = { url: p.url, maxConnections: max };
    if (p.secret_token !== undefined) hook.secretToken = p.secret_token;
    if (p.allowed_updates !== undefined) hook.allowedUpdates = p.allowed_updates;
    ctx.queue.setWebhook(hook, p.drop_pending_updates ?? false);
    return ok(true, same ? "Webhook is already set" : "Webhook was set");
  },
  deleteWebhook: (ctx, p) => {
    const had = ctx.queue.currentWebhook() !== null;
    ctx.queue.setWebhook(null, p.drop_pending_updates ?? false);
    return ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
  },
  getWebhookInfo: (ctx) => ok(ctx.queue.info()),
  setMyCommands: (ctx, p) => {
    if (p.commands.length > 100) throw new ParamError("too many commands");
    for (const c of p.commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ParamError("BOT_COMMAND_INVALID");
      if (c.description.trim() === "" || c.description.length > 256) throw new ParamError("command description is empty");
    }
    ctx.commands.set(commandsKey(p.scope, p.language_code), p.commands.map((c) => ({ command: c.command, description: c.description })));
    return ok(true);
  },
  getMyCommands: (ctx, p) => ok(ctx.commands.get(commandsKey(p.scope, p.language_code)) ?? []),
  deleteMyCommands: (ctx, p) => {
    ctx.commands.delete(commandsKey(p.scope, p.language_code));
    return ok(true);
  },
  getUpdates: (ctx, p) => ctx.queue.getUpdates(p),
  pinChatMessage: (ctx, p) => {
    const chat = chatOf(ctx, p.chat_id);
    if (!chat.messages.has(p.message_id)) throw new ParamError("message to pin not found");
    if (!chat.pinned.includes(p.message_id)) chat.pinned.push(p.message_id);
    return ok(true);
  },
};

function withMarkup<T extends { text: string }>(c: T, markup: InlineKeyboardMarkup | undefined): T & { markup?: InlineKeyboardMarkup } {
  return markup ? { ...c, markup } : { ...c };
}

function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ParamError("bad webhook: Failed to resolve host: Name or service not known");
  }
  // Telegram demands HTTPS; the stand-in also takes http:// because local webhooks have no TLS.
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new ParamError("bad webhook: An HTTPS URL must be provided for webhook");
}

/** Telegram method names are case-insensitive ("sendmessage" works). */
const BY_LOWER = new Map(Object.keys(handlers).map((m) => [m.toLowerCase(), m as MethodName]));

export function resolveMethod(name: string): MethodName | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export function tooManyRequests(retryAfter: number): ApiResponse {
  return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
}

/** Runs one method; every failure becomes Telegram's error envelope, never an exception. */
export async function runMethod(ctx: MethodContext, method: MethodName, raw: Record<string, unknown>): Promise<ApiResponse> {
  try {
    const params = parseParams(method, raw);
    const chatId = (params as { chat_id?: number | string }).chat_id;
    const verdict = ctx.flood.check(method, chatId, ctx.now());
    if (!verdict.ok) return tooManyRequests(verdict.retryAfter);
    return await (handlers[method] as Handler<MethodName>)(ctx, params);
  } catch (err) {
    if (err instanceof ParamError) return badRequest(err.description);
    if (err instanceof Forbidden) return badRequest(err.message, 403);
    throw err;
  }
}
