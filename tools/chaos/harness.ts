// What every chaos scenario drives: the running stack (Worker, local Polymarket, Bot API stand-in,
// Postgres), admin and webhook calls parsed with zod, a direct database pool for checks, and waits.
import type { Pool } from "pg";
import { z } from "zod";
import type { LocalPolymarket } from "../local-polymarket/server";
import type { Stack } from "../start/stack";
import type { BotApi } from "../telegram/bot-api-server";

export const streamerStatusSchema = z.looseObject({
  connected: z.boolean(),
  healthy: z.boolean(),
  shards: z.array(z.looseObject({ id: z.number(), state: z.string(), tokens: z.number() })),
  subscriptions: z.array(z.string()),
  reconnects: z.number(),
  messages: z.record(z.string(), z.number()),
  frames: z.number(),
  parseErrors: z.number(),
  poll: z.looseObject({ active: z.boolean(), requests: z.number() }),
  flush: z.looseObject({ ok: z.number().nullable().optional(), errors: z.number().nullable().optional() }),
  triggers: z.looseObject({ armed: z.number() }),
  startedAt: z.string().nullable(),
});
export type StreamerView = z.infer<typeof streamerStatusSchema>;

export interface Chaos {
  stack: Stack;
  pm: LocalPolymarket;
  botApi: BotApi;
  /** Direct connections (not through the Worker's proxy, so checks keep working during an outage). */
  db: Pool;
  staleMs: number;
  pollMs: number;
  /** Takes Postgres away for `ms` as a restart does and brings it back (test/setup/database.ts); says what was done. */
  interruptDatabase(ms: number, onDown: () => void): Promise<string>;
  /** (Re)starts the steady background feed: size changes behind the top of subscribed books, no price moves. */
  heartbeat(): void;
  /** Progress for the operator (stderr); the report lines go to stdout. */
  note(text: string): void;
}

export class ChaosError extends Error {}

/** Polls `probe` until it returns something other than undefined/false; fails naming `what`. */
export async function waitUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new ChaosError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An admin route's JSON (bearer token), or throws with the status. */
export async function admin(c: Chaos, method: "GET" | "POST", route: string): Promise<unknown> {
  const res = await fetch(`${c.stack.workerUrl}${route}`, { method, headers: { authorization: `Bearer ${c.stack.adminToken}` } });
  const text = await res.text();
  if (!res.ok) throw new ChaosError(`${method} ${route}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

export async function streamer(c: Chaos): Promise<StreamerView> {
  return streamerStatusSchema.parse(await admin(c, "GET", "/admin/streamer"));
}

/** Runs the Worker's cron once (wrangler's local scheduled route): reconciliation, the streamer kick. */
export async function runCron(c: Chaos): Promise<void> {
  const res = await fetch(`${c.stack.workerUrl}/cdn-cgi/local/scheduled`);
  await res.text();
  if (!res.ok) throw new ChaosError(`cron: HTTP ${res.status}`);
}

/** Posts one raw update to the webhook as Telegram does; answers the HTTP status (0: no answer). */
export async function postUpdate(c: Chaos, body: string, secret: string | null = c.stack.webhookSecret): Promise<number> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  try {
    const res = await fetch(`${c.stack.workerUrl}/telegram/webhook`, { method: "POST", headers, body, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export async function healthz(c: Chaos): Promise<number> {
  try {
    const res = await fetch(`${c.stack.workerUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** A SQL literal for a check's parameter (ids, token ids, timestamps, arrays of them). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ChaosError(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return literal(v.toISOString());
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(", ")}]`;
  if (typeof v === "string") return `'${v.replace(/'/g, "''")}'`;
  throw new ChaosError(`unsupported parameter ${typeof v}`);
}

/**
 * Runs a check with its parameters inlined (escaped as literals), as one simple-protocol message:
 * one round trip, and one turn on the embedded Postgres's single session.
 */
export async function rows<T extends Record<string, unknown>>(c: Chaos, text: string, params: unknown[] = []): Promise<T[]> {
  const sql = text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
  const r = await c.db.query(sql);
  return r.rows as T[];
}

/** A count from SQL (count(*)::int AS n). */
export async function count(c: Chaos, text: string, params: unknown[] = []): Promise<number> {
  const [r] = await rows<{ n: number | string }>(c, text, params);
  return Number(r?.n ?? 0);
}
