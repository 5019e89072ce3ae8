// zod schemas for CLOB REST answers (polymarket.md §4) and their conversion to our types:
// Over 300 lines on purpose: every CLOB REST answer the adapter reads is parsed here, in one place.
// books best-first in MicroInt, tick sizes as TickSize, venue statuses normalised.
import { z } from "zod";
import { log } from "../lib/log";
import { toMicroInt, toMicros, type MicroInt } from "../money/micros";
import { classifyError } from "./errors";
import type { BookQuote, Level } from "./types";
import { tickSizeOf } from "./ws-schemas";

/** Decimal fields arrive as strings, some (tick size, min size, token price) as JSON numbers. */
const numeric = z.union([z.string(), z.number()]).transform(String);

/** An exact wire decimal as MicroInt (book levels must be exact: they are what we trade against). */
const exactMicroInt = numeric.transform((s, ctx) => {
  const v = toMicroInt(s.trim());
  if (Number.isNaN(v)) {
    ctx.issues.push({ code: "custom", message: "not a non-negative decimal with at most 6 places", input: s });
    return z.NEVER;
  }
  return v;
});

/** A derived price (a midpoint may have a 7th decimal): rounded half-up to micros; "" → undefined. */
export const roundedPrice = numeric.transform((s, ctx): MicroInt | undefined => {
  if (s.trim() === "") return undefined;
  try {
    return Number(toMicros(s, "half-up"));
  } catch {
    ctx.issues.push({ code: "custom", message: "not a decimal", input: s });
    return z.NEVER;
  }
});

export const tickSizeField = numeric.transform((s, ctx) => {
  const tick = tickSizeOf(s.trim());
  if (!tick) {
    ctx.issues.push({ code: "custom", message: "not a Polymarket tick size", input: s });
    return z.NEVER;
  }
  return tick;
});

const levelSchema = z.object({ price: exactMicroInt, size: exactMicroInt });

/** GET /book and each element of POST /books (bids ascending, asks descending on the wire). */
export const bookSchema = z.object({
  market: z.string().nullish(),
  asset_id: z.string(),
  timestamp: numeric.nullish(),
  hash: z.string().nullish(),
  bids: z.array(levelSchema).nullish(),
  asks: z.array(levelSchema).nullish(),
  min_order_size: numeric.nullish(),
  tick_size: numeric.nullish(),
  neg_risk: z.boolean().nullish(),
  last_trade_price: numeric.nullish(),
});
export type WireBook = z.infer<typeof bookSchema>;

/** A level at a price nobody can trade (0, or 1 and above) is not part of the book. */
const MAX_LEVEL_PRICE = 1_000_000;

/** Best level first whatever the wire order (some docs pages contradict the live order); empty and out-of-range levels dropped. */
export function bestFirst(levels: readonly Level[] | null | undefined, side: "bids" | "asks"): Level[] {
  const out = (levels ?? []).filter((l) => l.size > 0 && l.price > 0 && l.price < MAX_LEVEL_PRICE);
  return side === "bids" ? out.sort((a, b) => b.price - a.price) : out.sort((a, b) => a.price - b.price);
}

/** Epoch ms from the book's timestamp (ms as a string); the fallback when absent or odd. */
export function bookTime(timestamp: string | null | undefined, fallback: number): number {
  return timestamp && /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : fallback;
}

/** A quoted price one could trade at: a price of 0 (no bid) or of 1 and above reads as no price. */
const quotePrice = roundedPrice.transform((v) => (v !== undefined && v > 0 && v < MAX_LEVEL_PRICE ? v : undefined));

/** POST /prices: {"<token>": {"BUY": "0.5", "SELL": "0.52"}}. */
export const pricesSchema = z.record(z.string(), z.object({ BUY: quotePrice.optional(), SELL: quotePrice.optional() }));
/** POST /midpoints: {"<token>": "0.505"}. */
export const midpointsSchema = z.record(z.string(), roundedPrice);

export const priceSchema = z.object({ price: quotePrice });
export const midpointSchema = z.object({ mid: roundedPrice });
export const tickSizeSchema = z.object({ minimum_tick_size: tickSizeField });
export const negRiskSchema = z.object({ neg_risk: z.boolean() });
/** The official client falls back to version 2 when the field is missing. */
export const versionSchema = z.object({ version: z.number().int().nullish() }).transform((v) => v.version ?? 2);
export const serverTimeSchema = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** GET /clob-markets/{condition_id}: the compact market details (CCv2 MarketDetails). */
export const clobMarketInfoSchema = z.object({
  c: z.string(),
  t: z.array(z.object({ t: z.string(), o: z.string() }).nullable()),
  mts: tickSizeField,
  nr: z.boolean().nullish(),
  fd: z.object({ r: numeric.nullish(), e: numeric.nullish(), to: z.boolean().nullish() }).nullish(),
  mos: numeric.nullish(),
  ao: z.boolean().nullish(),
});

