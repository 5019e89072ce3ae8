// The zod definition of every market-channel event (polymarket.md §1.5) and its normalisation.
import * as z from "zod";
import { type MicroInt, toMicroInt } from "../money/micros";
import type { Level, Side, TickSize } from "./types";
import type {
  BestBidAskEvent,
  BookEvent,
  LastTradePriceEvent,
  MarketEvent,
  MarketResolvedEvent,
  NewMarketEvent,
  PriceChangeEvent,
  PriceLevelChange,
  TickSizeChangeEvent,
} from "./ws-events";

/** Largest price: prices are probabilities in (0, 1]. */
export const MAX_PRICE: MicroInt = 1_000_000;
/** Epoch ms fit in 13 digits until the year 2286; 16 keeps any plausible value exact. */
const TIMESTAMP = /^\d{1,16}$/;

const TICK_BY_MICROS = new Map<number, TickSize>([
  [100_000, "0.1"],
  [10_000, "0.01"],
  [5_000, "0.005"],
  [2_500, "0.0025"],
  [1_000, "0.001"],
  [100, "0.0001"],
]);

/** A tick size string ("0.01", "0.010") to its TickSize, or undefined when not one of Polymarket's grids. */
export function tickSizeOf(text: string): TickSize | undefined {
  return TICK_BY_MICROS.get(toMicroInt(text));
}

type Issues = z.core.$RefinementCtx["issues"];

function fail(issues: Issues, message: string, input: unknown): typeof z.NEVER {
  issues.push({ code: "custom", message, input });
  return z.NEVER;
}

/** A level price: a decimal string in (0, 1]. */
const price = z.string().transform((s, ctx) => {
  const v = toMicroInt(s);
  return v > 0 && v <= MAX_PRICE ? v : fail(ctx.issues, "price is not a decimal in (0, 1]", s);
});

/** A size: a non-negative decimal string with at most 6 decimals. */
const size = z.string().transform((s, ctx) => {
  const v = toMicroInt(s);
  return v >= 0 ? v : fail(ctx.issues, "size is not a non-negative decimal", s);
});

/** An optional top-of-book price: absent, null or "" → undefined; otherwise a decimal in [0, 1]. */
const optPrice = z
  .string()
  .nullish()
  .transform((s, ctx) => {
    if (s === undefined || s === null || s === "") return undefined;
    const v = toMicroInt(s);
    return v >= 0 && v <= MAX_PRICE ? v : fail(ctx.issues, "price is not a decimal in [0, 1]", s);
  });

/** Epoch milliseconds, sent as a digit string (a plain integer is accepted too). */
const timestamp = z.union([z.string(), z.number()]).transform((t, ctx) => {
  if (typeof t === "number") return Number.isSafeInteger(t) && t >= 0 ? t : fail(ctx.issues, "bad timestamp", t);
  return TIMESTAMP.test(t) ? Number(t) : fail(ctx.issues, "bad timestamp", t);
});

/** Advisory tick size: anything but a known grid becomes undefined rather than dropping the event. */
const optTick = z
  .unknown()
  .optional()
  .transform((t) => (typeof t === "string" ? tickSizeOf(t) : undefined));

const tick = z.string().transform((s, ctx) => tickSizeOf(s) ?? fail(ctx.issues, "unknown tick size", s));

/** fee_rate_bps: integer basis points; "" or absent → undefined. */
const optBps = z
  .string()
  .nullish()
  .transform((s, ctx) => {
    if (s === undefined || s === null || s === "") return undefined;
    return /^\d{1,9}$/.test(s) ? Number(s) : fail(ctx.issues, "bad fee_rate_bps", s);
  });

const id = z.string().min(1);
const side = z.enum(["BUY", "SELL"]);
const level = z.object({ price, size });
const optString = z.string().nullish();

/** An event as the schemas build it; parseMarketEventSlow stamps receivedAt. */
type Draft<E> = E extends MarketEvent ? Omit<E, "receivedAt"> : never;

const levels = (list: Level[]): Level[] => list.map((l) => ({ price: l.price, size: l.size }));

const book = z
  .object({
    event_type: z.literal("book"),
    market: z.string(),
    asset_id: id,
    timestamp,
    hash: optString,
    bids: z.array(level),
    asks: z.array(level),
    tick_size: optTick,
    last_trade_price: optPrice,
  })
  .transform((w): Draft<BookEvent> => ({
    type: "book",
    market: w.market,
    assetId: w.asset_id,
    bids: levels(w.bids),
    asks: levels(w.asks),
    hash: w.hash ?? undefined,
    tickSize: w.tick_size,
    lastTradePrice: w.last_trade_price,
    timestamp: w.timestamp,
  }));

const change = (assetId: string, c: { price: MicroInt; size: MicroInt; side: Side }, bestBid?: MicroInt, bestAsk?: MicroInt): PriceLevelChange => ({
  assetId,
  side: c.side,
  price: c.price,
  size: c.size,
  bestBid,
  bestAsk,
});
const priceChangeEvent = (market: string, timestamp: number, changes: PriceLevelChange[]): Draft<PriceChangeEvent> => ({
  type: "price_change",
  market,
  changes,
  timestamp,
});

