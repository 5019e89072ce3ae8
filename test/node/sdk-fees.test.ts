// Our fee arithmetic (workers/money/fees.ts) against the official @polymarket/client's, on random prices,
// budgets, rates and exponents: a BUY of the whole budget (the SDK's maxSpend) shrinks to the same amount.
import { createSecureClient, OrderSide, type SecureClient } from "@polymarket/client";
import { privateKey } from "@polymarket/client/viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "../../tools/local-polymarket/server";
import type { MarketInfo } from "../../tools/local-polymarket/types";
import { buyCost, feeScheduleFromFd, fitBuyToBudget } from "../../workers/money/fees";
import { fromMicros } from "../../workers/money/micros";
import { localSdkEnvironment } from "../support/sdk-environment";

let lp: LocalPolymarket;
let market: MarketInfo;
let client: SecureClient;

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "sdk-fees" });
  market = lp.markets().find((m) => !m.negRisk && m.version === "v1" && m.tickSize === "0.01")!;
  const key = generatePrivateKey();
  const environment = localSdkEnvironment(lp);
  // An EOA account: no relayer involved, only the CLOB reads the SDK's fee budgeting makes.
  client = await createSecureClient({ signer: privateKey(key), environment, wallet: privateKeyToAccount(key).address });
});
afterAll(() => lp.stop());

/** Deterministic pseudo-random numbers (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fee arithmetic: ours vs the official SDK", () => {
  it("a maxSpend BUY shrinks to the same cent (±1 cent of float rounding) on 60 random markets, and ours always fits", async () => {
    const rand = rng(19);
    let same = 0;
    let shrunk = 0;
    const cases = 60;
    for (let i = 0; i < cases; i++) {
      const rate = (Math.floor(rand() * 2500) + 1) / 10_000; // 0.0001 … 0.25
      const exponent = rand() < 0.25 ? 2 : 1;
      const cents = Math.floor(rand() * 98) + 1; // price 0.01 … 0.98
      const budgetCents = Math.floor(rand() * 50_000) + 100; // $1.00 … $501.00
      lp.setFees(market.conditionId, { rate: String(rate), exponent });
      const fd = ((await (await fetch(`${lp.clobUrl}/clob-markets/${market.conditionId}`)).json()) as { fd: unknown }).fd;
      const schedule = feeScheduleFromFd(fd);
      const price = BigInt(cents) * 10_000n;
      const budget = BigInt(budgetCents) * 10_000n;
      const budgetText = fromMicros(budget);
      const sdk = await client.createMarketOrder({ tokenId: market.tokenIds[0], side: OrderSide.BUY, amount: budgetText, maxSpend: budgetText, maxPrice: cents / 100 });
      const theirs = BigInt(sdk.makerAmount);
      const ours = fitBuyToBudget(budget, price, schedule);
      const label = `case ${i}: rate ${rate}, e ${exponent}, price ${cents / 100}, budget ${budgetText}: sdk ${fromMicros(theirs)}, ours ${fromMicros(ours)}`;
      expect(buyCost(ours, price, schedule), label).toBeLessThanOrEqual(budget);
      expect(ours - theirs <= 10_000n && theirs - ours <= 10_000n, label).toBe(true);
      if (ours === theirs) same++;
      if (theirs < budget) shrunk++;
    }
    console.log(JSON.stringify({ event: "sdk_fee_comparison", cases, sameCent: same, shrunkBySdk: shrunk }));
    // The SDK read the fee from /clob-markets and shrank the buy: the comparison is not vacuous.
    expect(shrunk).toBeGreaterThanOrEqual(cases * 0.9);
    expect(same).toBeGreaterThanOrEqual(cases * 0.9);
  });
});
