import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLogSink, type LogSink } from "../lib/log";
import { ClobClient } from "./clob-client";
import { PolymarketError } from "./errors";
import type { FetchLike } from "./http";

/** node:fs by a computed name: the Worker type check these files share has no Node types. */
interface Fs {
  existsSync(path: string): boolean;
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: "utf8"): string;
}
const NODE_FS = "node:fs";
const fs = (await import(NODE_FS)) as Fs;
const FIXTURES = "test/fixtures/polymarket/clob_rest/";
const fixture = (name: string) => fs.readFileSync(`${FIXTURES}${name}`, "utf8");

const NOW = Date.parse("2026-10-01T12:00:00Z");
const BASE = "http://127.0.0.1:9/clob";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/** A CLOB stand-in mounted under BASE's path; records what it received. */
function fakeClob(route: (req: Seen) => Response | Promise<Response>, opts: { batchConcurrency?: number } = {}) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    expect(u.pathname.startsWith("/clob/")).toBe(true);
    const req = { method: init.method ?? "GET", path: u.pathname.slice("/clob".length), query: u.searchParams, body: typeof init.body === "string" ? init.body : "" };
    seen.push(req);
    return route(req);
  };
  return { seen, clob: new ClobClient({ baseUrl: BASE, fetch, now: () => NOW, ...opts }) };
}

let previousSink: LogSink;
beforeAll(() => {
  previousSink = setLogSink(() => undefined);
});
afterAll(() => {
  setLogSink(previousSink);
});

describe("every clob_rest fixture parses", () => {
  it("book: best level first on both sides, MicroInt, old shape without tick size", async () => {
    const { clob, seen } = fakeClob(() => new Response(fixture("book__nautilus_live_2024-10.json")));
    const book = await clob.getBook("233609");
    expect(seen[0]).toMatchObject({ method: "GET", path: "/book" });
    expect(seen[0]!.query.get("token_id")).toBe("233609");
    expect(book.bids.map((l) => l.price)).toEqual([100_000, 90_000, 80_000, 60_000, 10_000]);
    expect(book.asks.slice(0, 3)).toEqual([
      { price: 140_000, size: 705_000_000 },
      { price: 200_000, size: 70_000_000 },
      { price: 380_000, size: 192_300_000 },
    ]);
    expect(book).toMatchObject({ tickSize: undefined, lastTradePrice: undefined, updatedAt: 1_728_799_418_260, source: "rest", hash: "2fc4a3d6a98bc164e057589bcb74981852b87412" });
  });

  it("market (GET /markets/{condition_id})", async () => {
    const { clob, seen } = fakeClob(() => new Response(fixture("clob_market__nautilus_live_2024.json")));
    const m = await clob.getMarket("0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917");
    expect(seen[0]!.path).toBe("/markets/0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917");
    expect(m).toMatchObject({ neg_risk: true, minimum_tick_size: "0.001", minimum_order_size: "5" });
    expect(m!.tokens.map((t) => [t.outcome, t.price, t.winner])).toEqual([
      ["Yes", "0.4865", false],
      ["No", "0.5135", false],
    ]);
  });

  it("covers every file in the fixture directory", () => {
    expect(fs.readdirSync(FIXTURES).sort()).toEqual(["book__nautilus_live_2024-10.json", "clob_market__nautilus_live_2024.json", "data_trade__nautilus_live_2024-09.json"]);
  });
});

describe("books", () => {
  const currentBook = (tokenId: string) => ({
    market: "0xabc",
    asset_id: tokenId,
    timestamp: "1766481546776",
    hash: "h",
    bids: [{ price: "0.48", size: "10" }, { price: "0.49", size: "0" }, { price: "0.5", size: "55" }],
    asks: [{ price: "0.99", size: "1" }, { price: "0.51", size: "20.5" }],
    min_order_size: "5",
    tick_size: "0.01",
    neg_risk: false,
    last_trade_price: "0.490",
  });

  it("converts the current format: tick size, last trade, empty levels dropped", async () => {
    const { clob } = fakeClob(() => Response.json(currentBook("7")));
    const book = await clob.getBook("7");
    expect(book).toMatchObject({ tokenId: "7", tickSize: "0.01", lastTradePrice: 490_000, minOrderSize: "5", negRisk: false, updatedAt: 1_766_481_546_776 });
    expect(book.bids).toEqual([{ price: 500_000, size: 55_000_000 }, { price: 480_000, size: 10_000_000 }]);
    expect(book.asks[0]).toEqual({ price: 510_000, size: 20_500_000 });
  });

  it.each([
    ["a price with 7 decimals", { price: "0.4800001", size: "1" }],
    ["a negative size", { price: "0.48", size: "-1" }],
    ["an empty price", { price: "", size: "1" }],
  ])("refuses a book with %s (bad_response)", async (_name, level) => {
    const { clob } = fakeClob(() => Response.json({ ...currentBook("7"), bids: [level] }));
    await expect(clob.getBook("7")).rejects.toMatchObject({ code: "bad_response" });
  });

  it("POST /books in chunks of at most 500 with limited concurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const { clob, seen } = fakeClob(
      async (req) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        const ids = JSON.parse(req.body) as Array<{ token_id: string }>;
        return Response.json(ids.map((i) => currentBook(i.token_id)));
      },
      { batchConcurrency: 2 },
    );
    const ids = Array.from({ length: 1_201 }, (_, i) => String(i + 1));
    const books = await clob.getBooks(ids);
    expect(seen.map((r) => [r.method, r.path, (JSON.parse(r.body) as unknown[]).length])).toEqual([
      ["POST", "/books", 500],
      ["POST", "/books", 500],
      ["POST", "/books", 201],
    ]);
    expect(peak).toBe(2);
    expect(books.map((b) => b.tokenId)).toEqual(ids);
    await expect(clob.getBooks([])).resolves.toEqual([]);
  });
});

