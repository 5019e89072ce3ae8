import { describe, expect, it } from "vitest";
import { clampToTick, isOnTick, marketBuyPrice, marketSellPrice, simulateMarketOrder, tickMicroInt } from "./market-price";
import type { Level, MarketOrderType, Side, TickSize } from "./types";

const L = (price: number, size: number): Level => ({ price, size });
const $ = (usd: number) => BigInt(Math.round(usd * 1e6));
const sh = $; // shares are micros too

// Asks best (lowest) first; bids best (highest) first.
const ASKS = [L(500_000, 10_000_000), L(600_000, 10_000_000)];
const BIDS = [L(500_000, 10_000_000), L(400_000, 10_000_000)];

describe("marketBuyPrice / marketSellPrice (the official walk)", () => {
  it.each([
    ["empty book", [], $(1), "FOK", { ok: false, reason: "no_match" }],
    ["empty book FAK", [], $(1), "FAK", { ok: false, reason: "no_match" }],
    ["inside the best level", ASKS, $(4), "FOK", { ok: true, price: 500_000 }],
    ["exactly the best level's notional", ASKS, $(5), "FOK", { ok: true, price: 500_000 }],
    ["one micro more reaches the next level", ASKS, $(5) + 1n, "FOK", { ok: true, price: 600_000 }],
    ["exactly the whole book", ASKS, $(11), "FOK", { ok: true, price: 600_000 }],
    ["beyond the book, FOK", ASKS, $(11) + 1n, "FOK", { ok: false, reason: "no_match" }],
    ["beyond the book, FAK → worst level", ASKS, $(50), "FAK", { ok: true, price: 600_000 }],
    // 0.999999 × 1.000001 = 0.999999999999: 10^-12 short of $1 is short.
    ["a level 10^-12 USDC short does not reach", [L(999_999, 1_000_001), L(1_000_000, 1)], $(1), "FOK", { ok: true, price: 1_000_000 }],
  ] as const)("BUY: %s", (_name, asks, amount, type, want) => expect(marketBuyPrice(asks, amount, type)).toEqual(want));

  it.each([
    ["empty book", [], sh(1), "FOK", { ok: false, reason: "no_match" }],
    ["exactly the best level", BIDS, sh(10), "FOK", { ok: true, price: 500_000 }],
    ["one micro-share more", BIDS, sh(10) + 1n, "FAK", { ok: true, price: 400_000 }],
    ["beyond the book, FOK", BIDS, sh(21), "FOK", { ok: false, reason: "no_match" }],
    ["beyond the book, FAK → worst level", BIDS, sh(21), "FAK", { ok: true, price: 400_000 }],
  ] as const)("SELL: %s", (_name, bids, shares, type, want) => expect(marketSellPrice(bids, shares, type)).toEqual(want));
});

type Official = (positions: Array<{ price: string; size: string }>, amount: number, orderType: string) => number;
const HELPERS = "../../node_modules/@polymarket/clob-client-v2/dist/order-builder/helpers/";
const { calculateBuyMarketPrice } = (await import(`${HELPERS}calculateBuyMarketPrice.js`)) as { calculateBuyMarketPrice: Official };
const { calculateSellMarketPrice } = (await import(`${HELPERS}calculateSellMarketPrice.js`)) as { calculateSellMarketPrice: Official };

