import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PolymarketError } from "./errors";
import { chunk, joinUrl, mapWithConcurrency, PolymarketHttp, type FetchLike } from "./http";

describe("joinUrl keeps the base's path", () => {
  it.each([
    ["https://clob.polymarket.com", "/book", undefined, "https://clob.polymarket.com/book"],
    ["http://127.0.0.1:8790/clob", "/book", { token_id: "123" }, "http://127.0.0.1:8790/clob/book?token_id=123"],
    ["http://127.0.0.1:8790/clob/", "/data/order/0xab", undefined, "http://127.0.0.1:8790/clob/data/order/0xab"],
    ["http://h/gamma", "markets", { id: ["1", "2"], closed: false, skip: undefined, none: null }, "http://h/gamma/markets?id=1&id=2&closed=false"],
    ["http://h", "/public-search", { q: "trump & co" }, "http://h/public-search?q=trump+%26+co"],
  ] as const)("%s + %s", (base, path, query, url) => {
    expect(joinUrl(base, path, query)).toBe(url);
  });
});

const okSchema = z.object({ ok: z.literal(true) });

function respond(status: number, body: string, headers: Record<string, string> = {}): FetchLike {
  return async () => new Response(body, { status, headers });
}

async function failure(p: Promise<unknown>): Promise<PolymarketError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PolymarketError);
  return e as PolymarketError;
}

/** A fetch that never answers, but honours the abort signal like a real one. */
const hang: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });

describe("PolymarketHttp.request", () => {
  it("sends method, headers and the exact body, and parses the answer", async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const http = new PolymarketHttp({
      baseUrl: "http://x/clob",
      fetch: async (url, init) => {
        seen.push({ url, init });
        return Response.json({ ok: true });
      },
    });
    const body = '{"b":1, "a":2}';
    await expect(http.request({ method: "POST", path: "/order", body, headers: { POLY_API_KEY: "k" }, schema: okSchema })).resolves.toEqual({ ok: true });
    expect(seen[0]!.url).toBe("http://x/clob/order");
    expect(seen[0]!.init.body).toBe(body);
    expect(seen[0]!.init.headers).toMatchObject({ POLY_API_KEY: "k", "content-type": "application/json" });
  });

  it.each([
    ["a venue error", respond(400, '{"error":"invalid signature"}'), "invalid_signature", 400],
    ["a 200 carrying {error}", respond(200, '{"error":"not enough balance / allowance"}'), "not_enough_balance", 200],
    ["an HTML 502", respond(502, "<html>bad gateway</html>"), "server_error", 502],
    ["broken JSON", respond(200, "{nope"), "bad_response", 200],
    ["the wrong shape", respond(200, '{"ok":false}'), "bad_response", 200],
    ["an empty body", respond(200, ""), "bad_response", 200],
    ["a network failure", (async () => Promise.reject(new TypeError("fetch failed"))) as FetchLike, "network", 0],
  ])("turns %s into a PolymarketError", async (_name, fetch, code, status) => {
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch });
    const e = await failure(http.request({ method: "GET", path: "/p", schema: okSchema }));
    expect({ code: e.code, status: e.status }).toEqual({ code, status });
  });

  it("reads Retry-After on a 429", async () => {
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch: respond(429, "Too Many Requests", { "retry-after": "2" }) });
    const e = await failure(http.request({ method: "GET", path: "/p", schema: okSchema }));
    expect(e).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 2000 });
  });

  it("times out a request that never answers; for a submission the outcome is unknown", async () => {
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch: hang, timeoutMs: 20 });
    const read = await failure(http.request({ method: "GET", path: "/p", schema: okSchema }));
    expect(read).toMatchObject({ code: "timeout", status: 0, retryable: true, outcomeUnknown: false });
    const submit = await failure(http.request({ method: "POST", path: "/order", body: "{}", kind: "submit", schema: okSchema }));
    expect(submit).toMatchObject({ code: "timeout", retryable: false, outcomeUnknown: true });
  });

  it("times out a body that stalls after the headers", async () => {
    const stalled: FetchLike = async (_url, init) => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"ok":'));
          init.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
        },
      });
      return new Response(stream, { status: 200 });
    };
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch: stalled, timeoutMs: 20 });
    const e = await failure(http.request({ method: "POST", path: "/order", body: "{}", kind: "submit", schema: okSchema }));
    expect(e).toMatchObject({ code: "timeout", outcomeUnknown: true });
  });

  it("times out a fetch that ignores the abort signal", async () => {
    const deaf: FetchLike = () => new Promise<Response>(() => undefined);
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch: deaf, timeoutMs: 20 });
    const e = await failure(http.request({ method: "POST", path: "/order", body: "{}", kind: "submit", schema: okSchema }));
    expect(e).toMatchObject({ code: "timeout", outcomeUnknown: true });
  });

  it("a per-request timeout overrides the client's", async () => {
    const http = new PolymarketHttp({ baseUrl: "http://x", fetch: hang, timeoutMs: 60_000 });
    const e = await failure(http.request({ method: "GET", path: "/p", schema: okSchema, timeoutMs: 10 }));
    expect(e.code).toBe("timeout");
  });
});

describe("mapWithConcurrency and chunk", () => {
  it("keeps order and never exceeds the limit", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
    await expect(mapWithConcurrency([], 4, async () => 1)).resolves.toEqual([]);
  });

  it.each([
    [[], 2, []],
    [[1, 2, 3], 2, [[1, 2], [3]]],
    [[1, 2], 5, [[1, 2]]],
  ])("chunk(%j, %i)", (items, size, chunks) => {
    expect(chunk(items, size)).toEqual(chunks);
  });
});
