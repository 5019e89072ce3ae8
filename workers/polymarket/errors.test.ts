import { describe, expect, it } from "vitest";
import { classifyError, codeFor, parseRetryAfter, PolymarketError, venueMessageOf, type PolymarketErrorCode } from "./errors";

// Exact venue strings: polymarket.md §4.6 and docs.polymarket.com/resources/error-codes.
const VENUE: Array<[number, string, PolymarketErrorCode]> = [
  [400, "not enough balance / allowance", "not_enough_balance"],
  [400, "invalid signature", "invalid_signature"],
  [400, "invalid post-only order: order crosses book", "crosses_book"],
  [400, "order 0xabc crosses the book", "crosses_book"],
  [400, "invalid amount for a marketable BUY order ($0.5), min size: $1", "min_size"],
  [400, "order 0xabc is invalid. Size (2) lower than the minimum: 5", "min_size"],
  [400, "order 0xabc is invalid. Price (0.505) breaks minimum tick size rule: 0.01", "invalid_tick"],
  [400, "order 0xabc is invalid. Duplicated.", "duplicate_order"],
  [400, "order couldn't be fully filled. FOK orders are fully filled or killed.", "fok_not_filled"],
  [400, "no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.", "fak_no_match"],
  [400, "order_version_mismatch", "order_version_mismatch"],
  [400, "maker address not allowed, please use the deposit wallet flow", "deposit_wallet_required"],
  [400, "the order signer address has to be the address of the API KEY", "signer_not_api_key"],
  [400, "the order owner has to be the owner of the API KEY", "owner_not_api_key"],
  [400, "'0x1234' address banned", "address_banned"],
  [400, "'0x1234' address in closed only mode", "closed_only"],
  [400, "the market is not yet ready to process new orders", "market_not_ready"],
  [400, "order match delayed due to market conditions", "delayed"],
  [400, "Invalid order payload", "invalid_request"],
  [400, "invalid nonce", "invalid_request"],
  [400, "invalid expiration", "invalid_request"],
  [400, "order canceled in the CTF exchange contract", "invalid_request"],
  [400, "Invalid signature_type", "invalid_request"],
  [400, "Invalid token id", "invalid_token"],
  [400, "Payload exceeds the limit", "payload_too_large"],
  [400, "Too many orders in payload: 16, max allowed: 15", "payload_too_large"],
  [400, "Could not derive api key!", "api_key_not_found"],
  [400, "Could not create api key", "api_key_create_failed"],
  [400, "context canceled", "request_canceled"],
  [401, "Unauthorized/Invalid api key", "unauthorized"],
  [401, "Invalid L1 Request headers", "unauthorized"],
  [404, "No orderbook exists for the requested token id", "no_orderbook"],
  [404, "market not found", "market_not_found"],
  [429, "Too Many Requests", "rate_limited"],
  [500, "there are no matching orders", "no_match"],
  [500, "FOK orders are filled or killed", "fok_not_filled"],
  [500, "the trade contains rounding issues", "match_failed"],
  [500, "the price of the taker's order has a discrepancy greater than allowed with the worst maker order", "match_failed"],
  [503, "Trading is currently disabled. Check polymarket.com for updates", "trading_disabled"],
  [503, "Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.", "cancel_only"],
  // No message: the status decides.
  [401, "", "unauthorized"],
  [403, "<html>Attention Required! | Cloudflare</html>", "forbidden"],
  [404, "", "not_found"],
  [429, "", "rate_limited"],
  [500, "Internal server error", "server_error"],
  [502, "", "server_error"],
  [418, "something new", "unknown"],
];

describe("codeFor (venue message, then HTTP status)", () => {
  it.each(VENUE)("%i %s → %s", (status, message, code) => {
    expect(codeFor(status, message)).toBe(code);
  });
});

