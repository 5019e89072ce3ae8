// Market orders against a book side: the official worst-price walk (exact) and a paper-trading fill simulation.
import { type MicroInt, type Micros, ONE } from "../money/micros";
import type { Level, MarketOrderType, Side, TickSize } from "./types";

const MAX_PRICE: MicroInt = 1_000_000;
const TICK_MICROS: Record<TickSize, MicroInt> = {
  "0.1": 100_000,
  "0.01": 10_000,
  "0.005": 5_000,
  "0.0025": 2_500,
  "0.001": 1_000,
  "0.0001": 100,
};

export type MarketPriceResult = { ok: true; price: MicroInt } | { ok: false; reason: "no_match" };

/**
 * The price clob-client-v2 `calculateBuyMarketPrice` would choose for spending `amountUsdc`:
 * walk the asks from the best (asks are best FIRST here), accumulating size × price until it
 * reaches the amount; that level's price. Book exhausted: FOK → no match, FAK → the worst level.
 * Exact (bigint) where the official sums floats.
 */
export function marketBuyPrice(asks: readonly Level[], amountUsdc: Micros, orderType: MarketOrderType): MarketPriceResult {
  if (asks.length === 0) return { ok: false, reason: "no_match" };
  const target = amountUsdc * ONE; // size × price is in 10^-12 USDC
  let sum = 0n;
  for (const level of asks) {
    sum += BigInt(level.size) * BigInt(level.price);
    if (sum >= target) return { ok: true, price: level.price };
  }
  return orderType === "FOK" ? { ok: false, reason: "no_match" } : { ok: true, price: asks[asks.length - 1]!.price };
}

/** The price clob-client-v2 `calculateSellMarketPrice` would choose for selling `shares` (bids best FIRST). */
export function marketSellPrice(bids: readonly Level[], shares: Micros, orderType: MarketOrderType): MarketPriceResult {
  if (bids.length === 0) return { ok: false, reason: "no_match" };
  let sum = 0n;
  for (const level of bids) {
    sum += BigInt(level.size);
    if (sum >= shares) return { ok: true, price: level.price };
  }
  return orderType === "FOK" ? { ok: false, reason: "no_match" } : { ok: true, price: bids[bids.length - 1]!.price };
}

export interface MarketOrderInput {
  side: Side;
  /** The opposite side of the book, best FIRST (asks for BUY, bids for SELL); sorted defensively. */
  levels: readonly Level[];
  /** USDC to spend (BUY) or shares to sell (SELL), in micros; must be positive. */
  amount: Micros;
  /** Worst acceptable price: BUY takes levels priced ≤ it, SELL levels priced ≥ it. */
  limitPrice: MicroInt;
  orderType: MarketOrderType;
}

export type SimulatedFill =
  | {
      ok: true;
      filledShares: Micros;
      filledUsdc: Micros;
      /** filledUsdc ÷ filledShares, rounded half-up to micros. */
      avgPrice: Micros;
      worstPrice: MicroInt;
      /** The whole amount was matched (BUY: spent down to less than one micro-share of dust). */
      complete: boolean;
      levelsUsed: number;
    }
  | { ok: false; reason: "empty_book" | "no_liquidity_within_limit" | "fok_not_filled" };

interface Walk {
  shares: bigint;
  /** USDC in 10^-12 units (micro-shares × micro-price), exact until the single final rounding. */
  pico: bigint;
  worst: MicroInt;
  levelsUsed: number;
  complete: boolean;
}

/** Best-first order for the side; a copy only when the input is out of order. */
function bestFirst(levels: readonly Level[], side: Side): readonly Level[] {
  const better = (a: Level, b: Level) => (side === "BUY" ? a.price - b.price : b.price - a.price);
  for (let i = 1; i < levels.length; i++) {
    if (better(levels[i - 1]!, levels[i]!) > 0) return [...levels].sort(better);
  }
  return levels;
}

