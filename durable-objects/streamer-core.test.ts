import { describe, expect, it } from "vitest";
import { toMicroInt } from "../workers/money/micros";
import { StreamerCore } from "./streamer-core";

const YES = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
const NO = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
const MARKET = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1";

const levels = (pairs: [string, string][]) => pairs.map(([price, size]) => ({ price, size }));
const book = (asset: string, bids: [string, string][], asks: [string, string][], ts = "1766481546000") => ({
  market: MARKET,
  asset_id: asset,
  timestamp: ts,
  hash: "0123456789abcdef0123456789abcdef01234567",
  bids: levels(bids),
  asks: levels(asks),
  tick_size: "0.01",
  last_trade_price: "0.50",
  event_type: "book",
});
const change = (ts: string, ...ch: [string, string, string, "BUY" | "SELL"][]) =>
  JSON.stringify({
    market: MARKET,
    price_changes: ch.map(([asset_id, price, size, side]) => ({ asset_id, price, size, side, hash: "ab", best_bid: "", best_ask: "" })),
    timestamp: ts,
    event_type: "price_change",
  });

function seeded() {
  const core = new StreamerCore();
  core.setMeta(
    [
      { tokenId: YES, marketId: "m1", outcomeIndex: 0, marketTokens: [YES, NO] },
      { tokenId: NO, marketId: "m1", outcomeIndex: 1, marketTokens: [YES, NO] },
    ],
    new Map([["m1", ["0.5", "0.5"]]]),
  );
  // Initial dump: an array of books, bids ascending and asks descending (best last).
  core.ingest(
    JSON.stringify([
      book(YES, [["0.48", "100"], ["0.49", "50"]], [["0.52", "80"], ["0.51", "40"]]),
      book(NO, [["0.48", "80"], ["0.49", "40"]], [["0.52", "100"], ["0.51", "50"]]),
    ]),
    1000,
  );
  return core;
}