describe("prices: named by what they are", () => {
  // The venue answers side=BUY with the best bid and side=SELL with the best ask.
  const venue = (side: string | null) => (side === "BUY" ? "0.48" : "0.52");

  it("getBestBid asks side=BUY, getBestAsk side=SELL", async () => {
    const { clob, seen } = fakeClob((req) => Response.json({ price: venue(req.query.get("side")) }));
    expect(await clob.getBestBid("7")).toBe(480_000);
    expect(await clob.getBestAsk("7")).toBe(520_000);
    expect(seen.map((r) => r.query.get("side"))).toEqual(["BUY", "SELL"]);
  });

  it("getPrices maps BUY → bestBid and SELL → bestAsk, 500 entries per request", async () => {
    const { clob, seen } = fakeClob((req) => {
      const params = JSON.parse(req.body) as Array<{ token_id: string; side: string }>;
      const out: Record<string, Record<string, string>> = {};
      for (const p of params) (out[p.token_id] ??= {})[p.side] = venue(p.side);
      return Response.json(out);
    });
    const ids = Array.from({ length: 300 }, (_, i) => `t${i}`);
    const top = await clob.getPrices(ids);
    expect(seen.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual([500, 100]);
    expect(top.size).toBe(300);
    expect(top.get("t299")).toEqual({ bestBid: 480_000, bestAsk: 520_000 });
  });

  it("midpoints round half-up to micros; an empty one is undefined", async () => {
    const { clob } = fakeClob((req) => (req.path === "/midpoint" ? Response.json({ mid: "0.5055555" }) : Response.json({ a: "0.505", b: "" })));
    expect(await clob.getMidpoint("a")).toBe(505_556);
    expect(await clob.getMidpoints(["a", "b"])).toEqual(new Map([["a", 505_000], ["b", undefined]]));
  });
});

describe("market parameters", () => {
  it.each([
    [{ minimum_tick_size: 0.01 }, "0.01"],
    [{ minimum_tick_size: 0.001 }, "0.001"],
    [{ minimum_tick_size: "0.0025" }, "0.0025"],
    [{ minimum_tick_size: 0.0001 }, "0.0001"],
  ])("tick size %j → %s", async (body, tick) => {
    const { clob } = fakeClob(() => Response.json(body));
    expect(await clob.getTickSize("7")).toBe(tick);
  });

  it("refuses a tick size that is not one of Polymarket's grids", async () => {
    const { clob } = fakeClob(() => Response.json({ minimum_tick_size: 0.03 }));
    await expect(clob.getTickSize("7")).rejects.toMatchObject({ code: "bad_response" });
  });

  it("neg risk, version (2 when absent), server time", async () => {
    const answers: Record<string, unknown> = { "/neg-risk": { neg_risk: true }, "/version": {}, "/time": 1_790_000_000 };
    const { clob } = fakeClob((req) => Response.json(answers[req.path]));
    expect(await clob.getNegRisk("7")).toBe(true);
    expect(await clob.getVersion()).toBe(2);
    expect(await clob.getServerTime()).toBe(1_790_000_000);
  });

  it("clob-markets compact details; null when unknown", async () => {
    const details = { c: "0xc", t: [{ t: "1", o: "Yes" }, null, { t: "2", o: "No" }], mts: 0.01, nr: true, fd: { r: 0.072, e: 1, to: true }, mos: 5, ao: true };
    const { clob } = fakeClob((req) => (req.path === "/clob-markets/0xc" ? Response.json(details) : Response.json({ error: "market not found" }, { status: 404 })));
    expect(await clob.getClobMarket("0xc")).toEqual({
      conditionId: "0xc",
      tokens: [{ tokenId: "1", outcome: "Yes" }, { tokenId: "2", outcome: "No" }],
      tickSize: "0.01",
      negRisk: true,
      minOrderSize: "5",
      feeRate: "0.072",
      feeExponent: "1",
      acceptingOrders: true,
    });
    expect(await clob.getClobMarket("0xmissing")).toBeNull();
  });

  it("a 404 book is a classified no_orderbook error", async () => {
    const { clob } = fakeClob(() => Response.json({ error: "No orderbook exists for the requested token id" }, { status: 404 }));
    const e = await clob.getBook("7").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PolymarketError);
    expect(e).toMatchObject({ code: "no_orderbook", retryable: false, outcomeUnknown: false });
  });
});
