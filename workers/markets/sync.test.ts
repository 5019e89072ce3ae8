// syncMarkets against the real test database (Neon driver path) and a real HTTP server speaking Gamma.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../../test/support/node-db";
import { setLogSink, type LogSink } from "../lib/log";
import { GammaClient } from "../polymarket/gamma-client";
import { syncMarkets } from "./sync";

/** The few node:http pieces used; imported by a computed name (the Worker type check has no Node types). */
interface NodeHttp {
  createServer(handler: (req: { url?: string }, res: { writeHead(status: number, headers: Record<string, string>): void; end(body: string): void }) => void): {
    listen(port: number, host: string, cb: () => void): void;
    address(): { port: number } | string | null;
    close(cb: () => void): void;
    closeAllConnections(): void;
  };
}
const NODE_HTTP = "node:http";
const http = (await import(NODE_HTTP)) as NodeHttp;

const handle = openTestDb();
const { db } = handle;
const RUN = String(Date.now()).slice(-9);
// In the future: a full workflow sync running in parallel closes open markets synced before it started, never these.
const T0 = Date.parse("2099-10-01T12:00:00Z");

/** What the fake Gamma serves: markets in order, keyset on or off (then /markets/keyset is a 404). */
const gammaState = { markets: [] as Array<Record<string, unknown>>, keyset: true, paths: [] as string[] };

function market(prefix: string, n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `${prefix}${String(n).padStart(5, "0")}`;
  return {
    id,
    question: `Will generated market ${id} resolve Yes?`,
    conditionId: `0x${id.padStart(64, "0")}`,
    slug: `generated-${id}`,
    outcomes: '["Yes", "No"]',
    outcomePrices: '["0.61", "0.39"]',
    clobTokenIds: `["${id}1", "${id}2"]`,
    active: true,
    closed: false,
    acceptingOrders: true,
    enableOrderBook: true,
    orderPriceMinTickSize: 0.01,
    orderMinSize: 5,
    negRisk: false,
    volume: "1234.5",
    volume24hr: 99.25,
    liquidity: "10",
    endDate: "2026-12-31T00:00:00Z",
    events: [{ id: "1", slug: `event-${prefix}`, title: "Generated", tags: [{ slug: "crypto", label: "Crypto" }] }],
    ...over,
  };
}

function serve(url: URL): { status: number; body: unknown } {
  const path = url.pathname.replace(/^\/gamma/, "");
  gammaState.paths.push(`${path}?${url.searchParams.toString()}`);
  const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), 100);
  if (path === "/markets/keyset") {
    if (!gammaState.keyset) return { status: 404, body: { error: "not found" } };
    const offset = Number(url.searchParams.get("after_cursor")?.slice(1) ?? 0);
    const end = offset + limit;
    const next = end < gammaState.markets.length ? { next_cursor: `o${end}` } : {};
    return { status: 200, body: { markets: gammaState.markets.slice(offset, end), ...next } };
  }
  if (path === "/markets") {
    const offset = Number(url.searchParams.get("offset") ?? 0);
    return { status: 200, body: gammaState.markets.slice(offset, offset + limit) };
  }
  return { status: 404, body: { error: "not found" } };
}

const server = http.createServer((req, res) => {
  const { status, body } = serve(new URL(req.url ?? "/", "http://localhost"));
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
});
let gamma: GammaClient;
let previousSink: LogSink;

beforeAll(async () => {
  previousSink = setLogSink(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  gamma = new GammaClient({ baseUrl: `http://127.0.0.1:${address.port}/gamma` });
});

afterAll(async () => {
  setLogSink(previousSink);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(resolve));
  await handle.close();
});

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const r = await db.execute<{ n: string }>(query);
  return Number(r.rows[0]!.n);
}

type Row = {
  id: string;
  source: string;
  outcome_prices: (string | null)[];
  updated_at: Date | string;
  synced_at: Date | string;
  question: string;
  accepting_orders: boolean;
};

async function row(id: string): Promise<Row> {
  const r = await db.execute<Row>(sql`SELECT id, source, outcome_prices, updated_at, synced_at, question, accepting_orders FROM markets WHERE id = ${id}`);
  return r.rows[0]!;
}

const iso = (v: Date | string) => new Date(v).toISOString();

