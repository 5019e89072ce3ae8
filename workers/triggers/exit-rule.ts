// The exit rule (pure): what bounds a trigger's sale, and when the book it would sell into must be
// confirmed over REST first. A stop is a stop-limit: its floor comes from the level and the trader's
// slippage bound, not from the (possibly crashed or planted) bid; "sell at any price" is the trader's
// explicit choice. Take profits sell at the bid (the trader gains).
import { fromMicroInt, fromMicros, type MicroInt, type Micros } from "../money/micros";
import type { BookQuote } from "../polymarket/types";
import type { FiredTrigger } from "./types";

/** The stop rule in words, as /help and the stop menu state it. */
export const STOP_LIMIT_RULE =
  "A stop is a stop-limit: when the best bid reaches the level it sells, but never below the level minus your slippage bound (its floor). If the market gaps below the floor, what the book takes within it is sold, the rest stays open and armed, and you are told at once with a button to sell the rest at the market. A sudden jump, a crossed book or a book too thin for the position is checked over REST before anything is sold.";
/** How the sale of a fired trigger is bounded (SellRequest's referencePrice, or no floor but the venue's $1 minimum). */
export function saleBound(f: Pick<FiredTrigger, "trigger" | "level" | "bid">): { referencePrice: Micros } | { anyPrice: true } {
  if (f.trigger.kind === "take_profit") return { referencePrice: BigInt(f.bid) };
  if (f.trigger.anyPrice) return { anyPrice: true };
  return { referencePrice: BigInt(f.level) };
}

/**
 * Fires of one frame in the order their levels were crossed: worst-hit first (the stop furthest above
 * the bid, the take profit furthest below it), so in a stampede the sales that lose most go out first.
 */
export function worstHitFirst<T extends Pick<FiredTrigger, "trigger" | "level" | "bid">>(fired: readonly T[]): T[] {
  const depth = (f: T) => (f.trigger.kind === "take_profit" ? f.bid - f.level : f.level - f.bid);
  return [...fired].sort((a, b) => depth(b) - depth(a));
}

/** Shares the bids hold at or above `floor` (micros). */
export function depthWithin(book: BookQuote, floor: Micros): Micros {
  let total = 0n;
  for (const l of book.bids) {
    if (BigInt(l.price) < floor) break;
    total += BigInt(l.size);
  }
  return total;
}

const c = (m: MicroInt) => fromMicroInt(m);

/**
 * Why the book a fire would sell into is not to be trusted without a REST look, or null: the bid
 * jumped more than `jumpBps` of itself in one frame, the book is crossed (bid ≥ ask), or the bids
 * within the sale's worst price hold fewer shares than are being sold.
 */
export function needsConfirmation(f: Pick<FiredTrigger, "bid" | "prevBid">, book: BookQuote, shares: Micros, worst: Micros, jumpBps: number): string | null {
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  if (bid !== undefined && ask !== undefined && bid >= ask) return `the book was crossed (bid ${c(bid)} ≥ ask ${c(ask)})`;
  if (f.prevBid !== undefined && f.prevBid > 0 && Math.abs(f.bid - f.prevBid) * 10_000 > jumpBps * f.prevBid) {
    return `the bid moved from ${c(f.prevBid)} to ${c(f.bid)} in one frame`;
  }
  const depth = depthWithin(book, worst);
  if (depth < shares) return `the book held ${fromMicros(depth)} of ${fromMicros(shares)} shares within the floor ${fromMicros(worst)}`;
  return null;
}
