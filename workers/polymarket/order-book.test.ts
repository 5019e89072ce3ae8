import { describe, expect, it } from "vitest";
import { DISPLAY_MAX_SPREAD, OrderBook } from "./order-book";
import type { Level } from "./types";

const L = (price: number, size: number): Level => ({ price, size });
const T0 = 1_728_799_418_260;

function booted(bids: Level[], asks: Level[], meta: Partial<Parameters<OrderBook["applySnapshot"]>[2]> = {}): OrderBook {
  const book = new OrderBook("tok");
  book.applySnapshot(bids, asks, { timestamp: T0, ...meta });
  return book;
}

// Wire order: bids ascending, asks descending, best LAST.
const WIRE_BIDS = [L(10_000, 900), L(480_000, 20), L(490_000, 10)];
const WIRE_ASKS = [L(990_000, 900), L(520_000, 30), L(500_000, 5)];
const BEST_FIRST_BIDS = [L(490_000, 10), L(480_000, 20), L(10_000, 900)];
const BEST_FIRST_ASKS = [L(500_000, 5), L(520_000, 30), L(990_000, 900)];

describe("applySnapshot", () => {
  it.each([
    ["wire order (best last)", WIRE_BIDS, WIRE_ASKS],
    ["best first (a REST quote)", BEST_FIRST_BIDS, BEST_FIRST_ASKS],
    ["shuffled", [WIRE_BIDS[1]!, WIRE_BIDS[2]!, WIRE_BIDS[0]!], [WIRE_ASKS[2]!, WIRE_ASKS[0]!, WIRE_ASKS[1]!]],
    ["with zero sizes", [L(300_000, 0), ...WIRE_BIDS], [...WIRE_ASKS, L(510_000, 0)]],
  ])("%s → the same book, best first in the quote", (_name, bids, asks) => {
    const q = booted(bids, asks).toQuote("ws");
    expect(q.bids).toEqual(BEST_FIRST_BIDS);
    expect(q.asks).toEqual(BEST_FIRST_ASKS);
  });

  it("a duplicated price keeps its last occurrence, as if applied in order", () => {
    const book = booted([L(480_000, 20), L(490_000, 10), L(480_000, 7)], []);
    expect(book.toQuote("ws").bids).toEqual([L(490_000, 10), L(480_000, 7)]);
  });

  it("a crossed snapshot is kept as sent and flagged", () => {
    const book = booted([L(510_000, 1)], [L(500_000, 1)]);
    expect([book.crossed, book.bestBid()?.price, book.bestAsk()?.price, book.spread()]).toEqual([true, 510_000, 500_000, -10_000]);
  });

  it("records tick size, last trade, hash and time; a later snapshot without them keeps tick and last trade", () => {
    const book = booted(WIRE_BIDS, WIRE_ASKS, { tickSize: "0.01", lastTradePrice: 490_000, hash: "h1" });
    expect([book.hasBook, book.tickSize, book.lastTrade(), book.snapshotHash, book.updatedAt]).toEqual([true, "0.01", 490_000, "h1", T0]);
    book.applySnapshot([], [], { timestamp: T0 + 5 });
    expect([book.tickSize, book.lastTrade(), book.snapshotHash, book.updatedAt, book.hasBook]).toEqual(["0.01", 490_000, undefined, T0 + 5, true]);
    expect([book.bestBid(), book.bestAsk(), book.crossed]).toEqual([undefined, undefined, false]);
  });
});

describe("applyChange", () => {
  it.each([
    ["new best bid", "BUY", 495_000, 3, [L(495_000, 3), ...BEST_FIRST_BIDS], BEST_FIRST_ASKS],
    ["new best ask", "SELL", 499_000, 4, BEST_FIRST_BIDS, [L(499_000, 4), ...BEST_FIRST_ASKS]],
    ["resize the best bid", "BUY", 490_000, 77, [L(490_000, 77), ...BEST_FIRST_BIDS.slice(1)], BEST_FIRST_ASKS],
    ["remove the best ask", "SELL", 500_000, 0, BEST_FIRST_BIDS, BEST_FIRST_ASKS.slice(1)],
    ["insert a middle bid", "BUY", 100_000, 1, [...BEST_FIRST_BIDS.slice(0, 2), L(100_000, 1), BEST_FIRST_BIDS[2]!], BEST_FIRST_ASKS],
    ["insert a worst ask", "SELL", 999_000, 2, BEST_FIRST_BIDS, [...BEST_FIRST_ASKS, L(999_000, 2)]],
    ["remove a missing level (no-op)", "BUY", 333_000, 0, BEST_FIRST_BIDS, BEST_FIRST_ASKS],
    ["remove the worst bid", "BUY", 10_000, 0, BEST_FIRST_BIDS.slice(0, 2), BEST_FIRST_ASKS],
    ["a bid that crosses the ask", "BUY", 505_000, 1, [L(505_000, 1), ...BEST_FIRST_BIDS], BEST_FIRST_ASKS],
  ] as const)("%s", (_name, side, price, size, bids, asks) => {
    const book = booted(WIRE_BIDS, WIRE_ASKS);
    expect(book.applyChange(side, price, size, T0 + 1)).toBe(true);
    const q = book.toQuote("ws");
    expect([q.bids, q.asks, q.updatedAt]).toEqual([bids, asks, T0 + 1]);
  });

  it("is ignored before the first snapshot (an absolute size cannot build a book)", () => {
    const book = new OrderBook("tok");
    expect(book.applyChange("BUY", 500_000, 10, T0)).toBe(false);
    expect([book.hasBook, book.bestBid(), book.depth("BUY"), book.updatedAt]).toEqual([false, undefined, 0, 0]);
  });

  it("matches a reference model over 20,000 random changes", () => {
    let x = 0x9e3779b9; // xorshift32: small, seeded, reproducible
    const rand = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const book = booted([], []);
    const model = { BUY: new Map<number, number>(), SELL: new Map<number, number>() };
    for (let i = 0; i < 20_000; i++) {
      const side = rand(2) === 0 ? "BUY" : "SELL";
      const price = (1 + rand(999)) * 1_000;
      const size = rand(4) === 0 ? 0 : rand(1e9) * 10_000;
      book.applyChange(side, price, size, T0 + i);
      if (size === 0) model[side].delete(price);
      else model[side].set(price, size);
    }
    const sorted = (m: Map<number, number>, dir: 1 | -1) => [...m].sort((a, b) => dir * (a[0] - b[0])).map(([p, s]) => L(p, s));
    const q = book.toQuote("ws");
    expect(q.bids).toEqual(sorted(model.BUY, -1));
    expect(q.asks).toEqual(sorted(model.SELL, 1));
    expect(q.bids.length).toBeGreaterThan(100);
  });
});

