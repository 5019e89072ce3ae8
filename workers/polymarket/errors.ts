// Polymarket errors that say what the caller should do: retry, give up, or reconcile an order.
// Venue messages: docs.polymarket.com/resources/error-codes and polymarket.md §4.6 (exact strings).

export type PolymarketErrorCode =
  | "not_enough_balance"
  | "invalid_signature"
  | "fok_not_filled"
  | "fak_no_match"
  | "no_match"
  | "min_size"
  | "invalid_tick"
  | "crosses_book"
  | "duplicate_order"
  | "delayed"
  | "match_failed"
  | "market_not_ready"
  | "deposit_wallet_required"
  | "signer_not_api_key"
  | "owner_not_api_key"
  | "order_version_mismatch"
  | "address_banned"
  | "closed_only"
  | "trading_disabled"
  | "cancel_only"
  | "rate_limited"
  | "unauthorized"
  | "forbidden"
  | "api_key_not_found"
  | "api_key_create_failed"
  | "invalid_token"
  | "no_orderbook"
  | "market_not_found"
  | "not_found"
  | "payload_too_large"
  | "invalid_request"
  | "request_canceled"
  | "server_error"
  | "timeout"
  | "network"
  | "bad_response"
  | "unknown";

/**
 * "submit" = a request that creates something (POST /order, POST /auth/api-key): when its fate is
 * unknown it must be reconciled, never re-sent. "idempotent" = reads and cancels.
 */
export type RequestKind = "idempotent" | "submit";

export interface PolymarketErrorInit {
  code: PolymarketErrorCode;
  status: number;
  venueMessage: string;
  retryable: boolean;
  outcomeUnknown: boolean;
  retryAfterMs?: number | undefined;
  path?: string | undefined;
  cause?: unknown;
}

export class PolymarketError extends Error {
  readonly code: PolymarketErrorCode;
  /** HTTP status; 0 for a timeout or network failure. */
  readonly status: number;
  /** The venue's own text (`{"error": "..."}` or errorMsg), "" when there was none. */
  readonly venueMessage: string;
  /** Sending the same request again is safe (and may succeed). */
  readonly retryable: boolean;
  /** The order (or key) MAY exist on the venue: reconcile, never re-send blindly. */
  readonly outcomeUnknown: boolean;
  /** From Retry-After on a 429, when the venue said. */
  readonly retryAfterMs: number | undefined;
  readonly path: string | undefined;

  constructor(init: PolymarketErrorInit) {
    const where = init.path ? ` ${init.path}` : "";
    super(`polymarket ${init.code}${where} (${init.status})${init.venueMessage ? `: ${init.venueMessage}` : ""}`, {
      cause: init.cause,
    });
    this.name = "PolymarketError";
    this.code = init.code;
    this.status = init.status;
    this.venueMessage = init.venueMessage;
    this.retryable = init.retryable;
    this.outcomeUnknown = init.outcomeUnknown;
    this.retryAfterMs = init.retryAfterMs;
    this.path = init.path;
  }
}

/** The call's answer, or null when the venue answered 404 (a missing market, order or book). */
export async function nullOn404<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    if (isPolymarketError(e) && e.status === 404) return null;
    throw e;
  }
}

export function isPolymarketError(e: unknown): e is PolymarketError {
  return e instanceof PolymarketError;
}