function xorshift(seed: number): (n: number) => number {
  let x = seed | 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const decimal = (micros: number | bigint) => {
  const v = BigInt(micros);
  return `${v / 1_000_000n}.${String(v % 1_000_000n).padStart(6, "0")}`.replace(/\.?0+$/, "");
};

/** The side a `side` order takes from, best FIRST (asks ascending for BUY, bids descending for SELL): distinct prices on a 0.01 or 0.001 grid, sizes with 2 decimals (as Polymarket sends) or 6. */
function randomSide(rand: (n: number) => number, taker: Side): Level[] {
  const step = rand(2) === 0 ? 10_000 : 1_000;
  const prices = new Set<number>();
  for (let i = 1 + rand(40); i > 0; i--) prices.add(step * (1 + rand(1_000_000 / step - 1)));
  const sorted = [...prices].sort((a, b) => (taker === "BUY" ? a - b : b - a));
  const fine = rand(5) === 0;
  return sorted.map((p) => L(p, fine ? 1 + rand(5e10) : 10_000 * (1 + rand(5e6))));
}

function officialOrNoMatch(f: Official, bestFirst: Level[], amount: bigint, type: MarketOrderType): number | "no_match" {
  const wire = [...bestFirst].reverse().map((l) => ({ price: decimal(l.price), size: decimal(l.size) }));
  try {
    return f(wire, Number(amount) / 1e6, type);
  } catch (e) {
    expect((e as Error).message).toBe("no match");
    return "no_match";
  }
}

/** Exact cumulative target sums in 10^-12 (BUY: Σ size × price) or micros (SELL: Σ size), level by level. */
const cumulative = (levels: Level[], side: Side) => {
  let sum = 0n;
  return levels.map((l) => (sum += side === "BUY" ? BigInt(l.size) * BigInt(l.price) : BigInt(l.size)));
};

describe("oracle: the official clob-client-v2 functions", () => {
  it.each(["BUY", "SELL"] as const)("%s agrees except where the official float sum misjudges an exact boundary", (side) => {
    const rand = xorshift(side === "BUY" ? 20_260_428 : 20_250_915);
    const counts = { randomCases: 0, randomDisagreements: 0, boundaryCases: 0, boundaryDisagreements: 0 };
    for (let i = 0; i < 4000; i++) {
      const levels = randomSide(rand, side);
      const cum = cumulative(levels, side);
      const scale = side === "BUY" ? 1_000_000n : 1n;
      const total = cum.at(-1)! / scale;
      // Half the amounts sit exactly on a level boundary (the hard case), half anywhere (cents).
      const boundary = cum[rand(cum.length)]!;
      const onBoundary = rand(2) === 0 && boundary % scale === 0n;
      const cents = ((BigInt(rand(2 ** 30)) * (total + total / 5n)) >> 30n) / 10_000n;
      const amount = onBoundary ? boundary / scale : cents * 10_000n + 10_000n;
      for (const type of ["FOK", "FAK"] as const) {
        counts[onBoundary ? "boundaryCases" : "randomCases"]++;
        const ours = side === "BUY" ? marketBuyPrice(levels, amount, type) : marketSellPrice(levels, amount, type);
        const official = officialOrNoMatch(side === "BUY" ? calculateBuyMarketPrice : calculateSellMarketPrice, levels, amount, type);
        const oursAsOfficial = ours.ok ? ours.price / 1e6 : "no_match";
        if (oursAsOfficial === official) continue;
        // Disagreement: the first level where one stops and the other goes on must be an exact boundary
        // within the float error of the official sum (each term ≤ 3 roundings, the sum one per level).
        counts[onBoundary ? "boundaryDisagreements" : "randomDisagreements"]++;
        const target = amount * scale;
        const stopOurs = cum.findIndex((c) => c >= target);
        // Prices are distinct, so the official's price names its level (a FAK exhausting the book names the last).
        const stopOfficial = official === "no_match" ? -1 : levels.findIndex((l) => l.price / 1e6 === official);
        const j = Math.min(...[stopOurs, stopOfficial].filter((x) => x >= 0));
        const diff = cum[j]! > target ? cum[j]! - target : target - cum[j]!;
        const big = cum[j]! > target ? cum[j]! : target;
        expect(diff * 2n ** 52n).toBeLessThanOrEqual(BigInt(j + 5) * big);
      }
    }
    console.log(`oracle ${side}: ${JSON.stringify(counts)}`);
    // Amounts that land exactly on a cumulative level sum are where float sums go wrong (about one in
    // five of them); an amount anywhere else essentially never does.
    expect(counts.boundaryCases).toBeGreaterThan(1000);
    expect(counts.randomDisagreements).toBeLessThanOrEqual(counts.randomCases / 1000);
  });
});

type Input = Parameters<typeof simulateMarketOrder>[0];
const buy = (levels: Level[], usd: bigint, limitPrice: number, orderType: MarketOrderType = "FOK"): Input => ({ side: "BUY", levels, amount: usd, limitPrice, orderType });
const sell = (levels: Level[], shares: bigint, limitPrice: number, orderType: MarketOrderType = "FOK"): Input => ({ side: "SELL", levels, amount: shares, limitPrice, orderType });
const fill = (filledShares: bigint, filledUsdc: bigint, avgPrice: bigint, worstPrice: number, complete: boolean, levelsUsed: number) => ({
  ok: true,
  filledShares,
  filledUsdc,
  avgPrice,
  worstPrice,
  complete,
  levelsUsed,
});

describe("simulateMarketOrder", () => {
  it.each([
    ["BUY into an empty book", buy([], $(10), 990_000), { ok: false, reason: "empty_book" }],
    ["SELL into an empty book", sell([], sh(10), 10_000), { ok: false, reason: "empty_book" }],
    ["only zero-size levels", buy([L(500_000, 0)], $(10), 990_000), { ok: false, reason: "empty_book" }],
    ["BUY inside one level", buy([L(500_000, 100_000_000)], $(10), 990_000), fill(sh(20), $(10), 500_000n, 500_000, true, 1)],
    ["BUY exactly the first level", buy(ASKS, $(5), 990_000), fill(sh(10), $(5), 500_000n, 500_000, true, 1)],
    ["BUY across two levels (each at its own price)", buy(ASKS, $(8), 990_000), fill(sh(15), $(8), 533_333n, 600_000, true, 2)],
    ["BUY the whole book exactly", buy(ASKS, $(11), 990_000), fill(sh(20), $(11), 550_000n, 600_000, true, 2)],
    ["BUY more than the book, FOK", buy(ASKS, $(100), 990_000), { ok: false, reason: "fok_not_filled" }],
    ["BUY more than the book, FAK", buy(ASKS, $(100), 990_000, "FAK"), fill(sh(20), $(11), 550_000n, 600_000, false, 2)],
    ["BUY: the limit stops the walk, FAK", buy(ASKS, $(8), 500_000, "FAK"), fill(sh(10), $(5), 500_000n, 500_000, false, 1)],
    ["BUY: the limit stops the walk, FOK", buy(ASKS, $(8), 599_999), { ok: false, reason: "fok_not_filled" }],
    ["BUY: limit below the best ask", buy(ASKS, $(8), 499_999, "FAK"), { ok: false, reason: "no_liquidity_within_limit" }],
    ["BUY: shares round down, cost rounds up", buy([L(300_000, 10_000_000)], $(1), 990_000), fill(3_333_333n, $(1), 300_000n, 300_000, true, 1)],
    ["BUY: unsorted levels are walked best first", buy([ASKS[1]!, ASKS[0]!], $(8), 990_000), fill(sh(15), $(8), 533_333n, 600_000, true, 2)],
    ["BUY: asks of a crossed book", buy([L(400_000, 10_000_000)], $(2), 450_000), fill(sh(5), $(2), 400_000n, 400_000, true, 1)],
    ["SELL exactly the first level", sell(BIDS, sh(10), 10_000), fill(sh(10), $(5), 500_000n, 500_000, true, 1)],
    ["SELL across two levels", sell(BIDS, sh(15), 10_000), fill(sh(15), $(7), 466_667n, 400_000, true, 2)],
    ["SELL more than the book, FAK", sell(BIDS, sh(30), 10_000, "FAK"), fill(sh(20), $(9), 450_000n, 400_000, false, 2)],
    ["SELL more than the book, FOK", sell(BIDS, sh(30), 10_000), { ok: false, reason: "fok_not_filled" }],
    ["SELL: the limit stops the walk", sell(BIDS, sh(15), 450_000, "FAK"), fill(sh(10), $(5), 500_000n, 500_000, false, 1)],
    ["SELL: limit above the best bid", sell(BIDS, sh(1), 500_001), { ok: false, reason: "no_liquidity_within_limit" }],
    ["SELL: proceeds round down", sell([L(333_333, 10_000_000)], 3n, 10_000), fill(3n, 0n, 0n, 333_333, true, 1)],
    [
      "huge sizes stay exact",
      buy([L(999_999, 9_000_000_000_000_000)], $(1_000_000_000), 1_000_000),
      fill(1_000_001_000_001_000n, $(1_000_000_000), 999_999n, 999_999, true, 1),
    ],
  ])("%s", (_name, input, want) => expect(simulateMarketOrder(input)).toEqual(want));

  it.each([
    ["a zero amount", buy(ASKS, 0n, 990_000)],
    ["a negative amount", sell(BIDS, -1n, 10_000)],
    ["a level priced 0", buy([L(0, 1)], $(1), 990_000)],
    ["a level priced above 1", sell([L(1_000_001, 1)], sh(1), 10_000)],
  ])("refuses %s (a caller bug, not a market state)", (_name, input) => expect(() => simulateMarketOrder(input)).toThrow(RangeError));

  it("properties over 5,000 random books, amounts and limits", () => {
    const rand = xorshift(424_242);
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      const side: Side = rand(2) === 0 ? "BUY" : "SELL";
      const levels = randomSide(rand, side);
      const amount = BigInt(1_000_000 + rand(2 ** 30)) * BigInt(1 + rand(50)); // at least the $1 / 1 share minimum
      const limitPrice = 1_000 * (1 + rand(999));
      const orderType = rand(2) === 0 ? "FOK" : "FAK";
      const r = simulateMarketOrder({ side, levels, amount, limitPrice, orderType });
      const official = side === "BUY" ? marketBuyPrice(levels, amount, "FOK") : marketSellPrice(levels, amount, "FOK");
      const withinLimit = official.ok && (side === "BUY" ? official.price <= limitPrice : official.price >= limitPrice);
      if (orderType === "FOK") expect(r.ok).toBe(withinLimit);
      if (!r.ok) continue;
      ok++;
      if (withinLimit) expect(r.complete).toBe(true);
      // With 2-decimal sizes no dust (< 1 micro-share) is left before a level, so the worst level is the official's.
      if (withinLimit && levels.every((l) => l.size % 10_000 === 0)) expect(r.worstPrice).toBe(official.ok && official.price);
      if (side === "BUY") expect(r.filledUsdc).toBeLessThanOrEqual(amount);
      else expect(r.filledShares).toBeLessThanOrEqual(amount);
      const used = levels.slice(0, r.levelsUsed).map((l) => BigInt(l.price));
      const [best, worst] = [used[0]!, used.at(-1)!];
      expect(BigInt(r.worstPrice)).toBe(worst);
      // filledUsdc is rounded once against the taker: the average may move by < 1e6 / shares micros.
      const slack = r.filledShares >= 2_000_000n ? 0n : (1_000_000n + r.filledShares - 1n) / r.filledShares;
      const [lo, hi] = side === "BUY" ? [best, worst + slack] : [worst - slack, best];
      expect(r.avgPrice >= lo && r.avgPrice <= hi, `${r.avgPrice} in [${lo}, ${hi}]`).toBe(true);
    }
    expect(ok).toBeGreaterThan(1000);
  });
});

