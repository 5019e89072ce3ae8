import { describe, expect, it } from "vitest";
import type { BookQuote } from "../workers/polymarket/types";
import { Metrics } from "./metrics";
import { PriceFlusher } from "./price-flusher";
import type { FlushCounts, TokenPriceRow } from "./price-statement";
import { StreamerCore } from "./streamer-core";

const quote = (tokenId: string, bid: number): BookQuote => ({
  tokenId, bids: [{ price: bid, size: 1_000_000 }], asks: [{ price: bid + 10_000, size: 1_000_000 }], tickSize: "0.01", lastTradePrice: undefined, updatedAt: 0, source: "poll",
});

function flusher(fail: () => boolean) {
  const core = new StreamerCore();
  const metrics = new Metrics();
  const writes: TokenPriceRow[][] = [];
  let now = 0;
  const f = new PriceFlusher({
    core, metrics, everyMs: 1_000, now: () => now,
    write: async (tokens): Promise<FlushCounts> => {
      if (fail()) throw new Error("Postgres is down");
      writes.push(tokens);
      return { markets: 0, tokens: tokens.length, positions: 2 };
    },
  });
  return { f, core, metrics, writes, at: (t: number) => (now = t) };
}

describe("PriceFlusher", () => {
  it("writes what changed once per debounce window, the latest price of each token", async () => {
    const { f, core, writes, at, metrics } = flusher(() => false);
    core.ingestPolled(quote("A", 400_000), 0);
    core.ingestPolled(quote("A", 410_000), 0);
    await f.maybeFlush(at(1_000));
    expect(writes.map((w) => w.map((t) => [t.token_id, t.bid]))).toEqual([[["A", "0.41"]]]);
    core.ingestPolled(quote("B", 500_000), 0);
    await f.maybeFlush(at(1_500)); // inside the window: waits
    expect(writes).toHaveLength(1);
    await f.maybeFlush(at(2_000));
    expect(writes).toHaveLength(2);
    await f.maybeFlush(at(9_000)); // nothing dirty: no statement
    expect(writes).toHaveLength(2);
    expect([metrics.value("polycool_flushes_total", { result: "ok" }), metrics.value("polycool_position_updates_total")]).toEqual([2, 4]);
  });

  it("a failed flush keeps the prices dirty and backs off (1 s, 2 s, 4 s …, at most 10 s); success resets it", async () => {
    let down = true;
    const { f, core, writes, at, metrics } = flusher(() => down);
    core.ingestPolled(quote("A", 400_000), 0);
    await f.maybeFlush(at(1_000)); // fails: next try 2 s after
    await f.maybeFlush(at(2_500));
    expect(metrics.value("polycool_flushes_total", { result: "error" })).toBe(1);
    await f.maybeFlush(at(3_000)); // fails again: next try 4 s after
    core.ingestPolled(quote("A", 420_000), 0);
    await f.maybeFlush(at(6_999));
    expect([metrics.value("polycool_flushes_total", { result: "error" }), f.statusInput(7_000).failures]).toEqual([2, 2]);
    down = false;
    await f.maybeFlush(at(7_000));
    expect(writes.map((w) => w.map((t) => t.bid))).toEqual([["0.42"]]);
    expect(f.statusInput(7_000)).toMatchObject({ failures: 0, pending: 0 });
  });
});
