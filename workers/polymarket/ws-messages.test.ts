import { describe, expect, it } from "vitest";
import type { MarketEvent } from "./ws-events";
import { MAX_FRAME_ERRORS, parseMarketEvent, parseMarketEventSlow, parseMarketFrame, RAW_EXCERPT_CHARS } from "./ws-messages";

const AT = 1_766_481_547_000;

/** The few node:fs calls used here; imported by a computed name because the Worker type check has no Node types. */
interface Fs {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: "utf8"): string;
}
const NODE_FS = "node:fs";
const fs = (await import(NODE_FS)) as Fs;

/** The repository's copy of the captured fixtures (provenance in test/fixtures/polymarket/SOURCES.md). */
const FIXTURE_DIR = "test/fixtures/polymarket/ws_market/";

function only(raw: string): MarketEvent {
  const parsed = parseMarketFrame(raw, AT);
  expect(parsed.errors).toEqual([]);
  expect(parsed.events).toHaveLength(1);
  return parsed.events[0]!;
}

const YES = "52114319501245915516055106046884209969926127482827954674443846427813813222426";

/** What each fixture must become: its type and a few key normalised values. */
const FIXTURES: Record<string, (e: MarketEvent) => void> = {
  "best_bid_ask__nautilus_docs_example.json": (e) =>
    expect(e).toMatchObject({ type: "best_bid_ask", bestBid: 730_000, bestAsk: 770_000, spread: 40_000, timestamp: 1_766_789_469_958 }),
  "book__nautilus_live_2024-10.json": (e) => {
    if (e.type !== "book") throw new Error(e.type);
    expect(e).toMatchObject({ hash: "655a38d4977427b086c25b985993691b753ed166", tickSize: undefined, lastTradePrice: undefined });
    expect(e.assetId).toBe("48331043336612883890938759509493159234755048973500640148014422747788308965732");
    expect([e.bids.length, e.asks.length, e.timestamp]).toEqual([76, 86, 1_728_799_418_260]);
    // Wire order is kept: best bid and best ask are the LAST elements.
    expect(e.bids.at(-1)).toEqual({ price: 511_000, size: 1_304_720_000 });
    expect(e.asks.at(-1)).toEqual({ price: 514_000, size: 20_230_870_000 });
    expect(e.asks[0]).toEqual({ price: 999_000, size: 10_500_100_000_000 });
  },
  "last_trade_price__nautilus_live_2024-08.json": (e) =>
    expect(e).toMatchObject({ type: "last_trade_price", price: 491_000, size: 85_360_000, side: "SELL", feeRateBps: 0, transactionHash: undefined }),
  "market_resolved__nautilus_unverified.json": (e) =>
    expect(e).toMatchObject({
      type: "market_resolved",
      id: "1031769",
      winningAssetId: "76043073756653678226373981964075571318267289248134717369284518995922789326425",
      winningOutcome: "Yes",
      assetIds: expect.arrayContaining(["31690934263385727664202099278545688007799199447969475608906331829650099442770"]),
    }),
  "new_market__nautilus_2025-12.json": (e) =>
    expect(e).toMatchObject({
      type: "new_market",
      id: "1031769",
      market: "0x311d0c4b6671ab54af4970c06fcf58662516f5168997bdda209ec3db5aa6b0c1",
      outcomes: ["Yes", "No"],
      tickSize: "0.01",
      active: true,
      tags: ["stocks"],
      timestamp: 1_766_790_415_550,
    }),
  "price_change__schema0_flat__nautilus_live_2024-08.json": (e) =>
    expect(e).toMatchObject({
      type: "price_change",
      timestamp: 1_723_967_931_411,
      changes: [
        {
          assetId: "48331043336612883890938759509493159234755048973500640148014422747788308965732",
          side: "SELL",
          price: 514_000,
          size: 21_574_080_000,
          bestBid: undefined,
          bestAsk: undefined,
        },
      ],
    }),
  "price_change__schema1_changes__nautilus_docsderived_2024-10.json": (e) =>
    expect(e).toMatchObject({
      type: "price_change",
      changes: [
        { assetId: YES, side: "BUY", price: 600_000, size: 3_300_000_000 },
        { assetId: YES, side: "BUY", price: 500_000, size: 3_400_000_000 },
        { assetId: YES, side: "BUY", price: 700_000, size: 3_400_000_000 },
      ],
    }),
  "price_change__schema2_price_changes__nautilus_docsderived.json": (e) => {
    if (e.type !== "price_change") throw new Error(e.type);
    expect(e.changes).toHaveLength(3);
    expect(e.changes[2]).toEqual({ assetId: YES, side: "BUY", price: 700_000, size: 3_400_000_000, bestBid: 600_000, bestAsk: 700_000 });
  },
  "tick_size_change__nautilus_live_2025-02.json": (e) =>
    expect(e).toMatchObject({ type: "tick_size_change", oldTickSize: "0.01", newTickSize: "0.001", timestamp: 1_739_068_041_853 }),
};

