// The stand-in's memory of private chats: messages (one id sequence per chat, shared by the
// user and the bot), notices and keyboards, and the views tests and the playground read.
import type { InlineKeyboardMarkup, Message, MessageEntity, User } from "grammy/types";
import type { ButtonView, ChatView, MessageView, Notice } from "./bot-api-types";
import { privateChat, telegramUser, type SimUser } from "./updates";

/** An uploaded picture: its name, media type and bytes (base64 in views, so it survives JSON). */
export interface PhotoView {
  file: string;
  type: string;
  base64: string;
}

export interface StoredMessage {
  id: number;
  from: "bot" | "user";
  sender: User;
  /** Rendered text and its entities, as Telegram stores them. */
  text: string;
  entities: MessageEntity[];
  /** What was sent: the HTML source with parse_mode HTML, else the text itself. */
  raw: string;
  parseMode?: string;
  markup?: InlineKeyboardMarkup;
  /** Sent with protect_content: the user's clients cannot forward or save it. */
  protected?: boolean;
  /** A photo message (sendPhoto): the uploaded file; `text` is its caption. */
  photo?: PhotoView;
  date: number;
  editDate?: number;
}

export class ChatState {
  readonly messages = new Map<number, StoredMessage>();
  readonly notices: Notice[] = [];
  replyKeyboard: string[][] | null = null;
  pinned: number[] = [];
  typingUntil = 0;
  blocked = false;
  private nextMessageId = 1;

  constructor(public user: SimUser) {}

  get id(): number {
    return this.user.id;
  }

  /** The next message id of this chat. */
  take(): number {
    return this.nextMessageId++;
  }

  /** Keeps later ids above one that was taken elsewhere (e.g. an update built by a test). */
  observe(id: number): void {
    if (id >= this.nextMessageId) this.nextMessageId = id + 1;
  }

  add(message: StoredMessage): void {
    this.observe(message.id);
    this.messages.set(message.id, message);
  }

  /** What survives a restart of the playground: the history and the counters. */
  persisted(): PersistedChat {
    return { user: this.user, nextMessageId: this.nextMessageId, messages: [...this.messages.values()], replyKeyboard: this.replyKeyboard, pinned: this.pinned, blocked: this.blocked };
  }

  static fromPersisted(p: PersistedChat): ChatState {
    const chat = new ChatState(p.user);
    for (const m of p.messages) chat.add(m);
    chat.observe(p.nextMessageId - 1);
    chat.replyKeyboard = p.replyKeyboard;
    chat.pinned = [...p.pinned];
    chat.blocked = p.blocked;
    return chat;
  }
}

export interface PersistedChat {
  user: SimUser;
  nextMessageId: number;
  messages: StoredMessage[];
  replyKeyboard: string[][] | null;
  pinned: number[];
  blocked: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function buttonView(b: InlineKeyboardMarkup["inline_keyboard"][number][number]): ButtonView {
  if ("callback_data" in b) return { text: b.text, kind: "callback", callback_data: b.callback_data };
  if ("url" in b) return { text: b.text, kind: "url", url: b.url };
  if ("copy_text" in b) return { text: b.text, kind: "copy", copy_text: b.copy_text.text };
  return { text: b.text, kind: "other" };
}

export function messageView(m: StoredMessage): MessageView {
  const view: MessageView = {
    id: m.id,
    from: m.from,
    text: m.text,
    html: m.parseMode?.toUpperCase() === "HTML" ? m.raw : escapeHtml(m.text),
    entities: m.entities,
    buttons: (m.markup?.inline_keyboard ?? []).map((row) => row.map(buttonView)),
    edited: m.editDate !== undefined,
    date: m.date,
  };
  if (m.parseMode !== undefined) view.parseMode = m.parseMode;
  if (m.protected) view.protected = true;
  if (m.photo) view.photo = m.photo;
  if (m.editDate !== undefined) view.editDate = m.editDate;
  return view;
}

export function chatView(chat: ChatState): ChatView {
  const messages = [...chat.messages.values()].sort((a, b) => a.id - b.id).map(messageView);
  return {
    id: chat.id,
    user: chat.user,
    messages,
    notices: [...chat.notices],
    replyKeyboard: chat.replyKeyboard,
    pinnedMessageIds: [...chat.pinned],
    typingUntil: chat.typingUntil,
    blocked: chat.blocked,
  };
}

/** The Message object Telegram returns for a stored message (and embeds in callback queries). */
export function toMessage(chat: ChatState, m: StoredMessage): Message {
  const msg: Message.TextMessage = { message_id: m.id, from: m.sender, chat: privateChat(chat.user), date: m.date, text: m.text };
  if (m.editDate !== undefined) msg.edit_date = m.editDate;
  if (m.entities.length > 0) msg.entities = m.entities;
  const out: Message = msg;
  if (m.markup && m.markup.inline_keyboard.length > 0) out.reply_markup = m.markup;
  return out;
}

export class ChatStore {
  private readonly chats = new Map<number, ChatState>();

  /** The chat with this user, created on first contact; user details follow the latest update. */
  ensure(user: SimUser): ChatState {
    const chat = this.chats.get(user.id);
    if (chat) {
      chat.user = { ...chat.user, ...user };
      return chat;
    }
    const created = new ChatState({ ...user });
    this.chats.set(user.id, created);
    return created;
  }

  get(chatId: number | string): ChatState | undefined {
    return typeof chatId === "number" ? this.chats.get(chatId) : undefined;
  }

  all(): ChatState[] {
    return [...this.chats.values()];
  }

  clear(): void {
    this.chats.clear();
  }

  /** Puts back a chat saved by ChatState.persisted (a restarted playground). */
  restore(chat: ChatState): void {
    this.chats.set(chat.id, chat);
  }

  /** Records a user's message (from an update the stand-in built or was given). */
  addUserMessage(msg: Message): void {
    if (!msg.from || msg.chat.type !== "private") return;
    const user: SimUser = { id: msg.from.id, first_name: msg.from.first_name };
    if (msg.from.username !== undefined) user.username = msg.from.username;
    if (msg.from.last_name !== undefined) user.last_name = msg.from.last_name;
    if (msg.from.language_code !== undefined) user.language_code = msg.from.language_code;
    const chat = this.ensure(user);
    const text = msg.text ?? msg.caption ?? "";
    chat.add({ id: msg.message_id, from: "user", sender: telegramUser(user), text, entities: msg.entities ?? [], raw: text, date: msg.date });
  }
}
