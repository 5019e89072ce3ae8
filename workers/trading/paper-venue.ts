// The paper venue: fills a market order against the live book exactly as the exchange would, with no fees.
import { simulateMarketOrder } from "../polymarket/market-price";
import type { PreparedOrder, Venue, VenueAnswer, VenueLookup, VenueOrder } from "./ports";

/**
 * Fees are 0 on paper: Polymarket's V2 taker fee (shares × rate × (p·(1−p))^exponent) depends on
 * a per-market fee schedule we do not store yet, and a made-up rate would be worse than none.
 */
export const PAPER_FEES = 0n;

/** Simulates one order on its book: FOK all or nothing, FAK what the levels within the bound give. */
export function paperFill(order: VenueOrder): VenueAnswer {
  const side = order.side;
  const levels = side === "BUY" ? order.book.asks : order.book.bids;
  const sim = simulateMarketOrder({
    side,
    levels,
    amount: order.amount,
    limitPrice: Number(order.worstPrice),
    orderType: order.orderType,
  });
  if (!sim.ok) {
    if (sim.reason === "empty_book") return { kind: "rejected", reason: "no_liquidity", venueStatus: "unmatched" };
    if (sim.reason === "no_liquidity_within_limit") return { kind: "rejected", reason: "slippage_exceeded", venueStatus: "unmatched" };
    return { kind: "rejected", reason: "fok_not_filled", venueStatus: "unmatched" };
  }
  return {
    kind: "filled",
    shares: sim.filledShares,
    usdc: sim.filledUsdc,
    fees: PAPER_FEES,
    complete: sim.complete,
    venueStatus: "matched",
  };
}

export function paperVenue(): Venue {
  return {
    mode: "paper",
    async prepare(order: VenueOrder): Promise<PreparedOrder> {
      return { venueOrderId: null, signedOrder: null, submit: async () => paperFill(order) };
    },
    // A paper order is filled and settled in one go: one still pending was never filled.
    async lookup(): Promise<VenueLookup> {
      return { kind: "not_filled", venueStatus: "paper_abandoned" };
    },
  };
}
