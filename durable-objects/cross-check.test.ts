import { describe, expect, it } from "vitest";
import type { BookQuote } from "../workers/polymarket/types";
import { CROSSCHECK_GRACE_MS, CrossCheck, frozenBooks, type StreamTop } from "./cross-check";
import { Metrics } from "./metrics";

const rest = (tokenId: string, bid: number, ask: number): BookQuote => ({
  tokenId, bids: [{ price: bid, size: 1_000_000 }], asks: [{ price: ask, size: 1_000_000 }], tickSize: "0.01", lastTradePrice: undefined, updatedAt: 0, source: "rest",
});

describe("frozenBooks", () => {
  const stream = new Map<string, StreamTop>([
    ["moved-silent", { bid: 500_000, ask: 520_000, at: 1_000 }],
    ["same-silent", { bid: 500_000, ask: 520_000, at: 1_000 }],
    ["moved-spoke", { bid: 500_000, ask: 520_000, at: 9_500 }],
  ]);
  it("a REST book that moved while the stream said nothing is frozen; a quiet one, a fresh stream or no stream book is not", () => {
    const books = [rest("moved-silent", 380_000, 400_000), rest("same-silent", 500_000, 520_000), rest("moved-spoke", 380_000, 400_000), rest("unknown", 1, 2)];
    expect(frozenBooks(books, (t) => stream.get(t), 9_000).map((b) => b.tokenId)).toEqual(["moved-silent"]);
  });
});

describe("CrossCheck", () => {
  function rig(armed: string[], intervalMs = 3_000) {
    let now = 10_000;
    const fetched: string[][] = [];
    const frozen: string[][] = [];
    let answer: BookQuote[] = [];
    const c = new CrossCheck({
      intervalMs, metrics: new Metrics(), now: () => now, armedTokens: () => armed,
      fetchBooks: async (t) => (fetched.push(t), answer),
      streamTop: () => ({ bid: 500_000, ask: 520_000, at: 0 }),
      onFrozen: (books) => void frozen.push(books.map((b) => b.tokenId)),
    });
    return { c, fetched, frozen, setAnswer: (b: BookQuote[]) => (answer = b), advance: (ms: number) => (now += ms), now: () => now };
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it("fetches the armed tokens every interval and acts on frozen ones", async () => {
    const r = rig(["a", "b"]);
    r.setAnswer([rest("a", 380_000, 400_000), rest("b", 500_000, 520_000)]);
    r.c.tick(r.now());
    await settle();
    expect(r.fetched).toEqual([["a", "b"]]);
    expect(r.frozen).toEqual([["a"]]);
    r.advance(CROSSCHECK_GRACE_MS);
    r.c.tick(r.now()); // not due yet
    r.advance(3_000);
    r.c.tick(r.now());
    await settle();
    expect(r.fetched).toHaveLength(2);
  });

  it("checks nothing while nothing is armed, or when turned off", async () => {
    const idle = rig([]);
    idle.c.tick(idle.now());
    const off = rig(["a"], 0);
    off.c.tick(off.now());
    await settle();
    expect([idle.fetched, off.fetched]).toEqual([[], []]);
  });
});
