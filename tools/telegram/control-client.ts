// A fetch client for the stand-in's /_control/* routes, pure so that workerd tests (which cannot
// reach the Node process's objects) can drive simulated users and read chats over HTTP.
import type { Update } from "grammy/types";
import type { ButtonQuery, CallRecord, ChatView, Delivery, FloodSetting, MessageView, SimDelivery, WebhookInfo } from "./bot-api-types";
import type { SimUser } from "./updates";

export interface BotApiControl {
  calls(filter?: { method?: string; after?: number }): Promise<CallRecord[]>;
  reset(): Promise<void>;
  chat(chatId: number): Promise<ChatView | undefined>;
  chats(): Promise<ChatView[]>;
  deliveries(): Promise<Delivery[]>;
  webhookInfo(): Promise<WebhookInfo>;
  setWebhook(hook: { url: string; secretToken?: string; maxConnections?: number; dropPending?: boolean }): Promise<WebhookInfo>;
  deleteWebhook(): Promise<WebhookInfo>;
  setFlood(setting: FloodSetting): Promise<FloodSetting>;
  setBlocked(user: SimUser, blocked: boolean): Promise<void>;
  sendText(user: SimUser, text: string, opts?: { deliver?: boolean }): Promise<SimDelivery>;
  sendCommand(user: SimUser, command: string, args?: string, opts?: { deliver?: boolean }): Promise<SimDelivery>;
  pressButton(user: SimUser, query: ButtonQuery, opts?: { deliver?: boolean }): Promise<SimDelivery>;
  deliverRaw(update: unknown): Promise<Delivery>;
  ingest(update: Update): Promise<void>;
  /** The next `count` calls of `method` fail with this Telegram error. */
  failNext(method: string, f: { description: string; count?: number; errorCode?: number }): Promise<void>;
  /** Waits server-side for a message whose text contains `match` (or matches the RegExp). */
  waitForMessage(chatId: number, match: string | RegExp, opts?: { timeoutMs?: number; from?: "bot" | "user" }): Promise<MessageView>;
  waitForCall(method: string, opts?: { after?: number; timeoutMs?: number }): Promise<CallRecord>;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `baseUrl` is the stand-in's URL (the bot's TELEGRAM_API_ROOT), without a trailing slash. */
export function botApiControl(baseUrl: string, fetcher: typeof fetch = fetch): BotApiControl {
  const request = async <T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const res = await fetcher(`${baseUrl}/_control/${path}`, init);
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new ControlError(res.status, (json as { error?: string })?.error ?? `HTTP ${res.status}`);
    return json as T;
  };
  const query = (params: Record<string, string | number | undefined>) =>
    new URLSearchParams(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)])).toString();

  return {
    calls: (f = {}) => request("GET", `calls?${query({ method: f.method, after: f.after })}`),
    reset: async () => void (await request("POST", "reset", {})),
    chat: async (chatId) => {
      try {
        return await request<ChatView>("GET", `chats/${chatId}`);
      } catch (err) {
        if (err instanceof ControlError && err.status === 404) return undefined;
        throw err;
      }
    },
    chats: () => request("GET", "chats"),
    deliveries: () => request("GET", "deliveries"),
    webhookInfo: () => request("GET", "webhook"),
    setWebhook: (hook) => request("POST", "webhook", hook),
    deleteWebhook: () => request("DELETE", "webhook"),
    setFlood: (setting) => request("POST", "flood", setting),
    setBlocked: async (user, blocked) => void (await request("POST", "block", { user, blocked })),
    sendText: (user, text, opts = {}) => request("POST", "send-text", { user, text, ...opts }),
    sendCommand: (user, command, args, opts = {}) => request("POST", "send-command", { user, command, ...(args === undefined ? {} : { args }), ...opts }),
    pressButton: (user, q, opts = {}) => request("POST", "press-button", { user, ...q, ...opts }),
    deliverRaw: (update) => request("POST", "deliver-raw", update),
    ingest: async (update) => void (await request("POST", "ingest", { update })),
    failNext: async (method, f) => void (await request("POST", "fail", { method, ...f })),
    waitForMessage: (chatId, match, opts = {}) => {
      const m = typeof match === "string" ? { contains: match } : { regex: match.source };
      return request("GET", `wait-message?${query({ chatId, ...m, from: opts.from, timeoutMs: opts.timeoutMs })}`);
    },
    waitForCall: (method, opts = {}) => request("GET", `wait-call?${query({ method, after: opts.after, timeoutMs: opts.timeoutMs })}`),
  };
}
