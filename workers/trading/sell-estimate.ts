// What a sale would get on a book now: the shares the bids take down to the floor, level by level,
// the taker fee and what the seller receives; the preview shows it and the Confirm keeps its floor.
import type { FeeSchedule } from "../money/fees";
import type { Micros } from "../money/micros";
import { simulateMarketOrder } from "../polymarket/market-price";
import type { BookQuote, TickSize } from "../polymarket/types";
import { feeOnLevels } from "./buy-fees";
import { orderBound, type SellSize, sharesToSell, venueAmount } from "./pricing";

export type SellEstimate =
  | {
      ok: true;
      /** Shares asked to sell (as sent to the venue) and those the bids down to the floor take. */
      shares: Micros;
      filled: Micros;
      bestBid: Micros;
      /** The order's worst price: the best bid minus the slippage bound, on the tick. */
      floor: Micros;
      avgPrice: Micros;
      worstLevel: Micros;
      usdc: Micros;
      fee: Micros;
      /** usdc − fee. */
      receive: Micros;
    }
  | { ok: false; reason: "nothing_to_sell" | "empty_book"; bestBid: Micros | null }
  /** The bids are all below the floor (can only happen with a floor given, e.g. a retried preview). */
  | { ok: false; reason: "below_floor"; bestBid: Micros; floor: Micros };

export interface SellEstimateInput {
  book: BookQuote;
  held: Micros;
  size: SellSize;
  slippageBps: number | undefined;
  tick: TickSize;
  fees: FeeSchedule;
  /** A floor already promised (the preview's); default: the best bid minus the slippage bound. */
  floor?: Micros;
}

/** A FAK sale as the venue (and the paper venue) would fill it on this book. */
export function estimateSell(i: SellEstimateInput): SellEstimate {
  const wanted = sharesToSell(i.held, i.size);
  const shares = wanted === null ? 0n : venueAmount(wanted);
  const best = i.book.bids[0];
  const bestBid = best ? BigInt(best.price) : null;
  if (shares <= 0n) return { ok: false, reason: "nothing_to_sell", bestBid };
  if (bestBid === null) return { ok: false, reason: "empty_book", bestBid };
  const tick = i.book.tickSize ?? i.tick;
  const floor = orderBound("SELL", i.floor !== undefined ? { limitPrice: i.floor } : {}, i.slippageBps, bestBid, tick);
  if (bestBid < floor) return { ok: false, reason: "below_floor", bestBid, floor };
  const sim = simulateMarketOrder({ side: "SELL", levels: i.book.bids, amount: shares, limitPrice: Number(floor), orderType: "FAK" });
  if (!sim.ok) return sim.reason === "empty_book" ? { ok: false, reason: "empty_book", bestBid: null } : { ok: false, reason: "below_floor", bestBid, floor };
  const fee = feeOnLevels(i.book.bids, "SELL", sim.filledShares, i.fees);
  return {
    ok: true, shares, filled: sim.filledShares, bestBid, floor, avgPrice: sim.avgPrice, worstLevel: BigInt(sim.worstPrice),
    usdc: sim.filledUsdc, fee, receive: sim.filledUsdc - fee,
  };
}
