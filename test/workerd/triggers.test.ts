// TP/SL end to end inside workerd: levels set through the trigger service, mirrored into the
// streamer, fired by the local Polymarket's moves, sold exactly once through paper trading.
import { env, exports } from "cloudflare:workers";
import { abortAllDurableObjects } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../workers/db/client";
import { settingsOf } from "../../workers/env";
import { fromMicros, toMicros } from "../../workers/money/micros";
import { streamerBookSource, streamerStub, streamerSubscriptions, streamerTriggerMirror } from "../../workers/streamer-client";
import { clobClientFor } from "../../workers/polymarket/clob-client";
import { buildTradingDeps } from "../../workers/trading/deps";
import { executeSell } from "../../workers/trading/execute-sell";
import { setTrigger } from "../../workers/triggers/service";
import { seedPosition, seedUser } from "../support/db-seed";
import { claimMarket } from "../support/market-claims";
import { eventually, type PmMarket, polymarketControl } from "../support/polymarket-control";

const pm = polymarketControl(inject("polymarket").controlUrl);
const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }).db;
const settings = settingsOf(env);
const triggerDeps = { db, mirror: streamerTriggerMirror(env) };
let markets: PmMarket[] = [];

const freshMarket = () => claimMarket(db, markets, { tickSize: "0.01" });

/** A deep book around `bid` on the YES token (the NO side mirrors it). */
async function deepBook(m: PmMarket, bid: string): Promise<void> {
  const b = toMicros(bid);
  const level = (p: bigint) => fromMicros(p, 2);
  const bids: [string, string][] = [0n, 1n, 2n, 3n].map((i) => [level(b - i * 10_000n), "5000"]);
  const asks: [string, string][] = [1n, 2n, 3n, 4n].map((i) => [level(b + i * 10_000n), "5000"]);
  await pm.setBook(m.tokenIds[0], bids, asks);
}

async function position(m: PmMarket, shares = "100", cost = "50") {
  const userId = await seedUser(db);
  const positionId = await seedPosition(db, { userId, market: { id: m.id, conditionId: m.conditionId, tokenIds: m.tokenIds, outcomes: m.outcomes }, shares, costBasis: cost });
  await streamerStub(env).positionOpened(m.tokenIds[0], positionId);
  await eventually(async () => (await streamerStub(env).quote(m.tokenIds[0]))?.bids.length, "the streamer holding the book");
  return { userId, positionId };
}

const positionRow = async (id: number) =>
  (await db.execute<{ status: string; realized_pnl: string; close_reason: string | null }>(sql`SELECT status, realized_pnl, close_reason FROM positions WHERE id = ${id}`)).rows[0]!;
const sells = async (positionId: number) =>
  (await db.execute<{ n: string }>(sql`SELECT count(*)::text AS n FROM orders WHERE position_id = ${positionId} AND side = 'SELL' AND status IN ('filled', 'partially_filled')`)).rows[0]!.n;
const events = async (positionId: number) =>
  (await db.execute<{ outcome: string; price_source: string; latency_ms: string; reason: string }>(sql`SELECT outcome, price_source, latency_ms, reason FROM trigger_events WHERE position_id = ${positionId} ORDER BY id`)).rows;

const frozenCount = (metrics: string) => Number(/^polycool_frozen_feed_tokens_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1] ?? 0);

beforeAll(async () => {
  markets = await pm.markets();
});

