// Shared Polymarket vocabulary used by the adapter, the streamer and trading.
import type { MicroInt } from "../money/micros";

export type Side = "BUY" | "SELL";
/** Immediate order types we send: fill-or-kill, or fill-and-kill (fill what you can). */
export type MarketOrderType = "FOK" | "FAK";
export type TickSize = "0.1" | "0.01" | "0.005" | "0.0025" | "0.001" | "0.0001";
export const TICK_SIZES: readonly TickSize[] = ["0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001"];

/** One price level: price and aggregate size, both in micros. */
export interface Level {
  price: MicroInt;
  size: MicroInt;
}

/** A point-in-time view of one token's book, best level FIRST on each side. */
export interface BookQuote {
  tokenId: string;
  bids: Level[];
  asks: Level[];
  tickSize: TickSize | undefined;
  lastTradePrice: MicroInt | undefined;
  /** When the book was last updated (ms epoch) and where the data came from. */
  updatedAt: number;
  source: "ws" | "poll" | "rest";
}