describe("parseMarketFrame on every captured fixture", () => {
  const dir = FIXTURE_DIR;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));

  it("knows every fixture file", () => {
    expect(files.sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(files)("%s", (file) => {
    const raw = fs.readFileSync(dir + file, "utf8");
    const event = only(raw);
    // The hand-written fast path (where it applies) answers exactly what the zod definition answers.
    const value: unknown = JSON.parse(raw);
    expect(parseMarketEvent(value, AT)).toStrictEqual(parseMarketEventSlow(value, AT));
    expect(event.receivedAt).toBe(AT);
    FIXTURES[file]!(event);
    // The same object wrapped in an array (how initial dumps and mixed frames arrive) parses the same.
    expect(only(`[${raw}]`)).toEqual(event);
  });
});

const A1 = "25242362785101435012361785612543129874601274509823461905719284612903461290346";
const A2 = "20161290347612983476129837461298374612983746129837461298374612983746129834761";
const MKT = "0x0936a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e";

function bookJson(asset: string, bestBid: string, bestAsk: string): Record<string, unknown> {
  return {
    market: MKT,
    asset_id: asset,
    timestamp: "1766481540000",
    hash: "0123456789abcdef0123456789abcdef01234567",
    bids: [
      { price: "0.01", size: "1000" },
      { price: bestBid, size: "55.5" },
    ],
    asks: [
      { price: "0.99", size: "1000" },
      { price: bestAsk, size: "12" },
    ],
    event_type: "book",
    tick_size: "0.01",
    last_trade_price: "0.490",
  };
}

describe("realistic current frames", () => {
  it("initial dump: an array of books with tick_size and last_trade_price", () => {
    const raw = JSON.stringify([bookJson(A1, "0.49", "0.5"), bookJson(A2, "0.5", "0.51")]);
    const { events, dropped } = parseMarketFrame(raw, AT);
    expect(dropped).toBe(0);
    expect(events.map((e) => e.type === "book" && [e.assetId, e.tickSize, e.lastTradePrice, e.bids.at(-1)?.price])).toEqual([
      [A1, "0.01", 490_000, 490_000],
      [A2, "0.01", 490_000, 500_000],
    ]);
  });

  it("price_changes[] with both outcomes of a market in one frame", () => {
    const raw =
      `{"market":"${MKT}","price_changes":[` +
      `{"asset_id":"${A1}","price":"0.49","size":"55","side":"BUY","hash":"56621a121a47ed9333273e21c83b660cff37ae50","best_bid":"0.49","best_ask":"0.5"},` +
      `{"asset_id":"${A2}","price":"0.51","size":"0","side":"SELL","hash":"1895759e4df7a796bf4f1c5a5950b748306923e2","best_bid":"","best_ask":"0.52"}],` +
      `"timestamp":"1766481546776","event_type":"price_change"}`;
    expect(only(raw)).toEqual({
      type: "price_change",
      market: MKT,
      timestamp: 1_766_481_546_776,
      receivedAt: AT,
      changes: [
        { assetId: A1, side: "BUY", price: 490_000, size: 55_000_000, bestBid: 490_000, bestAsk: 500_000 },
        { assetId: A2, side: "SELL", price: 510_000, size: 0, bestBid: undefined, bestAsk: 520_000 },
      ],
    });
  });

  it("an array mixing price_change and last_trade_price keeps the order", () => {
    const raw = JSON.stringify([
      { market: MKT, price_changes: [{ asset_id: A1, price: "0.5", size: "10", side: "SELL", hash: "h", best_bid: "0.49", best_ask: "0.5" }], timestamp: "1766481546777", event_type: "price_change" },
      { asset_id: A1, event_type: "last_trade_price", fee_rate_bps: "", market: MKT, price: "0.5", side: "BUY", size: "5", timestamp: "1766481546778", transaction_hash: "0xabc" },
    ]);
    const { events } = parseMarketFrame(raw, AT);
    expect(events.map((e) => e.type)).toEqual(["price_change", "last_trade_price"]);
    expect(events[1]).toMatchObject({ price: 500_000, size: 5_000_000, feeRateBps: undefined, transactionHash: "0xabc" });
  });

  it.each([
    ["book last_trade_price", { ...bookJson(A1, "0.49", "0.5"), last_trade_price: "" }, { lastTradePrice: undefined }],
    ["best_bid_ask", { event_type: "best_bid_ask", market: MKT, asset_id: A1, best_bid: "", best_ask: "0.5", spread: "", timestamp: "1" }, { bestBid: undefined, bestAsk: 500_000, spread: undefined }],
    ["book tick_size", { ...bookJson(A1, "0.49", "0.5"), tick_size: "" }, { tickSize: undefined }],
    ["book with an unknown grid", { ...bookJson(A1, "0.49", "0.5"), tick_size: "0.02" }, { tickSize: undefined }],
    ["book tick written long", { ...bookJson(A1, "0.49", "0.5"), tick_size: "0.0100" }, { tickSize: "0.01" }],
  ])('"" and unknown optional decimals: %s', (_name, frame, want) => {
    expect(only(JSON.stringify(frame))).toMatchObject(want);
  });

  it.each([
    ["PONG", "PONG"],
    ["NO NEW ASSETS", "NO NEW ASSETS"],
    ["PONG\n", "PONG"],
  ])("text frame %j is control, not an error", (raw, control) => {
    expect(parseMarketFrame(raw, AT)).toEqual({ events: [], control, dropped: 0, errors: [] });
  });

  it("an empty array is nothing, not an error", () => {
    expect(parseMarketFrame("[]", AT)).toEqual({ events: [], dropped: 0, errors: [] });
  });
});

const GOOD_PC = { market: MKT, price_changes: [{ asset_id: A1, price: "0.5", size: "1", side: "BUY" }], timestamp: "1", event_type: "price_change" };
const pc = (change: Record<string, unknown>) => JSON.stringify({ ...GOOD_PC, price_changes: [{ ...GOOD_PC.price_changes[0], ...change }] });

describe("malformed frames are dropped with a reason, never thrown", () => {
  it.each([
    ["empty", "", /empty frame/],
    ["truncated JSON", '{"event_type":"book","market":"0x', /invalid JSON/],
    ["plain text", "hello", /invalid JSON/],
    ["null", "null", /not an object/],
    ["a number", "42", /not an object/],
    ["a string", '"book"', /not an object/],
    ["no event_type", '{"market":"x"}', /missing event_type/],
    ["event_type not a string", '{"event_type":7}', /missing event_type/],
    ["unknown event type", '{"event_type":"order"}', /unknown event_type "order"/],
    ["prototype key as type", '{"event_type":"__proto__"}', /unknown event_type/],
    ["price as a number", pc({ price: 0.5 }), /price_changes\.0\.price/],
    ["price above 1", pc({ price: "1.5" }), /price_changes\.0\.price/],
    ["price zero", pc({ price: "0" }), /price_changes\.0\.price/],
    ["price with exponent", pc({ price: "5e-1" }), /price_changes\.0\.price/],
    ["negative size", pc({ size: "-1" }), /price_changes\.0\.size/],
    ["seven decimals", pc({ size: "1.0000001" }), /price_changes\.0\.size/],
    ["lower-case side", pc({ side: "buy" }), /price_changes\.0\.side/],
    ["empty asset id", pc({ asset_id: "" }), /price_changes\.0\.asset_id/],
    ["best_bid garbage", pc({ best_bid: "x" }), /price_changes\.0\.best_bid/],
    ["a bad change in the older changes[] schema", '{"event_type":"price_change","market":"m","asset_id":"1","timestamp":"1","changes":[{"price":"2","size":"1","side":"BUY"}]}', /^changes\.0\.price/],
    ["timestamp with letters", JSON.stringify({ ...GOOD_PC, timestamp: "17664x" }), /timestamp/],
    ["book without asks", JSON.stringify({ ...bookJson(A1, "0.49", "0.5"), asks: undefined }), /asks/],
    ["book level not an object", JSON.stringify({ ...bookJson(A1, "0.49", "0.5"), bids: ["0.5"] }), /bids\.0/],
    ["tick_size_change to an unknown grid", '{"event_type":"tick_size_change","market":"m","asset_id":"1","new_tick_size":"0.02","timestamp":"1"}', /new_tick_size/],
  ])("%s", (_name, raw, reason) => {
    const parsed = parseMarketFrame(raw, AT);
    expect(parsed.events).toEqual([]);
    expect(parsed.dropped).toBe(1);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.reason).toMatch(reason);
    expect(parsed.errors[0]!.raw).toBe(raw.slice(0, RAW_EXCERPT_CHARS));
  });

  it("one bad element of an array drops only itself", () => {
    const good = JSON.parse(pc({})) as object;
    const raw = JSON.stringify([good, 42, { event_type: "nope" }, [good], good]);
    const parsed = parseMarketFrame(raw, AT);
    expect(parsed.events).toHaveLength(2);
    expect(parsed.dropped).toBe(3);
    expect(parsed.errors.map((e) => [e.reason, e.raw])).toEqual([
      ["not an object", "42"],
      ['unknown event_type "nope"', '{"event_type":"nope"}'],
      ["not an object", `[${JSON.stringify(good)}]`.slice(0, RAW_EXCERPT_CHARS)],
    ]);
  });

  it("1 MB of junk costs one drop and a 200-character excerpt", () => {
    const junk = "x".repeat(1 << 20);
    const parsed = parseMarketFrame(junk, AT);
    expect(parsed.dropped).toBe(1);
    expect(parsed.errors[0]!.raw).toHaveLength(RAW_EXCERPT_CHARS);
  });

  it("a huge array of junk counts every element but keeps few descriptions", () => {
    const parsed = parseMarketFrame(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ event_type: `x${i}`, pad: "y".repeat(500) }))), AT);
    expect(parsed.dropped).toBe(5000);
    expect(parsed.errors).toHaveLength(MAX_FRAME_ERRORS);
    expect(parsed.errors.every((e) => e.raw.length <= RAW_EXCERPT_CHARS)).toBe(true);
  });

  it("deeply nested arrays do not throw", () => {
    const raw = "[".repeat(5000) + "]".repeat(5000);
    expect(parseMarketFrame(raw, AT)).toMatchObject({ events: [], dropped: 1 });
  });
});
