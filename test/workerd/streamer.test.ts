// The streamer against the local Polymarket and the real database: subscriptions, wire protocol,
// liveness (drops, stalls), polling, flushes, outages, shards and resets.
import { env, exports } from "cloudflare:workers";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { garbageFrame } from "../../tools/local-polymarket/garbage";
import { createDb } from "../../workers/db/client";
import { parseMarketFrame } from "../../workers/polymarket/ws-messages";
import { seedPosition, seedUser } from "../support/db-seed";
import { claimMarket, unclaimedMarkets } from "../support/market-claims";
import { eventually, type PmConnection, type PmMarket, polymarketControl } from "../support/polymarket-control";

const pm = polymarketControl(inject("polymarket").controlUrl);
const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }).db;
const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
let markets: PmMarket[] = [];

/** A market no other test in this file touches (random, so other files rarely pick it either). */
const freshMarket = () => claimMarket(db, markets, { tickSize: "0.01" });

const stubNamed = (name: string) => env.STREAMER.getByName(`${name}-${Math.random().toString(36).slice(2, 8)}`);

async function openPosition(m: PmMarket, shares = "100", cost = "40") {
  const dbMarket = { id: m.id, conditionId: m.conditionId, tokenIds: m.tokenIds, outcomes: m.outcomes };
  return seedPosition(db, { userId: await seedUser(db), market: dbMarket, shares, costBasis: cost });
}

/** This object's connections: those carrying any of `tokens`. */
const connectionsWith = async (tokens: string[]) => (await pm.connections()).filter((c) => c.assetIds.some((a) => tokens.includes(a)));
const firstFrame = (c: PmConnection) => JSON.parse(c.inbound[0]!.text) as { assets_ids: string[]; type?: string; operation?: string };

beforeAll(async () => {
  markets = await pm.markets();
});

describe("streamer: subscriptions and live prices", () => {
  it("subscribes after a trade within 5 s, then writes ws prices and P&L within 1.5 s of a move", async () => {
    const m = await freshMarket();
    const positionId = await openPosition(m, "100", "40");
    const stub = stubNamed("live");
    const t0 = Date.now();
    await stub.positionOpened(m.tokenIds[0], positionId);
    const [conn] = await eventually(async () => {
      const cs = await connectionsWith([m.tokenIds[0]]);
      return cs.length && cs[0]!.inbound.length ? cs : undefined;
    }, "a connection carrying the token");
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The first frame on a connection is the full initial subscribe, both outcomes of the market.
    const first = firstFrame(conn!);
    expect(first.type).toBe("market");
    expect(first.assets_ids).toEqual(expect.arrayContaining([...m.tokenIds]));
    await eventually(async () => (await stub.status()).messages.book, "book snapshots");

    const moved = Date.now();
    await pm.move(m.tokenIds[0], "0.61", "0.63");
    const row = await eventually(async () => {
      const r = await db.execute<{ current_price: string; pnl_amount: string; price_source: string }>(
        sql`SELECT id, market_id, current_price, pnl_amount, price_source, updated_at FROM positions WHERE status = 'active' AND id = ${positionId}`,
      );
      return r.rows[0]?.current_price === "0.610000" ? r.rows[0] : undefined;
    }, "the position priced at the new best bid", 5_000, 20);
    expect(Date.now() - moved).toBeLessThan(1_500);
    expect(row).toMatchObject({ pnl_amount: "21.000000", price_source: "ws" }); // 100 × 0.61 − 40
    const mk = await db.execute<{ source: string; outcome_prices: string[] }>(sql`SELECT source, outcome_prices, updated_at FROM markets WHERE id = ${m.id} ORDER BY updated_at DESC LIMIT 1`);
    expect(mk.rows[0]!.source).toBe("ws");
    // Both outcomes' prices, though only one token was asked for: the streamer learned the whole market.
    expect(mk.rows[0]!.outcome_prices).toEqual(["0.62", "0.38"]); // midpoints of 0.61 / 0.63 and 0.37 / 0.39
  });

  it("unsubscribes when the last position on a market closes", async () => {
    const m = await freshMarket();
    const positionId = await openPosition(m);
    const stub = stubNamed("unsub");
    await stub.positionOpened(m.tokenIds[0], positionId);
    await eventually(async () => (await connectionsWith([m.tokenIds[0]])).length, "subscribed");
    await db.execute(sql`UPDATE positions SET status = 'closed' WHERE id = ${positionId}`);
    await stub.positionClosed(m.tokenIds[0], positionId);
    expect((await stub.status()).subscriptions).not.toContain(m.tokenIds[0]);
    await eventually(async () => (await connectionsWith([m.tokenIds[0]])).length === 0, "the venue no longer sending the token");
  });

  it("heals a lost subscribe call by reconciling against Postgres", async () => {
    const m = await freshMarket();
    await openPosition(m); // traded, but the subscribe call never reached the streamer
    const stub = stubNamed("heal");
    await stub.reconcileNow();
    expect((await stub.status()).subscriptions).toEqual(expect.arrayContaining([...m.tokenIds]));
  });
});

