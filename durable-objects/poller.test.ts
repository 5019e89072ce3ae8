import { describe, expect, it } from "vitest";
import type { BookQuote } from "../workers/polymarket/types";
import { Metrics } from "./metrics";
import { BOOKS_PER_REQUEST, Poller } from "./poller";

const quote = (tokenId: string): BookQuote => ({ tokenId, bids: [], asks: [], tickSize: "0.01", lastTradePrice: undefined, updatedAt: 0, source: "rest" });
const settle = () => new Promise((r) => setTimeout(r, 0));

function poller(fetchBooks: (t: string[]) => Promise<BookQuote[]>) {
  const got: string[] = [];
  const metrics = new Metrics();
  const p = new Poller({ intervalMs: 3_000, metrics, now: () => 42, fetchBooks, onBook: (q, at) => got.push(`${q.tokenId}@${at}`) });
  return { p, got, metrics };
}

describe("Poller", () => {
  it("polls at its cadence, in requests of at most 500 tokens, and stops when the stream covers everything", async () => {
    const calls: number[] = [];
    const { p, got, metrics } = poller(async (t) => (calls.push(t.length), t.map(quote)));
    const tokens = Array.from({ length: BOOKS_PER_REQUEST + 20 }, (_, i) => `t${i}`);
    p.tick(10_000, tokens);
    await settle();
    await settle();
    expect([p.active, calls, got.length, got[0]]).toEqual([true, [500, 20], 520, "t0@42"]);
    p.tick(11_000, tokens); // within the interval
    expect(calls).toHaveLength(2);
    p.tick(13_000, []); // the stream is back
    expect([p.active, calls.length, metrics.value("polycool_poll_tokens_total")]).toEqual([false, 2, 520]);
  });

  it("never overlaps polls, and counts a failed request without throwing", async () => {
    let release!: () => void;
    const { p, metrics } = poller(() => new Promise((_, reject) => (release = () => reject(new Error("503")))));
    p.tick(10_000, ["a"]);
    p.tick(20_000, ["a"]); // the first is still in flight
    expect(metrics.value("polycool_poll_requests_total")).toBe(1);
    release();
    await settle();
    await settle();
    expect([p.errors, p.inflight, metrics.value("polycool_poll_errors_total")]).toEqual([1, false, 1]);
  });
});