/** GET /markets/{condition_id}: the snake_case market (fixture clob_rest/clob_market__…). */
export const clobMarketSchema = z.object({
  condition_id: z.string(),
  question: z.string().nullish(),
  market_slug: z.string().nullish(),
  active: z.boolean().nullish(),
  closed: z.boolean().nullish(),
  accepting_orders: z.boolean().nullish(),
  minimum_order_size: numeric.nullish(),
  minimum_tick_size: numeric.nullish(),
  neg_risk: z.boolean().nullish(),
  tokens: z.array(z.object({ token_id: z.string(), outcome: z.string(), price: numeric.nullish(), winner: z.boolean().nullish() })),
});
export type ClobMarket = z.infer<typeof clobMarketSchema>;

export const apiKeySchema = z.object({ apiKey: z.string().min(1), secret: z.string().min(1), passphrase: z.string().min(1) });

/** Order states as lower-case words; anything else is not a state we can act on. */
export const POST_ORDER_STATUSES = ["matched", "live", "delayed", "unmatched"] as const;
export type PostOrderStatus = (typeof POST_ORDER_STATUSES)[number];

/** POST /order answer (CCv2 OrderResponse). Amounts are decimal strings; "" when nothing matched. */
export const postOrderSchema = z.object({
  success: z.boolean().nullish(),
  errorMsg: z.string().nullish(),
  orderID: z.string().nullish(),
  status: z.string().nullish(),
  takingAmount: numeric.nullish(),
  makingAmount: numeric.nullish(),
  transactionsHashes: z.array(z.string()).nullish(),
  tradeIDs: z.array(z.string()).nullish(),
});
export type WirePostOrder = z.infer<typeof postOrderSchema>;

/**
 * "LIVE", "MATCHED", "TRADE_STATUS_CONFIRMED", "CANCELED_order couldn't be fully filled…" →
 * { status: "CANCELED", reason: "order couldn't…" } (NT handles the same suffixes).
 */
export function splitStatus(raw: string): { status: string; reason: string | undefined } {
  const text = raw.replace(/^(TRADE|ORDER)_STATUS_/i, "");
  const m = /^([A-Za-z]+)(?:_(.*))?$/s.exec(text);
  if (!m) return { status: text.toUpperCase(), reason: undefined };
  return { status: m[1]!.toUpperCase(), reason: m[2] || undefined };
}

/** GET /data/order/{id} and the items of GET /data/orders (CCv2 OpenOrder). Sizes stay decimal text. */
export const venueOrderSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    owner: z.string().nullish(),
    maker_address: z.string().nullish(),
    market: z.string().nullish(),
    asset_id: z.string(),
    side: z.enum(["BUY", "SELL"]),
    original_size: numeric,
    size_matched: numeric,
    price: numeric,
    associate_trades: z.array(z.string()).nullish(),
    outcome: z.string().nullish(),
    created_at: numeric.nullish(),
    expiration: numeric.nullish(),
    order_type: z.string().nullish(),
  })
  .transform((o) => ({ ...o, ...splitStatus(o.status), associate_trades: o.associate_trades ?? [] }));
export type VenueOrder = z.infer<typeof venueOrderSchema>;

const makerOrderSchema = z.object({
  order_id: z.string(),
  owner: z.string().nullish(),
  maker_address: z.string().nullish(),
  matched_amount: numeric,
  price: numeric,
  fee_rate_bps: numeric.nullish(),
  asset_id: z.string().nullish(),
  outcome: z.string().nullish(),
  side: z.string().nullish(),
});

/** Items of GET /data/trades (fixture clob_rest/data_trade__…); match_time is epoch seconds. */
export const venueTradeSchema = z
  .object({
    id: z.string(),
    taker_order_id: z.string(),
    market: z.string().nullish(),
    asset_id: z.string(),
    side: z.enum(["BUY", "SELL"]),
    size: numeric,
    price: numeric,
    fee_rate_bps: numeric.nullish(),
    status: z.string(),
    match_time: numeric.nullish(),
    last_update: numeric.nullish(),
    outcome: z.string().nullish(),
    owner: z.string().nullish(),
    maker_address: z.string().nullish(),
    transaction_hash: z.string().nullish(),
    trader_side: z.enum(["TAKER", "MAKER"]).nullish(),
    maker_orders: z.array(makerOrderSchema).nullish(),
  })
  .transform((t) => ({ ...t, status: splitStatus(t.status).status, maker_orders: t.maker_orders ?? [] }));
export type VenueTrade = z.infer<typeof venueTradeSchema>;

/** Cursor pages of /data/orders and /data/trades: "MA==" starts, "LTE=" means no more. */
export const INITIAL_CURSOR = "MA==";
export const END_CURSOR = "LTE=";
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item).nullish().transform((d) => d ?? []), next_cursor: z.string().nullish() });