describe("streamer: liveness", () => {
  it("resubscribes a dropped connection with the initial frame", async () => {
    const m = await freshMarket();
    const stub = stubNamed("drop");
    await stub.want([m.tokenIds[0]], "test:drop");
    const before = await eventually(async () => (await connectionsWith([m.tokenIds[0]]))[0], "connected");
    await pm.drop();
    const after = await eventually(async () => (await connectionsWith([m.tokenIds[0]])).find((c) => c.id !== before.id && c.inbound.length), "a new connection");
    expect(firstFrame(after)).toMatchObject({ type: "market", assets_ids: expect.arrayContaining([...m.tokenIds]) });
    expect((await stub.status()).reconnects).toBeGreaterThanOrEqual(1);
  });

  it("reconnects a stalled feed (PONG only) at once, and the move it missed reaches the position", async () => {
    const m = await freshMarket();
    const positionId = await openPosition(m);
    const stub = stubNamed("stall");
    await stub.positionOpened(m.tokenIds[0], positionId);
    await eventually(async () => (await stub.status()).healthy, "healthy");
    const reconnectsBefore = (await stub.status()).reconnects;
    // The silent freeze hits one socket (polymarket.md §8): the fresh one the watchdog opens flows.
    const [frozen] = await connectionsWith([m.tokenIds[0]]);
    await pm.stall(7_000, frozen!.id);
    await pm.move(m.tokenIds[0], "0.33", "0.35"); // not sent on the stalled socket; REST sees it
    // The watchdog drops the silent socket and, since it had been up, reconnects within the jitter
    // (#17): the missed move arrives by a poll or by the new socket's snapshot, whichever is first.
    await eventually(async () => {
      const r = await db.execute<{ current_price: string; price_source: string }>(sql`SELECT current_price, price_source FROM positions WHERE id = ${positionId}`);
      return r.rows[0]?.current_price === "0.330000" && ["poll", "ws"].includes(r.rows[0].price_source);
    }, "the missed move pricing the position", 10_000);
    await eventually(async () => (await stub.status()).reconnects > reconnectsBefore, "the watchdog reconnecting", 15_000);
    await pm.move(m.tokenIds[0], "0.36", "0.38");
    await eventually(async () => {
      const r = await db.execute<{ current_price: string; price_source: string }>(sql`SELECT current_price, price_source FROM positions WHERE id = ${positionId}`);
      return r.rows[0]?.current_price === "0.360000" && r.rows[0].price_source === "ws";
    }, "the stream back", 15_000);
    await eventually(async () => !(await stub.status()).poll.active, "polling stopped");
  }, 40_000);

  it("counts garbage frames and keeps working", async () => {
    const m = await freshMarket();
    const stub = stubNamed("garbage");
    await stub.want([m.tokenIds[0]], "test:garbage");
    await eventually(async () => (await stub.status()).messages.book, "snapshots");
    const before = (await stub.status()).parseErrors;
    // Some garbage is well-formed but useless (an empty array, a book for an unknown asset): only
    // what does not parse is an error.
    const expected = Array.from({ length: 40 }, (_, i) => parseMarketFrame(garbageFrame(i), 0).dropped).reduce((a, b) => a + b, 0);
    expect(expected).toBeGreaterThanOrEqual(25);
    await pm.garbage(40);
    await eventually(async () => (await stub.status()).parseErrors - before >= expected, `${expected} parse errors counted`);
    await pm.move(m.tokenIds[0], "0.44", "0.46");
    await eventually(async () => (await stub.quote(m.tokenIds[0]))?.bids[0]?.price === 440_000, "prices still applied");
  });
});