describe("TP/SL through the streamer", () => {
  it("a take profit closes the position once, records the fire and unsubscribes", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    const set = await setTrigger(triggerDeps, { userId, positionId, kind: "take_profit", spec: "0.60" });
    expect(set.ok).toBe(true);
    await deepBook(m, "0.61");
    await eventually(async () => (await positionRow(positionId)).status === "closed", "the position closed");
    expect(await positionRow(positionId)).toMatchObject({ close_reason: "take_profit" });
    expect(await sells(positionId)).toBe("1");
    await eventually(async () => (await events(positionId)).length > 0, "the fire recorded");
    const [ev] = await events(positionId);
    expect(ev).toMatchObject({ outcome: "sold", price_source: "ws" });
    expect(Number(ev!.latency_ms)).toBeGreaterThan(0);
    // The same crossing again (a second frame) sells nothing more.
    await deepBook(m, "0.62");
    await deepBook(m, "0.61");
    expect(await sells(positionId)).toBe("1");
    await eventually(async () => !(await streamerStub(env).status()).subscriptions.includes(m.tokenIds[0]), "the token unsubscribed");
  });

  it("a stop loss and a crossing racing a manual sell: exactly one sale", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "stop_loss", spec: "-20%" })).ok).toBe(true); // 0.50 entry → 0.40
    const clob = clobClientFor(settings.CLOB_API_URL);
    const trading = await buildTradingDeps({ settings, db, clob, books: streamerBookSource(env, clob), streamer: streamerSubscriptions(env) });
    const manual = executeSell(trading, { userId, positionId, shares: "all", reason: "manual" });
    await deepBook(m, "0.39");
    await manual;
    await eventually(async () => (await positionRow(positionId)).status === "closed", "closed");
    expect(await sells(positionId)).toBe("1");
  });

  it("a trailing stop follows the high and fires the trail below it", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "trailing_stop", spec: "5¢" })).ok).toBe(true);
    await deepBook(m, "0.58"); // high water 0.58 → stop at 0.53
    await deepBook(m, "0.54");
    expect((await positionRow(positionId)).status).toBe("active");
    await deepBook(m, "0.53");
    await eventually(async () => (await positionRow(positionId)).status === "closed", "closed by the trailing stop");
    expect(await positionRow(positionId)).toMatchObject({ close_reason: "trailing_stop" });
  });

  it("a sell that cannot fill within the bound re-arms the trigger and says why", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "take_profit", spec: "0.60" })).ok).toBe(true);
    // One tiny bid at 0.61, nothing else within 5%: no sellable depth for a FOK-sized exit below $1.
    await pm.setBook(m.tokenIds[0], [["0.61", "1"]], [["0.70", "100"]]);
    await eventually(async () => (await events(positionId)).length > 0, "a recorded attempt");
    const [ev] = await events(positionId);
    expect(["sell_failed", "partially_sold"]).toContain(ev!.outcome);
    await eventually(async () => {
      const r = await db.execute<{ status: string }>(sql`SELECT status FROM triggers WHERE position_id = ${positionId} AND kind = 'take_profit' ORDER BY id DESC LIMIT 1`);
      return r.rows[0]?.status === "armed";
    }, "the trigger armed again");
  });

  it("triggers survive a reset of the streamer and still fire", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "take_profit", spec: "0.55" })).ok).toBe(true);
    await abortAllDurableObjects();
    await eventually(async () => (await streamerStub(env).status()).triggers.armed > 0, "triggers rebuilt");
    await eventually(async () => (await streamerStub(env).quote(m.tokenIds[0]))?.bids.length, "the book again");
    await deepBook(m, "0.56");
    await eventually(async () => (await positionRow(positionId)).status === "closed", "closed after the reset");
  });

  it("a frozen feed (PONG answered, no data) is caught by the REST cross-check inside the stale limit, and acted on", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "stop_loss", spec: "0.45" })).ok).toBe(true);
    const frozenBefore = frozenCount(await streamerStub(env).metricsText());
    await pm.stall(10_000);
    const t0 = Date.now();
    await deepBook(m, "0.44"); // visible over REST only
    await eventually(async () => (await positionRow(positionId)).status === "closed", "closed from the REST cross-check", 15_000);
    const ms = Date.now() - t0;
    expect(frozenCount(await streamerStub(env).metricsText())).toBeGreaterThan(frozenBefore);
    expect(ms).toBeLessThan(settings.STREAMER_STALE_MS);
    await pm.unstall();
  }, 30_000);

  it("fires from polled prices while the stream is stalled, after confirming them", async () => {
    const m = await freshMarket();
    await deepBook(m, "0.50");
    const { userId, positionId } = await position(m);
    expect((await setTrigger(triggerDeps, { userId, positionId, kind: "stop_loss", spec: "0.45" })).ok).toBe(true);
    await pm.stall(8_000);
    await deepBook(m, "0.44");
    await eventually(async () => (await positionRow(positionId)).status === "closed", "closed from polled prices", 15_000);
    // The fire is recorded after the sale settles: wait for its row rather than race it.
    await eventually(async () => (await events(positionId)).some((e) => e.outcome === "sold"), "the fire recorded", 5_000);
    const sold = (await events(positionId)).find((e) => e.outcome === "sold");
    expect(["poll", "rest"]).toContain(sold!.price_source);
  }, 30_000);
});
