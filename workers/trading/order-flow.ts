// The path every order takes: prepare (sign), record with its client id, submit once, read the answer.
import { log } from "../lib/log";
import { avgPrice } from "./position-math";
import { insertOrder } from "./store-orders";
import { loadPosition, type OrderRow } from "./store-read";
import type { TradingDeps, Venue, VenueAnswer, VenueOrder } from "./ports";
import { type Fill, IN_FLIGHT_MESSAGE, type PositionView, type Rejected, type RejectReason, reject, type TradeResult } from "./results";
import type { Db } from "../db/client";

/** A sell's client order id is its claim's: one claim, at most one order. */
export const sellClientOrderId = (claimId: string) => `sell:${claimId}`;
export const claimIdOfSell = (clientOrderId: string) => (clientOrderId.startsWith("sell:") ? clientOrderId.slice(5) : null);

export interface PlaceArgs {
  venue: Venue;
  order: VenueOrder;
  positionId: number | null;
  reason: string;
  claimId?: string;
}

export type Placed =
  | { kind: "refused"; result: Rejected }
  /** The client id was recorded already (or, for a sell, the claim is gone): nothing sent. */
  | { kind: "not_recorded" }
  | { kind: "answered"; orderId: number; answer: VenueAnswer };

/**
 * Prepares the order, records it (BEFORE the venue is called), then submits it exactly once.
 * A live submit that throws is an unknown outcome, never a rejection; a paper one is a bug and
 * becomes a rejection (nothing was filled) so the position is not left claimed.
 */
export async function placeOrder(deps: TradingDeps, a: PlaceArgs): Promise<Placed> {
  const prepared = await a.venue.prepare(a.order);
  if ("kind" in prepared) {
    return { kind: "refused", result: reject(prepared.reason, { venueMessage: prepared.message, retryAfterMs: prepared.retryAfterMs }) };
  }
  const orderId = await insertOrder(deps.db, {
    clientOrderId: a.order.clientOrderId,
    userId: a.order.userId,
    positionId: a.positionId,
    marketId: a.order.market.marketId,
    tokenId: a.order.market.tokenId,
    mode: a.venue.mode,
    side: a.order.side,
    orderType: a.order.orderType,
    reason: a.reason,
    requestedAmount: a.order.amount,
    worstPrice: a.order.worstPrice,
    venueOrderId: prepared.venueOrderId,
    signedOrder: prepared.signedOrder,
    ...(a.claimId !== undefined ? { claimId: a.claimId } : {}),
  });
  if (orderId === null) return { kind: "not_recorded" };
  let answer: VenueAnswer;
  try {
    answer = await prepared.submit();
  } catch (err) {
    log.error("trading_submit_threw", { order_id: orderId, mode: a.venue.mode, error: err });
    answer =
      a.venue.mode === "live"
        ? { kind: "in_flight", venueStatus: "error", code: "exception", message: String(err instanceof Error ? err.message : err) }
        : { kind: "rejected", reason: "venue_rejected", venueStatus: "error", code: "exception" };
  }
  return { kind: "answered", orderId, answer };
}

/** A fill result from its parts. */
export function fillResult(
  o: { orderId: number; clientOrderId: string; side: "BUY" | "SELL"; requested: bigint; worstPrice: bigint },
  f: { shares: bigint; usdc: bigint; fees: bigint; complete: boolean },
  position: PositionView,
  realizedPnl: bigint | null,
): TradeResult {
  const fill: Fill = {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    side: o.side,
    mode: position.mode,
    tokenId: position.tokenId,
    requested: o.requested,
    shares: f.shares,
    usdc: f.usdc,
    avgPrice: avgPrice({ shares: f.shares, costBasis: f.usdc }),
    fees: f.fees,
    worstPrice: o.worstPrice,
    realizedPnl,
    position,
  };
  return { status: f.complete ? "filled" : "partially_filled", ...fill };
}

const REASONS = new Set<string>([
  "invalid_request", "below_minimum", "insufficient_balance", "no_liquidity", "slippage_exceeded", "fok_not_filled",
  "market_closed", "market_unknown", "position_not_found", "position_closed", "already_being_sold", "nothing_to_sell",
  "order_in_flight", "no_wallet", "wallet_setup_pending", "deposit_wallet_required", "trading_disabled", "close_only", "region_blocked", "rate_limited", "not_filled", "venue_rejected",
]);

/** What an order row says happened (a repeated confirm, or after reconciliation). */
export async function resultFromOrder(db: Db, o: OrderRow): Promise<TradeResult> {
  if (o.status === "filled" || o.status === "partially_filled") {
    const position = o.positionId === null ? null : await loadPosition(db, o.positionId);
    if (position) {
      return fillResult(
        { orderId: o.id, clientOrderId: o.clientOrderId, side: o.side, requested: o.requestedAmount, worstPrice: o.worstPrice ?? 0n },
        { shares: o.filledShares, usdc: o.filledAmount, fees: o.fees, complete: o.status === "filled" },
        position,
        o.side === "BUY" ? 0n : o.realizedPnl,
      );
    }
  }
  if (o.status === "rejected" || o.status === "failed") {
    const reason = (REASONS.has(o.errorCode ?? "") ? o.errorCode : "venue_rejected") as RejectReason;
    return reject(reason, { venueMessage: o.errorMessage ?? undefined }, o.id);
  }
  return { status: "in_flight", orderId: o.id, clientOrderId: o.clientOrderId, message: IN_FLIGHT_MESSAGE };
}

/** Streamer notifications never fail a trade: the streamer also rebuilds its set from Postgres. */
export async function notify(what: "opened" | "closed", deps: TradingDeps, tokenId: string, positionId: number): Promise<void> {
  try {
    if (what === "opened") await deps.streamer.positionOpened(tokenId, positionId);
    else await deps.streamer.positionClosed(tokenId, positionId);
  } catch (err) {
    log.warn("trading_streamer_notify_failed", { what, token_id: tokenId, position_id: positionId, error: err });
  }
}
