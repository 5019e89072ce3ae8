// Shared fetch helper for Polymarket REST: base URLs that carry a path, timeouts, zod-parsed bodies,
// and every failure turned into a classified PolymarketError.
import type { z } from "zod";
import { log } from "../lib/log";
import { classifyError, parseRetryAfter, venueMessageOf, type PolymarketErrorCode, type RequestKind } from "./errors";

/** Global fetch, a service binding's fetch, or a test double. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** e.g. https://clob.polymarket.com or http://127.0.0.1:8790/clob (the path is kept). */
  baseUrl: string;
  fetch?: FetchLike | undefined;
  /** ms epoch; used for Retry-After dates and signed timestamps. */
  now?: (() => number) | undefined;
  timeoutMs?: number | undefined;
}

/** A venue answer slower than this is treated as lost (and, for orders, as outcome unknown). */
export const DEFAULT_TIMEOUT_MS = 10_000;

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

/**
 * `${base}${path}?query`, keeping the base's own path (new URL("/book", base) would drop it).
 * Array values repeat the key (Gamma's `id=1&id=2`); undefined/null values are left out.
 */
export function joinUrl(baseUrl: string, path: string, query?: Query): string {
  const base = baseUrl.replace(/\/+$/, "");
  const rel = path.startsWith("/") ? path : `/${path}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return `${base}${rel}${qs ? `?${qs}` : ""}`;
}

export interface RequestSpec<T> {
  method: "GET" | "POST" | "DELETE";
  /** Path below the base, starting with "/"; this (without the query) is what L2 auth signs. */
  path: string;
  query?: Query | undefined;
  /** The exact JSON text to send (the same string an HMAC signature covers). */
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
  kind?: RequestKind | undefined;
  timeoutMs?: number | undefined;
  schema: z.ZodType<T>;
}

export class PolymarketHttp {
  readonly baseUrl: string;
  readonly now: () => number;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;

  constructor(opts: HttpOptions) {
    this.baseUrl = opts.baseUrl;
    this.now = opts.now ?? Date.now;
    const f = opts.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
    // Called as a plain function: workerd throws "Illegal invocation" for fetch called as a method.
    this.fetchFn = (input, init) => f(input, init);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Sends one request and returns the zod-parsed body; throws PolymarketError otherwise. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const kind = spec.kind ?? "idempotent";
    const started = this.now();
    const { status, text, retryAfter } = await this.exchange(spec, kind);
    const fail = (code: PolymarketErrorCode | undefined, venueMessage: string, cause?: unknown) => {
      const error = classifyError({
        status,
        venueMessage,
        kind,
        path: spec.path,
        code,
        cause,
        retryAfterMs: parseRetryAfter(retryAfter, this.now()),
      });
      // A 404 is an answer ("no such market/key"), not a fault: callers turn it into null or a create.
      const level = status === 404 ? "info" : "warn";
      log[level]("polymarket_http_error", { method: spec.method, path: spec.path, status, code: error.code, venue_message: venueMessage, ms: this.now() - started });
      return error;
    };
    if (status < 200 || status >= 300) throw fail(undefined, venueMessageOf(text));
    let json: unknown;
    try {
      json = text.trim() === "" ? undefined : JSON.parse(text);
    } catch (cause) {
      throw fail("bad_response", text.slice(0, 200), cause);
    }
    // The CLOB sometimes answers 200 with {"error": "..."} (its own clients check for this key).
    if (json && typeof json === "object" && !Array.isArray(json) && "error" in json && (json as { error: unknown }).error) {
      throw fail(undefined, venueMessageOf(text));
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) throw fail("bad_response", `unexpected body: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, parsed.error);
    return parsed.data;
  }

  private async exchange(spec: RequestSpec<unknown>, kind: RequestKind): Promise<{ status: number; text: string; retryAfter: string | null }> {
    const url = joinUrl(this.baseUrl, spec.path, spec.query);
    const headers: Record<string, string> = { accept: "application/json", ...spec.headers };
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    const controller = new AbortController();
    const timeoutMs = spec.timeoutMs ?? this.timeoutMs;
    // Raced as well as signalled: a fetch (or body stream) that ignores the signal still times out.
    const expired = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener("abort", () => reject(new Error(`no answer within ${timeoutMs} ms`)));
    });
    expired.catch(() => undefined);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const lost = (cause: unknown) => {
      const code = controller.signal.aborted ? "timeout" : "network";
      log.warn("polymarket_http_error", { method: spec.method, path: spec.path, status: 0, code, timeout_ms: timeoutMs });
      return classifyError({ status: 0, venueMessage: "", kind, path: spec.path, code, cause });
    };
    try {
      let res: Response;
      try {
        res = await Promise.race([this.fetchFn(url, { method: spec.method, headers, body: spec.body, signal: controller.signal }), expired]);
      } catch (cause) {
        throw lost(cause);
      }
      try {
        // The timeout also covers a body that stalls after the headers arrived.
        const text = await Promise.race([res.text(), expired]);
        return { status: res.status, text, retryAfter: res.headers.get("retry-after") };
      } catch (cause) {
        throw lost(cause);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs fn over items with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
