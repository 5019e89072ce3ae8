// The Bot API stand-in without its HTTP shell: one bot's state, every call recorded, simulated
// users whose updates go to the webhook or to getUpdates, and waits on what the user would see.
// Over 300 lines on purpose: the one object every Bot API method, control route and test reads.
import type { BotCommand, Update, UserFromGetMe } from "grammy/types";
import { badRequest } from "./bot-api-params";
import { resolveMethod, runMethod, commandsKey, type MethodContext, type PendingQuery } from "./bot-api-methods";
import type { ApiResponse, ButtonQuery, CallRecord, ChatView, Delivery, FloodSetting, MessageView, SimDelivery, WebhookInfo } from "./bot-api-types";
import { ChatState, ChatStore, chatView, type PersistedChat, toMessage, type StoredMessage } from "./chat-store";
import { FloodGate } from "./flood";
import { callbackQueryId, callbackUpdate, commandUpdate, textUpdate, type SimUser } from "./updates";
import { UpdateQueue, type Webhook } from "./update-queue";

export interface BotApiOptions {
  /** When set, only tokens "<botId>:…" are accepted; otherwise the first token's id becomes the bot's. */
  botId?: number;
  username?: string;
  firstName?: string;
  /** A webhook registered from the start (as if the bot had called setWebhook). */
  webhookUrl?: string;
  webhookSecret?: string;
  flood?: FloodSetting;
  /** Waits between webhook attempts of one update (default 250, 1000, 3000 ms: 4 attempts). */
  retryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /** How long a callback query can still be answered (Telegram: some seconds; default 15 s). */
  callbackQueryTtlMs?: number;
  /** Clock for message dates, call records and flood control (default Date.now). */
  now?: () => number;
}

/** Telegram retries a failing webhook for hours; locally a few quick retries cover a Worker reload without stalling for long. */
export const DEFAULT_RETRY_DELAYS_MS = [250, 1_000, 3_000];
/** Generous, so a Worker paused in a debugger is slow rather than failed. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 30_000;
/** Bots report "query is too old" after roughly 10-20 s without an answer. */
export const DEFAULT_CALLBACK_QUERY_TTL_MS = 15_000;
/** The bot's id before any token has named it (the id `npm start`'s generated token uses). */
const PLACEHOLDER_BOT_ID = 7_000_000_001;
/** Telegram's update ids start at an arbitrary positive number. */
const FIRST_UPDATE_ID = 500_000_001;
/** Recorded calls kept (oldest dropped first). */
const CALL_LIMIT = 5_000;
const TOKEN = /^(\d+):[A-Za-z0-9_-]+$/;

export interface PersistedApi {
  version: 1;
  nextUpdateId: number;
  commands: Array<[string, BotCommand[]]>;
  chats: PersistedChat[];
}

export type MessageMatch = string | RegExp | ((m: MessageView) => boolean);

export class BotApiCore {
  readonly chats = new ChatStore();
  readonly queue: UpdateQueue;
  private readonly flood: FloodGate;
  private readonly queries = new Map<string, PendingQuery>();
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly listeners = new Set<() => void>();
  private callLog: CallRecord[] = [];
  private seq = 0;
  private nextUpdateId = FIRST_UPDATE_ID;
  private nextQuery = 1;
  private botId: number | undefined;
  readonly now: () => number;

  constructor(private readonly opts: BotApiOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.botId = opts.botId;
    this.flood = new FloodGate(opts.flood);
    this.queue = new UpdateQueue({
      now: this.now,
      retryDelaysMs: opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      webhookTimeoutMs: opts.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
      onWebhookReply: (method, params) => this.call(method, params, "webhook-reply"),
      onChange: () => this.emit(),
    });
    if (opts.webhookUrl) this.setWebhook({ url: opts.webhookUrl, ...(opts.webhookSecret ? { secretToken: opts.webhookSecret } : {}) });
  }

