// Builders for real-shaped Telegram Updates (private chats), pure so that the workerd tests can
// import them; UserSim keeps one simulated user's update ids and message ids consistent.
import type { CallbackQuery, Message, MessageEntity, Update, User } from "grammy/types";

/** A simulated Telegram user; its private chat with the bot has the same id. */
export interface SimUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** The bot's own message as Telegram echoes it inside a callback query. */
export type BotMessage = Message;

export interface TextUpdateInput {
  updateId: number;
  messageId: number;
  user: SimUser;
  text: string;
  /** Unix seconds, as Telegram sends `date`. */
  date: number;
  /** Defaults to the entities Telegram would detect (bot commands and links). */
  entities?: MessageEntity[];
}

export interface CommandUpdateInput {
  updateId: number;
  messageId: number;
  user: SimUser;
  /** "/start" or "start". */
  command: string;
  args?: string;
  date: number;
}

export interface CallbackUpdateInput {
  updateId: number;
  /** Telegram's callback query ids are opaque strings; see callbackQueryId(). */
  queryId: string;
  user: SimUser;
  /** The bot message the pressed button belongs to, as the bot last left it. */
  message: BotMessage;
  data: string;
  /** Defaults to chatInstanceFor(the message's chat id). */
  chatInstance?: string;
}

export function telegramUser(user: SimUser): User {
  const u: User = { id: user.id, is_bot: false, first_name: user.first_name };
  if (user.last_name !== undefined) u.last_name = user.last_name;
  if (user.username !== undefined) u.username = user.username;
  u.language_code = user.language_code ?? "en";
  return u;
}

/** The private chat between the bot and this user, as Telegram describes it. */
export function privateChat(user: SimUser): Message["chat"] {
  const chat: Message["chat"] = { id: user.id, type: "private", first_name: user.first_name };
  if (user.last_name !== undefined) chat.last_name = user.last_name;
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}

/** A stable chat_instance per chat: Telegram's is a signed 64-bit number as a string. */
export function chatInstanceFor(chatId: number): string {
  return String(-(5_000_000_000_000_000_000n + BigInt(Math.abs(chatId)) * 7919n));
}

/** Callback query ids look like large unsigned numbers; derive one from a counter. */
export function callbackQueryId(seq: number, userId = 0): string {
  return (BigInt(Math.abs(userId)) * 4_294_967_296n + BigInt(seq)).toString();
}

const COMMAND = /(^|[\s(])(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,64})?)(?=$|[\s.,:;!?)])/g;
const URL_LIKE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,:;!?)\]]/g;

/**
 * The entities Telegram adds to a user's plain text: bot_command for "/word" tokens and url for
 * links. Offsets and lengths are in UTF-16 code units, which is what JS string indices are.
 */
export function detectEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const m of text.matchAll(COMMAND)) {
    out.push({ type: "bot_command", offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  for (const m of text.matchAll(URL_LIKE)) {
    if (!out.some((e) => m.index >= e.offset && m.index < e.offset + e.length)) out.push({ type: "url", offset: m.index, length: m[0].length });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

export function textMessage(input: Omit<TextUpdateInput, "updateId">): Message.TextMessage {
  const entities = input.entities ?? detectEntities(input.text);
  const msg: Message.TextMessage = {
    message_id: input.messageId,
    from: telegramUser(input.user),
    chat: privateChat(input.user),
    date: input.date,
    text: input.text,
  };
  if (entities.length > 0) msg.entities = entities;
  return msg;
}

export function textUpdate(input: TextUpdateInput): Update {
  return { update_id: input.updateId, message: textMessage(input) as Update["message"] };
}

/** "/start" + args, with the bot_command entity covering exactly the command. */
export function commandUpdate(input: CommandUpdateInput): Update {
  const command = input.command.startsWith("/") ? input.command : `/${input.command}`;
  const text = input.args ? `${command} ${input.args}` : command;
  const entities: MessageEntity[] = [{ type: "bot_command", offset: 0, length: command.length }];
  for (const e of detectEntities(text)) if (e.offset > command.length) entities.push(e);
  return textUpdate({ ...input, text, entities });
}

export function callbackUpdate(input: CallbackUpdateInput): Update {
  const query: CallbackQuery = {
    id: input.queryId,
    from: telegramUser(input.user),
    message: input.message,
    chat_instance: input.chatInstance ?? chatInstanceFor(input.message.chat.id),
    data: input.data,
  };
  return { update_id: input.updateId, callback_query: query };
}

/** The callback_data of the button labelled `label` in a bot message; throws naming the labels there are. */
export function callbackDataOf(message: BotMessage, label: string): string {
  const markup = message.reply_markup;
  const buttons = markup && "inline_keyboard" in markup ? markup.inline_keyboard.flat() : [];
  const button = buttons.find((b) => b.text === label);
  if (!button) throw new Error(`no button "${label}" in message ${message.message_id}; buttons: ${JSON.stringify(buttons.map((b) => b.text))}`);
  if (!("callback_data" in button)) throw new Error(`button "${label}" has no callback_data`);
  return button.callback_data;
}

export interface UserSimOptions {
  /** First update_id to use; Telegram's start at an arbitrary positive number. */
  firstUpdateId?: number;
  /** First message id in this chat. */
  firstMessageId?: number;
  /** Clock in milliseconds (injected so tests are deterministic). */
  now?: () => number;
}

/**
 * One simulated user. Update ids increase per instance; message ids increase per chat and skip
 * the ids of bot messages the test reports through observe(), as in a real private chat where
 * the user's and the bot's messages share one sequence.
 */
export class UserSim {
  private nextUpdateId: number;
  private nextMessageId: number;
  private nextQuery = 1;
  private readonly now: () => number;

  constructor(
    readonly user: SimUser,
    opts: UserSimOptions = {},
  ) {
    this.nextUpdateId = opts.firstUpdateId ?? 100_000_001;
    this.nextMessageId = opts.firstMessageId ?? 1;
    this.now = opts.now ?? Date.now;
  }

  /** Reports a message id taken in this chat (e.g. by a bot reply) so later ids stay above it. */
  observe(messageId: number): void {
    if (messageId >= this.nextMessageId) this.nextMessageId = messageId + 1;
  }

  text(text: string): Update {
    return textUpdate({ updateId: this.nextUpdateId++, messageId: this.nextMessageId++, user: this.user, text, date: this.date() });
  }

  command(command: string, args?: string): Update {
    const input: CommandUpdateInput = { updateId: this.nextUpdateId++, messageId: this.nextMessageId++, user: this.user, command, date: this.date() };
    if (args !== undefined) input.args = args;
    return commandUpdate(input);
  }

  /** A press on a button of `message` (the bot's message) carrying callback_data `data`. */
  press(message: BotMessage, data: string): Update {
    this.observe(message.message_id);
    const queryId = callbackQueryId(this.nextQuery++, this.user.id);
    return callbackUpdate({ updateId: this.nextUpdateId++, queryId, user: this.user, message, data });
  }

  /** A press on the button labelled `label` (exact visible text) of the bot's `message`. */
  pressLabel(message: BotMessage, label: string): Update {
    return this.press(message, callbackDataOf(message, label));
  }

  private date(): number {
    return Math.floor(this.now() / 1000);
  }
}
