import { describe, expect, it } from "vitest";
import { gammaMarketSchema, parseMarkets, type GammaMarket } from "../polymarket/gamma-client";
import { gammaDate, normalizeMarket, normalizeMarkets, statDecimal, tickSizeOf, type MarketRecord, type NormalizeResult } from "./normalize";

interface Fs {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: "utf8"): string;
}
const NODE_FS = "node:fs";
const fs = (await import(NODE_FS)) as Fs;
const FIXTURES = "test/fixtures/polymarket/gamma/";
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(`${FIXTURES}${name}`, "utf8"));

const gm = (over: Record<string, unknown> = {}): GammaMarket =>
  gammaMarketSchema.parse({
    id: "7",
    question: "Will it?",
    conditionId: `0x${"ab".repeat(32)}`,
    outcomes: '["Yes", "No"]',
    outcomePrices: '["0.6", "0.4"]',
    clobTokenIds: '["111", "222"]',
    active: true,
    closed: false,
    acceptingOrders: true,
    enableOrderBook: true,
    orderPriceMinTickSize: 0.01,
    orderMinSize: 5,
    ...over,
  });

function ok(r: NormalizeResult): MarketRecord {
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.market;
}

describe("fixtures normalise to our market shape", () => {
  it("btc up/down (no version field: v1, clobTokenIds)", () => {
    const m = ok(normalizeMarket(gammaMarketSchema.parse(fixture("market_btc_updown_5m__nautilus_live_2026-03.json"))));
    expect(m).toMatchObject({
      id: "1557558",
      conditionId: "0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b",
      slug: "btc-updown-5m-1773307200",
      eventSlug: "btc-updown-5m-1773307200",
      eventTitle: "Bitcoin Up or Down - March 12, 5:20AM-5:25AM ET",
      outcomes: ["Up", "Down"],
      outcomePrices: ["0.505", "0.495"],
      tickSize: "0.01",
      negRisk: false,
      minOrderSize: "5",
      version: "v1",
      active: true,
      closed: false,
      acceptingOrders: true,
      volume: "9.999997",
      volume24hr: "9.999997",
      liquidity: "20328.3747",
      endDate: "2026-03-12T09:25:00.000Z",
      image: "https://polymarket-upload.s3.us-east-2.amazonaws.com/BTC+fullsize.png",
    });
    expect(m.tokenIds).toHaveLength(2);
  });

  it("closed sports market: closedTime converted, not accepting orders, 0.001 tick", () => {
    const m = ok(normalizeMarket(gammaMarketSchema.parse(fixture("market_sports_moneyline_closed__nautilus_live_2026-04.json"))));
    expect(m).toMatchObject({ closed: true, acceptingOrders: false, tickSize: "0.001", closedTime: "2026-04-05T19:37:33.000Z", outcomes: ["FaZe", "illwill"], outcomePrices: ["1", "0"] });
    // A live fee-enabled market: feesEnabled + feeSchedule {exponent: 1, rate: 0.03} (sports_fees_v2).
    expect(m).toMatchObject({ feeRate: "0.03", feeExponent: 1 });
  });

  it("event markets take the event's slug, title and category (Politics from its tags)", () => {
    const [event] = fixture("events_list__nautilus_live.json") as Array<Record<string, unknown>>;
    const { markets } = parseMarkets(event!.markets as unknown[]);
    const batch = normalizeMarkets(markets, { slug: event!.slug as string, title: event!.title as string, tags: event!.tags as [] });
    expect(batch).toMatchObject({ noTokens: 0, malformed: 0, unsupported: 0 });
    expect(batch.markets.map((m) => [m.id, m.eventSlug, m.category, m.negRisk, m.tickSize])).toEqual([
      ["559657", "democratic-presidential-nominee-2028", "Politics", true, "0.001"],
      ["559659", "democratic-presidential-nominee-2028", "Politics", true, "0.001"],
    ]);
  });
});

