import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { fromMicros, toMicroInt, toMicros } from "../money/micros";
import { simulateMarketOrder } from "../polymarket/market-price";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { worstPrice } from "./pricing";
import type { TradeResult } from "./results";
import { book, testDeps, testId } from "../../test/support/trading";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const m = (s: string) => toMicros(s);
const cashOf = async (userId: number) =>
  (await db.execute<{ paper_cash: string }>(sql`SELECT paper_cash FROM users WHERE id = ${userId}`)).rows[0]!.paper_cash;
const ordersOf = async (userId: number) =>
  (await db.execute<{ client_order_id: string; status: string; side: string; error_code: string | null }>(
    sql`SELECT client_order_id, status, side, error_code FROM orders WHERE user_id = ${userId} ORDER BY id`,
  )).rows;

function filled(r: TradeResult) {
  if (r.status !== "filled" && r.status !== "partially_filled") throw new Error(`expected a fill, got ${JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
  return r;
}

async function setup(sides: Parameters<typeof book>[1] = { asks: [["0.50", "100"], ["0.52", "100"]], bids: [["0.48", "100"], ["0.47", "100"]] }) {
  const deps = testDeps(db);
  const market = await seedMarket(db);
  const userId = await seedUser(db);
  const tokenId = market.tokenIds[0];
  deps.books.set(book(tokenId, sides));
  return { deps, market, userId, tokenId };
}

describe("paper buys", () => {
  it("fill exactly as simulateMarketOrder, pay from paper cash, open a position and tell the streamer", async () => {
    const { deps, userId, tokenId } = await setup();
    const intentId = testId();
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("75"), orderType: "FOK", intentId }));
    // 100 shares at 0.50 = 50, then 25 / 0.52 = 48.076923 shares (floor: never more than paid for)
    expect([r.status, fromMicros(r.shares), fromMicros(r.usdc), fromMicros(r.avgPrice), fromMicros(r.worstPrice)]).toEqual([
      "filled", "148.076923", "75", "0.506494", "0.52",
    ]);
    expect(r.position).toMatchObject({ status: "active", shares: m("148.076923"), costBasis: m("75"), mode: "paper" });
    expect(await cashOf(userId)).toBe("925.000000");
    expect(await ordersOf(userId)).toEqual([{ client_order_id: `buy:${intentId}`, status: "filled", side: "BUY", error_code: null }]);
    expect(deps.streamer.events).toEqual([{ what: "opened", tokenId, positionId: r.position.id }]);
  });

  it("a double tap on one confirmed preview buys once; the other tap sees that fill or 'in flight'", async () => {
    const { deps, userId, tokenId } = await setup();
    const intentId = testId();
    const [a, b] = await Promise.all([
      executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK", intentId }),
      executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK", intentId }),
    ]);
    const fills = [a, b].filter((r) => r.status === "filled");
    expect(fills.length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) expect(["filled", "in_flight"]).toContain(r.status);
    expect(await ordersOf(userId)).toHaveLength(1);
    expect(await cashOf(userId)).toBe("990.000000");
    const again = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK", intentId }));
    expect(again.orderId).toBe(filled(fills[0]!).orderId);
  });

  it("grows the position with a weighted entry on a second buy", async () => {
    const { deps, userId, tokenId } = await setup({ asks: [["0.40", "1000"]] });
    await executeBuy(deps, { userId, tokenId, amountUsdc: m("40"), orderType: "FOK" });
    deps.books.set(book(tokenId, { asks: [["0.60", "1000"]] }));
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("30"), orderType: "FOK" }));
    expect([fromMicros(r.position.shares), fromMicros(r.position.costBasis), fromMicros(r.position.avgPrice)]).toEqual(["150", "70", "0.466667"]);
  });

  it("FAK fills what the book holds within the bound; FOK refuses and records nothing", async () => {
    const { deps, userId, tokenId } = await setup({ asks: [["0.50", "10"], ["0.60", "1000"]] });
    const fok = await executeBuy(deps, { userId, tokenId, amountUsdc: m("20"), orderType: "FOK", slippageBps: 500 });
    expect(fok).toMatchObject({ status: "rejected", reason: "fok_not_filled" });
    expect(await ordersOf(userId)).toEqual([]);
    const fak = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("20"), orderType: "FAK", slippageBps: 500 }));
    expect([fak.status, fromMicros(fak.shares), fromMicros(fak.usdc)]).toEqual(["partially_filled", "10", "5"]);
    expect(await cashOf(userId)).toBe("995.000000");
    expect((await ordersOf(userId))[0]!.status).toBe("partially_filled");
  });

  it("respects the slippage bound from the price the user was shown", async () => {
    const { deps, userId, tokenId } = await setup({ asks: [["0.55", "1000"]] });
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FAK", referencePrice: m("0.50"), slippageBps: 500 });
    expect(r).toMatchObject({ status: "rejected", reason: "slippage_exceeded" });
    expect(r.status === "rejected" && r.message).toContain("52¢");
    const ok = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FAK", referencePrice: m("0.50"), slippageBps: 1000 }));
    expect(ok.worstPrice).toBe(m("0.55"));
  });

  it.each([
    ["0.999999", "below_minimum"],
    ["1.009", "filled"],
    ["0", "invalid_request"],
    ["2000", "insufficient_balance"],
  ])("amount %s → %s", async (amount, want) => {
    const { deps, userId, tokenId } = await setup();
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m(amount), orderType: "FAK", slippageBps: 5000 });
    expect(r.status === "rejected" ? r.reason : r.status).toBe(want);
    if (want === "filled") expect(filled(r).usdc).toBe(m("1"));
  });

  it("refuses closed markets, unknown tokens and empty books with clear reasons", async () => {
    const { deps, userId, tokenId } = await setup({ bids: [["0.4", "10"]] });
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FOK" })).toMatchObject({ reason: "no_liquidity" });
    expect(await executeBuy(deps, { userId, tokenId: "123", amountUsdc: m("5"), orderType: "FOK" })).toMatchObject({ reason: "market_unknown" });
    const closed = await seedMarket(db, { acceptingOrders: false });
    deps.books.set(book(closed.tokenIds[0], { asks: [["0.5", "100"]] }));
    const r = await executeBuy(deps, { userId, tokenId: closed.tokenIds[0], amountUsdc: m("5"), orderType: "FOK" });
    expect(r).toMatchObject({ status: "rejected", reason: "market_closed", message: expect.stringContaining("not accepting orders") });
  });

  it("gives a never-funded user the start balance before the first trade", async () => {
    const deps = testDeps(db, { paperStartBalance: m("250") });
    const market = await seedMarket(db);
    const userId = await seedUser(db, { paperCash: "0", paperDeposits: "0" });
    deps.books.set(book(market.tokenIds[0], { asks: [["0.5", "100"]] }));
    filled(await executeBuy(deps, { userId, tokenId: market.tokenIds[0], amountUsdc: m("10"), orderType: "FOK" }));
    const u = (await db.execute<{ paper_cash: string; paper_deposits: string }>(sql`SELECT paper_cash, paper_deposits FROM users WHERE id = ${userId}`)).rows[0];
    expect(u).toEqual({ paper_cash: "240.000000", paper_deposits: "250.000000" });
  });

  it("matches simulateMarketOrder on random books (shares, USDC, FOK/FAK outcome)", async () => {
    const { deps, userId, tokenId } = await setup();
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 40; i++) {
      const levels: Array<[string, string]> = [];
      let p = 20 + Math.floor(rand() * 50);
      for (let k = 0; k < 1 + Math.floor(rand() * 6) && p < 99; k++, p += 1 + Math.floor(rand() * 4)) {
        levels.push([`0.${String(p).padStart(2, "0")}`, `${1 + Math.floor(rand() * 200)}.${String(Math.floor(rand() * 100)).padStart(2, "0")}`]);
      }
      deps.books.set(book(tokenId, { asks: levels }));
      const amount = BigInt(1 + Math.floor(rand() * 19)) * 1_000_000n + BigInt(Math.floor(rand() * 100)) * 10_000n;
      const orderType = rand() < 0.5 ? "FOK" : "FAK";
      const bps = Math.floor(rand() * 1500);
      const r = await executeBuy(deps, { userId, tokenId, amountUsdc: amount, orderType, slippageBps: bps });
      const limit = worstPrice("BUY", m(levels[0]![0]), bps, "0.01");
      const sim = simulateMarketOrder({ side: "BUY", levels: levels.map(([p2, s]) => ({ price: toMicroInt(p2), size: toMicroInt(s) })), amount, limitPrice: Number(limit), orderType });
      if (sim.ok) {
        const f = filled(r);
        expect([f.shares, f.usdc, f.status === "filled"]).toEqual([sim.filledShares, sim.filledUsdc, sim.complete]);
      } else {
        expect(r).toMatchObject({ status: "rejected", reason: sim.reason === "fok_not_filled" ? "fok_not_filled" : "slippage_exceeded" });
      }
    }
  });
});

describe("paper sells", () => {
  async function holding() {
    const s = await setup({ asks: [["0.40", "1000"]], bids: [["0.60", "30"], ["0.55", "1000"]] });
    const buy = filled(await executeBuy(s.deps, { userId: s.userId, tokenId: s.tokenId, amountUsdc: m("40"), orderType: "FOK" }));
    return { ...s, positionId: buy.position.id };
  }

  it("a partial sell takes cost pro rata, realises P&L and pays cash", async () => {
    const { deps, userId, positionId } = await holding();
    const r = filled(await executeSell(deps, { userId, positionId, shares: { fractionBps: 5000 }, reason: "manual", slippageBps: 1000 }));
    // 50 of 100 shares: 30 at 0.60 + 20 at 0.55 = 29; cost portion 20
    expect([fromMicros(r.shares), fromMicros(r.usdc), fromMicros(r.realizedPnl!)]).toEqual(["50", "29", "9"]);
    expect(r.position).toMatchObject({ status: "active", shares: m("50"), costBasis: m("20"), realizedPnl: m("9"), claimId: null });
    expect(await cashOf(userId)).toBe("989.000000");
  });

  it("a full sell closes the position and tells the streamer", async () => {
    const { deps, userId, positionId, tokenId } = await holding();
    const r = filled(await executeSell(deps, { userId, positionId, shares: "all", reason: "take_profit", slippageBps: 1000 }));
    expect(r.position).toMatchObject({ status: "closed", shares: 0n, costBasis: 0n, closeReason: "take_profit" });
    expect(fromMicros(r.realizedPnl!)).toBe("16.5"); // 30 × 0.60 + 70 × 0.55 − 40
    expect(deps.streamer.events.at(-1)).toEqual({ what: "closed", tokenId, positionId });
    expect(await executeSell(deps, { userId, positionId, shares: "all", reason: "manual" })).toMatchObject({ reason: "position_closed" });
  });

  it("a refused sell gives the position back (active, no claim)", async () => {
    const { deps, userId, positionId, tokenId } = await holding();
    deps.books.set(book(tokenId, { bids: [["0.01", "1000"]] }));
    const tiny = await executeSell(deps, { userId, positionId, shares: m("5"), reason: "manual", slippageBps: 0 });
    expect(tiny).toMatchObject({ status: "rejected", reason: "below_minimum" });
    deps.books.set(book(tokenId, { bids: [] }));
    expect(await executeSell(deps, { userId, positionId, shares: "all", reason: "stop_loss" })).toMatchObject({ reason: "no_liquidity" });
    deps.books.set(book(tokenId, { bids: [["0.30", "10"]] }));
    const fok = await executeSell(deps, { userId, positionId, shares: "all", reason: "manual", orderType: "FOK", slippageBps: 0 });
    expect(fok).toMatchObject({ status: "rejected", reason: "fok_not_filled" });
    const p = (await db.execute(sql`SELECT status, claim_id FROM positions WHERE id = ${positionId}`)).rows[0];
    expect(p).toEqual({ status: "active", claim_id: null });
    expect((await ordersOf(userId)).map((o) => [o.side, o.status, o.error_code])).toEqual([["BUY", "filled", null], ["SELL", "rejected", "fok_not_filled"]]);
  });

  it("refuses a sell of someone else's position as not found", async () => {
    const { deps, positionId } = await holding();
    const other = await seedUser(db);
    expect(await executeSell(deps, { userId: other, positionId, shares: "all", reason: "manual" })).toMatchObject({ reason: "position_not_found" });
  });
});
