import { describe, expect, it } from "vitest";
import { NO_FEE } from "../money/fees";
import { fromMicros, toMicros } from "../money/micros";
import type { PostOrderResult, VenueOrder as ClobOrder, VenueTrade } from "../polymarket/clob-client";
import { classifyError } from "../polymarket/errors";
import { answerFromError, answerFromPost, feeFromTrades, fillFromTrades, lookupFromVenue } from "./live-answers";
import type { RecordedOrder, VenueOrder } from "./ports";
import { book } from "../../test/support/trading";

const m = (s: string) => toMicros(s);
const YES = "21742633143463906290569050155826241533067272736897614950488156847949938836455";
const NO = "48331043336612883890938759509493159234755048973500640148014422747788308965732";
const HASH = "0x3ad09f225ebe141dfbdb3824f31cb457e8e0301ca4e0a06311e543f5328b9dea";

const order = (side: "BUY" | "SELL", amount: string, orderType: "FOK" | "FAK" = "FAK"): VenueOrder => ({
  clientOrderId: "c", userId: 1, side, amount: m(amount), worstPrice: m("0.6"), orderType, book: book(YES, {}),
  market: { marketId: "1", conditionId: "0x", tokenId: YES, outcome: "Yes", tickSize: "0.01", negRisk: false, version: "v1", minOrderSize: m("5"), tradeable: true, fees: NO_FEE },
});
const post = (status: PostOrderResult["status"], makingAmount: string, takingAmount: string): PostOrderResult => ({
  orderId: HASH, status, makingAmount, takingAmount, transactionHashes: [], tradeIds: [], errorMsg: undefined,
});

describe("answerFromPost", () => {
  it.each([
    ["BUY matched (venue's own example: 9.999999 for 10)", order("BUY", "10"), post("matched", "9.999999", "14.925372"), { kind: "filled", shares: m("14.925372"), usdc: m("9.999999"), complete: true }],
    ["BUY FAK half filled", order("BUY", "10"), post("matched", "5", "10"), { kind: "filled", shares: m("10"), usdc: m("5"), complete: false }],
    ["SELL matched", order("SELL", "20"), post("matched", "20", "9.4"), { kind: "filled", shares: m("20"), usdc: m("9.4"), complete: true }],
    ["FOK matched is complete", order("SELL", "20", "FOK"), post("matched", "19.99", "9"), { kind: "filled", complete: true }],
    ["delayed", order("BUY", "10"), post("delayed", "0", "0"), { kind: "in_flight", venueStatus: "delayed" }],
    ["live (should not happen for FOK/FAK)", order("BUY", "10"), post("live", "0", "0"), { kind: "in_flight", venueStatus: "live" }],
    ["unmatched", order("BUY", "10"), post("unmatched", "0", "0"), { kind: "rejected", reason: "not_filled" }],
    ["more than the order allowed", order("BUY", "10"), post("matched", "10000000", "20000000"), { kind: "in_flight", code: "implausible_amounts" }],
    ["unreadable amounts", order("BUY", "10"), post("matched", "1e3", "2"), { kind: "in_flight", code: "unreadable_amounts" }],
    ["zero shares", order("BUY", "10"), post("matched", "10", "0"), { kind: "in_flight", code: "implausible_amounts" }],
  ] as const)("%s", (_name, o, r, want) => {
    expect(answerFromPost(o, r)).toMatchObject(want);
  });
});

describe("answerFromError", () => {
  it.each([
    [400, "not enough balance / allowance", { kind: "rejected", reason: "insufficient_balance" }],
    [400, "order couldn't be fully filled. FOK orders are fully filled or killed.", { kind: "rejected", reason: "fok_not_filled" }],
    [400, "invalid amount for a marketable BUY order ($0.5), min size: $1", { kind: "rejected", reason: "below_minimum" }],
    [400, "invalid signature", { kind: "rejected", reason: "venue_rejected", message: "invalid signature" }],
    [400, "maker address not allowed, please use the deposit wallet flow", { kind: "rejected", reason: "deposit_wallet_required" }],
    [503, "Trading is currently disabled. Check polymarket.com for updates", { kind: "rejected", reason: "trading_disabled" }],
    [429, "Too Many Requests", { kind: "rejected", reason: "rate_limited", retryAfterMs: 3000 }],
    [500, "Internal Server Error", { kind: "in_flight", venueStatus: "unknown", code: "server_error" }],
    [0, "", { kind: "in_flight", code: "timeout" }],
  ] as const)("%i %s", (status, message, want) => {
    const e = classifyError({ status, venueMessage: message, kind: "submit", retryAfterMs: 3000, ...(status === 0 ? { code: "timeout" as const } : {}) });
    expect(answerFromError(e)).toMatchObject(want);
  });
});

const maker = (asset: string, amount: string, price: string) => ({ order_id: "0x1", matched_amount: amount, price, asset_id: asset, owner: null, maker_address: null, fee_rate_bps: "0", outcome: null, side: null });
const trade = (over: Partial<VenueTrade> = {}): VenueTrade =>
  ({ id: "t", taker_order_id: HASH, asset_id: YES, side: "BUY", size: "0", price: "0.518", status: "MATCHED", maker_orders: [], ...over }) as VenueTrade;

