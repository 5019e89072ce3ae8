import { describe, expect, it } from "vitest";
import { fromMicros, toMicros } from "../money/micros";
import { applyBuy, applySell, avgPrice, resolutionProceeds, unrealizedPnl } from "./position-math";

const m = (s: string) => toMicros(s);
const f = (x: bigint) => fromMicros(x);

describe("position accounting", () => {
  it("weights the entry price by cost basis across buys", () => {
    let h = applyBuy({ shares: 0n, costBasis: 0n }, m("100"), m("40"));
    h = applyBuy(h, m("50"), m("30"));
    expect(h).toEqual({ shares: m("150"), costBasis: m("70") });
    expect(f(avgPrice(h))).toBe("0.466667"); // 70 / 150 = 0.4666…, half-up
  });

  it.each([
    // held, cost, sold, proceeds → left, cost left, portion, realised, closed
    ["100", "40", "25", "15", "75", "30", "10", "5", false],
    ["3", "1", "1", "0.5", "2", "0.666667", "0.333333", "0.166667", false],
    ["100", "40", "100", "55", "0", "0", "40", "15", true],
    ["10.005", "5", "10", "6", "0", "0", "5", "1", true], // 0.005 share of dust closes the position
    ["10.01", "5", "10", "6", "0.01", "0.004995", "4.995005", "1.004995", false],
  ] as const)("sell %s/%s: %s for %s", (held, cost, sold, proceeds, left, costLeft, portion, realized, closed) => {
    const out = applySell({ shares: m(held), costBasis: m(cost) }, m(sold), m(proceeds));
    expect([f(out.shares), f(out.costBasis), f(out.costPortion), f(out.realized), out.closed]).toEqual([left, costLeft, portion, realized, closed]);
    // Exactness: what leaves the cost basis is exactly what realised P&L is measured against.
    expect(out.costBasis + out.costPortion).toBe(m(cost));
    expect(out.realized).toBe(m(proceeds) - out.costPortion);
  });

  it("reports the dust written off on close", () => {
    expect(applySell({ shares: m("10.005"), costBasis: m("5") }, m("10"), m("6")).dust).toBe(m("0.005"));
  });

  it("refuses impossible trades", () => {
    expect(() => applySell({ shares: m("1"), costBasis: m("1") }, m("2"), 0n)).toThrow(RangeError);
    expect(() => applySell({ shares: m("1"), costBasis: m("1") }, 0n, 0n)).toThrow(RangeError);
    expect(() => applySell({ shares: m("1"), costBasis: m("1") }, m("1"), -1n)).toThrow(RangeError);
    expect(() => applyBuy({ shares: 0n, costBasis: 0n }, 0n, m("1"))).toThrow(RangeError);
  });

  it("unrealised P&L rounds the value half-up like the streamer's flush", () => {
    // 3.333333 × 0.333 − 1 = 0.109999889 → 0.110000
    expect(f(unrealizedPnl({ shares: m("3.333333"), costBasis: m("1") }, m("0.333")))).toBe("0.11");
    expect(f(unrealizedPnl({ shares: m("100"), costBasis: m("45") }, m("0.52")))).toBe("7");
    expect(f(unrealizedPnl({ shares: m("100"), costBasis: m("45") }, m("0.40")))).toBe("-5");
  });

  it("resolution pays 1 per winning share, 0 per losing share", () => {
    expect(resolutionProceeds(m("12.5"), true)).toBe(m("12.5"));
    expect(resolutionProceeds(m("12.5"), false)).toBe(0n);
    expect(avgPrice({ shares: 0n, costBasis: 0n })).toBe(0n);
  });
});