describe("StreamerCore", () => {
  it("builds books from the initial dump and flushes display prices per market", () => {
    const core = seeded();
    expect(core.book(YES)!.bestBid()!.price).toBe(toMicroInt("0.49"));
    const flush = core.takeFlush(2000);
    expect(flush.markets).toEqual([{ id: "m1", prices: ["0.5", "0.5"], src: "ws" }]);
    expect(flush.tokens.map((t) => [t.token_id, t.bid, t.ask])).toEqual([
      [YES, "0.49", "0.51"],
      [NO, "0.49", "0.51"],
    ]);
    expect(core.takeFlush(3000).tokens).toEqual([]);
  });

  it("applies mirrored price changes of both outcomes and re-flushes only what changed", () => {
    const core = seeded();
    core.takeFlush(1500);
    core.ingest(change("1766481547000", [YES, "0.50", "30", "BUY"], [NO, "0.50", "30", "SELL"]), 2000);
    const flush = core.takeFlush(2500);
    expect(flush.markets).toEqual([{ id: "m1", prices: ["0.505", "0.495"], src: "ws" }]);
    expect(core.messages.get("price_change")).toBe(1);
  });

  it("fires a take profit once when the best bid crosses, with its source and receipt time", () => {
    const core = seeded();
    core.arm([{ id: 7, positionId: 70, userId: 1, onFailure: "rearm", tokenId: YES, kind: "take_profit", level: toMicroInt("0.50") }]);
    const r1 = core.ingest(change("1766481547000", [YES, "0.50", "30", "BUY"]), 5000);
    expect(r1.fired).toHaveLength(1);
    expect(r1.fired[0]).toMatchObject({ bid: toMicroInt("0.50"), source: "ws", receivedAt: 5000, level: toMicroInt("0.50") });
    // The same crossing delivered again fires nothing.
    expect(core.ingest(change("1766481547000", [YES, "0.50", "30", "BUY"]), 5001).fired).toEqual([]);
  });

  it("counts and drops garbage without touching books", () => {
    const core = seeded();
    for (const junk of ['{"event_type":"price_change","price_changes":[{"asset_id":1}]', "[1,2", "", '{"event_type":"weird"}', "x".repeat(1_000_000)]) {
      const r = core.ingest(junk, 3000);
      expect(r.dropped).toBe(1);
      expect(r.fired).toEqual([]);
    }
    expect(core.parseErrors).toBe(5);
    expect(core.book(YES)!.bestBid()!.price).toBe(toMicroInt("0.49"));
  });

  it("waits for a snapshot after a tick size change, and polled books use the same path", () => {
    const core = seeded();
    core.ingest(JSON.stringify({ event_type: "tick_size_change", market: MARKET, asset_id: YES, old_tick_size: "0.01", new_tick_size: "0.001", timestamp: "1766481548000" }), 4000);
    expect(core.quote(YES)).toBeUndefined();
    core.arm([{ id: 1, positionId: 1, userId: 1, onFailure: "rearm", tokenId: YES, kind: "stop_loss", level: toMicroInt("0.45") }]);
    const fired = core.ingestPolled(
      { tokenId: YES, bids: [{ price: toMicroInt("0.445"), size: 1_000_000 }], asks: [{ price: toMicroInt("0.45"), size: 1_000_000 }], tickSize: "0.001", lastTradePrice: undefined, updatedAt: 1766481549000, source: "rest" },
      6000,
    );
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ source: "poll", receivedAt: 6000 });
    expect(core.quote(YES)).toMatchObject({ source: "poll", tickSize: "0.001" });
  });

  it("restores dirty tokens after a failed flush", () => {
    const core = seeded();
    const first = core.takeFlush(2000);
    core.restoreDirty(first.taken);
    expect(core.takeFlush(3000).tokens).toHaveLength(2);
  });

  it("a dropped token leaves the pending flush, and a restore does not bring it back", () => {
    const core = seeded();
    expect(core.dirtyCount).toBe(2);
    core.dropToken(NO);
    expect(core.dirtyCount).toBe(1);
    const flush = core.takeFlush(2000);
    expect(flush.taken).toEqual([YES]);
    core.restoreDirty([YES, NO]);
    expect(core.takeFlush(3000).taken).toEqual([YES]);
    // A token seen again after the drop starts a new book, dirty once however often it changes.
    core.ingest(JSON.stringify(book(NO, [["0.40", "10"]], [["0.60", "10"]])), 4000);
    core.ingest(change("1766481547000", [NO, "0.41", "5", "BUY"]), 4001);
    core.ingest(change("1766481547001", [NO, "0.42", "5", "BUY"]), 4002);
    expect(core.takeFlush(5000).tokens.map((t) => [t.token_id, t.bid])).toEqual([[NO, "0.42"]]);
  });

  it("a trigger armed on a token already priced without one is checked on the next move, and not after it fired", () => {
    const core = seeded();
    // Moves while nothing watches the token.
    expect(core.ingest(change("1766481547000", [YES, "0.49", "60", "BUY"]), 2000).fired).toEqual([]);
    core.arm([{ id: 9, positionId: 90, userId: 1, onFailure: "rearm", tokenId: YES, kind: "stop_loss", level: toMicroInt("0.47") }]);
    expect(core.ingest(change("1766481547001", [YES, "0.49", "70", "BUY"]), 2001).fired).toEqual([]);
    // The bid falls to 0.47: both upper levels removed.
    const r = core.ingest(change("1766481547002", [YES, "0.49", "0", "BUY"], [YES, "0.48", "0", "BUY"], [YES, "0.47", "10", "BUY"]), 2002);
    expect(r.fired.map((f) => [f.trigger.id, f.bid, f.prevBid])).toEqual([[9, toMicroInt("0.47"), toMicroInt("0.49")]]); // the bid before this frame
    expect(core.ingest(change("1766481547003", [YES, "0.46", "10", "BUY"], [YES, "0.47", "0", "BUY"]), 2003).fired).toEqual([]);
    // Armed again (a failed sale re-arms): the next crossing fires again.
    core.arm([{ id: 9, positionId: 90, userId: 1, onFailure: "rearm", tokenId: YES, kind: "stop_loss", level: toMicroInt("0.47") }]);
    expect(core.ingest(change("1766481547004", [YES, "0.46", "11", "BUY"]), 2004).fired.map((f) => f.trigger.id)).toEqual([9]);
  });
});
