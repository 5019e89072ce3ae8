import { describe, expect, it } from "vitest";
import { toMicros } from "../../money/micros";
import { complement, displayPrice, oneRead, type TokenTop } from "./price-read";

const m = (s: string) => toMicros(s);
const top = (bid: string | null, ask: string | null, at: number, source: TokenTop["source"] = "ws", last: string | null = null): TokenTop => ({
  bestBid: bid === null ? null : m(bid), bestAsk: ask === null ? null : m(ask), lastTrade: last === null ? null : m(last), source, at,
});
const listing = (prices: (string | null)[], at: number | null = 1_000) => ({ prices: prices.map((p) => (p === null ? null : m(p))), source: "gamma" as const, at });

describe("oneRead: both outcomes from one read (#23)", () => {
  it("a live Yes beside a stale No: both come from the fresher book, with its age", () => {
    // Yes read 2 s ago at 38/40¢; No last read 60 s ago at 69/72¢ (the book has moved since).
    const r = oneRead([top("0.38", "0.40", 58_000), top("0.69", "0.72", 0)], listing(["0.39", "0.705"]));
    expect(r.at).toBe(58_000);
    expect(r.source).toBe("ws");
    expect(r.outcomes[0]).toEqual({ price: m("0.39"), bestBid: m("0.38"), bestAsk: m("0.40") });
    expect(r.outcomes[1]).toEqual({ price: m("0.61"), bestBid: m("0.60"), bestAsk: m("0.62") });
  });

  it("the fresher book may be No's: Yes is derived from it", () => {
    const r = oneRead([top("0.30", "0.32", 0, "poll"), top("0.60", "0.62", 9_000, "rest")], listing(["0.31", "0.61"]));
    expect(r).toEqual({ source: "rest", at: 9_000, outcomes: [{ price: m("0.39"), bestBid: m("0.38"), bestAsk: m("0.40") }, { price: m("0.61"), bestBid: m("0.60"), bestAsk: m("0.62") }] });
  });

  it("no book at all: the listing row as one, with its time", () => {
    expect(oneRead([null, null], listing(["0.2", "0.8"], 5))).toEqual({ source: "gamma", at: 5, outcomes: [{ price: m("0.2"), bestBid: null, bestAsk: null }, { price: m("0.8"), bestBid: null, bestAsk: null }] });
  });

  it("a Gamma listing newer than every stored book wins (the streamer stopped following the market)", () => {
    const r = oneRead([top("0.38", "0.40", 1_000), top("0.60", "0.62", 500)], listing(["0.55", "0.45"], 9_000));
    expect(r).toEqual({ source: "gamma", at: 9_000, outcomes: [{ price: m("0.55"), bestBid: null, bestAsk: null }, { price: m("0.45"), bestBid: null, bestAsk: null }] });
    // A streamer-written listing row is never preferred to its own books (it is where the mix comes from).
    expect(oneRead([top("0.38", "0.40", 1_000), null], { ...listing(["0.39", "0.705"], 9_000), source: "ws" }).source).toBe("ws");
  });

  it("a wide spread shows the last trade, and its complement", () => {
    const r = oneRead([top("0.10", "0.40", 7, "ws", "0.33"), null], listing(["0.5", "0.5"], 0));
    expect(r.outcomes.map((o) => o.price)).toEqual([m("0.33"), m("0.67")]);
  });

  it("more than two outcomes: each book when all are known, aged by the oldest; else the listing", () => {
    const tops = [top("0.2", "0.22", 5), top("0.3", "0.32", 2), top("0.4", "0.42", 9)];
    const r = oneRead(tops, listing(["0.1", "0.1", "0.1"], 0));
    expect(r.at).toBe(2);
    expect(r.outcomes.map((o) => o.price)).toEqual([m("0.21"), m("0.31"), m("0.41")]);
    expect(oneRead([tops[0]!, null, tops[2]!], listing(["0.1", "0.2", "0.7"])).outcomes.map((o) => o.price)).toEqual([m("0.1"), m("0.2"), m("0.7")]);
  });

  it("displayPrice and complement on the edges", () => {
    expect(displayPrice(m("0.4"), m("0.5"), m("0.9"))).toBe(m("0.45"));
    expect(displayPrice(null, m("0.5"), null)).toBeNull();
    expect(complement({ price: null, bestBid: null, bestAsk: m("0.3") })).toEqual({ price: null, bestBid: m("0.7"), bestAsk: null });
  });
});
