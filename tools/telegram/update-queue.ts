// Where updates go, as Telegram does it: POSTed to the webhook with the secret header (several at
// once, retried a bounded number of times on failure), or held for getUpdates long polling.
// Over 300 lines on purpose: delivery, retries, long polling and the wire POST share one queue's state.
import http from "node:http";
import https from "node:https";
import type { Update } from "grammy/types";
import type { ApiResponse, Delivery, DeliveryAttempt, WebhookInfo } from "./bot-api-types";
import { badRequest } from "./bot-api-params";

export interface Webhook {
  url: string;
  secretToken?: string;
  /** Telegram's default is 40 simultaneous connections. */
  maxConnections: number;
  allowedUpdates?: string[];
}

export interface UpdateQueueOptions {
  now: () => number;
  /** Waits between the attempts of one update; attempts = 1 + its length. */
  retryDelaysMs: number[];
  /** How long a webhook may take to answer before the attempt counts as failed. */
  webhookTimeoutMs: number;
  /** Runs a method the webhook answered with ({"method": …} in its 2xx body). */
  onWebhookReply: (method: string, params: Record<string, unknown>) => Promise<unknown>;
  /** Called on every change (tests and the playground wait on it). */
  onChange: () => void;
}

/** Telegram's default for allowed_updates: everything except these. */
const OPT_IN_UPDATES = ["chat_member", "message_reaction", "message_reaction_count"];
/** Finished deliveries kept for inspection. */
const HISTORY_LIMIT = 2000;

interface Pending {
  delivery: Delivery;
  /** Real epoch ms (retry timers run on the real clock even when `now` is a test clock). */
  notBefore: number;
  done: (d: Delivery) => void;
}

interface Poller {
  resolve: (r: ApiResponse) => void;
  timer: ReturnType<typeof setTimeout>;
  offset: number | undefined;
  limit: number;
}

function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
}

function snapshot(d: Delivery): Delivery {
  return { ...d, attempts: d.attempts.map((a) => ({ ...a })) };
}

export class UpdateQueue {
  private webhook: Webhook | null = null;
  private pending: Pending[] = [];
  private inFlight = 0;
  private history: Delivery[] = [];
  private poller: Poller | null = null;
  private wake: ReturnType<typeof setTimeout> | null = null;
  private lastError: { date: number; message: string } | null = null;
  private closed = false;

  constructor(private readonly opts: UpdateQueueOptions) {}

  /** Accepts an update; resolves when a webhook answered 2xx or gave up, or at once when queued for getUpdates. */
  enqueue(update: Update): Promise<Delivery> {
    const delivery: Delivery = { updateId: update.update_id, update, outcome: "queued", attempts: [] };
    if (this.closed) {
      delivery.outcome = "dropped";
      return Promise.resolve(delivery);
    }
    const allowed = this.webhook?.allowedUpdates;
    const type = updateType(update);
    if (allowed && allowed.length > 0 ? !allowed.includes(type) : OPT_IN_UPDATES.includes(type)) {
      delivery.outcome = "filtered";
      this.record(delivery);
      return Promise.resolve(snapshot(delivery));
    }
    return new Promise((resolve) => {
      this.pending.push({ delivery, notBefore: 0, done: resolve });
      this.record(delivery);
      if (!this.webhook) resolve(snapshot(delivery));
      this.pump();
      this.feedPoller();
    });
  }

  setWebhook(hook: Webhook | null, dropPending = false): void {
    this.webhook = hook;
    this.lastError = null;
    if (dropPending) this.dropPending();
    if (hook) this.endPoller(badRequest("terminated by setWebhook request", 409));
    this.pump();
    this.opts.onChange();
  }

  currentWebhook(): Webhook | null {
    return this.webhook;
  }