describe("tick helpers", () => {
  it.each([
    ["0.01", 10_000],
    ["0.1", 100_000],
    ["0.005", 5_000],
    ["0.0025", 2_500],
    ["0.001", 1_000],
    ["0.0001", 100],
  ] as const)("tick %s is %i micros", (tick, micros) => expect(tickMicroInt(tick)).toBe(micros));

  it.each([
    [500_000, "0.01", true],
    [505_000, "0.01", false],
    [505_000, "0.005", true],
    [502_500, "0.0025", true],
    [502_500, "0.005", false],
    [0, "0.01", true],
    [500_000.5, "0.01", false],
  ] as const)("isOnTick(%d, %s) = %s", (price, tick, want) => expect(isOnTick(price, tick as TickSize)).toBe(want));

  it.each([
    [505_000, "0.01", "down", 500_000],
    [505_000, "0.01", "up", 510_000],
    [500_000, "0.01", "up", 500_000],
    [995_000, "0.01", "up", 990_000], // clamped to 1 − tick
    [1_000, "0.01", "down", 10_000], // clamped to the tick
    [123_456, "0.0001", "down", 123_400],
    [123_401, "0.0025", "up", 125_000],
  ] as const)("clampToTick(%d, %s, %s) = %d", (price, tick, dir, want) => expect(clampToTick(price, tick, dir)).toBe(want));
});