describe("invalidate (tick_size_change)", () => {
  it("answers no book until the next snapshot, keeps the new tick and the last trade", () => {
    const book = booted(WIRE_BIDS, WIRE_ASKS, { tickSize: "0.01", lastTradePrice: 490_000 });
    book.invalidate("0.001");
    expect([book.hasBook, book.bestBid(), book.bestAsk(), book.spread(), book.tickSize, book.lastTrade()]).toEqual([
      false, undefined, undefined, undefined, "0.001", 490_000,
    ]);
    expect(book.applyChange("BUY", 491_000, 1, T0 + 1)).toBe(false);
    expect(book.displayPrice()).toBe(490_000);
    expect(book.toQuote("ws")).toMatchObject({ bids: [], asks: [], tickSize: "0.001" });
    book.applySnapshot([L(491_000, 1)], [L(492_000, 1)], { timestamp: T0 + 2 });
    expect([book.hasBook, book.tickSize, book.bestBid()]).toEqual([true, "0.001", L(491_000, 1)]);
  });
});

describe("setLastTrade", () => {
  it("ignores a trade older than the one known", () => {
    const book = new OrderBook("tok");
    book.setLastTrade(500_000, T0 + 10);
    book.setLastTrade(400_000, T0 + 5);
    expect([book.lastTrade(), book.updatedAt]).toEqual([500_000, T0 + 10]);
    book.setLastTrade(450_000, T0 + 10);
    expect(book.lastTrade()).toBe(450_000);
  });
});

describe("displayPrice", () => {
  it.each([
    ["tight spread → midpoint", [L(490_000, 1)], [L(500_000, 1)], 123_000, 495_000],
    ["spread exactly 0.10 → midpoint (only WIDER switches)", [L(400_000, 1)], [L(500_000, 1)], 123_000, 450_000],
    ["spread 0.100001 → last trade", [L(400_000, 1)], [L(500_001, 1)], 123_000, 123_000],
    ["wide spread without a trade → undefined", [L(100_000, 1)], [L(900_000, 1)], undefined, undefined],
    ["midpoint off the micro grid rounds half-up", [L(500_000, 1)], [L(500_001, 1)], undefined, 500_001],
    ["only bids → last trade", [L(490_000, 1)], [], 480_000, 480_000],
    ["only asks → last trade", [], [L(490_000, 1)], 480_000, 480_000],
    ["empty book → last trade", [], [], 480_000, 480_000],
    ["empty book, no trade → undefined", [], [], undefined, undefined],
    ["crossed book → its midpoint", [L(510_000, 1)], [L(500_000, 1)], 123_000, 505_000],
  ])("%s", (_name, bids, asks, last, want) => {
    const book = booted(bids, asks, { lastTradePrice: last });
    expect(book.displayPrice()).toBe(want);
  });

  it("the threshold is $0.10 in micros", () => expect(DISPLAY_MAX_SPREAD).toBe(100_000));
});

describe("toQuote", () => {
  it("copies (later changes do not leak into a quote) and limits depth", () => {
    const book = booted(WIRE_BIDS, WIRE_ASKS, { tickSize: "0.01", lastTradePrice: 490_000 });
    const q = book.toQuote("poll", 2);
    book.applyChange("BUY", 490_000, 0, T0 + 1);
    expect(q).toEqual({
      tokenId: "tok",
      bids: BEST_FIRST_BIDS.slice(0, 2),
      asks: BEST_FIRST_ASKS.slice(0, 2),
      tickSize: "0.01",
      lastTradePrice: 490_000,
      updatedAt: T0,
      source: "poll",
    });
  });
});
