// `npm start`'s stack with no settings: the Worker under wrangler answers /healthz, the admin route
// synced the local Polymarket into `markets`, the operator's SQL (mission.md) runs on its database,
// and TP/SL/trailing exits work through the chat as a trader sets them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeRequire } from "../../tools/dev/node-require";
import { BotUser } from "../../tools/chaos/bot-user";
import { waitUntil } from "../../tools/chaos/harness";
import { priceChangeFrame } from "../../tools/local-polymarket/frames";
import type { MarketInfo } from "../../tools/local-polymarket/types";
import { freePort, type Stack, startStack } from "../../tools/start/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
let stack: Stack;
let dataDir: string;
let startedInMs = 0;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-start-"));
  const t0 = Date.now();
  stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: {}, scenario: "quiet", playgroundPort: 0, quiet: true });
  startedInMs = Date.now() - t0;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start with no settings", () => {
  it("answers GET /healthz with 200 within 60 s", async () => {
    expect(startedInMs).toBeLessThan(60_000);
    const res = await fetch(`${stack.workerUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("synced every active market of the local Polymarket through POST /admin/markets/sync (the MarketSync workflow)", async () => {
    const active = stack.polymarket!.markets().filter((m) => !m.closed).length;
    expect(stack.lines.join("\n")).toMatch(new RegExp(`markets      ${active} active markets synced from Gamma \\(\\d+ pages in [\\d.]+ s\\)`));
    const headers = { authorization: `Bearer ${stack.adminToken}` };
    const again = await fetch(`${stack.workerUrl}/admin/markets/sync`, { method: "POST", headers });
    expect(again.status).toBe(202);
    const { id } = (await again.json()) as { id: string };
    const done = await waitUntil(async () => {
      const s = (await (await fetch(`${stack.workerUrl}/admin/markets/sync?id=${id}`, { headers })).json()) as { status: string; marketsDone: number };
      return s.status === "complete" ? s : undefined;
    }, "the second sync", 60_000);
    expect(done).toMatchObject({ kind: "full", marketsDone: active, closedMarked: 0 });
    // The synchronous form answers the count in the request.
    const now = await fetch(`${stack.workerUrl}/admin/markets/sync?wait=1`, { method: "POST", headers });
    expect(await now.json()).toMatchObject({ ok: true, count: active });
  });

  it("runs the operator's SQL checks as written", async () => {
    const pg = nodeRequire("pg") as typeof import("pg");
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const [m] = stack.polymarket!.markets();
      const one = await client.query(`SELECT source, outcome_prices, updated_at FROM markets WHERE id = '${m!.id}' ORDER BY updated_at DESC LIMIT 1`);
      expect(one.rows[0]).toMatchObject({ source: "gamma" });
      await client.query("SELECT id, source, updated_at, outcome_prices FROM markets WHERE source = 'ws' ORDER BY updated_at DESC LIMIT 5");
      await client.query("SELECT id, market_id, current_price, pnl_amount, updated_at FROM positions WHERE status = 'active' ORDER BY updated_at DESC LIMIT 5");
    } finally {
      await client.end();
    }
  });

  it("registers the webhook and the `/` command menu with the playground, pinned to the Worker", async () => {
    expect(stack.lines.join("\n")).toContain("commands     registered with the playground (/start /markets /search /positions /wallet /settings /help)");
    expect(stack.playground!.botApi.myCommands(undefined, undefined).map((c) => c.command)).toEqual(["start", "markets", "search", "positions", "wallet", "settings", "help"]);
    // A leaked ADMIN_TOKEN alone cannot re-point the webhook.
    const refused = await fetch(`${stack.workerUrl}/admin/telegram/webhook`, { method: "POST", headers: { authorization: `Bearer ${stack.adminToken}` }, body: JSON.stringify({ url: "https://attacker.example/hook" }) });
    expect(refused.status).toBe(403);
    expect(stack.playground!.botApi.webhookInfo().url).toBe(`${stack.workerUrl}/telegram/webhook`);
  });

  it("wires the local relayer: a generated wallet is a deposit wallet the bot deploys and approves", async () => {
    expect(stack.lines.join("\n")).toContain(`relayer      ${stack.polymarket!.relayerUrl} (deposit wallets; new-account rule off)`);
    const u = BotUser.make({ botApi: stack.playground!.botApi }, 7_310_000_100, "Deposit");
    await u.command("start");
    await u.command("wallet");
    await u.press({ label: "Generate wallet", messageId: u.lastBot()!.id });
    const confirm = u.lastBot()!;
    await u.press({ label: "Generate", messageId: confirm.id });
    const done = await waitUntil(() => u.message(confirm.id)?.text.includes("Your deposit wallet is deployed and approved") && u.message(confirm.id), "the deposit wallet set up", 30_000, 200);
    const wallet = /Deposit wallet \(signature type 3\): (0x[0-9a-fA-F]{40})/.exec(done.text)?.[1];
    expect(wallet).toBeDefined();
    expect(stack.polymarket!.relayerTransactions().filter((t) => t.wallet.toLowerCase() === wallet!.toLowerCase()).map((t) => `${t.type} ${t.state}`)).toEqual(["WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
  }, 60_000);

  it("keeps the admin routes behind the token", async () => {
    expect((await fetch(`${stack.workerUrl}/admin/anything`)).status).toBe(401);
    expect((await fetch(`${stack.workerUrl}/admin/streamer`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).status).toBe(200);
  });
});

// TP/SL through the running product, as a trader uses it: levels set in the chat, prices moved on the
// local Polymarket, the exits seen in the chat, the database and the venue's subscriptions.
describe("exits through npm start", () => {
  const users = { tp: 7_310_000_001, sl: 7_310_000_002, trail: 7_310_000_003, dup: 7_310_000_004, race: 7_310_000_005, poll: 7_310_000_006, prices: 7_310_000_007 };
  let pg: import("pg").Pool;
  let markets: MarketInfo[];
  const bot = () => ({ botApi: stack.playground!.botApi });
  const lp = () => stack.polymarket!;

  beforeAll(async () => {
    const { Pool } = nodeRequire("pg") as typeof import("pg");
    pg = new Pool({ connectionString: stack.databaseUrl, max: 2 });
    // Yes/No markets (every seeded tick divides a cent), none of them traded by another test in this file.
    markets = lp().markets().filter((m) => !m.closed && m.outcomes.join("/") === "Yes/No").slice(-Object.keys(users).length);
    expect(markets).toHaveLength(Object.keys(users).length);
    for (const m of markets) lp().movePrice(m.tokenIds[0], { bid: "0.50", ask: "0.52", size: "5000" });
  });
  afterAll(() => pg?.end());

  /** /start, the market by its link, $10 of Yes confirmed: the filled message. */
  async function buy(id: number, m: MarketInfo): Promise<{ u: BotUser; messageId: number }> {
    const u = BotUser.make(bot(), id, "Exit");
    await u.command("start");
    const p = await u.preview(m);
    expect((await u.trade({ callbackData: p.confirmData, messageId: p.messageId })).outcome).toBe("done");
    expect(u.message(p.messageId)!.text).toContain("Bought");
    return { u, messageId: p.messageId };
  }

  const said = (u: BotUser, text: string) =>
    waitUntil(() => u.chat()?.messages.find((x) => x.from === "bot" && x.text.includes(text)), `"${text}" in chat ${u.id}`, 20_000);

  /** The level typed after its button; answers the reply (the position card). */
  async function level(u: BotUser, messageId: number, button: "Take profit" | "Stop loss", typed: string, reply: string) {
    await u.press({ label: button, messageId });
    await u.say(typed);
    return said(u, reply);
  }

  const positionOf = async (telegramId: number) =>
    (await pg.query<{ id: string; status: string; close_reason: string | null }>("SELECT p.id, p.status, p.close_reason FROM positions p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = $1", [telegramId])).rows;
  const closedBy = (telegramId: number, reason?: string) =>
    waitUntil(async () => {
      const [p] = await positionOf(telegramId);
      return p?.status === "closed" && (reason === undefined || p.close_reason === reason) ? p : undefined;
    }, `user ${telegramId}'s position closed${reason ? ` by ${reason}` : ""}`, 20_000);
  const sells = async (positionId: string) =>
    Number((await pg.query("SELECT count(*) AS n FROM orders WHERE position_id = $1 AND side = 'SELL' AND status IN ('filled', 'partially_filled')", [positionId])).rows[0].n);
  const carried = (m: MarketInfo) => lp().connections().some((c) => m.tokenIds.some((t) => c.assetIds.includes(t)));

  it("after a move on one outcome, the operator's SQL shows both outcomes' prices from the stream", async () => {
    const m = markets[6]!;
    await buy(users.prices, m);
    await waitUntil(() => carried(m), "the market subscribed at the venue", 10_000);
    lp().movePrice(m.tokenIds[0], { bid: "0.61", ask: "0.63", size: "5000" }); // Yes only; No mirrors it at 0.37 / 0.39
    const row = await waitUntil(async () => {
      const r = await pg.query<{ source: string; outcome_prices: string[] }>(`SELECT source, outcome_prices, updated_at FROM markets WHERE id = '${m.id}' ORDER BY updated_at DESC LIMIT 1`);
      return r.rows[0]?.source === "ws" && r.rows[0].outcome_prices[0] === "0.62" ? r.rows[0] : undefined;
    }, "the market priced from the stream", 10_000);
    expect(row.outcome_prices).toEqual(["0.62", "0.38"]);
  }, 60_000);

  it("a take profit, a stop loss and a trailing stop each close their position, tell the user and unsubscribe", async () => {
    const [mTp, mSl, mTrail] = markets;
    const [tp, sl, trail] = await Promise.all([buy(users.tp, mTp!), buy(users.sl, mSl!), buy(users.trail, mTrail!)]);
    await level(tp.u, tp.messageId, "Take profit", "60¢", "Take profit set: 60¢");
    await level(sl.u, sl.messageId, "Stop loss", "40¢", "Stop loss set: 40¢");
    await trail.u.press({ label: "View position", messageId: trail.messageId });
    await trail.u.press({ label: "Trailing stop", messageId: trail.messageId });
    await trail.u.press({ label: "5¢", messageId: trail.messageId });
    await said(trail.u, "Trailing stop set: 5¢ below the high");
    expect(markets.slice(0, 3).every(carried)).toBe(true);

    lp().movePrice(mTp!.tokenIds[0], { bid: "0.61", ask: "0.62", size: "5000" });
    lp().movePrice(mSl!.tokenIds[0], { bid: "0.39", ask: "0.41", size: "5000" });
    // The trail follows the high (58¢, so 53¢), and fires when the bid falls to it.
    lp().movePrice(mTrail!.tokenIds[0], { bid: "0.58", ask: "0.59", size: "5000" });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await positionOf(users.trail))[0]!.status).toBe("active");
    lp().movePrice(mTrail!.tokenIds[0], { bid: "0.53", ask: "0.54", size: "5000" });

    for (const [id, reason] of [[users.tp, "take_profit"], [users.sl, "stop_loss"], [users.trail, "trailing_stop"]] as const) {
      const p = await closedBy(id, reason);
      expect(await sells(p.id)).toBe(1);
    }
    expect((await said(tp.u, "Take profit hit: sold")).text).toContain("The best bid reached 61¢");
    expect((await said(sl.u, "Stop loss hit: sold")).text).toContain("The best bid reached 39¢");
    expect((await said(trail.u, "Trailing stop hit: sold")).text).toContain("The best bid reached 53¢");
    await waitUntil(() => !markets.slice(0, 3).some(carried), "the three markets unsubscribed at the venue", 10_000);
  }, 90_000);

  it("the same crossing delivered twice, and a crossing racing a manual Sell all, sell once", async () => {
    const [, , , mDup, mRace] = markets;
    const [dup, race] = await Promise.all([buy(users.dup, mDup!), buy(users.race, mRace!)]);
    await level(dup.u, dup.messageId, "Take profit", "60¢", "Take profit set: 60¢");
    // The reply is the position card, with its Sell buttons.
    const card = await level(race.u, race.messageId, "Take profit", "60¢", "Take profit set: 60¢");
    lp().movePrice(mDup!.tokenIds[0], { bid: "0.61", ask: "0.62", size: "5000" });
    // The same crossing again, as a replayed frame, and once more as a fresh one.
    lp().emit(priceChangeFrame(mDup!.conditionId, [{ assetId: mDup!.tokenIds[0], price: 610_000n, size: 5_000_000_000n, side: "BUY", hash: "replayed", bestBid: 610_000n, bestAsk: 620_000n }], Date.now()));
    lp().movePrice(mDup!.tokenIds[0], { bid: "0.62", ask: "0.63", size: "5000" });
    // The manual sale previews, then its Confirm races the crossing.
    await race.u.press({ label: "Sell all", messageId: card.id });
    const selling = race.u.press({ label: "Confirm", messageId: card.id });
    lp().movePrice(mRace!.tokenIds[0], { bid: "0.61", ask: "0.62", size: "5000" });
    await selling;

    const dupPos = await closedBy(users.dup, "take_profit");
    const racePos = await closedBy(users.race);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await sells(dupPos.id)).toBe(1);
    expect(await sells(racePos.id)).toBe(1);
    expect(lp().orders()).toHaveLength(0); // paper mode: nothing reaches the venue
  }, 90_000);

  it("with the socket dropped and the venue refusing it, the poll fires the stop", async () => {
    const m = markets[5]!;
    const { u, messageId } = await buy(users.poll, m);
    await level(u, messageId, "Stop loss", "40¢", "Stop loss set: 40¢");
    const refuse = lp().faults.add({ kind: "error", route: "/ws/market", status: 503, durationMs: 15_000 });
    try {
      lp().faults.drop();
      lp().movePrice(m.tokenIds[0], { bid: "0.39", ask: "0.41", size: "5000" });
      const p = await closedBy(users.poll, "stop_loss");
      expect(await sells(p.id)).toBe(1);
      // The fire's record is written after the sale settles and before the user is told, so the
      // message is the moment to read it (the position closes a little earlier).
      expect((await said(u, "Stop loss hit: sold")).text).toContain("The best bid reached 39¢");
      const fired = (await pg.query("SELECT price_source FROM trigger_events WHERE position_id = $1 AND outcome = 'sold'", [p.id])).rows;
      expect(fired.map((r) => r.price_source)).toEqual([expect.stringMatching(/^(poll|rest)$/)]);
    } finally {
      lp().faults.clear(refuse.id);
    }
  }, 60_000);
});