describe("syncMarkets", () => {
  const prefix = `9${RUN}`;
  const generated = Array.from({ length: 1_700 }, (_, i) => market(prefix, i));

  it("syncs 1,700 markets through keyset pages, skipping and counting the unusable ones", async () => {
    gammaState.markets = [
      ...generated.slice(0, 850),
      { id: `${prefix}bad`, question: null },
      market(prefix, 90_001, { clobTokenIds: "[]" }),
      market(prefix, 90_002, { version: "v2", clobTokenIds: null, positionIds: [`${prefix}900021`, `${prefix}900022`] }),
      ...generated.slice(850),
      generated[3]!,
    ];
    gammaState.keyset = true;
    gammaState.paths = [];
    const started = performance.now();
    const result = await syncMarkets({ db, gamma, now: () => T0 });
    const wallMs = performance.now() - started;
    expect(result).toMatchObject({ fetched: 1_704, upserted: 1_701, inserted: 1_701, skipped: 3, malformed: 1, noTokens: 1, duplicates: 1, unsupported: 0, pages: 18, mode: "keyset" });
    expect(gammaState.paths[0]).toBe("/markets/keyset?limit=100&active=true&closed=false&include_tag=true");
    console.info(`[sync] 1,704 Gamma markets → ${result.upserted} rows in ${wallMs.toFixed(0)} ms (fake Gamma on loopback + embedded Postgres)`);

    expect(await count(sql`SELECT count(*) AS n FROM markets WHERE id LIKE ${`${prefix}%`}`)).toBe(1_701);
    expect(await count(sql`SELECT count(*) AS n FROM market_tokens WHERE market_id LIKE ${`${prefix}%`}`)).toBe(3_402);
    const m = await db.execute<Record<string, unknown>>(sql`
      SELECT condition_id, clob_token_ids, outcomes, outcome_prices, source, tick_size, min_order_size, version, event_slug,
        category, volume, volume_24hr, end_date, synced_at FROM markets WHERE id = ${`${prefix}00007`}`);
    expect(m.rows[0]).toMatchObject({
      clob_token_ids: [`${prefix}000071`, `${prefix}000072`],
      outcomes: ["Yes", "No"],
      outcome_prices: ["0.61", "0.39"],
      source: "gamma",
      tick_size: "0.010000",
      min_order_size: "5.000000",
      version: "v1",
      event_slug: `event-${prefix}`,
      category: "Crypto",
      volume: "1234.500000",
      volume_24hr: "99.250000",
    });
    expect(iso(m.rows[0]!.synced_at as string)).toBe(new Date(T0).toISOString());
    const v2 = await db.execute<{ token_id: string; outcome: string; outcome_index: number }>(
      sql`SELECT token_id, outcome, outcome_index FROM market_tokens WHERE market_id = ${`${prefix}90002`} ORDER BY outcome_index`,
    );
    expect(v2.rows).toEqual([
      { token_id: `${prefix}900021`, outcome: "Yes", outcome_index: 0 },
      { token_id: `${prefix}900022`, outcome: "No", outcome_index: 1 },
    ]);
  });

  it("syncs each market's taker fee schedule, and follows Gamma when it changes", async () => {
    const feeId = `${prefix}00020`;
    const fees = async (id: string) => (await db.execute(sql`SELECT fee_rate, fee_exponent FROM markets WHERE id = ${id}`)).rows[0];
    gammaState.markets = gammaState.markets.map((m) => (m.id === feeId ? { ...m, feesEnabled: true, feeSchedule: { exponent: 1, rate: 0.07, takerOnly: true, rebateRate: 0.2 } } : m));
    await syncMarkets({ db, gamma, now: () => T0 });
    expect(await fees(feeId)).toEqual({ fee_rate: "0.070000", fee_exponent: 1 });
    expect(await fees(`${prefix}00021`)).toEqual({ fee_rate: "0.000000", fee_exponent: 1 });
    gammaState.markets = gammaState.markets.map((m) => (m.id === feeId ? { ...m, feeSchedule: { exponent: 2, rate: 0.25, takerOnly: true } } : m));
    await syncMarkets({ db, gamma, now: () => T0 });
    expect(await fees(feeId)).toEqual({ fee_rate: "0.250000", fee_exponent: 2 });
  });

  it("a second sync is idempotent: same rows, only synced_at moves", async () => {
    const snapshot = sql`SELECT id, condition_id, question, clob_token_ids, outcomes, outcome_prices, source, tick_size, active, closed,
      accepting_orders, volume, updated_at FROM markets WHERE id LIKE ${`${prefix}%`} ORDER BY id`;
    const before = (await db.execute(snapshot)).rows;
    const tokensBefore = (await db.execute(sql`SELECT * FROM market_tokens WHERE market_id LIKE ${`${prefix}%`} ORDER BY token_id`)).rows;
    const result = await syncMarkets({ db, gamma, now: () => T0 + 60_000 });
    expect(result).toMatchObject({ upserted: 1_701, inserted: 0, skipped: 3 });
    expect((await db.execute(snapshot)).rows).toEqual(before);
    expect((await db.execute(sql`SELECT * FROM market_tokens WHERE market_id LIKE ${`${prefix}%`} ORDER BY token_id`)).rows).toEqual(tokensBefore);
    expect(iso((await row(`${prefix}00007`)).synced_at)).toBe(new Date(T0 + 60_000).toISOString());
  });

  it("keeps live 'ws' prices, writes Gamma's where Gamma owns them, and the operator query runs", async () => {
    const live = `${prefix}00010`;
    const gammaOwned = `${prefix}00011`;
    await db.execute(sql`UPDATE markets SET source = 'ws', outcome_prices = '["0.93", "0.07"]'::jsonb, updated_at = ${new Date(T0 + 90_000).toISOString()}::timestamptz WHERE id = ${live}`);
    gammaState.markets = gammaState.markets.map((m) =>
      m.id === live || m.id === gammaOwned ? { ...m, outcomePrices: '["0.2", "0.8"]', question: `Renamed ${String(m.id)}?`, acceptingOrders: false } : m,
    );
    await syncMarkets({ db, gamma, now: () => T0 + 120_000 });

    const operator = await db.execute<Row>(sql.raw(`SELECT source, outcome_prices, updated_at FROM markets WHERE id = '${live}' ORDER BY updated_at DESC LIMIT 1`));
    expect(operator.rows).toHaveLength(1);
    expect(operator.rows[0]).toMatchObject({ source: "ws", outcome_prices: ["0.93", "0.07"] });
    expect(iso(operator.rows[0]!.updated_at)).toBe(new Date(T0 + 90_000).toISOString());
    expect(await row(live)).toMatchObject({ question: `Renamed ${live}?`, accepting_orders: false });

    const owned = await row(gammaOwned);
    expect(owned).toMatchObject({ source: "gamma", outcome_prices: ["0.2", "0.8"], accepting_orders: false });
    expect(iso(owned.updated_at)).toBe(new Date(T0 + 120_000).toISOString());
  });

  it("falls back to offset paging when keyset is missing, and never deletes markets that left the list", async () => {
    gammaState.keyset = false;
    gammaState.paths = [];
    const gone = `${prefix}01699`;
    gammaState.markets = gammaState.markets.filter((m) => m.id !== gone);
    const result = await syncMarkets({ db, gamma, now: () => T0 + 180_000 });
    expect(result).toMatchObject({ mode: "offset", upserted: 1_700, inserted: 0, pages: 18 });
    expect(gammaState.paths.slice(0, 2)).toEqual(["/markets/keyset?limit=100&active=true&closed=false&include_tag=true", "/markets?limit=100&offset=0&active=true&closed=false&include_tag=true"]);
    const left = await row(gone);
    expect(left).toMatchObject({ source: "gamma" });
    expect(iso(left.synced_at)).toBe(new Date(T0 + 120_000).toISOString());
    expect(await count(sql`SELECT count(*) AS n FROM markets WHERE synced_at < ${new Date(T0 + 180_000).toISOString()}::timestamptz AND id LIKE ${`${prefix}%`}`)).toBe(1);
  });

  it("a failed write stops the sync and surfaces the error", async () => {
    gammaState.keyset = true;
    gammaState.markets = generated.slice(0, 300);
    gammaState.paths = [];
    const broken = { execute: () => Promise.reject(new Error("database unavailable")) } as unknown as typeof db;
    await expect(syncMarkets({ db: broken, gamma, now: () => T0, batchSize: 100 })).rejects.toThrow("database unavailable");
    expect(gammaState.paths.length).toBeLessThan(3);
  });

  it("an empty listing writes nothing", async () => {
    gammaState.keyset = true;
    gammaState.markets = [];
    expect(await syncMarkets({ db, gamma, now: () => T0 })).toMatchObject({ fetched: 0, upserted: 0, pages: 1, mode: "keyset" });
  });
});