/** Ordered: the first pattern that matches the venue's message decides the code. */
const MESSAGE_CODES: ReadonlyArray<readonly [RegExp, PolymarketErrorCode]> = [
  [/order_version_mismatch/i, "order_version_mismatch"],
  [/not enough balance/i, "not_enough_balance"],
  [/invalid signature(?!_type)/i, "invalid_signature"],
  [/couldn't be fully filled|FOK orders are (fully )?filled or killed/i, "fok_not_filled"],
  [/no orders found to match with FAK/i, "fak_no_match"],
  [/there are no matching orders/i, "no_match"],
  [/invalid amount for a marketable|lower than the minimum|min(imum)? size/i, "min_size"],
  [/breaks minimum tick size/i, "invalid_tick"],
  [/crosses (the )?book/i, "crosses_book"],
  [/\bDuplicated\b/i, "duplicate_order"],
  [/match delayed/i, "delayed"],
  [/rounding issues|discrepancy greater than allowed/i, "match_failed"],
  [/not yet ready to process new orders/i, "market_not_ready"],
  [/deposit wallet flow|maker address not allowed/i, "deposit_wallet_required"],
  [/signer address has to be the address of the API KEY/i, "signer_not_api_key"],
  [/owner has to be the owner of the API KEY/i, "owner_not_api_key"],
  [/address banned/i, "address_banned"],
  [/closed only mode/i, "closed_only"],
  [/trading is currently disabled/i, "trading_disabled"],
  [/cancel-only/i, "cancel_only"],
  [/too many requests/i, "rate_limited"],
  [/could not derive api key/i, "api_key_not_found"],
  [/could not create api key/i, "api_key_create_failed"],
  [/invalid L1 Request headers|unauthorized|invalid api key/i, "unauthorized"],
  [/invalid token id/i, "invalid_token"],
  [/no orderbook exists/i, "no_orderbook"],
  [/market not found/i, "market_not_found"],
  [/payload exceeds the limit|too many orders in payload/i, "payload_too_large"],
  [/context canceled/i, "request_canceled"],
  [/invalid (order )?payload|invalid nonce|invalid expiration|canceled in the CTF exchange|invalid orderID|invalid side|invalid asset type|invalid signature_type|invalid (order|trade) params/i, "invalid_request"],
];

function codeFromStatus(status: number): PolymarketErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "unknown";
}

/**
 * Codes after which the order may exist on the venue: the request may have been processed
 * (timeouts, 5xx, a cancelled server context, an unparseable 2xx), or the venue says so itself
 * (a duplicate means the same signed order was already accepted; "match delayed" orders live on).
 * "match_failed" is kept here on purpose: the engine's wording does not prove nothing executed.
 */
const MAY_HAVE_EXECUTED = new Set<PolymarketErrorCode>([
  "duplicate_order",
  "delayed",
  "match_failed",
  "request_canceled",
  "server_error",
  "timeout",
  "network",
  "bad_response",
]);

/** Safe and useful to send the same (idempotent) request again, perhaps after a pause. */
const TRANSIENT = new Set<PolymarketErrorCode>([
  "rate_limited",
  "request_canceled",
  "server_error",
  "timeout",
  "network",
  "market_not_ready",
]);

export interface ClassifyInput {
  status: number;
  venueMessage: string;
  kind: RequestKind;
  path?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
  /** Overrides the message/status table (timeouts, network failures, bad bodies). */
  code?: PolymarketErrorCode | undefined;
}

/** The one place where a failure becomes a PolymarketError with its retry/reconcile flags. */
export function classifyError(input: ClassifyInput): PolymarketError {
  const code = input.code ?? codeFor(input.status, input.venueMessage);
  const outcomeUnknown = input.kind === "submit" && MAY_HAVE_EXECUTED.has(code);
  // A 429 is refused at the edge before any processing, so even a submission may be re-sent.
  const retryable = outcomeUnknown ? false : TRANSIENT.has(code);
  return new PolymarketError({
    code,
    status: input.status,
    venueMessage: input.venueMessage,
    retryable,
    outcomeUnknown,
    retryAfterMs: code === "rate_limited" ? input.retryAfterMs : undefined,
    path: input.path,
    cause: input.cause,
  });
}

export function codeFor(status: number, venueMessage: string): PolymarketErrorCode {
  if (venueMessage) {
    for (const [pattern, code] of MESSAGE_CODES) if (pattern.test(venueMessage)) return code;
  }
  return codeFromStatus(status);
}

const MAX_MESSAGE = 300;

/** The venue's message from an error body: `{"error": "..."}`, `{"error": {...}}`, or raw text. */
export function venueMessageOf(bodyText: string): string {
  const text = bodyText.trim();
  if (!text) return "";
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed) {
      const e = (parsed as { error: unknown }).error;
      return truncate(typeof e === "string" ? e : JSON.stringify(e));
    }
    if (typeof parsed === "string") return truncate(parsed);
  } catch {
    // Not JSON: an HTML error page from a proxy, or plain text.
  }
  return truncate(text.replace(/\s+/g, " "));
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