/** Current schema (since 2025-09-15): several assets per frame, each change with its own top of book. */
const priceChangesCurrent = z
  .object({
    event_type: z.literal("price_change"),
    market: z.string(),
    timestamp,
    price_changes: z.array(z.object({ asset_id: id, price, size, side, hash: optString, best_bid: optPrice, best_ask: optPrice })),
  })
  .transform((w) => priceChangeEvent(w.market, w.timestamp, w.price_changes.map((c) => change(c.asset_id, c, c.best_bid, c.best_ask))));

/** Schema 1 (2024-10 → 2025-09): one asset, `changes[]`. */
const priceChangesV1 = z
  .object({ event_type: z.literal("price_change"), market: z.string(), asset_id: id, timestamp, changes: z.array(z.object({ price, size, side })) })
  .transform((w) => priceChangeEvent(w.market, w.timestamp, w.changes.map((c) => change(w.asset_id, c))));

/** Schema 0 (≤ 2024-10): one flat change. */
const priceChangeFlat = z
  .object({ event_type: z.literal("price_change"), market: z.string(), asset_id: id, timestamp, price, size, side })
  .transform((w) => priceChangeEvent(w.market, w.timestamp, [change(w.asset_id, w)]));

/** The first schema that matches wins, newest first; the loose head lets the discriminated union route on event_type. */
const priceChange = z
  .looseObject({ event_type: z.literal("price_change") })
  .pipe(z.union([priceChangesCurrent, priceChangesV1, priceChangeFlat]));

const tickSizeChange = z
  .object({ event_type: z.literal("tick_size_change"), market: z.string(), asset_id: id, old_tick_size: optTick, new_tick_size: tick, timestamp })
  .transform((w): Draft<TickSizeChangeEvent> => ({
    type: "tick_size_change",
    market: w.market,
    assetId: w.asset_id,
    oldTickSize: w.old_tick_size,
    newTickSize: w.new_tick_size,
    timestamp: w.timestamp,
  }));

const lastTradePrice = z
  .object({
    event_type: z.literal("last_trade_price"),
    market: z.string(),
    asset_id: id,
    price,
    size,
    side,
    fee_rate_bps: optBps,
    transaction_hash: optString,
    timestamp,
  })
  .transform((w): Draft<LastTradePriceEvent> => ({
    type: "last_trade_price",
    market: w.market,
    assetId: w.asset_id,
    price: w.price,
    size: w.size,
    side: w.side,
    feeRateBps: w.fee_rate_bps,
    transactionHash: w.transaction_hash ?? undefined,
    timestamp: w.timestamp,
  }));

const bestBidAsk = z
  .object({ event_type: z.literal("best_bid_ask"), market: z.string(), asset_id: id, best_bid: optPrice, best_ask: optPrice, spread: optPrice, timestamp })
  .transform((w): Draft<BestBidAskEvent> => ({
    type: "best_bid_ask",
    market: w.market,
    assetId: w.asset_id,
    bestBid: w.best_bid,
    bestAsk: w.best_ask,
    spread: w.spread,
    timestamp: w.timestamp,
  }));

/** Gamma ids arrive as strings; a number would still identify the market. */
const gammaId = z.union([z.string(), z.number()]).transform(String);

const newMarket = z
  .object({
    event_type: z.literal("new_market"),
    id: gammaId,
    market: z.string(),
    question: optString,
    slug: optString,
    assets_ids: z.array(id),
    outcomes: z.array(z.string()).nullish(),
    order_price_min_tick_size: optTick,
    active: z.boolean().nullish(),
    tags: z.array(z.string()).nullish(),
    timestamp,
  })
  .transform((w): Draft<NewMarketEvent> => ({
    type: "new_market",
    id: w.id,
    market: w.market,
    question: w.question ?? undefined,
    slug: w.slug ?? undefined,
    assetIds: w.assets_ids,
    outcomes: w.outcomes ?? [],
    tickSize: w.order_price_min_tick_size,
    active: w.active ?? undefined,
    tags: w.tags ?? [],
    timestamp: w.timestamp,
  }));

const marketResolved = z
  .object({
    event_type: z.literal("market_resolved"),
    id: gammaId,
    market: z.string(),
    assets_ids: z.array(id),
    winning_asset_id: id,
    winning_outcome: optString,
    timestamp,
  })
  .transform((w): Draft<MarketResolvedEvent> => ({
    type: "market_resolved",
    id: w.id,
    market: w.market,
    assetIds: w.assets_ids,
    winningAssetId: w.winning_asset_id,
    winningOutcome: w.winning_outcome ?? undefined,
    timestamp: w.timestamp,
  }));

/** Every event the market channel sends, discriminated by `event_type`; the output is the normalised event without receivedAt. */
export const MarketEventSchema = z.discriminatedUnion("event_type", [
  book,
  priceChange,
  tickSizeChange,
  lastTradePrice,
  bestBidAsk,
  newMarket,
  marketResolved,
]);

export const MARKET_EVENT_TYPES: ReadonlySet<string> = new Set([
  "book",
  "price_change",
  "tick_size_change",
  "last_trade_price",
  "best_bid_ask",
  "new_market",
  "market_resolved",
]);

/**
 * A short reason for a zod issue: the path and the message. For a union (the price_change schemas)
 * the branch that got furthest (longest path) explains best; ties go to the newest schema.
 */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "invalid event";
  if (issue.code === "invalid_union") {
    let inner: z.core.$ZodIssue | undefined;
    for (const branch of issue.errors) if (branch[0] && (!inner || branch[0].path.length > inner.path.length)) inner = branch[0];
    if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] });
  }
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}
