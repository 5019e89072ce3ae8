// The market channel's events as the rest of the product sees them (typed, normalised, money in
// micros): what ws-schemas.ts (zod) and ws-fast-path.ts produce, and ws-messages.ts returns.
import type { MicroInt } from "../money/micros";
import type { Level, Side, TickSize } from "./types";

/** A full snapshot of one token's book. Levels are as sent (wire order: best LAST); OrderBook sorts defensively. */
export interface BookEvent {
  type: "book";
  market: string;
  assetId: string;
  bids: Level[];
  asks: Level[];
  /** Book-state hash (40 hex); compare with REST `GET /book`. */
  hash: string | undefined;
  /** Only in 2025-12+ snapshots; unrecognised values become undefined (the field is advisory). */
  tickSize: TickSize | undefined;
  lastTradePrice: MicroInt | undefined;
  timestamp: number;
  receivedAt: number;
}

/** One level update: `size` is the new absolute aggregate size at `price` (0 removes the level). */
export interface PriceLevelChange {
  assetId: string;
  /** "BUY" = the bid side, "SELL" = the ask side. */
  side: Side;
  price: MicroInt;
  size: MicroInt;
  /** Top of book after the change (current schema only; undefined when sent as ""). */
  bestBid: MicroInt | undefined;
  bestAsk: MicroInt | undefined;
}

/** All three historical price_change schemas (flat, `changes[]`, `price_changes[]`) normalise to this. */
export interface PriceChangeEvent {
  type: "price_change";
  market: string;
  changes: PriceLevelChange[];
  timestamp: number;
  receivedAt: number;
}

/** The book's grid changed: old levels may be off-grid, so the book waits for a fresh snapshot. */
export interface TickSizeChangeEvent {
  type: "tick_size_change";
  market: string;
  assetId: string;
  oldTickSize: TickSize | undefined;
  newTickSize: TickSize;
  timestamp: number;
  receivedAt: number;
}

export interface LastTradePriceEvent {
  type: "last_trade_price";
  market: string;
  assetId: string;
  price: MicroInt;
  size: MicroInt;
  /** The taker's side. */
  side: Side;
  feeRateBps: number | undefined;
  transactionHash: string | undefined;
  timestamp: number;
  receivedAt: number;
}

/** Top of book (custom feature). Not sent for every change: never build a book from it. */
export interface BestBidAskEvent {
  type: "best_bid_ask";
  market: string;
  assetId: string;
  bestBid: MicroInt | undefined;
  bestAsk: MicroInt | undefined;
  spread: MicroInt | undefined;
  timestamp: number;
  receivedAt: number;
}

export interface NewMarketEvent {
  type: "new_market";
  /** Gamma market id. */
  id: string;
  /** Condition id. */
  market: string;
  question: string | undefined;
  slug: string | undefined;
  assetIds: string[];
  outcomes: string[];
  tickSize: TickSize | undefined;
  active: boolean | undefined;
  tags: string[];
  timestamp: number;
  receivedAt: number;
}

/** Reported as unreliable (not always delivered, never replayed): poll for resolution as the truth. */
export interface MarketResolvedEvent {
  type: "market_resolved";
  id: string;
  market: string;
  assetIds: string[];
  winningAssetId: string;
  winningOutcome: string | undefined;
  timestamp: number;
  receivedAt: number;
}

export type MarketEvent =
  | BookEvent
  | PriceChangeEvent
  | TickSizeChangeEvent
  | LastTradePriceEvent
  | BestBidAskEvent
  | NewMarketEvent
  | MarketResolvedEvent;

/** Why something was dropped, with the start of what was dropped (at most RAW_EXCERPT_CHARS). */
export interface FrameError {
  reason: string;
  raw: string;
}

export interface ParsedFrame {
  events: MarketEvent[];
  /** Set for the server's text frames: `PONG` (answer to our PING) and `NO NEW ASSETS`. */
  control?: "PONG" | "NO NEW ASSETS";
  /** Frames or array elements that were not understood (each one counted once). */
  dropped: number;
  /** Descriptions of the first MAX_FRAME_ERRORS drops (a junk array must not balloon memory). */
  errors: FrameError[];
}