describe("fillFromTrades", () => {
  it("sums the makers, pricing a complement-outcome maker at 1 − price (the multi-maker live trade)", () => {
    const t = trade({
      size: "1096.87",
      maker_orders: [maker(NO, "10", "0.482"), maker(YES, "247.68", "0.518"), maker(YES, "227.92", "0.518"), maker(YES, "5", "0.518"), maker(YES, "394.46", "0.518"), maker(YES, "211.81", "0.518")],
    });
    const f = fillFromTrades([t], HASH.toUpperCase().replace("0X", "0x"), YES, "BUY")!;
    expect([fromMicros(f.shares), fromMicros(f.usdc)]).toEqual(["1096.87", "568.17866"]);
  });

  it("ignores other orders' and failed trades, uses the trade itself without makers, rounds by side", () => {
    const trades = [trade({ taker_order_id: "0xother", size: "5" }), trade({ status: "FAILED", size: "5" }), trade({ size: "3.333333", price: "0.333333" })];
    expect(fillFromTrades(trades, HASH, YES, "BUY")).toEqual({ shares: m("3.333333"), usdc: m("1.111110") });
    expect(fillFromTrades(trades, HASH, YES, "SELL")).toEqual({ shares: m("3.333333"), usdc: m("1.111109") });
    expect(fillFromTrades([], HASH, YES, "BUY")).toBeNull();
  });
});

describe("feeFromTrades", () => {
  const s07 = { rate: m("0.07"), exponent: 1 };
  it("charges each maker fill at its price with the rate the trade reports, rounded per fill", () => {
    // 10 NO @ 0.482 is 10 YES @ 0.518: p(1−p) is the same; 10 × 0.04 × 0.249676 = 0.0998704 → 0.09987
    const t = trade({ size: "20", fee_rate_bps: "400", maker_orders: [maker(NO, "10", "0.482"), maker(YES, "10", "0.518")] });
    expect(fromMicros(feeFromTrades([t], HASH, s07))).toBe("0.19974");
  });
  it("a trade that reports 0 or no rate owes the market's schedule; other orders' and failed trades owe nothing", () => {
    const trades = [trade({ size: "100", price: "0.5", fee_rate_bps: "0" }), trade({ size: "100", price: "0.5" }), trade({ taker_order_id: "0xother", size: "100" }), trade({ status: "FAILED", size: "100" })];
    expect(fromMicros(feeFromTrades(trades, HASH, s07))).toBe("3.5");
    expect(feeFromTrades(trades, HASH, NO_FEE)).toBe(0n);
  });
});

describe("lookupFromVenue", () => {
  const rec = (side: "BUY" | "SELL" = "BUY"): RecordedOrder => ({
    id: 1, clientOrderId: "c", userId: 1, tokenId: YES, side, requestedAmount: m("10"), worstPrice: m("0.6"), venueOrderId: HASH, createdAt: new Date(1_000_000),
  });
  const venue = (status: string, matched: string): ClobOrder =>
    ({ id: HASH, status, asset_id: YES, side: "BUY", original_size: "20", size_matched: matched, price: "0.6", associate_trades: [] }) as unknown as ClobOrder;
  const filled = [trade({ size: "20", maker_orders: [maker(YES, "20", "0.5")] })];
  const at = (ms: number) => ({ now: 1_000_000 + ms, graceMs: 60_000, tradesWaitMs: 600_000 });

  it.each([
    ["unknown to the venue, young", null, [], 1_000, { kind: "in_flight", venueStatus: "not_found_yet" }],
    ["unknown to the venue, past the grace", null, [], 61_000, { kind: "not_filled", venueStatus: "not_found" }],
    ["vanished but its trades are there", null, filled, 1_000, { kind: "filled", shares: m("20"), usdc: m("10"), complete: true }],
    ["still live/delayed", venue("DELAYED", "0"), [], 1_000, { kind: "in_flight", venueStatus: "DELAYED" }],
    ["killed with nothing matched", venue("CANCELED", "0"), [], 1_000, { kind: "not_filled", venueStatus: "CANCELED" }],
    ["matched with trades", venue("MATCHED", "20"), filled, 1_000, { kind: "filled", usdc: m("10"), venueStatus: "MATCHED" }],
    ["matched, trades not visible yet", venue("MATCHED", "20"), [], 1_000, { kind: "in_flight", venueStatus: "MATCHED_awaiting_trades" }],
    ["matched, trades never visible: priced at the order's price", venue("MATCHED", "20"), [], 700_000, { kind: "filled", shares: m("20"), usdc: m("12"), venueStatus: "MATCHED_estimated" }],
  ] as const)("%s", (_name, v, trades, age, want) => {
    expect(lookupFromVenue({ order: rec(), venueOrder: v, trades, ...at(age) })).toMatchObject(want);
  });
});
