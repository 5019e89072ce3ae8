// What a trade call answers: filled, partially filled, rejected (with a reason a user can read) or in flight.
import { fromMicros, type Micros } from "../money/micros";

export type TradingMode = "paper" | "live";
export type SellReason = "manual" | "take_profit" | "stop_loss" | "trailing_stop";

/** Stable codes the bot and the streamer branch on; `message` is the text for the user. */
export type RejectReason =
  | "invalid_request"
  | "below_minimum"
  | "insufficient_balance"
  | "no_liquidity"
  | "slippage_exceeded"
  | "fok_not_filled"
  | "market_closed"
  | "market_unknown"
  | "position_not_found"
  | "position_closed"
  | "already_being_sold"
  | "nothing_to_sell"
  | "order_in_flight"
  | "no_wallet"
  /** A deposit wallet the bot has not finished deploying and approving: nothing is signed. */
  | "wallet_setup_pending"
  | "deposit_wallet_required"
  | "trading_disabled"
  | "close_only"
  | "region_blocked"
  | "rate_limited"
  | "not_filled"
  | "price_unconfirmed"
  | "venue_rejected";

/** An open or closed position as the ledger holds it (money in micros). */
export interface PositionView {
  id: number;
  userId: number;
  marketId: string;
  tokenId: string;
  outcome: string;
  mode: TradingMode;
  status: "active" | "closing" | "closed";
  shares: Micros;
  costBasis: Micros;
  avgPrice: Micros;
  realizedPnl: Micros;
  closeReason: string | null;
  /** Who holds the sell claim while 'closing'. */
  claimId: string | null;
}

export interface Fill {
  orderId: number;
  clientOrderId: string;
  side: "BUY" | "SELL";
  mode: TradingMode;
  tokenId: string;
  /** USDC asked to spend (BUY) or shares asked to sell (SELL), as sent to the venue. */
  requested: Micros;
  shares: Micros;
  /** USDC paid (BUY) or received (SELL), fees excluded. */
  usdc: Micros;
  /** usdc ÷ shares, half-up. */
  avgPrice: Micros;
  fees: Micros;
  /** The worst price the order accepted (the user's slippage bound on the tick). */
  worstPrice: Micros;
  /** SELL: proceeds − the cost basis of the shares sold; BUY: 0; null when rebuilt from an old order row. */
  realizedPnl: Micros | null;
  /** The position after the fill (closed after a full sell). */
  position: PositionView;
}

export type TradeResult =
  | ({ status: "filled" } & Fill)
  | ({ status: "partially_filled" } & Fill)
  | { status: "rejected"; reason: RejectReason; message: string; orderId?: number; retryAfterMs?: number }
  | { status: "in_flight"; orderId: number; clientOrderId: string; message: string };

export type Rejected = Extract<TradeResult, { status: "rejected" }>;

const usd = (m: Micros) => `$${fromMicros(m, 2)}`;
/** Prices in cents, as every screen shows them ("77¢", "80.5¢"). */
const price = (m: Micros) => `${fromMicros(m * 100n)}¢`;

/** Details that make a rejection message specific (all optional). */
export interface RejectDetails {
  worstPrice?: Micros;
  bestPrice?: Micros;
  slippageBps?: number;
  amount?: Micros;
  balance?: Micros;
  venueMessage?: string;
  retryAfterMs?: number;
}

/** A rejection whose message a user can read. Never includes key material (none is passed in). */
export function reject(reason: RejectReason, d: RejectDetails = {}, orderId?: number): Rejected {
  const out: Rejected = { status: "rejected", reason, message: messageFor(reason, d) };
  if (orderId !== undefined) out.orderId = orderId;
  if (d.retryAfterMs !== undefined) out.retryAfterMs = d.retryAfterMs;
  return out;
}

function messageFor(reason: RejectReason, d: RejectDetails): string {
  switch (reason) {
    case "invalid_request":
      return "That order is not valid.";
    case "below_minimum":
      return d.amount !== undefined
        ? `Polymarket's minimum order is $1; this one is worth ${usd(d.amount)}.`
        : "Polymarket's minimum order is $1.";
    case "insufficient_balance":
      return d.balance !== undefined ? `Not enough balance: you have ${usd(d.balance)}.` : "Not enough balance or allowance for this order.";
    case "no_liquidity":
      return "Nobody is trading this outcome right now: the order book is empty on that side.";
    case "slippage_exceeded":
      return d.worstPrice !== undefined && d.bestPrice !== undefined
        ? `No liquidity within your slippage bound: your worst price is ${price(d.worstPrice)}, the book is at ${price(d.bestPrice)}.`
        : "No liquidity within your slippage bound.";
    case "fok_not_filled":
      return "Not enough liquidity within your slippage bound to fill the whole order, so nothing was traded.";
    case "market_closed":
      return "This market is closed or not accepting orders.";
    case "market_unknown":
      return "This market is not known (yet).";
    case "position_not_found":
      return "Position not found.";
    case "position_closed":
      return "This position is already closed.";
    case "already_being_sold":
      return "This position is already being sold.";
    case "nothing_to_sell":
      return "Nothing to sell: the amount rounds to less than 0.01 share.";
    case "order_in_flight":
      return "An earlier order on this market is still being confirmed; try again in a moment.";
    case "no_wallet":
      return "Live trading needs a wallet: import or create one first.";
    case "wallet_setup_pending":
      return "Your deposit wallet is not set up yet: open Wallet and press Finish setup. Nothing was sent.";
    case "deposit_wallet_required":
      return "Polymarket requires a deposit wallet for this account (signature type 3).";
    case "trading_disabled":
      return "Polymarket has paused trading right now.";
    case "close_only":
      return "Polymarket lets this account only close positions here (close-only mode): buying is not possible, selling still is. Nothing was sent.";
    case "region_blocked":
      return "Polymarket does not allow trading from where this bot runs, so nothing was sent. The operator must run it where Polymarket allows trading.";
    case "rate_limited":
      return "Polymarket is busy; try again in a few seconds.";
    case "not_filled":
      return "Polymarket did not fill the order; nothing was traded.";
    case "price_unconfirmed":
      return d.venueMessage ? `The price was not confirmed, so nothing was sold: ${d.venueMessage}` : "The price was not confirmed, so nothing was sold.";
    case "venue_rejected":
      return d.venueMessage ? `Polymarket refused the order: ${d.venueMessage}` : "Polymarket refused the order.";
  }
}

export const IN_FLIGHT_MESSAGE = "The order was sent but Polymarket has not confirmed it yet; it is being checked.";
