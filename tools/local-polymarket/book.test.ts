// Pure parts of the local Polymarket: exact decimals, the mirrored binary book, and fill planning.
import { describe, expect, it } from "vitest";
import { BinaryBook, mirrorChange } from "./book";
import { fromMicros, ratioText, roundToTick, toMicros } from "./decimal";
import { planTake } from "./match";

const µ = toMicros;

describe("decimal", () => {
  it.each([
    ["0.505", 505_000n],
    [".7", 700_000n],
    ["12", 12_000_000n],
    ["0.000001", 1n],
    ["1.500000", 1_500_000n],
  ])("parses %s", (text, micros) => expect(toMicros(text)).toBe(micros));

  it.each(["", "-1", "1e3", "0.0000001", "abc", "1.2.3", " "])("refuses %j", (text) => expect(() => toMicros(text)).toThrow(RangeError));

  it("formats, rounds to the tick and prints ratios like the venue", () => {
    expect(fromMicros(490_000n, 3)).toBe("0.490");
    expect(fromMicros(1_000_000n)).toBe("1");
    expect(roundToTick(µ("0.5349"), µ("0.01"))).toBe(µ("0.53"));
    expect(roundToTick(µ("0.535"), µ("0.01"))).toBe(µ("0.54"));
    expect(ratioText(10_000_000n, 10_200_000n)).toBe("0.9803921568627451");
    expect(ratioText(1n, 4n)).toBe("0.25");
  });
});

describe("BinaryBook", () => {
  const book = () => {
    const b = new BinaryBook();
    b.set("BUY", µ("0.40"), µ("10"));
    b.set("BUY", µ("0.45"), µ("20"));
    b.set("SELL", µ("0.50"), µ("40"));
    b.set("SELL", µ("0.55"), µ("30"));
    return b;
  };

  it("shows each outcome in wire order and mirrors the other (bid p ↔ ask 1−p)", () => {
    const b = book();
    expect(b.view(0)).toEqual({
      bids: [{ price: µ("0.40"), size: µ("10") }, { price: µ("0.45"), size: µ("20") }],
      asks: [{ price: µ("0.55"), size: µ("30") }, { price: µ("0.50"), size: µ("40") }],
    });
    expect(b.view(1)).toEqual({
      bids: [{ price: µ("0.45"), size: µ("30") }, { price: µ("0.50"), size: µ("40") }],
      asks: [{ price: µ("0.60"), size: µ("10") }, { price: µ("0.55"), size: µ("20") }],
    });
    expect(b.best(1)).toEqual({ bid: µ("0.50"), ask: µ("0.55") });
    expect(new BinaryBook().best(0)).toEqual({ bid: undefined, ask: undefined });
  });

  it("sets levels in either outcome's terms and reports changes once", () => {
    const b = book();
    expect(b.setFor(1, "BUY", µ("0.52"), µ("5"))).toEqual({ outcome: 1, side: "BUY", price: µ("0.52"), size: µ("5") });
    expect(b.size("SELL", µ("0.48"))).toBe(µ("5"));
    expect(b.setFor(1, "BUY", µ("0.52"), µ("5"))).toBeUndefined();
    expect(mirrorChange({ outcome: 0, side: "SELL", price: µ("0.48"), size: 0n })).toEqual({ outcome: 1, side: "BUY", price: µ("0.52"), size: 0n });
  });

  it("lists takeable levels best first for every outcome and side", () => {
    const b = book();
    const prices = (o: 0 | 1, s: "BUY" | "SELL") => b.takeable(o, s).map((l) => fromMicros(l.price));
    expect(prices(0, "BUY")).toEqual(["0.5", "0.55"]);
    expect(prices(0, "SELL")).toEqual(["0.45", "0.4"]);
    expect(prices(1, "BUY")).toEqual(["0.55", "0.6"]);
    expect(prices(1, "SELL")).toEqual(["0.5", "0.45"]);
  });
});

describe("planTake", () => {
  const levels = new BinaryBook();
  levels.set("SELL", µ("0.50"), µ("40"));
  levels.set("SELL", µ("0.55"), µ("30"));
  const asks = levels.takeable(0, "BUY");
  const any = () => true;

  it.each([
    ["a budget inside the first level", { budget: µ("10") }, { shares: "20", usdc: "10", complete: true, fills: 1 }],
    ["a budget across two levels", { budget: µ("25.5") }, { shares: "50", usdc: "25.5", complete: true, fills: 2 }],
    ["a budget larger than the book", { budget: µ("100") }, { shares: "70", usdc: "36.5", complete: false, fills: 2 }],
    ["a budget that buys a fraction of a share", { budget: µ("1") }, { shares: "2", usdc: "1", complete: true, fills: 1 }],
    ["a budget of one micro", { budget: 1n }, { shares: "0.000002", usdc: "0.000001", complete: true, fills: 1 }],
    ["shares across levels", { shares: µ("45") }, { shares: "45", usdc: "22.75", complete: true, fills: 2 }],
    ["more shares than the book", { shares: µ("100") }, { shares: "70", usdc: "36.5", complete: false, fills: 2 }],
  ])("fills %s", (_name, amount, want) => {
    const p = planTake(asks, { outcome: 0, side: "BUY", limit: any, ...amount });
    expect({ shares: fromMicros(p.shares), usdc: fromMicros(p.usdc), complete: p.complete, fills: p.fills.length }).toEqual(want);
  });

  it("stops at the limit and rounds a buyer's cost up and a seller's proceeds down", () => {
    const limited = planTake(asks, { outcome: 0, side: "BUY", shares: µ("100"), limit: (x) => x <= µ("0.50") });
    expect(fromMicros(limited.shares)).toBe("40");
    const odd = new BinaryBook();
    odd.set("SELL", µ("0.333"), µ("1.000001"));
    odd.set("BUY", µ("0.333"), µ("1.000001"));
    expect(planTake(odd.takeable(0, "BUY"), { outcome: 0, side: "BUY", shares: µ("1.000001"), limit: any }).usdc).toBe(333_001n);
    expect(planTake(odd.takeable(0, "SELL"), { outcome: 0, side: "SELL", shares: µ("1.000001"), limit: any }).usdc).toBe(333_000n);
    expect(planTake([], { outcome: 0, side: "BUY", budget: µ("5"), limit: any })).toEqual({ fills: [], shares: 0n, usdc: 0n, complete: false });
  });
});