/** BUY: each level is bought whole while the money lasts, then floor(rest ÷ price) shares of the next. */
function walkBuy(levels: readonly Level[], amount: Micros, limit: MicroInt): Walk {
  const walk: Walk = { shares: 0n, pico: 0n, worst: 0, levelsUsed: 0, complete: false };
  let remaining = amount * ONE;
  for (const { price, size } of levels) {
    if (size <= 0) continue;
    if (price > limit) break;
    const p = BigInt(price);
    const cost = BigInt(size) * p;
    const take = remaining >= cost ? BigInt(size) : remaining / p;
    if (take > 0n) {
      walk.shares += take;
      walk.pico += take * p;
      remaining -= take * p;
      walk.worst = price;
      walk.levelsUsed++;
    }
    if (take < BigInt(size) || remaining === 0n) {
      walk.complete = true;
      break;
    }
  }
  return walk;
}

/** SELL: shares go into the bids from the best down; each level pays its own price. */
function walkSell(levels: readonly Level[], amount: Micros, limit: MicroInt): Walk {
  const walk: Walk = { shares: 0n, pico: 0n, worst: 0, levelsUsed: 0, complete: false };
  let remaining = amount;
  for (const { price, size } of levels) {
    if (size <= 0) continue;
    if (price < limit) break;
    const take = remaining < BigInt(size) ? remaining : BigInt(size);
    walk.shares += take;
    walk.pico += take * BigInt(price);
    remaining -= take;
    walk.worst = price;
    walk.levelsUsed++;
    if (remaining === 0n) {
      walk.complete = true;
      break;
    }
  }
  return walk;
}

/**
 * How the exchange fills a marketable order, for paper trading: the taker pays each resting
 * level's own price (price improvement), never beyond `limitPrice`. FOK fills all or nothing, FAK
 * what the levels within the limit allow. Rounding never favours the taker: a BUY pays
 * ceil(Σ shares × price) (≤ amount), a SELL receives floor(Σ shares × price).
 */
export function simulateMarketOrder(input: MarketOrderInput): SimulatedFill {
  const { side, amount, limitPrice, orderType } = input;
  if (amount <= 0n) throw new RangeError(`amount must be positive: ${amount}`);
  for (const l of input.levels) {
    if (!(l.price > 0 && l.price <= MAX_PRICE)) throw new RangeError(`level price out of (0, 1]: ${l.price}`);
  }
  const levels = bestFirst(input.levels, side);
  if (!levels.some((l) => l.size > 0)) return { ok: false, reason: "empty_book" };
  const walk = side === "BUY" ? walkBuy(levels, amount, limitPrice) : walkSell(levels, amount, limitPrice);
  if (walk.levelsUsed === 0) return { ok: false, reason: "no_liquidity_within_limit" };
  if (orderType === "FOK" && !walk.complete) return { ok: false, reason: "fok_not_filled" };
  const filledUsdc = side === "BUY" ? (walk.pico + ONE - 1n) / ONE : walk.pico / ONE;
  return {
    ok: true,
    filledShares: walk.shares,
    filledUsdc,
    avgPrice: (filledUsdc * ONE * 2n + walk.shares) / (2n * walk.shares),
    worstPrice: walk.worst,
    complete: walk.complete,
    levelsUsed: walk.levelsUsed,
  };
}

/** The tick as MicroInt ("0.01" → 10_000). */
export function tickMicroInt(tick: TickSize): MicroInt {
  return TICK_MICROS[tick];
}

/** The price lies on the tick grid. */
export function isOnTick(price: MicroInt, tick: TickSize): boolean {
  return Number.isSafeInteger(price) && price % TICK_MICROS[tick] === 0;
}

/**
 * Rounds a price onto the tick grid in the given direction, then clamps it into the range orders
 * accept, [tick, 1 − tick] (clob-client-v2 `priceValid`).
 */
export function clampToTick(price: MicroInt, tick: TickSize, direction: "down" | "up"): MicroInt {
  const t = TICK_MICROS[tick];
  const q = direction === "down" ? Math.floor(price / t) : Math.ceil(price / t);
  return Math.min(Math.max(q * t, t), MAX_PRICE - t);
}
