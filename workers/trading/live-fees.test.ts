// Live fills on a fee-enabled market of the local Polymarket record the fee the venue charged, to the micro of its balance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { type LocalMarket, type LocalPolymarket, seedLocalMarket, startLocalVenue } from "../../test/support/local-venue";
import { fill, levels, testDeps } from "../../test/support/trading";
import { fromMicros, toMicros } from "../money/micros";
import { ClobClient } from "../polymarket/clob-client";
import { loadKeyring } from "../wallets/envelope";
import { generateWallet, withSigner } from "../wallets/wallet-store";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { venueFor } from "./live-venue";
import { venueCash } from "./venue-cash";

const handle = openTestDb();
const { db } = handle;
let lp: LocalPolymarket;
beforeAll(async () => {
  lp = await startLocalVenue("live-fees");
  lp.scenario.stop();
});
afterAll(async () => {
  await lp?.stop();
  await handle.close();
});

const m = (s: string) => toMicros(s);
const ENC = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 256)));
const used = new Set<string>();

/** A fee-enabled market (rate 0.07) on both sides, our rows for it, a live user with $100 at the venue. */
async function setup(pusd = "100") {
  // From the end of the catalog: other test files sharing the database take its first markets (fee-free).
  const market = [...lp.markets()].reverse().find((x: LocalMarket) => !x.closed && !x.negRisk && x.version === "v1" && !used.has(x.id))!;
  used.add(market.id);
  lp.setFees(market.id, { rate: "0.07", exponent: 1 });
  await seedLocalMarket(db, market, { rate: "0.07", exponent: 1 });
  const tokenId = market.tokenIds[0];
  lp.setBook(tokenId, { asks: levels([["0.50", "100"], ["0.52", "100"]]), bids: levels([["0.48", "100"], ["0.47", "100"]]) });
  const clob = new ClobClient({ baseUrl: lp.clobUrl, timeoutMs: 800 });
  const wallets = { db, keyring: await loadKeyring(ENC) };
  const deps = { ...testDeps(db), books: { getBook: (t: string) => clob.getBook(t) }, venueFor: venueFor({ clob, wallets, now: Date.now, rand01: Math.random }) };
  const userId = await seedUser(db, { mode: "live" });
  await generateWallet(wallets, userId);
  const address = await withSigner(wallets, userId, async (s) => s!.address);
  lp.setBalance(address, { pusd });
  return { deps, userId, tokenId, address, cashDeps: { clob, wallets, now: Date.now } };
}

describe("live fees against the local Polymarket", () => {
  it("a buy and a sell record the fee the venue charged; the venue's balance and our ledger agree to the micro", async () => {
    const { deps, userId, tokenId, address } = await setup();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("75"), orderType: "FOK", slippageBps: 1000 }));
    expect([fromMicros(buy.shares), fromMicros(buy.usdc), fromMicros(buy.fees)]).toEqual(["148.076923", "75", "2.59"]);
    expect(buy.position.costBasis).toBe(m("77.59"));
    expect(lp.balance(address).pusd).toBe("22.41");
    const sell = fill(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual", slippageBps: 1000 }));
    expect([fromMicros(sell.shares), fromMicros(sell.usdc), fromMicros(sell.fees)]).toEqual(["148.07", "70.5929", "2.5854"]);
    expect(m(lp.balance(address).pusd)).toBe(m("22.41") + sell.usdc - sell.fees);
    expect(sell.realizedPnl).toBe(sell.usdc - sell.fees - m("77.59"));
  });

  it("a buy whose answer was lost is reconciled from the trades with the fee the venue charged", async () => {
    const { deps, userId, tokenId, address } = await setup();
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1 });
    const r = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("60"), orderType: "FOK", slippageBps: 1000 }));
    lp.faults.clear();
    // 100 @ 0.50 (fee 1.75) + 19.230769 @ 0.52 (fee 19.230769 × 0.07 × 0.2496 = 0.33600... → 0.336)
    expect([fromMicros(r.shares), fromMicros(r.fees)]).toEqual(["119.230769", "2.086"]);
    expect(m(lp.balance(address).pusd)).toBe(m("100") - r.usdc - r.fees);
  });

  it("a live buy larger than the venue's balance is refused before signing, with the amount available", async () => {
    const { deps, userId, tokenId, cashDeps } = await setup("20");
    expect(await venueCash(cashDeps, userId)).toMatchObject({ balance: m("20") });
    const before = lp.orders().length;
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("50"), orderType: "FOK", slippageBps: 1000 });
    expect(r).toMatchObject({ status: "rejected", reason: "insufficient_balance", message: "Not enough balance: you have $20.00." });
    expect(lp.orders().length).toBe(before);
  });

  it("a live buy of the whole balance shrinks to fit with its fee; the balance is read afresh after the trade", async () => {
    const { deps, userId, tokenId, address, cashDeps } = await setup("20");
    lp.setBook(tokenId, { asks: levels([["0.50", "1000"]]), bids: levels([["0.48", "1000"]]) });
    const r = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("20"), orderType: "FOK", slippageBps: 1000 }));
    // n × 1.035 ≤ 20 → 19.32: 38.64 shares, fee 0.6762; 19.33 would cost 20.00655
    expect([fromMicros(r.requested), fromMicros(r.shares), fromMicros(r.fees)]).toEqual(["19.32", "38.64", "0.6762"]);
    expect(lp.balance(address).pusd).toBe("0.0038");
    expect(await venueCash(cashDeps, userId)).toMatchObject({ balance: m("0.0038") });
  });

  it("a buy the venue refuses for balance (its view older than ours) asks it to refresh its balance cache", async () => {
    const { deps, userId, tokenId, address, cashDeps } = await setup("20");
    expect(await venueCash(cashDeps, userId)).toMatchObject({ balance: m("20") });
    lp.setBalance(address, { pusd: "2" });
    lp.faults.add({ kind: "delay", ms: 1, route: "GET /clob/balance-allowance/update", count: 5 });
    try {
      const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK", slippageBps: 1000 });
      expect(r).toMatchObject({ status: "rejected", reason: "insufficient_balance" });
      expect(lp.faults.list().find((f) => f.route === "GET /clob/balance-allowance/update")?.hits).toBe(1);
      expect(await venueCash(cashDeps, userId)).toMatchObject({ balance: m("2") });
    } finally {
      lp.faults.clear();
    }
  });
});
