// Wire shapes of the market channel and of CLOB /book, built with the key order seen on the real feed.
import { createHash } from "node:crypto";
import type { Level } from "./book";
import { fromMicros } from "./decimal";
import type { Side } from "./types";

export interface WireLevel {
  price: string;
  size: string;
}

export const wireLevels = (levels: Level[]): WireLevel[] => levels.map((l) => ({ price: fromMicros(l.price), size: fromMicros(l.size) }));

/** Optional decimals are "" rather than absent on the real feed (best_bid, best_ask, last_trade_price). */
export const optDecimal = (value: bigint | undefined, minDecimals = 0): string => (value === undefined ? "" : fromMicros(value, minDecimals));

export interface BookState {
  market: string;
  assetId: string;
  timestamp: number;
  bids: Level[];
  asks: Level[];
  minOrderSize: number;
  tickSize: string;
  negRisk: boolean;
  lastTradePrice: string;
}

/** CLOB REST /book summary; `hash` is SHA-1 of this JSON with hash "" (as clob-client-v2 generateOrderBookSummaryHash). */
export function restBook(state: BookState): Record<string, unknown> {
  const summary = {
    market: state.market,
    asset_id: state.assetId,
    timestamp: String(state.timestamp),
    hash: "",
    bids: wireLevels(state.bids),
    asks: wireLevels(state.asks),
    min_order_size: String(state.minOrderSize),
    tick_size: state.tickSize,
    neg_risk: state.negRisk,
    last_trade_price: state.lastTradePrice,
  };
  summary.hash = createHash("sha1").update(JSON.stringify(summary)).digest("hex");
  return summary;
}

/**
 * Market-channel `book` frame. Snapshots on subscribe carry tick_size; post-trade books do not.
 * The hash is the REST hash of the same state, so a client can compare the two.
 */
export function bookFrame(state: BookState, withTickSize: boolean): Record<string, unknown> {
  const rest = restBook(state);
  const frame: Record<string, unknown> = {
    market: state.market,
    asset_id: state.assetId,
    timestamp: String(state.timestamp),
    hash: rest.hash,
    bids: rest.bids,
    asks: rest.asks,
  };
  if (withTickSize) frame.tick_size = state.tickSize;
  frame.event_type = "book";
  frame.last_trade_price = state.lastTradePrice;
  return frame;
}

export interface PriceChangeEntry {
  assetId: string;
  price: bigint;
  size: bigint;
  side: Side;
  hash: string;
  bestBid: bigint | undefined;
  bestAsk: bigint | undefined;
}

/** Current-schema (since 2025-09-15) price_change: no top-level asset_id, one entry per level per asset. */
export function priceChangeFrame(market: string, entries: PriceChangeEntry[], timestamp: number): Record<string, unknown> {
  return {
    market,
    price_changes: entries.map((e) => ({
      asset_id: e.assetId,
      price: fromMicros(e.price),
      size: fromMicros(e.size),
      side: e.side,
      hash: e.hash,
      best_bid: optDecimal(e.bestBid),
      best_ask: optDecimal(e.bestAsk),
    })),
    timestamp: String(timestamp),
    event_type: "price_change",
  };
}

export interface LastTrade {
  market: string;
  assetId: string;
  price: bigint;
  size: bigint;
  side: Side;
  timestamp: number;
  transactionHash: string;
  priceDecimals: number;
}

export function lastTradeFrame(t: LastTrade): Record<string, unknown> {
  return {
    market: t.market,
    asset_id: t.assetId,
    price: fromMicros(t.price, t.priceDecimals),
    size: fromMicros(t.size),
    fee_rate_bps: "0",
    side: t.side,
    timestamp: String(t.timestamp),
    event_type: "last_trade_price",
    transaction_hash: t.transactionHash,
  };
}

export function bestBidAskFrame(market: string, assetId: string, bid: bigint | undefined, ask: bigint | undefined, timestamp: number): Record<string, unknown> {
  return {
    market,
    asset_id: assetId,
    best_bid: optDecimal(bid),
    best_ask: optDecimal(ask),
    spread: bid === undefined || ask === undefined ? "" : fromMicros(ask - bid),
    timestamp: String(timestamp),
    event_type: "best_bid_ask",
  };
}

export interface Resolution {
  id: string;
  market: string;
  assetIds: string[];
  winningAssetId: string;
  winningOutcome: string;
  timestamp: number;
  tags: string[];
}

export function marketResolvedFrame(r: Resolution): Record<string, unknown> {
  return {
    id: r.id,
    market: r.market,
    assets_ids: r.assetIds,
    winning_asset_id: r.winningAssetId,
    winning_outcome: r.winningOutcome,
    timestamp: String(r.timestamp),
    tags: r.tags,
    event_type: "market_resolved",
  };
}

export function tickSizeChangeFrame(market: string, assetId: string, oldTick: string, newTick: string, timestamp: number): Record<string, unknown> {
  return { market, asset_id: assetId, old_tick_size: oldTick, new_tick_size: newTick, timestamp: String(timestamp), event_type: "tick_size_change" };
}
