// Dev tool: with a real bot token and no public URL, long-poll Telegram's getUpdates and forward
// each update to the local webhook (secret header), confirming an offset only after a 2xx.
import { z } from "zod";
import { nextDelay } from "../../durable-objects/backoff";
import { log } from "../../workers/lib/log";

export interface LongPollBridgeOptions {
  token: string;
  /** Default https://api.telegram.org (no trailing slash). */
  apiRoot?: string;
  /** The local webhook, e.g. http://127.0.0.1:8787/telegram/webhook. */
  webhookUrl: string;
  webhookSecret: string;
  fetch?: typeof fetch;
  /** getUpdates long-poll timeout in seconds (Telegram allows up to 50). */
  pollTimeoutSec?: number;
  /** Randomness for backoff jitter (injected for tests). */
  rand?: () => number;
}

export interface BridgeStats {
  forwarded: number;
  /** The next offset to confirm: every update below it reached the webhook with a 2xx. */
  offset: number;
  failures: number;
  lastError?: string;
}

export interface LongPollBridge {
  stats(): BridgeStats;
  /** Ends the poll loop (aborting a pending long poll) and resolves when it has stopped. */
  stop(): Promise<void>;
}

/** 25 s keeps the long poll under common proxy idle timeouts while staying cheap. */
export const DEFAULT_POLL_TIMEOUT_SEC = 25;

const apiAnswer = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error_code: z.number(), description: z.string(), parameters: z.object({ retry_after: z.number().optional() }).optional() }),
]);
const updates = z.array(z.looseObject({ update_id: z.number().int() }));

class BridgeError extends Error {
  constructor(message: string, readonly waitMs?: number) {
    super(message);
  }
}

export async function startLongPollBridge(opts: LongPollBridgeOptions): Promise<LongPollBridge> {
  const bridge = new Bridge(opts);
  // A webhook and getUpdates exclude each other; a wrong token fails here, before the loop starts.
  await bridge.callApi("deleteWebhook", { drop_pending_updates: false });
  log.info("telegram_bridge_started", { api_root: bridge.root, webhook_url: opts.webhookUrl });
  const running = bridge.loop();
  let stopped: Promise<void> | undefined;
  return {
    stats: () => ({ ...bridge.stats }),
    stop: () => (stopped ??= bridge.stop(running)),
  };
}

class Bridge {
  readonly stats: BridgeStats = { forwarded: 0, offset: 0, failures: 0 };
  readonly root: string;
  private readonly abort = new AbortController();
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: LongPollBridgeOptions) {
    this.root = (opts.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
    this.doFetch = opts.fetch ?? fetch;
  }

  /** One Bot API call; a Telegram error becomes a BridgeError carrying retry_after when given. */
  async callApi(method: string, params: Record<string, unknown>, signal: AbortSignal = this.abort.signal): Promise<unknown> {
    const res = await this.doFetch(`${this.root}/bot${this.opts.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
      signal,
    });
    const parsed = apiAnswer.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new BridgeError(`${method}: unreadable answer (HTTP ${res.status})`);
    if (!parsed.data.ok) {
      const retry = parsed.data.parameters?.retry_after;
      throw new BridgeError(`${method}: ${parsed.data.error_code} ${parsed.data.description}`, retry !== undefined ? retry * 1000 : undefined);
    }
    return parsed.data.result;
  }

  private async forward(update: { update_id: number }): Promise<void> {
    const res = await this.doFetch(this.opts.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": this.opts.webhookSecret },
      body: JSON.stringify(update),
      signal: this.abort.signal,
    });
    const body = await res.text().catch(() => "");
    if (res.status < 200 || res.status > 299) throw new BridgeError(`webhook answered ${res.status} for update ${update.update_id}`);
    await replayWebhookReply(body, (m, p) => this.callApi(m, p));
  }

  /** Polls until stopped; a failed forward leaves the offset where it was, so Telegram sends the update again. */
  async loop(): Promise<void> {
    const rand = this.opts.rand ?? Math.random;
    const timeout = this.opts.pollTimeoutSec ?? DEFAULT_POLL_TIMEOUT_SEC;
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        const batch = updates.parse(await this.callApi("getUpdates", { offset: this.stats.offset || undefined, timeout }));
        for (const update of batch) {
          await this.forward(update);
          this.stats.offset = update.update_id + 1;
          this.stats.forwarded++;
        }
        attempt = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        this.stats.failures++;
        this.stats.lastError = (err as Error).message;
        const wait = err instanceof BridgeError && err.waitMs !== undefined ? err.waitMs : nextDelay(attempt++, rand());
        log.warn("telegram_bridge_retry", { error: this.stats.lastError, wait_ms: wait });
        await sleep(wait, this.abort.signal);
      }
    }
  }

  async stop(running: Promise<void>): Promise<void> {
    this.abort.abort();
    await running;
    // Telegram forgets updates only when a later getUpdates names the offset: confirm what was forwarded.
    if (this.stats.offset > 0) await this.callApi("getUpdates", { offset: this.stats.offset, limit: 1, timeout: 0 }, AbortSignal.timeout(5_000)).catch(() => undefined);
    log.info("telegram_bridge_stopped", { forwarded: this.stats.forwarded });
  }
}

/** Telegram runs a method the webhook answered with ({"method": …}); so does the bridge. */
async function replayWebhookReply(body: string, callApi: (m: string, p: Record<string, unknown>) => Promise<unknown>): Promise<void> {
  if (!body.trimStart().startsWith("{")) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  const reply = z.looseObject({ method: z.string().regex(/^\w+$/) }).safeParse(parsed);
  if (!reply.success) return;
  const { method, ...params } = reply.data;
  await callApi(method, params).catch((err: Error) => log.warn("telegram_bridge_reply_failed", { method, error: err.message }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
