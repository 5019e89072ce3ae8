// What the playground page shows for one user: the bot, the chat with render trees, the command
// menu and the webhook's health; plus the book of simulated users the page can switch between.
import type { BotCommand } from "grammy/types";
import type { BotApiCore } from "./bot-api-core";
import type { ButtonView, Notice } from "./bot-api-types";
import { toRichNodes, type RichNode } from "./rich-text";
import type { SimUser } from "./updates";

/** Names for "new user"; ids look like real Telegram user ids. */
const NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy"];
const FIRST_USER_ID = 5_550_000_001;

export class UserBook {
  private readonly users: SimUser[] = [];

  constructor(private readonly api: BotApiCore) {
    this.create();
  }

  /** A fresh user (its chat with the bot starts empty, as for someone who never opened it). */
  create(): SimUser {
    const n = this.users.length;
    const name = NAMES[n % NAMES.length]!;
    const suffix = n >= NAMES.length ? String(Math.floor(n / NAMES.length) + 1) : "";
    const user: SimUser = { id: FIRST_USER_ID + n, first_name: `${name}${suffix}`, username: `${name.toLowerCase()}${suffix}_tester`, language_code: "en" };
    this.users.push(user);
    return user;
  }

  first(): SimUser {
    return this.users[0]!;
  }

  /** A user of the book, or one whose chat the stand-in knows (e.g. made by a test). */
  get(id: number): SimUser | undefined {
    return this.users.find((u) => u.id === id) ?? this.api.chats.get(id)?.user;
  }

  require(id: number): SimUser {
    const user = this.get(id);
    if (!user) throw new Error(`unknown user ${id}: create one with POST /_playground/users`);
    return user;
  }

  list(): SimUser[] {
    const known = this.api.chats.all().map((c) => c.user).filter((u) => !this.users.some((b) => b.id === u.id));
    return [...this.users, ...known];
  }
}

export interface PlaygroundMessage {
  id: number;
  from: "bot" | "user";
  text: string;
  nodes: RichNode[];
  buttons: ButtonView[][];
  edited: boolean;
  date: number;
}

export interface PlaygroundState {
  bot: { id: number; first_name: string; username: string };
  user: SimUser;
  users: SimUser[];
  messages: PlaygroundMessage[];
  notices: Notice[];
  replyKeyboard: string[][] | null;
  /** Milliseconds "typing…" should still show. */
  typingMs: number;
  commands: BotCommand[];
  webhook: { url: string; pending: number; lastError?: string };
}

export function playgroundState(api: BotApiCore, users: UserBook, user: SimUser): PlaygroundState {
  const bot = api.bot();
  const chat = api.chat(user.id);
  const info = api.webhookInfo();
  const commands = api.myCommands(undefined, user.language_code);
  const webhook: PlaygroundState["webhook"] = { url: info.url, pending: info.pending_update_count };
  if (info.last_error_message && info.pending_update_count > 0) webhook.lastError = info.last_error_message;
  return {
    bot: { id: bot.id, first_name: bot.first_name, username: bot.username },
    user: chat?.user ?? user,
    users: users.list(),
    messages: (chat?.messages ?? []).map((m) => ({
      id: m.id,
      from: m.from,
      text: m.text,
      nodes: toRichNodes(m.text, m.entities),
      buttons: m.buttons,
      edited: m.edited,
      date: m.date,
    })),
    notices: chat?.notices ?? [],
    replyKeyboard: chat?.replyKeyboard ?? null,
    typingMs: Math.max(0, (chat?.typingUntil ?? 0) - api.now()),
    commands: commands.length > 0 ? commands : api.myCommands(),
    webhook,
  };
}
