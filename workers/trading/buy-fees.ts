// Taker fees of a fill on a book, level by level as the venue charges them, and a buy sized to the cash it may use.
import { type FeeSchedule, hasFee, takerFee } from "../money/fees";
import type { Micros } from "../money/micros";
import { simulateMarketOrder } from "../polymarket/market-price";
import type { Level, MarketOrderType, Side } from "../polymarket/types";
import { MIN_MARKETABLE_USDC } from "./pricing";

/** One cent: a buy shrinks in cents, the venue keeps 2 decimals of a BUY's amount. */
const CENT: Micros = 10_000n;

/**
 * The fee of `filledShares` taken from `levels` best first (as the walk takes them): each level's
 * part owes its own fee at its own price, rounded as the venue rounds one fill (half up, 5 decimals).
 */
export function feeOnLevels(levels: readonly Level[], side: Side, filledShares: Micros, s: FeeSchedule): Micros {
  if (!hasFee(s) || filledShares <= 0n) return 0n;
  const sorted = [...levels].filter((l) => l.size > 0).sort((a, b) => (side === "BUY" ? a.price - b.price : b.price - a.price));
  let left = filledShares;
  let fee = 0n;
  for (const l of sorted) {
    if (left <= 0n) break;
    const take = left < BigInt(l.size) ? left : BigInt(l.size);
    fee += takerFee(take, BigInt(l.price), s, "half-up");
    left -= take;
  }
  return fee;
}

export interface BuyEstimate {
  /** The amount to send (the request, or less when it shrank to fit the cash). */
  amount: Micros;
  shares: Micros;
  /** pUSD paid for the shares, fee excluded. */
  usdc: Micros;
  fee: Micros;
  avgPrice: Micros;
  worstPrice: Micros;
  complete: boolean;
  /** The requested amount plus its fee did not fit the cash: the amount is smaller than asked. */
  shrunk: boolean;
}

export type BuySizing =
  | ({ ok: true } & BuyEstimate)
  | { ok: false; reason: "empty_book" | "no_liquidity_within_limit" | "fok_not_filled" | "insufficient_balance"; fee?: Micros };

export interface BuySizingInput {
  asks: readonly Level[];
  amount: Micros;
  bound: Micros;
  orderType: MarketOrderType;
  fees: FeeSchedule;
  /** What the buy may spend in all (paper cash, the venue's balance); null: unknown, no shrinking. */
  cash: Micros | null;
}

function estimate(i: BuySizingInput, amount: Micros): BuySizing {
  const sim = simulateMarketOrder({ side: "BUY", levels: i.asks, amount, limitPrice: Number(i.bound), orderType: i.orderType });
  if (!sim.ok) return sim;
  const fee = feeOnLevels(i.asks, "BUY", sim.filledShares, i.fees);
  return {
    ok: true, amount, shares: sim.filledShares, usdc: sim.filledUsdc, fee, avgPrice: sim.avgPrice,
    worstPrice: BigInt(sim.worstPrice), complete: sim.complete, shrunk: false,
  };
}

/**
 * What a BUY of `amount` gets on this book, fee included. When the fill plus its fee does not fit
 * the cash (a buy of the whole balance on a fee-enabled market), the amount shrinks to the largest
 * cent whose fill and fee fit, as the official client's maxSpend does; the fee is charged per level,
 * so the search is over the simulated fill itself, not a formula.
 */
export function sizeBuy(i: BuySizingInput): BuySizing {
  const first = estimate(i, i.amount);
  if (!first.ok || i.cash === null || first.usdc + first.fee <= i.cash) return first;
  if (i.amount > i.cash) return { ok: false, reason: "insufficient_balance", fee: first.fee };
  // Largest cent n in [lo, hi] with usdc(n) + fee(n) ≤ cash; cost grows with n.
  let lo = 0n;
  let hi = i.amount / CENT;
  let best: BuySizing | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) / 2n;
    if (mid * CENT < MIN_MARKETABLE_USDC) {
      lo = mid + 1n;
      continue;
    }
    const e = estimate(i, mid * CENT);
    if (e.ok && e.usdc + e.fee <= i.cash) {
      best = e;
      lo = mid + 1n;
    } else {
      hi = mid - 1n;
    }
  }
  if (!best || !best.ok) return { ok: false, reason: "insufficient_balance", fee: first.fee };
  return { ...best, shrunk: true };
}
