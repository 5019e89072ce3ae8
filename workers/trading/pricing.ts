// Pure order maths before the venue: slippage bound on the tick, venue precision, the $1 minimum, sell sizes.
import { clampToTick, tickMicroInt } from "../polymarket/market-price";
import type { Side, TickSize } from "../polymarket/types";
import { type Micros, ONE, mul, mulDiv, roundTo } from "../money/micros";

/** 5 %: wide enough for a thin book to fill, narrow enough that a market order cannot run away. */
export const DEFAULT_SLIPPAGE_BPS = 500;
/** 50 %: beyond this a "market" order is a blank cheque. */
export const MAX_SLIPPAGE_BPS = 5_000;
const BPS = 10_000n;
/** The venue keeps 2 decimals of a market order's amount (USDC for a BUY, shares for a SELL). */
export const VENUE_AMOUNT_DECIMALS = 2;
/** Polymarket refuses marketable orders under $1 of notional. */
export const MIN_MARKETABLE_USDC: Micros = ONE;
/** Less than this many shares can never be sold (venue precision): it is dust. */
export const DUST_SHARES: Micros = 10_000n;

/**
 * The worst price a market order accepts: the reference (best ask for a BUY, best bid for a SELL,
 * or the price the user was shown) moved against the user by `slippageBps`, then put on the tick
 * TOWARD the reference (BUY rounds down, SELL rounds up) so the bound is never wider than the
 * user allowed, and kept inside [tick, 1 − tick]. A reference already on the tick is never
 * crossed by the rounding, so the bound always includes the reference price itself.
 */
export function worstPrice(side: Side, reference: Micros, slippageBps: number, tick: TickSize): Micros {
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > MAX_SLIPPAGE_BPS) {
    throw new RangeError(`slippage must be 0..${MAX_SLIPPAGE_BPS} bps: ${slippageBps}`);
  }
  if (reference <= 0n || reference >= ONE) throw new RangeError(`reference price out of (0, 1): ${reference}`);
  const bps = BigInt(slippageBps);
  const raw = side === "BUY" ? mulDiv(reference, BPS + bps, BPS, "down") : mulDiv(reference, BPS - bps, BPS, "up");
  const t = BigInt(tickMicroInt(tick));
  const onTick = side === "BUY" ? (raw / t) * t : ((raw + t - 1n) / t) * t;
  // A reference off the grid (a caller's price) may round past itself; the clamp keeps orders valid.
  return BigInt(clampToTick(Number(onTick), tick, side === "BUY" ? "down" : "up"));
}

/** A price the user typed as a hard limit, moved onto the tick toward safety and into [tick, 1 − tick]. */
export function limitOnTick(side: Side, limit: Micros, tick: TickSize): Micros {
  if (limit <= 0n || limit >= ONE) throw new RangeError(`limit price out of (0, 1): ${limit}`);
  return BigInt(clampToTick(Number(limit), tick, side === "BUY" ? "down" : "up"));
}

export interface BoundRequest {
  /** A hard worst price (put on the tick toward safety). */
  limitPrice?: Micros | undefined;
  /** The price the user was shown; default: the best price now. */
  referencePrice?: Micros | undefined;
  /** The request's slippage bound, else the user's setting, else the default. */
  slippageBps?: number | undefined;
}

/**
 * The worst price a buy or a sell accepts: the hard limit when one is given, else the slippage bound.
 * A reference outside the tradeable range (a bid of exactly 1, a REST price of 0) is first brought
 * into [tick, 1 − tick], so an odd quote bounds the order instead of throwing.
 */
export function orderBound(side: Side, req: BoundRequest, userSlippageBps: number | undefined, best: Micros, tick: TickSize): Micros {
  if (req.limitPrice !== undefined) return limitOnTick(side, req.limitPrice, tick);
  const t = BigInt(tickMicroInt(tick));
  const raw = req.referencePrice ?? best;
  const reference = raw < t ? t : raw > ONE - t ? ONE - t : raw;
  return worstPrice(side, reference, effectiveSlippage(req.slippageBps ?? userSlippageBps), tick);
}

/**
 * A sell "at any price": the lowest worst price on the tick at which `shares` still make the venue's
 * $1 minimum (a bound of one tick would refuse every small position), never below one tick.
 */
export function anyPriceBound(shares: Micros, tick: TickSize): Micros {
  const t = BigInt(tickMicroInt(tick));
  if (shares <= 0n) return t;
  const raw = mulDiv(MIN_MARKETABLE_USDC, ONE, shares, "up");
  const onTick = ((raw + t - 1n) / t) * t;
  return onTick < t ? t : onTick;
}

/** What the venue keeps of an amount: rounded down to 2 decimals (the official getMarketOrderRawAmounts). */
export function venueAmount(amount: Micros): Micros {
  return roundTo(amount, VENUE_AMOUNT_DECIMALS, "down");
}

/** The order's USDC notional at its worst price, as the venue checks it against the $1 minimum. */
export function orderNotional(side: Side, amount: Micros, worst: Micros): Micros {
  return side === "BUY" ? amount : mul(amount, worst, "down");
}

/** How much of a position to sell: everything, a share of it, or an exact number of shares. */
export type SellSize = Micros | "all" | { fractionBps: number };

/**
 * Shares to send for a sell request, before venue rounding; null when the request is invalid
 * (non-positive, more than held, a fraction outside 1..10000 bps).
 */
export function sharesToSell(held: Micros, size: SellSize): Micros | null {
  if (size === "all") return held;
  if (typeof size === "bigint") return size > 0n && size <= held ? size : null;
  const { fractionBps } = size;
  if (!Number.isInteger(fractionBps) || fractionBps < 1 || fractionBps > 10_000) return null;
  return mulDiv(held, BigInt(fractionBps), BPS, "down");
}

/** A slippage setting read from user settings or a call: an integer 0..MAX, else the default. */
export function effectiveSlippage(bps: number | undefined): number {
  return bps !== undefined && Number.isInteger(bps) && bps >= 0 && bps <= MAX_SLIPPAGE_BPS ? bps : DEFAULT_SLIPPAGE_BPS;
}
