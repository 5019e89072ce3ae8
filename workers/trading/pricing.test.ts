import { describe, expect, it } from "vitest";
import { fromMicros, toMicros } from "../money/micros";
import { isOnTick } from "../polymarket/market-price";
import { TICK_SIZES, type Side, type TickSize } from "../polymarket/types";
import { anyPriceBound, DEFAULT_SLIPPAGE_BPS, effectiveSlippage, limitOnTick, orderBound, orderNotional, sharesToSell, venueAmount, worstPrice } from "./pricing";

const m = (s: string) => toMicros(s);

describe("worstPrice: the slippage bound on the tick, never wider than asked", () => {
  const cases: Array<[Side, string, number, TickSize, string]> = [
    ["BUY", "0.50", 500, "0.01", "0.52"], // 0.525 → down to 0.52
    ["BUY", "0.50", 0, "0.01", "0.5"],
    ["BUY", "0.05", 500, "0.01", "0.05"], // 0.0525 rounds back to the reference itself
    ["BUY", "0.98", 500, "0.01", "0.99"], // capped at 1 − tick
    ["BUY", "0.999", 100, "0.001", "0.999"],
    ["BUY", "0.123", 1000, "0.001", "0.135"], // 0.1353 → 0.135
    ["SELL", "0.50", 500, "0.01", "0.48"], // 0.475 → up to 0.48
    ["SELL", "0.05", 500, "0.01", "0.05"], // 0.0475 → up to the reference
    ["SELL", "0.01", 5000, "0.01", "0.01"], // floor at the tick
    ["SELL", "0.0003", 5000, "0.0001", "0.0002"], // 0.00015 → up to 0.0002
    ["BUY", "0.505", 0, "0.01", "0.5"], // an off-grid caller reference is rounded toward safety
  ];
  it.each(cases)("%s ref %s at %i bps on %s → %s", (side, ref, bps, tick, want) => {
    const got = worstPrice(side, m(ref), bps, tick);
    expect(fromMicros(got)).toBe(want);
    expect(isOnTick(Number(got), tick)).toBe(true);
  });

  it("on random references the bound is on the tick, inside [tick, 1 − tick], and within the user's percentage", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const tick = TICK_SIZES[Math.floor(rand() * TICK_SIZES.length)]!;
      const t = m(tick);
      const steps = (1_000_000n - t) / t;
      const ref = t * (1n + BigInt(Math.floor(rand() * Number(steps - 1n))));
      const bps = Math.floor(rand() * 3000);
      const side: Side = rand() < 0.5 ? "BUY" : "SELL";
      const w = worstPrice(side, ref, bps, tick);
      expect(isOnTick(Number(w), tick)).toBe(true);
      expect(w >= t && w <= 1_000_000n - t).toBe(true);
      if (side === "BUY") {
        expect(w >= ref || ref > 1_000_000n - t).toBe(true);
        expect(w * 10_000n <= ref * BigInt(10_000 + bps) || w === ref).toBe(true);
      } else {
        expect(w <= ref || ref < t).toBe(true);
        expect(w * 10_000n >= ref * BigInt(10_000 - bps) || w === ref).toBe(true);
      }
    }
  });

  it("refuses nonsense", () => {
    expect(() => worstPrice("BUY", m("0.5"), -1, "0.01")).toThrow(RangeError);
    expect(() => worstPrice("BUY", m("0.5"), 5001, "0.01")).toThrow(RangeError);
    expect(() => worstPrice("BUY", m("0.5"), 1.5, "0.01")).toThrow(RangeError);
    expect(() => worstPrice("SELL", 0n, 100, "0.01")).toThrow(RangeError);
    expect(() => worstPrice("SELL", m("1"), 100, "0.01")).toThrow(RangeError);
  });
});

describe("limits, venue precision, minimum, sell sizes", () => {
  it.each([
    ["BUY", "0.567", "0.01", "0.56"],
    ["SELL", "0.561", "0.01", "0.57"],
    ["BUY", "0.995", "0.01", "0.99"],
    ["SELL", "0.001", "0.01", "0.01"],
  ] as Array<[Side, string, TickSize, string]>)("limitOnTick %s %s on %s → %s", (side, limit, tick, want) => {
    expect(fromMicros(limitOnTick(side, m(limit), tick))).toBe(want);
  });

  it("venueAmount keeps 2 decimals, rounding down", () => {
    expect(fromMicros(venueAmount(m("10.129999")))).toBe("10.12");
    expect(fromMicros(venueAmount(m("0.009")))).toBe("0");
    expect(venueAmount(m("5"))).toBe(m("5"));
  });

  it("orderNotional: a BUY is its USDC, a SELL is shares × worst price (down)", () => {
    expect(orderNotional("BUY", m("3"), m("0.5"))).toBe(m("3"));
    expect(fromMicros(orderNotional("SELL", m("2.33"), m("0.43")))).toBe("1.0019");
  });

  it.each([
    ["all", "12.5", "12.5"],
    [{ fractionBps: 5000 }, "12.5", "6.25"],
    [{ fractionBps: 3333 }, "1", "0.3333"],
    [{ fractionBps: 10_000 }, "3", "3"],
    [m("2"), "3", "2"],
  ] as const)("sharesToSell(%o of %s) = %s", (size, held, want) => {
    expect(fromMicros(sharesToSell(m(held), size)!)).toBe(want);
  });

  it.each([[{ fractionBps: 0 }], [{ fractionBps: 10_001 }], [{ fractionBps: 0.5 }], [0n], [-1n], [m("4")]] as const)("sharesToSell refuses %o", (size) => {
    expect(sharesToSell(m("3"), size)).toBeNull();
  });

  it("effectiveSlippage falls back to the default for missing or invalid settings", () => {
    expect(effectiveSlippage(undefined)).toBe(DEFAULT_SLIPPAGE_BPS);
    expect(effectiveSlippage(-5)).toBe(DEFAULT_SLIPPAGE_BPS);
    expect(effectiveSlippage(99999)).toBe(DEFAULT_SLIPPAGE_BPS);
    expect(effectiveSlippage(200)).toBe(200);
  });
});

describe("orderBound", () => {
  it.each([
    ["a hard limit wins, put on the tick toward safety", "BUY", { limitPrice: m("0.555") }, 500, "0.55"],
    ["the request's slippage from the price shown", "BUY", { referencePrice: m("0.50"), slippageBps: 1000 }, 500, "0.55"],
    ["the user's slippage from the best price when nothing else is given", "SELL", {}, 1000, "0.36"],
    ["the default 5 % when the user has none", "SELL", {}, undefined, "0.38"],
  ] as const)("%s", (_name, side, req, userBps, want) => {
    expect(fromMicros(orderBound(side, req, userBps, m("0.40"), "0.01"))).toBe(want);
  });
});

describe("anyPriceBound", () => {
  it("is the lowest price on the tick that keeps the $1 minimum, never below a tick", () => {
    expect(anyPriceBound(20_000_000n, "0.01")).toBe(50_000n); // 20 shares: 5¢
    expect(anyPriceBound(30_000_000n, "0.01")).toBe(40_000n); // 3.33¢ rounds up to the tick
    expect(anyPriceBound(1_000_000_000n, "0.01")).toBe(10_000n); // 1,000 shares: one tick
    expect(anyPriceBound(1_000_000_000n, "0.001")).toBe(1_000n);
  });
});
