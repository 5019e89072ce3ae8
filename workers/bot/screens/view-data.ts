// What the screens show, as plain data read from the database and the live book (money in micros).
import type { FeeSchedule } from "../../money/fees";
import { type Micros, mul } from "../../money/micros";
import { displayedPrice } from "../../polymarket/order-book";
import type { BookQuote, TickSize } from "../../polymarket/types";

export type PriceSource = "ws" | "poll" | "rest" | "gamma";

export interface OutcomeView {
  index: number;
  name: string;
  tokenId: string;
  /** The price Polymarket displays (midpoint, or last trade when the spread is wider than 10¢). */
  price: Micros | null;
  bestBid: Micros | null;
  bestAsk: Micros | null;
}

export interface MarketView {
  id: string;
  question: string;
  eventTitle: string | null;
  slug: string | null;
  eventSlug: string | null;
  outcomes: OutcomeView[];
  volume: string | null;
  volume24hr: string | null;
  endDate: Date | null;
  /** active && !closed && acceptingOrders. */
  tradeable: boolean;
  closed: boolean;
  resolvedOutcome: string | null;
  /** Where the prices were read (every outcome from the one read) and when (ms epoch). */
  priceSource: PriceSource;
  priceAt: number | null;
  tickSize: string;
  /** The taker fee schedule (markets.fee_rate / fee_exponent). */
  fees: FeeSchedule;
}

export interface MarketListItem {
  id: string;
  question: string;
  outcomes: Array<{ name: string; price: Micros | null }>;
  volume24hr: string | null;
  /** Where the prices were read (all outcomes from the one read) and when (ms epoch). */
  priceSource: PriceSource;
  priceAt: number | null;
}

export interface TriggerView {
  kind: "take_profit" | "stop_loss" | "trailing_stop";
  price: Micros | null;
  trail: Micros | null;
  spec: string | null;
  /** A stop the trader set to sell at any price (else a stop-limit with a floor). */
  anyPrice?: boolean;
}

/** One row of a position's exit log (trigger_events). */
export interface ExitLogEntry {
  at: number;
  kind: "take_profit" | "stop_loss" | "trailing_stop" | null;
  /** sold, partially_sold, sell_failed, in_flight, refused, rearmed */
  outcome: string;
  reason: string | null;
  price: Micros | null;
  source: string | null;
  priceAgeMs: number | null;
  /** Exact decimal text (ms, 3 places). */
  latencyMs: string | null;
}

export interface PositionCard {
  id: number;
  marketId: string;
  question: string;
  outcome: string;
  mode: "paper" | "live";
  status: "active" | "closing" | "closed";
  shares: Micros;
  costBasis: Micros;
  avgPrice: Micros;
  /** Best bid (what selling would get at the top of the book), when known. */
  currentPrice: Micros | null;
  priceSource: string | null;
  priceAt: number | null;
  realizedPnl: Micros;
  closeReason: string | null;
  closedAt: number | null;
  triggers: TriggerView[];
  marketTradeable: boolean;
  /** The market's tick: levels and presets sit on it. */
  tickSize: TickSize;
}

export interface Portfolio {
  mode: "paper" | "live";
  /** Paper cash; null for live (held on chain, not read by the bot). */
  cash: Micros | null;
  deposits: Micros;
  positionsValue: Micros;
  unrealizedPnl: Micros;
  /** Positions priced at nothing known yet are counted at cost. */
  unpriced: number;
  /** Open positions in the other mode (paper vs live), mentioned under the list. */
  otherModeOpen: number;
}

/** Top of a live book: best bid, best ask and the displayed price, as Polymarket computes it. */
export function quoteTop(q: BookQuote): { bestBid: Micros | null; bestAsk: Micros | null; price: Micros | null } {
  const bid = q.bids[0]?.price;
  const ask = q.asks[0]?.price;
  const price = displayedPrice(bid, ask, q.lastTradePrice);
  const big = (n: number | undefined) => (n === undefined ? null : BigInt(n));
  return { bestBid: big(bid), bestAsk: big(ask), price: big(price) };
}

/** Value and unrealised P&L of a position at its current price (cost when no price is known). */
export function valueOf(p: Pick<PositionCard, "shares" | "costBasis" | "currentPrice">): { value: Micros; pnl: Micros | null } {
  if (p.currentPrice === null) return { value: p.costBasis, pnl: null };
  const value = mul(p.shares, p.currentPrice, "half-up");
  return { value, pnl: value - p.costBasis };
}
