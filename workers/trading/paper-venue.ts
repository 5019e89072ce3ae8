// The paper venue: fills a market order against the live book exactly as the exchange would, taker fee included.
import { simulateMarketOrder } from "../polymarket/market-price";
import { feeOnLevels } from "./buy-fees";
import type { PreparedOrder, Venue, VenueAnswer, VenueLookup, VenueOrder } from "./ports";

/**
 * Simulates one order on its book: FOK all or nothing, FAK what the levels within the bound give.
 * A paper taker pays what the venue would charge on a fee-enabled market: each level's fill owes
 * shares × rate × (p·(1−p))^exponent at its own price (the market's fee_rate / fee_exponent).
 */
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
    fees: feeOnLevels(levels, side, sim.filledShares, order.market.fees),
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
