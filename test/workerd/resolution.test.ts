// Market resolution: from the stream's market_resolved and from the REST check the cron runs.
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { botApiControl } from "../../tools/telegram/control-client";
import { notifyResolution } from "../../workers/notify/events";
import { createDb } from "../../workers/db/client";
import { settingsOf } from "../../workers/env";
import { checkResolutions } from "../../workers/markets/resolution";
import { clobClientFor } from "../../workers/polymarket/clob-client";
import { GammaClient } from "../../workers/polymarket/gamma-client";
import { streamerBookSource, streamerStub, streamerSubscriptions } from "../../workers/streamer-client";
import { buildTradingDeps } from "../../workers/trading/deps";
import { seedPosition, seedUser } from "../support/db-seed";
import { claimMarket } from "../support/market-claims";
import { eventually, type PmMarket, polymarketControl } from "../support/polymarket-control";

const pm = polymarketControl(inject("polymarket").controlUrl);
const bot = botApiControl(inject("botApiUrl"));
const settings = settingsOf(env);
const db = createDb(settings).db;
let markets: PmMarket[] = [];

const freshMarket = () => claimMarket(db, markets, {});

async function holder(m: PmMarket, outcomeIndex: 0 | 1) {
  const chatId = 3_000_000_000 + Math.floor(Math.random() * 1e9);
  // The user has talked to the bot (Telegram lets a bot write only to such chats).
  await bot.sendCommand({ id: chatId, first_name: "Holder" }, "/start", undefined, { deliver: false });
  const userId = await seedUser(db, { telegramId: chatId, chatId });
  const positionId = await seedPosition(db, { userId, market: { id: m.id, conditionId: m.conditionId, tokenIds: m.tokenIds, outcomes: m.outcomes }, outcomeIndex, shares: "10", costBasis: "4" });
  return { userId, positionId, chatId };
}

const row = async (id: number) =>
  (await db.execute<{ status: string; realized_pnl: string; close_reason: string }>(sql`SELECT status, realized_pnl, close_reason FROM positions WHERE id = ${id}`)).rows[0]!;

beforeAll(async () => {
  markets = await pm.markets();
});

describe("market resolution", () => {
  it("settles paper positions from the stream's market_resolved and tells the holders", async () => {
    const m = await freshMarket();
    const winner = await holder(m, 0);
    const loser = await holder(m, 1);
    await streamerStub(env).positionOpened(m.tokenIds[0], winner.positionId);
    await eventually(async () => (await streamerStub(env).status()).messages.book, "subscribed");
    await pm.resolve(m.id, 0);
    await eventually(async () => (await row(winner.positionId)).status === "closed", "the winner settled");
    expect(await row(winner.positionId)).toMatchObject({ realized_pnl: "6.000000", close_reason: "resolved" }); // 10 × 1 − 4
    expect(await row(loser.positionId)).toMatchObject({ status: "closed", realized_pnl: "-4.000000" });
    await bot.waitForMessage(winner.chatId, /resolved/i, { timeoutMs: 5_000 });
  });

  it("settles from the REST check when the stream never said so", async () => {
    const m = await freshMarket();
    const h = await holder(m, 1);
    await pm.resolve(m.id, 1); // nobody subscribed: no market_resolved reaches us
    const clob = clobClientFor(settings.CLOB_API_URL);
    const trading = await buildTradingDeps({ settings, db, clob, books: streamerBookSource(env, clob), streamer: streamerSubscriptions(env) });
    const r = await checkResolutions({ trading, clob, gamma: new GammaClient({ baseUrl: settings.GAMMA_API_URL }), notify: (p) => notifyResolution(settings, db, p) }, db);
    expect(r.resolved).toBeGreaterThanOrEqual(1);
    expect(await row(h.positionId)).toMatchObject({ status: "closed", realized_pnl: "6.000000" });
    const mk = await db.execute<{ closed: boolean; resolved_outcome: string }>(sql`SELECT closed, resolved_outcome FROM markets WHERE id = ${m.id}`);
    expect(mk.rows[0]).toEqual({ closed: true, resolved_outcome: m.outcomes[1] });
  });

  it("rotates over every held market, longest unchecked first, within its request budget per run", async () => {
    // 5,000 held markets never checked (the venue does not list them as closed), and a resolved market
    // checked a moment ago: the rotation must reach every one of the 5,000 before it comes back to it,
    // at 1,000 markets a run (one run a minute in the cron), so within 5 minutes plus whatever else is held.
    const run = `rot${Date.now().toString(36)}`;
    const userId = await seedUser(db, {});
    await db.execute(sql`
      INSERT INTO markets (id, condition_id, question, clob_token_ids, outcomes, outcome_prices, source)
      SELECT ${run} || '-' || g, '0x' || lpad(to_hex(g), 58, '0') || substr(md5(${run}), 1, 6), 'Held market ' || g,
        jsonb_build_array(${run} || g || 'y', ${run} || g || 'n'), '["Yes","No"]', '["0.5","0.5"]', 'gamma'
      FROM generate_series(1, 5000) g`);
    await db.execute(sql`
      INSERT INTO positions (user_id, market_id, token_id, outcome, mode, shares, cost_basis, avg_price)
      SELECT ${userId}, ${run} || '-' || g, ${run} || g || 'y', 'Yes', 'paper', 10, 5, 0.5 FROM generate_series(1, 5000) g`);
    const m = await freshMarket();
    const h = await holder(m, 0);
    await db.execute(sql`UPDATE markets SET resolution_checked_at = now() WHERE id = ${m.id}`);
    await pm.resolve(m.id, 0);

    const requests: string[] = [];
    const gamma = new GammaClient({ baseUrl: settings.GAMMA_API_URL, fetch: (url, init) => (requests.push(url), fetch(url, init)) });
    const clob = clobClientFor(settings.CLOB_API_URL);
    const trading = await buildTradingDeps({ settings, db, clob, books: streamerBookSource(env, clob), streamer: streamerSubscriptions(env) });
    const deps = { trading, clob, gamma, notify: (p: Parameters<typeof notifyResolution>[2]) => notifyResolution(settings, db, p) };
    const unchecked = async () => Number((await db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM markets WHERE id LIKE ${`${run}-%`} AND resolution_checked_at IS NULL`)).rows[0]!.n);
    const held = async () => Number((await db.execute<{ n: string }>(sql`SELECT count(DISTINCT market_id) AS n FROM positions WHERE status = 'active'`)).rows[0]!.n);
    const heldAtStart = await held();
    let turns = 0;
    while ((await row(h.positionId)).status !== "closed" && turns < 20) {
      const before = await unchecked();
      requests.length = 0;
      const r = await checkResolutions(deps, db); // the cron's budget: 20 Gamma requests of 50 markets
      turns++;
      expect(requests.length).toBeLessThanOrEqual(20);
      for (const url of requests) expect(new URL(url).searchParams.get("closed")).toBe("true");
      expect(r.checked).toBeLessThanOrEqual(1_000);
      // The resolved market (checked a moment ago) is settled only in a turn that reached the last of the 5,000.
      if ((await row(h.positionId)).status === "closed") expect(before).toBeLessThanOrEqual(1_000);
    }
    expect((await row(h.positionId)).status).toBe("closed");
    expect(await unchecked()).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(turns).toBeLessThanOrEqual(Math.ceil(heldAtStart / 1_000) + 1);
    await db.execute(sql`DELETE FROM positions WHERE market_id LIKE ${`${run}-%`}`);
    await db.execute(sql`DELETE FROM markets WHERE id LIKE ${`${run}-%`}`);
  });
});
