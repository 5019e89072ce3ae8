// Paper fills on a fee-enabled market charge exactly what the venue would, level by level, takers only.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { book, testDeps } from "../../test/support/trading";
import { fillFee } from "../../tools/local-polymarket/fees";
import { feeScheduleOf, fitBuyToBudget } from "../money/fees";
import { fromMicros, toMicros } from "../money/micros";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import type { TradeResult } from "./results";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const m = (s: string) => toMicros(s);
const row = async (q: ReturnType<typeof sql>) => (await db.execute(q)).rows[0] as Record<string, string>;
const cashOf = async (userId: number) => (await row(sql`SELECT paper_cash FROM users WHERE id = ${userId}`)).paper_cash;

function filled(r: TradeResult) {
  if (r.status !== "filled" && r.status !== "partially_filled") throw new Error(`expected a fill, got ${r.status}`);
  return r;
}

async function setup(rate: string, exponent: number, sides: Parameters<typeof book>[1], cash = "1000") {
  const deps = testDeps(db);
  const market = await seedMarket(db, { feeRate: rate, feeExponent: exponent });
  const userId = await seedUser(db, { paperCash: cash, paperDeposits: cash });
  const tokenId = market.tokenIds[0];
  deps.books.set(book(tokenId, sides));
  return { deps, userId, tokenId };
}

describe("paper fees on a fee-enabled market (rate 0.07, exponent 1)", () => {
  const sides = { asks: [["0.50", "100"], ["0.52", "100"]], bids: [["0.48", "100"], ["0.47", "100"]] } as Parameters<typeof book>[1];

  it("a buy pays notional + the fee of each level; the position's cost and the ledger include it", async () => {
    const { deps, userId, tokenId } = await setup("0.07", 1, sides);
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("75"), orderType: "FOK" }));
    // 100 @ 0.50: 100 × 0.07 × 0.25 = 1.75; 48.076923 @ 0.52: × 0.07 × 0.2496 = 0.8399999... → 0.84000
    expect([fromMicros(r.shares), fromMicros(r.usdc), fromMicros(r.fees)]).toEqual(["148.076923", "75", "2.59"]);
    // The venue's own arithmetic (the local Polymarket) agrees fill by fill.
    const venue = fillFee(m("100"), m("0.50"), { rate: "0.07", exponent: 1 }) + fillFee(m("48.076923"), m("0.52"), { rate: "0.07", exponent: 1 });
    expect(r.fees).toBe(venue);
    expect(r.position.costBasis).toBe(m("77.59"));
    expect(await cashOf(userId)).toBe("922.410000");
    const order = await row(sql`SELECT fees, filled_amount FROM orders WHERE id = ${r.orderId}`);
    expect([order.fees, order.filled_amount]).toEqual(["2.590000", "75.000000"]);
  });

  it("a sell receives proceeds − fee; realised P&L counts both fees", async () => {
    const { deps, userId, tokenId } = await setup("0.07", 1, sides);
    const buy = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("75"), orderType: "FOK" }));
    const r = filled(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" }));
    // 100 @ 0.48 → 48 (fee 1.7472); 48.07 @ 0.47 → 22.5929 (fee 48.07 × 0.07 × 0.2491 = 0.83820...) — venue keeps 2 decimals of the shares
    const fee = fillFee(m("100"), m("0.48"), { rate: "0.07", exponent: 1 }) + fillFee(r.shares - m("100"), m("0.47"), { rate: "0.07", exponent: 1 });
    expect(r.fees).toBe(fee);
    expect(fromMicros(r.shares)).toBe("148.07");
    expect(fromMicros(r.usdc)).toBe("70.5929");
    expect(fromMicros(r.fees)).toBe("2.5854");
    expect(r.realizedPnl).toBe(m("70.5929") - m("2.5854") - m("77.59"));
    expect(await cashOf(userId)).toBe(fromMicros(m("922.41") + m("70.5929") - m("2.5854")).padEnd(10, "0"));
  });

  it("a buy of the whole balance shrinks to the largest cent whose fill and fee fit, as the SDK's maxSpend", async () => {
    const { deps, userId, tokenId } = await setup("0.07", 1, { asks: [["0.50", "1000"]] }, "100");
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("100"), orderType: "FOK" }));
    // n × (1 + 0.07 × 0.25 / 0.5) ≤ 100 → 96.61: 193.22 shares, fee 3.38135; 96.62 would cost 100.0017
    expect([fromMicros(r.requested), fromMicros(r.shares), fromMicros(r.fees)]).toEqual(["96.61", "193.22", "3.38135"]);
    expect(r.requested).toBe(fitBuyToBudget(m("100"), m("0.50"), feeScheduleOf("0.07", 1)));
    expect(await cashOf(userId)).toBe("0.008650");
  });

  it("a buy that fits with its fee is not shrunk; one over the balance is refused", async () => {
    const { deps, userId, tokenId } = await setup("0.07", 1, { asks: [["0.50", "1000"]] }, "100");
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("50"), orderType: "FOK" }));
    expect([fromMicros(r.requested), fromMicros(r.fees)]).toEqual(["50", "1.75"]);
    expect(await cashOf(userId)).toBe("48.250000");
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("48.26"), orderType: "FOK" })).toMatchObject({ status: "rejected", reason: "insufficient_balance" });
    // Exactly the rest of the cash: 46.61 + fee 1.63135 = 48.24135 fits, 46.62 + 1.6317 does not.
    const rest = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("48.25"), orderType: "FOK" }));
    expect([fromMicros(rest.requested), fromMicros(rest.fees)]).toEqual(["46.61", "1.63135"]);
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("1"), orderType: "FOK" })).toMatchObject({ status: "rejected", reason: "insufficient_balance" });
  });
});

describe("exponent 2 (crypto_15_min, rate 0.25)", () => {
  it("charges shares × 0.25 × (p(1−p))²", async () => {
    const { deps, userId, tokenId } = await setup("0.25", 2, { asks: [["0.50", "1000"]] });
    const r = filled(await executeBuy(deps, { userId, tokenId, amountUsdc: m("50"), orderType: "FOK" }));
    expect(fromMicros(r.fees)).toBe("1.5625");
    expect(await cashOf(userId)).toBe("948.437500");
  });
});
