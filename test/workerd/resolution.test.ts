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
    const r = await checkResolutions({ trading, clob, notify: (p) => notifyResolution(settings, db, p) }, db);
    expect(r.resolved).toBeGreaterThanOrEqual(1);
    expect(await row(h.positionId)).toMatchObject({ status: "closed", realized_pnl: "6.000000" });
    const mk = await db.execute<{ closed: boolean; resolved_outcome: string }>(sql`SELECT closed, resolved_outcome FROM markets WHERE id = ${m.id}`);
    expect(mk.rows[0]).toEqual({ closed: true, resolved_outcome: m.outcomes[1] });
  });
});