describe("normalizeMarket", () => {
  it.each([
    ["v2 takes positionIds", { version: "v2", positionIds: ["901", "902"] }, { version: "v2", tokenIds: ["901", "902"] }],
    ["v1 ignores positionIds", { version: "v1", positionIds: ["901", "902"] }, { tokenIds: ["111", "222"] }],
    ["missing prices are nulls", { outcomePrices: null }, { outcomePrices: [null, null] }],
    ["misaligned prices are nulls", { outcomePrices: '["0.6"]' }, { outcomePrices: [null, null] }],
    ["a non-decimal price is null", { outcomePrices: '["0.6", "abc"]' }, { outcomePrices: ["0.6", null] }],
    ["no order book means not accepting orders", { enableOrderBook: false }, { acceptingOrders: false }],
    ["absent acceptingOrders means not accepting", { acceptingOrders: undefined }, { acceptingOrders: false }],
    ["no fee schedule: fee-free", {}, { feeRate: "0", feeExponent: 1 }],
    ["a schedule without feesEnabled is not applied", { feeSchedule: { rate: 0.07, exponent: 1 } }, { feeRate: "0", feeExponent: 1 }],
    ["crypto_15_min: rate 0.25, exponent 2", { feesEnabled: true, feeSchedule: { rate: 0.25, exponent: 2, takerOnly: true } }, { feeRate: "0.25", feeExponent: 2 }],
    ["an unreadable rate counts as fee-free, not a failed market", { feesEnabled: true, feeSchedule: { rate: "x", exponent: 1 } }, { feeRate: "0", feeExponent: 1 }],
    ["absent tick and size take the defaults", { orderPriceMinTickSize: undefined, orderMinSize: undefined }, { tickSize: "0.01", minOrderSize: "5" }],
    ["tick as text", { orderPriceMinTickSize: "0.0025" }, { tickSize: "0.0025" }],
    ["explicit category wins", { category: "Sports", tags: [{ slug: "politics", label: "Politics" }] }, { category: "Sports" }],
    ["visible tag when no top-level one", { tags: [{ slug: "x", label: "Hidden", forceHide: true }, { slug: "y", label: "Shown" }] }, { category: "Shown" }],
    ["visible tag labels kept for search, each once", { tags: [{ slug: "x", label: "Hidden", forceHide: true }, { slug: "b", label: "Bitcoin" }, { slug: "c", label: " Crypto " }, { slug: "b2", label: "Bitcoin" }] }, { tags: ["Bitcoin", "Crypto"] }],
    ["icon when no image", { icon: "https://i/icon.png" }, { image: "https://i/icon.png" }],
  ])("%s", (_name, over, expected) => {
    expect(ok(normalizeMarket(gm(over)))).toMatchObject(expected);
  });

  it.each([
    ["no token ids yet", { clobTokenIds: "[]" }, "no_tokens"],
    ["token ids absent", { clobTokenIds: null }, "no_tokens"],
    ["no condition id yet", { conditionId: "" }, "no_tokens"],
    ["v2 without positionIds", { version: "v2" }, "no_tokens"],
    ["outcomes and tokens disagree", { outcomes: '["Yes", "No", "Maybe"]' }, "malformed"],
    ["a token id that is not decimal", { clobTokenIds: '["0x11", "222"]' }, "malformed"],
    ["duplicate token ids", { clobTokenIds: '["111", "111"]' }, "malformed"],
    ["a tick size off Polymarket's grids", { orderPriceMinTickSize: 0.03 }, "malformed"],
    ["an unknown protocol version", { version: "v3" }, "unsupported_version"],
  ])("skips %s (%s)", (_name, over, reason) => {
    const r = normalizeMarket(gm(over));
    expect(r.ok ? "ok" : r.reason).toBe(reason);
  });

  it("normalizeMarkets counts each kind of skip", () => {
    const batch = normalizeMarkets([gm(), gm({ clobTokenIds: "[]" }), gm({ version: "v9" }), gm({ outcomes: '["A"]' }), gm({ id: "8" })]);
    expect({ kept: batch.markets.map((m) => m.id), noTokens: batch.noTokens, unsupported: batch.unsupported, malformed: batch.malformed }).toEqual({
      kept: ["7", "8"],
      noTokens: 1,
      unsupported: 1,
      malformed: 1,
    });
  });
});

describe("helpers", () => {
  it.each([
    ["12232699.615479222", "12232699.615479222"],
    [25072.141289999992, "25072.141289999992"],
    [0, "0"],
    [1e-7, "0"],
    [1e21, null],
    ["123456789012345.5", null],
    [-1, null],
    ["1,000", null],
    [null, null],
    [undefined, null],
  ])("statDecimal(%j) → %j", (value, text) => {
    expect(statDecimal(value)).toBe(text);
  });

  it.each([
    [0.1, "0.1"],
    [0.01, "0.01"],
    [0.005, "0.005"],
    [0.0025, "0.0025"],
    [0.001, "0.001"],
    [0.0001, "0.0001"],
    ["0.010", "0.01"],
    [undefined, "0.01"],
    [0.02, undefined],
    ["abc", undefined],
  ])("tickSizeOf(%j) → %j", (value, tick) => {
    expect(tickSizeOf(value)).toBe(tick);
  });

  it.each([
    ["2026-04-05 19:37:33+00", "2026-04-05T19:37:33.000Z"],
    ["2026-04-05 19:37:33.258+00", "2026-04-05T19:37:33.258Z"],
    ["2026-03-12T09:25:00Z", "2026-03-12T09:25:00.000Z"],
    ["2028-11-07", "2028-11-07T00:00:00.000Z"],
    ["soon", null],
    ["", null],
    [null, null],
  ])("gammaDate(%j) → %j", (value, iso) => {
    expect(gammaDate(value)).toBe(iso);
  });
});