  /** The bot as getMe describes it. */
  bot(): UserFromGetMe {
    return {
      id: this.botId ?? PLACEHOLDER_BOT_ID,
      is_bot: true,
      first_name: this.opts.firstName ?? "Polycool",
      username: this.opts.username ?? "polycool_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    } as UserFromGetMe;
  }

  /** Checks a token from the URL path: 404 when malformed, 401 when it names another bot. */
  authorize(token: string): ApiResponse | undefined {
    const m = TOKEN.exec(token);
    if (!m) return { ok: false, error_code: 404, description: "Not Found" };
    const id = Number(m[1]);
    this.botId ??= id;
    return id === this.botId ? undefined : { ok: false, error_code: 401, description: "Unauthorized" };
  }

  /** One Bot API call, recorded with its answer. Unknown methods get Telegram's 404. */
  async call(method: string, params: Record<string, unknown>, source: CallRecord["source"] = "http"): Promise<ApiResponse> {
    const name = resolveMethod(method);
    const failure = name ? this.takeFailure(name) : undefined;
    const response = failure ?? (name ? await runMethod(this.context(), name, params) : badRequest("method not found", 404));
    this.callLog.push({ seq: ++this.seq, at: this.now(), method, params, response, status: response.ok ? 200 : response.error_code, source });
    if (this.callLog.length > CALL_LIMIT) this.callLog.splice(0, this.callLog.length - CALL_LIMIT);
    this.emit();
    return response;
  }

  private readonly failures: Array<{ method: string; left: number; response: ApiResponse }> = [];

  /** The next `count` calls of `method` fail with this error (what Telegram answers when it refuses). */
  failNext(method: string, f: { count?: number; errorCode?: number; description: string }): void {
    this.failures.push({ method: method.toLowerCase(), left: f.count ?? 1, response: { ok: false, error_code: f.errorCode ?? 400, description: f.description } });
  }

  private takeFailure(method: string): ApiResponse | undefined {
    const f = this.failures.find((x) => x.method === method.toLowerCase() && x.left > 0);
    if (!f) return undefined;
    f.left--;
    return f.response;
  }

  /** What a restarted playground needs to carry on: chats, the update counter, the command menus. */
  snapshot(): PersistedApi {
    return { version: 1, nextUpdateId: this.nextUpdateId, commands: [...this.commands], chats: this.chats.all().map((c) => c.persisted()) };
  }

  /** Carries on from a snapshot: update ids keep growing (the bot has seen the old ones), the history stays. */
  restore(s: PersistedApi): void {
    this.nextUpdateId = Math.max(this.nextUpdateId, s.nextUpdateId);
    for (const [key, list] of s.commands) this.commands.set(key, list);
    for (const c of s.chats) this.chats.restore(ChatState.fromPersisted(c));
    this.emit();
  }

  private context(): MethodContext {
    return { chats: this.chats, queue: this.queue, queries: this.queries, commands: this.commands, bot: this.bot(), flood: this.flood, now: this.now };
  }

  calls(): CallRecord[] {
    return [...this.callLog];
  }

  /** Clears calls, chats, callback queries, pending updates and flood buckets; keeps the webhook and commands. */
  reset(): void {
    this.callLog = [];
    this.chats.clear();
    this.queries.clear();
    this.queue.reset();
    this.flood.set(this.flood.current());
    this.failures.length = 0;
    this.emit();
  }

  chat(chatId: number): ChatView | undefined {
    const chat = this.chats.get(chatId);
    return chat ? chatView(chat) : undefined;
  }

  chatList(): ChatView[] {
    return this.chats.all().map(chatView);
  }

  myCommands(scope?: { type: string }, languageCode?: string): BotCommand[] {
    return this.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  setFlood(setting: FloodSetting): void {
    this.flood.set(setting);
    this.emit();
  }

  flooding(): FloodSetting {
    return this.flood.current();
  }

  setWebhook(hook: Omit<Webhook, "maxConnections"> & { maxConnections?: number }, dropPending = false): void {
    this.queue.setWebhook({ maxConnections: 40, ...hook }, dropPending);
  }

  deleteWebhook(dropPending = false): void {
    this.queue.setWebhook(null, dropPending);
  }

  webhookInfo(): WebhookInfo {
    return this.queue.info();
  }

  deliveries(): Delivery[] {
    return this.queue.deliveries();
  }

  /** A user who blocked the bot makes every send to their chat fail with 403. */
  setBlocked(user: SimUser, blocked: boolean): void {
    this.chats.ensure(user).blocked = blocked;
    this.emit();
  }

  sendText(user: SimUser, text: string, opts: { deliver?: boolean } = {}): Promise<SimDelivery> {
    const chat = this.userChat(user);
    const update = textUpdate({ updateId: this.nextUpdateId++, messageId: chat.take(), user, text, date: this.seconds() });
    this.chats.addUserMessage(update.message!);
    return this.dispatch(update, opts.deliver);
  }

  /** "/start" (or "start") with optional args, carrying a bot_command entity like Telegram's. */
  sendCommand(user: SimUser, command: string, args?: string, opts: { deliver?: boolean } = {}): Promise<SimDelivery> {
    const chat = this.userChat(user);
    const input = { updateId: this.nextUpdateId++, messageId: chat.take(), user, command, date: this.seconds() };
    const update = commandUpdate(args === undefined ? input : { ...input, args });
    this.chats.addUserMessage(update.message!);
    return this.dispatch(update, opts.deliver);
  }

  /** Presses an inline button: by label in the latest bot message that has it, or by callback data. */
  pressButton(user: SimUser, query: ButtonQuery, opts: { deliver?: boolean } = {}): Promise<SimDelivery> {
    const chat = this.userChat(user);
    const { message, data } = findButton(chat, query);
    const queryId = callbackQueryId(this.nextQuery++, user.id);
    this.queries.set(queryId, { chatId: chat.id, messageId: message.id, expiresAt: this.now() + (this.opts.callbackQueryTtlMs ?? DEFAULT_CALLBACK_QUERY_TTL_MS), answered: false });
    const update = callbackUpdate({ updateId: this.nextUpdateId++, queryId, user, message: toMessage(chat, message), data });
    return this.dispatch(update, opts.deliver);
  }

  /** Delivers an update exactly as given (hostile or malformed ones included); state is untouched. */
  deliverRaw(update: unknown): Promise<Delivery> {
    return this.queue.enqueue(update as Update);
  }

  /**
   * Takes note of an update built elsewhere (e.g. by UserSim in a workerd test) without sending
   * it: the chat, the user's message and the callback query become known, so the bot can answer.
   */
  ingest(update: Update): void {
    if (update.update_id >= this.nextUpdateId) this.nextUpdateId = update.update_id + 1;
    if (update.message) this.chats.addUserMessage(update.message);
    const q = update.callback_query;
    if (q && q.message) {
      const chat = this.chats.ensure({ id: q.from.id, first_name: q.from.first_name });
      chat.observe(q.message.message_id);
      this.queries.set(q.id, { chatId: chat.id, messageId: q.message.message_id, expiresAt: this.now() + (this.opts.callbackQueryTtlMs ?? DEFAULT_CALLBACK_QUERY_TTL_MS), answered: false });
    }
    this.emit();
  }

  private userChat(user: SimUser): ChatState {
    const chat = this.chats.ensure(user);
    chat.blocked = false;
    return chat;
  }

  private dispatch(update: Update, deliver = true): Promise<SimDelivery> {
    this.emit();
    if (!deliver) return Promise.resolve({ updateId: update.update_id, update, outcome: "held", attempts: [] });
    return this.queue.enqueue(update);
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Calls `listener` after every change of state; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves with the first truthy value of `probe`, re-checked on every change (no polling sleeps). */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000, what = "condition"): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const v = probe();
        if (v === undefined || v === null || v === false) return false;
        done();
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`waitFor: ${what} not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe(() => void check());
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      check();
    });
  }

  /** Waits for a message in the chat (from the bot unless `from` says otherwise) matching `match`. */
  async waitForMessage(chatId: number, match: MessageMatch, opts: { timeoutMs?: number; from?: "bot" | "user" } = {}): Promise<MessageView> {
    const test = typeof match === "function" ? match : (m: MessageView) => (typeof match === "string" ? m.text.includes(match) : match.test(m.text));
    const from = opts.from ?? "bot";
    const find = () => this.chat(chatId)?.messages.filter((m) => m.from === from && test(m)).at(-1);
    try {
      return await this.waitFor(find, opts.timeoutMs, `message matching ${String(match)} in chat ${chatId}`);
    } catch (err) {
      const seen = (this.chat(chatId)?.messages ?? []).map((m) => `[${m.id} ${m.from}] ${m.text.slice(0, 120)}`).join("\n  ");
      throw new Error(`${(err as Error).message}; the chat shows:\n  ${seen || "(nothing)"}`);
    }
  }

  /** Waits for a call of `method` after call number `afterSeq` (see calls()[i].seq) matching `test`. */
  waitForCall(method: string, test: (c: CallRecord) => boolean = () => true, opts: { timeoutMs?: number; afterSeq?: number } = {}): Promise<CallRecord> {
    const after = opts.afterSeq ?? 0;
    return this.waitFor(() => this.callLog.find((c) => c.seq > after && c.method === method && test(c)), opts.timeoutMs, `a ${method} call`);
  }

  close(): void {
    this.queue.close();
    this.listeners.clear();
  }
}

/** The message and callback data a press refers to; throws with what the chat offers instead. */
function findButton(chat: ChatState, query: ButtonQuery): { message: StoredMessage; data: string } {
  const candidates = [...chat.messages.values()].filter((m) => m.from === "bot" && (query.messageId === undefined || m.id === query.messageId)).sort((a, b) => b.id - a.id);
  for (const message of candidates) {
    for (const b of (message.markup?.inline_keyboard ?? []).flat()) {
      const hit = query.callbackData !== undefined ? "callback_data" in b && b.callback_data === query.callbackData : b.text === query.label;
      if (!hit) continue;
      if (!("callback_data" in b)) throw new Error(`button "${b.text}" in message ${message.id} is not a callback button`);
      return { message, data: b.callback_data };
    }
  }
  const offered = candidates.flatMap((m) => (m.markup?.inline_keyboard ?? []).flat().map((b) => `${m.id}:"${b.text}"`));
  throw new Error(`no button ${JSON.stringify(query)} in chat ${chat.id}; buttons there: ${offered.join(", ") || "none"}`);
}
