// The ledger check must accept a consistent paper account and name each way one can break.
import { describe, expect, it } from "vitest";
import { checkLedger, type LedgerOrder, type LedgerPosition, roundMicros } from "./ledger";

const M = 1_000_000n;
// Bought 20 @ 0.50 ($10) and 10 @ 0.40 ($4) on one token, sold 10 for $6: cost basis left 14 − 7 = 7.
const positions: LedgerPosition[] = [
  { id: 1, tokenId: "t1", status: "active", shares: 20n * M, cost: 7n * M, realized: -1n * M, price: 550_000n, pnl: 4n * M },
  { id: 2, tokenId: "t2", status: "closed", shares: 0n, cost: 0n, realized: 2n * M, price: 600_000n, pnl: 0n },
];
const orders: LedgerOrder[] = [
  { positionId: 1, side: "BUY", status: "filled", shares: 20n * M, usdc: 10n * M, fees: 0n, realized: null },
  { positionId: 1, side: "BUY", status: "filled", shares: 10n * M, usdc: 4n * M, fees: 0n, realized: null },
  { positionId: 1, side: "SELL", status: "partially_filled", shares: 10n * M, usdc: 6n * M, fees: 0n, realized: -1n * M },
  { positionId: 2, side: "BUY", status: "filled", shares: 10n * M, usdc: 5n * M, fees: 0n, realized: null },
  { positionId: 2, side: "SELL", status: "filled", shares: 10n * M, usdc: 7n * M, fees: 0n, realized: 2n * M },
  { positionId: null, side: "BUY", status: "rejected", shares: 0n, usdc: 0n, fees: 0n, realized: null },
];
// deposits 1000 − 10 − 4 + 6 − 5 + 7 = 994
const user = { id: 7, cash: 994n * M, deposits: 1000n * M };

describe("checkLedger", () => {
  it("accepts a consistent account and sums its equity", () => {
    const s = checkLedger(user, positions, orders);
    expect(s.violations).toEqual([]);
    expect(s.realized).toBe(1n * M);
    expect(s.unrealized).toBe(4n * M);
    expect(s.equity).toBe(994n * M + 11n * M);
  });

  it.each([
    ["cash off by one micro", { ...user, cash: user.cash + 1n }, positions, orders, /cash .* ≠ deposits/],
    ["negative cash", { ...user, cash: -1n, deposits: -1n - 994n * M + 1000n * M }, positions, orders, /cash -1 < 0/],
    ["a second open position on a token", user, [...positions, { ...positions[0]!, id: 3, shares: 0n, cost: 0n, realized: 0n, price: null, pnl: null }], orders, /two open positions/],
    ["shares that the orders do not explain", user, [{ ...positions[0]!, shares: 21n * M, pnl: roundMicros(21n * M * 550_000n - 7n * M * M) }, positions[1]!], orders, /holds 21000000 shares, its orders say 20000000/],
    ["a doubled sell", user, positions, [...orders, { ...orders[4]! }], /its orders say|order flow/],
    ["a stale P&L", user, [{ ...positions[0]!, pnl: 3n * M }, positions[1]!], orders, /P&L 3000000, expected 4000000/],
    ["negative shares", user, [{ ...positions[0]!, shares: -1n }, positions[1]!], orders, /-1 shares/],
  ])("flags %s", (_name, u, ps, os, pattern) => {
    const s = checkLedger(u, ps, os);
    expect(s.violations.join("\n")).toMatch(pattern);
  });
});

describe("roundMicros", () => {
  it.each([
    [1_500_000n, 2n],
    [1_499_999n, 1n],
    [-1_500_000n, -2n],
    [-1_499_999n, -1n],
    [0n, 0n],
  ])("%s pico → %s micro", (pico, micros) => expect(roundMicros(pico)).toBe(micros));
});