/** DELETE /order: {"canceled": [...], "not_canceled": {"<id>": "<reason>"}}. */
export const cancelSchema = z.object({
  canceled: z.array(z.string()).nullish().transform((c) => c ?? []),
  not_canceled: z.record(z.string(), z.string()).nullish().transform((n) => n ?? {}),
});

/**
 * Base units (6 decimals, as on chain: "1000000" = 1 pUSD) as bigint micros. Only integers: a
 * decimal rendering would be ambiguous (base units or whole dollars?), so it is refused.
 */
const baseUnits = numeric.pipe(z.string().regex(/^\d{1,78}$/, "not an integer amount in base units")).transform((s) => BigInt(s));

/** GET /balance-allowance: balance and per-spender allowances in base units (= micros). */
export const balanceAllowanceSchema = z.object({
  balance: baseUnits,
  allowances: z.record(z.string(), baseUnits).nullish().transform((a) => a ?? {}),
});

/** For answers we do not read (GET /balance-allowance/update). */
export const anything = z.unknown();
/** GET /auth/ban-status/closed-only (TSSDK bindings clob/account.ts ClosedOnlyModeSchema). */
export const closedOnlySchema = z.object({ closed_only: z.boolean() });

/** A REST book: our BookQuote (best level first, MicroInt) plus the venue's metadata. */
export interface BookSnapshot extends BookQuote {
  market: string | undefined;
  /** Compare with the market channel's `book.hash`. */
  hash: string | undefined;
  minOrderSize: string | undefined;
  negRisk: boolean | undefined;
}

/** Named by what they are: the venue's /prices answers BUY with the best bid and SELL with the best ask. */
export interface TopOfBook {
  bestBid: MicroInt | undefined;
  bestAsk: MicroInt | undefined;
}

export interface PostOrderResult {
  orderId: string;
  status: PostOrderStatus;
  /** Decimal strings as the venue reports them; "0" when nothing matched yet. */
  takingAmount: string;
  makingAmount: string;
  transactionHashes: string[];
  tradeIds: string[];
  /** A note the venue attached to an accepted order (logged; the order stands). */
  errorMsg: string | undefined;
}

const DECIMAL_AMOUNT = /^\d+(\.\d+)?$/;

/**
 * Reads POST /order's answer. success:false, or an errorMsg without an order id or status, is a
 * rejection (classified from the message); an answer we cannot read is outcome-unknown.
 */
export function interpretPostOrder(w: WirePostOrder): PostOrderResult {
  const errorMsg = w.errorMsg?.trim() ?? "";
  const orderId = w.orderID?.trim() ?? "";
  const status = w.status?.trim().toLowerCase() ?? "";
  if (w.success === false || (errorMsg && (!orderId || !status))) {
    const error = classifyError({ status: 200, venueMessage: errorMsg, kind: "submit", path: "/order" });
    log.warn("polymarket_order_rejected", { code: error.code, venue_message: errorMsg, outcome_unknown: error.outcomeUnknown });
    throw error;
  }
  const amount = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === "" ? "0" : v.trim());
  const takingAmount = amount(w.takingAmount);
  const makingAmount = amount(w.makingAmount);
  const known = (POST_ORDER_STATUSES as readonly string[]).includes(status);
  if (!orderId || !known || !DECIMAL_AMOUNT.test(takingAmount) || !DECIMAL_AMOUNT.test(makingAmount)) {
    throw classifyError({ status: 200, venueMessage: `unexpected answer ${JSON.stringify(w).slice(0, 200)}`, kind: "submit", path: "/order", code: "bad_response" });
  }
  if (errorMsg) log.warn("polymarket_order_note", { order_id: orderId, status, venue_message: errorMsg });
  return {
    orderId,
    status: status as PostOrderStatus,
    takingAmount,
    makingAmount,
    transactionHashes: w.transactionsHashes ?? [],
    tradeIds: w.tradeIDs ?? [],
    errorMsg: errorMsg || undefined,
  };
}

export function toSnapshot(b: WireBook, now: number): BookSnapshot {
  const last = b.last_trade_price?.trim();
  const lastMicro = last ? roundedPrice.safeParse(last) : undefined;
  return {
    tokenId: b.asset_id,
    bids: bestFirst(b.bids, "bids"),
    asks: bestFirst(b.asks, "asks"),
    tickSize: b.tick_size ? tickSizeField.safeParse(b.tick_size).data : undefined,
    lastTradePrice: lastMicro?.success ? lastMicro.data : undefined,
    updatedAt: bookTime(b.timestamp, now),
    source: "rest",
    market: b.market ?? undefined,
    hash: b.hash ?? undefined,
    minOrderSize: b.min_order_size ?? undefined,
    negRisk: b.neg_risk ?? undefined,
  };
}