type Flags = { retryable: boolean; outcomeUnknown: boolean };
const SUBMIT: Array<[string, number, string, Partial<{ code: PolymarketErrorCode }>, Flags]> = [
  ["a rejection is final", 400, "not enough balance / allowance", {}, { retryable: false, outcomeUnknown: false }],
  ["a killed FOK (even as a 500) is final", 500, "FOK orders are filled or killed", {}, { retryable: false, outcomeUnknown: false }],
  ["an unexplained 500 may have executed", 500, "Internal server error", {}, { retryable: false, outcomeUnknown: true }],
  ["a 502 from a proxy may have executed", 502, "", {}, { retryable: false, outcomeUnknown: true }],
  ["a timeout may have executed", 0, "", { code: "timeout" }, { retryable: false, outcomeUnknown: true }],
  ["a network failure may have executed", 0, "", { code: "network" }, { retryable: false, outcomeUnknown: true }],
  ["an unreadable 200 may have executed", 200, "", { code: "bad_response" }, { retryable: false, outcomeUnknown: true }],
  ["a duplicate means the first one was accepted", 400, "order 0x1 is invalid. Duplicated.", {}, { retryable: false, outcomeUnknown: true }],
  ["a delayed match lives on", 400, "order match delayed due to market conditions", {}, { retryable: false, outcomeUnknown: true }],
  ["a cancelled server context may have executed", 400, "context canceled", {}, { retryable: false, outcomeUnknown: true }],
  ["a 429 was refused at the edge: safe to re-send", 429, "Too Many Requests", {}, { retryable: true, outcomeUnknown: false }],
  ["trading disabled is final for now", 503, "Trading is currently disabled. Check polymarket.com for updates", {}, { retryable: false, outcomeUnknown: false }],
  ["market not ready: retry later", 400, "the market is not yet ready to process new orders", {}, { retryable: true, outcomeUnknown: false }],
];

describe("classifyError flags for order submission", () => {
  it.each(SUBMIT)("%s", (_name, status, venueMessage, extra, flags) => {
    const e = classifyError({ status, venueMessage, kind: "submit", ...extra });
    expect(e).toBeInstanceOf(PolymarketError);
    expect({ retryable: e.retryable, outcomeUnknown: e.outcomeUnknown }).toEqual(flags);
  });
});

describe("classifyError flags for idempotent requests", () => {
  it.each([
    [500, "", undefined, true],
    [0, "", "timeout" as const, true],
    [0, "", "network" as const, true],
    [429, "", undefined, true],
    [404, "No orderbook exists for the requested token id", undefined, false],
    [401, "Unauthorized/Invalid api key", undefined, false],
    [200, "", "bad_response" as const, false],
  ])("%i %s %s → retryable %s, never outcomeUnknown", (status, venueMessage, code, retryable) => {
    const e = classifyError({ status, venueMessage, kind: "idempotent", code });
    expect(e.retryable).toBe(retryable);
    expect(e.outcomeUnknown).toBe(false);
  });

  it("keeps retryAfterMs only for rate limits and names the path in the message", () => {
    const limited = classifyError({ status: 429, venueMessage: "", kind: "idempotent", retryAfterMs: 2000, path: "/book" });
    expect(limited.retryAfterMs).toBe(2000);
    expect(limited.message).toContain("/book");
    expect(classifyError({ status: 500, venueMessage: "", kind: "idempotent", retryAfterMs: 2000 }).retryAfterMs).toBeUndefined();
  });
});

describe("venueMessageOf", () => {
  it.each([
    ['{"error":"invalid signature"}', "invalid signature"],
    ['{"error":{"reason":"x"}}', '{"reason":"x"}'],
    ['"Too Many Requests"', "Too Many Requests"],
    ["<html>\n  <title>Attention Required!</title>\n</html>", "<html> <title>Attention Required!</title> </html>"],
    ["", ""],
    ['{"other":1}', '{"other":1}'],
  ])("%j → %j", (body, message) => {
    expect(venueMessageOf(body)).toBe(message);
  });

  it("truncates long bodies", () => {
    expect(venueMessageOf("x".repeat(1000)).length).toBeLessThanOrEqual(301);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-10-01T12:00:00Z");
  it.each([
    ["3", 3000],
    ["0", 0],
    ["Thu, 01 Oct 2026 12:00:05 GMT", 5000],
    ["Thu, 01 Oct 2026 11:00:00 GMT", 0],
    ["soon", undefined],
    [null, undefined],
  ])("%j → %j", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