describe("streamer: state and scale", () => {
  it("comes back by itself after a reset (deploy or eviction): its alarm rebuilds the set and reconnects", async () => {
    const m = await freshMarket();
    const name = `reset-${Math.random().toString(36).slice(2, 8)}`;
    const stub = env.STREAMER.getByName(name);
    await stub.want([m.tokenIds[0]], "test:reset");
    await eventually(async () => (await connectionsWith([m.tokenIds[0]])).length, "connected");
    const before = (await stub.status()).startedAt;
    // The watchdog alarm fires every 30 s (sooner while polling); pin it 1 s ahead so the test neither
    // waits for it nor depends on the polling state.
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now() + 1_000));
    // Tear the instance down with its socket, as a deploy does (storage is kept). evictDurableObject()
    // cannot do it: it waits for the object's socket and timers to end, which a wanting streamer never lets.
    const resetAt = Date.now();
    await abortAllDurableObjects();
    // Nobody calls the object now: its alarm starts a new instance, which rebuilds the set from
    // storage and reconnects with the whole set in its first frame.
    const [conn] = await eventually(async () => {
      const cs = (await connectionsWith([m.tokenIds[0]])).filter((c) => c.openedAt >= resetAt && c.inbound.length);
      return cs.length ? cs : undefined;
    }, "a new connection carrying the token, opened by the alarm", 15_000);
    expect(firstFrame(conn!)).toMatchObject({ type: "market", assets_ids: expect.arrayContaining([...m.tokenIds]) });
    const fresh = env.STREAMER.getByName(name);
    const after = await fresh.status();
    expect(after.startedAt).not.toBe(before);
    expect(after.subscriptions).toEqual(expect.arrayContaining([...m.tokenIds]));
    await fresh.unwant([m.tokenIds[0]], "test:reset");
  }, 30_000);

  it("writes the latest prices once Postgres returns after an outage", async () => {
    const m = await freshMarket();
    const positionId = await openPosition(m);
    const stub = stubNamed("outage");
    await stub.positionOpened(m.tokenIds[0], positionId);
    await eventually(async () => (await stub.status()).healthy, "healthy");
    const res = await fetch(`${inject("pgProxyControl")}/outage?ms=3000`, { method: "POST" });
    expect(res.status).toBe(200);
    await pm.move(m.tokenIds[0], "0.52", "0.54");
    await pm.move(m.tokenIds[0], "0.57", "0.59");
    await eventually(async () => (await stub.status()).flush.errors > 0, "a failed flush");
    await eventually(async () => {
      const r = await db.execute<{ current_price: string }>(sql`SELECT current_price FROM positions WHERE id = ${positionId}`);
      return r.rows[0]?.current_price === "0.570000";
    }, "the latest price written after the outage", 15_000);
  }, 30_000);

  it("spreads 1,000 tokens over connections of at most 200", async () => {
    const tokens = (await unclaimedMarkets(db, markets)).slice(0, 500).flatMap((m) => m.tokenIds);
    expect(tokens.length).toBe(1_000);
    const stub = stubNamed("shards");
    await stub.want(tokens, "test:shards");
    const status = await eventually(async () => {
      const s = await stub.status();
      return s.shards.length >= 5 && s.shards.every((x) => x.state === "open") ? s : undefined;
    }, "five open shards", 20_000);
    for (const shard of status.shards) expect(shard.tokens).toBeLessThanOrEqual(200);
    expect(status.subscriptions).toEqual(expect.arrayContaining(tokens));
    await eventually(async () => ((await stub.status()).messages.book ?? 0) >= 1_000, "a snapshot for every token", 20_000);
    await stub.unwant(tokens, "test:shards");
  }, 40_000);
});