  info(): WebhookInfo {
    const info: WebhookInfo = { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.pending.length };
    if (this.webhook) {
      info.max_connections = this.webhook.maxConnections;
      if (this.webhook.allowedUpdates) info.allowed_updates = this.webhook.allowedUpdates;
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  deliveries(): Delivery[] {
    return this.history.map(snapshot);
  }

  dropPending(): void {
    for (const p of this.pending.splice(0)) {
      p.delivery.outcome = "dropped";
      p.done(snapshot(p.delivery));
    }
    this.opts.onChange();
  }

  /** Forgets history and pending updates (test reset); the webhook setting stays. */
  reset(): void {
    this.dropPending();
    this.history = [];
    this.lastError = null;
  }

  close(): void {
    this.closed = true;
    if (this.wake) clearTimeout(this.wake);
    this.endPoller({ ok: true, result: [] });
    this.dropPending();
  }

  /** getUpdates: confirms ids below `offset`, then answers at once or after up to `timeout` seconds. */
  getUpdates(params: { offset?: number; limit?: number; timeout?: number }): Promise<ApiResponse> {
    if (this.webhook) {
      return Promise.resolve(badRequest("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 409));
    }
    this.endPoller(badRequest("terminated by other getUpdates request; make sure that only one bot instance is running", 409));
    const limit = Math.min(100, Math.max(1, params.limit ?? 100));
    this.confirm(params.offset);
    const ready = this.available(params.offset, limit);
    const timeout = Math.min(50, Math.max(0, params.timeout ?? 0));
    if (ready.length > 0 || timeout === 0 || this.closed) return Promise.resolve({ ok: true, result: ready });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endPoller({ ok: true, result: [] }), timeout * 1000);
      this.poller = { resolve, timer, offset: params.offset, limit };
    });
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset <= 0) return;
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (p.delivery.updateId < offset) {
        p.delivery.outcome = "fetched";
        p.done(snapshot(p.delivery));
      } else keep.push(p);
    }
    if (keep.length !== this.pending.length) {
      this.pending = keep;
      this.opts.onChange();
    }
  }

  private available(offset: number | undefined, limit: number): Update[] {
    const all = this.pending.map((p) => p.delivery.update);
    // A negative offset means "the last -offset updates" (Telegram forgets the earlier ones).
    if (offset !== undefined && offset < 0) return all.slice(offset).slice(0, limit);
    return all.slice(0, limit);
  }

  private feedPoller(): void {
    const p = this.poller;
    if (!p) return;
    const ready = this.available(p.offset, p.limit);
    if (ready.length > 0) this.endPoller({ ok: true, result: ready });
  }

  private endPoller(answer: ApiResponse): void {
    const p = this.poller;
    if (!p) return;
    this.poller = null;
    clearTimeout(p.timer);
    p.resolve(answer);
  }

  private record(d: Delivery): void {
    this.history.push(d);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    this.opts.onChange();
  }

  /** Starts as many due deliveries as the webhook's max_connections allows. */
  private pump(): void {
    const hook = this.webhook;
    if (!hook || this.closed) return;
    const now = Date.now();
    for (const p of this.pending) {
      if (this.inFlight >= hook.maxConnections) break;
      if (p.delivery.outcome === "delivering" || p.notBefore > now) continue;
      p.delivery.outcome = "delivering";
      p.delivery.target = hook.url;
      this.inFlight++;
      void this.attempt(p, hook).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    this.scheduleWake();
  }

  private scheduleWake(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    // Only future retries need a timer; due ones start when a connection frees up (pump in finally).
    const now = Date.now();
    const waiting = this.pending.filter((p) => p.delivery.outcome !== "delivering" && p.notBefore > now);
    if (waiting.length === 0 || !this.webhook || this.closed) return;
    const next = Math.min(...waiting.map((p) => p.notBefore));
    this.wake = setTimeout(() => this.pump(), Math.max(1, next - now));
  }

  private async attempt(p: Pending, hook: Webhook): Promise<void> {
    const started = this.opts.now();
    const result = await this.post(p.delivery.update, hook);
    const attempt: DeliveryAttempt = { at: started, ms: this.opts.now() - started, ...result.attempt };
    p.delivery.attempts.push(attempt);
    if (result.ok) {
      this.finish(p, "delivered");
      if (result.reply) await this.opts.onWebhookReply(result.reply.method, result.reply.params).catch(() => undefined);
      return;
    }
    this.lastError = { date: Math.floor(started / 1000), message: attempt.error ?? "Unknown error" };
    const wait = this.opts.retryDelaysMs[p.delivery.attempts.length - 1];
    if (wait === undefined || this.closed) {
      this.finish(p, "dropped");
      return;
    }
    p.delivery.outcome = "queued";
    p.notBefore = Date.now() + wait;
    this.opts.onChange();
  }

  private finish(p: Pending, outcome: "delivered" | "dropped"): void {
    p.delivery.outcome = outcome;
    this.pending = this.pending.filter((x) => x !== p);
    p.done(snapshot(p.delivery));
    this.opts.onChange();
  }

  private async post(update: Update, hook: Webhook): Promise<{ ok: boolean; attempt: Omit<DeliveryAttempt, "at" | "ms">; reply?: { method: string; params: Record<string, unknown> } }> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (hook.secretToken) headers["x-telegram-bot-api-secret-token"] = hook.secretToken;
    let res: PostAnswer;
    try {
      res = await postOnce(hook.url, headers, JSON.stringify(update), this.opts.webhookTimeoutMs);
    } catch (err) {
      return { ok: false, attempt: { error: describeFetchError(err) } };
    }
    const body = res.body;
    if (res.status < 200 || res.status > 299) {
      return { ok: false, attempt: { status: res.status, error: `Wrong response from the webhook: ${res.status} ${res.statusText}`.trim() } };
    }
    return { ok: true, attempt: { status: res.status }, ...webhookReply(body) };
  }
}

interface PostAnswer {
  status: number;
  statusText: string;
  body: string;
}

/**
 * One POST on a connection of its own (no pool): a pooled keep-alive socket left over from a server
 * that has since closed (or from another test's server on a reused port) once held a delivery for
 * the whole webhook timeout. Telegram's own connections are its business; ours never outlive an attempt.
 */
function postOnce(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostAnswer> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: "POST", agent: false, headers: { ...headers, "content-length": String(Buffer.byteLength(body)), connection: "close" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("webhook timeout"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(body);
  });
}

/** A webhook may answer with one Bot API call: {"method": "sendMessage", …}. */
function webhookReply(body: string): { reply?: { method: string; params: Record<string, unknown> } } {
  if (!body.trimStart().startsWith("{")) return {};
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === "object" && typeof (parsed as { method?: unknown }).method === "string") {
      const { method, ...params } = parsed as Record<string, unknown> & { method: string };
      return { reply: { method, params } };
    }
  } catch {
    // Not JSON: Telegram ignores the body of a 2xx answer it cannot read.
  }
  return {};
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError") return "Read timeout expired";
  const code = e?.code ?? e?.cause?.code;
  if (code === "ECONNREFUSED") return "Connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "Failed to resolve host: Name or service not known";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET") return "Connection reset by peer";
  return `Connection failed: ${(err as Error)?.message ?? String(err)}`;
}
