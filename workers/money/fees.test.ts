import { describe, expect, it } from "vitest";
import { buyCost, feeScheduleFromFd, feeScheduleOf, fitBuyToBudget, NO_FEE, sellProceeds, takerFee, type FeeSchedule } from "./fees";

const crypto: FeeSchedule = { rate: 70_000n, exponent: 1 };
const fifteenMin: FeeSchedule = { rate: 250_000n, exponent: 2 };

describe("taker fees", () => {
  it("reads fd from /clob-markets; absent or null is no fee", () => {
    expect(feeScheduleFromFd({ r: 0.07, e: 1, to: true })).toEqual(crypto);
    expect(feeScheduleFromFd({ r: 0.25, e: 2, to: true })).toEqual(fifteenMin);
    expect(feeScheduleFromFd(undefined)).toEqual(NO_FEE);
    expect(feeScheduleFromFd(null)).toEqual(NO_FEE);
    expect(() => feeScheduleFromFd({ r: -1, e: 1 })).toThrow();
  });

  it("reads the schedule from decimal strings (a numeric column, the CLOB client's fd fields)", () => {
    expect(feeScheduleOf("0.070000", 1)).toEqual(crypto);
    expect(feeScheduleOf("0.25", "2")).toEqual(fifteenMin);
    expect(feeScheduleOf(undefined, undefined)).toEqual(NO_FEE);
    expect(() => feeScheduleOf("1.5", 1)).toThrow(RangeError);
    expect(() => feeScheduleOf("0.07", "1.5")).toThrow(RangeError);
  });

  it.each([
    // py-clob-client-v2 #107, live: BUY 25 @ 0.13, rate 0.05 → 0.141375 (the venue took ≈ 0.14).
    [25_000_000n, 130_000n, { rate: 50_000n, exponent: 1 }, 141_380n, 141_380n],
    [20_000_000n, 500_000n, crypto, 350_000n, 350_000n],
    [100_000_000n, 500_000n, fifteenMin, 1_562_500n, 1_562_500n],
    // 1 share at 0.01, rate 0.07: 0.000693 → 0.00069 half up, 0.00070 up.
    [1_000_000n, 10_000n, crypto, 690n, 700n],
  ] as const)("%s shares at %s → fee %s (half up), %s (up)", (shares, price, s, halfUp, up) => {
    expect(takerFee(shares, price, s)).toBe(halfUp);
    expect(takerFee(shares, price, s, "up")).toBe(up);
  });

  it("a fill that owes any fee owes at least 0.00001", () => {
    expect(takerFee(1_000n, 10_000n, { rate: 10_000n, exponent: 1 }, "down")).toBe(10n);
  });

  it("charges nothing on fee-free markets, and refuses prices outside (0, 1)", () => {
    expect(takerFee(10_000_000n, 500_000n, NO_FEE)).toBe(0n);
    expect(() => takerFee(1_000_000n, 1_000_000n, crypto)).toThrow(RangeError);
  });

  it("a BUY costs notional + fee; a SELL pays proceeds − fee", () => {
    expect(buyCost(10_000_000n, 500_000n, crypto)).toBe(10_350_000n);
    expect(sellProceeds(10_000_000n, 600_000n, { rate: 40_000n, exponent: 1 })).toBe(5_904_000n);
  });

  it("shrinks a buy of the whole balance to the largest cent that fits with its fee", () => {
    expect(fitBuyToBudget(10_000_000n, 500_000n, NO_FEE)).toBe(10_000_000n);
    const n = fitBuyToBudget(10_000_000n, 500_000n, crypto);
    expect(n).toBe(9_660_000n);
    expect(buyCost(n, 500_000n, crypto)).toBeLessThanOrEqual(10_000_000n);
    expect(buyCost(n + 10_000n, 500_000n, crypto)).toBeGreaterThan(10_000_000n);
    for (let i = 1; i < 400; i++) {
      const budget = BigInt(i) * 1_237_000n;
      const price = BigInt((i * 37) % 98 + 1) * 10_000n;
      const fit = fitBuyToBudget(budget, price, fifteenMin);
      expect(buyCost(fit, price, fifteenMin)).toBeLessThanOrEqual(budget);
      expect(buyCost(fit + 10_000n, price, fifteenMin)).toBeGreaterThan(budget);
    }
  });
});
