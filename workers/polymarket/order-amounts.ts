// Order maker/taker amounts in 6-decimal base units, computed exactly with the official client's steps.
// The official (order-builder/helpers/get*RawAmounts.ts, utilities.ts) uses JS floats; we use integers.
import type { Side, TickSize } from "./types";

export interface RoundConfig {
  /** Decimals the price is rounded to. */
  price: number;
  /** Decimals the size (shares, or pUSD for a market BUY) is rounded down to. */
  size: number;
  /** Decimals allowed in the computed amount. */
  amount: number;
}

/** polymarket.md §4.5; the official roundingConfig.ts. */
export const ROUNDING_CONFIG: Readonly<Record<TickSize, RoundConfig>> = {
  "0.1": { price: 1, size: 2, amount: 3 },
  "0.01": { price: 2, size: 2, amount: 4 },
  "0.005": { price: 3, size: 2, amount: 5 },
  "0.0025": { price: 4, size: 2, amount: 6 },
  "0.001": { price: 3, size: 2, amount: 5 },
  "0.0001": { price: 4, size: 2, amount: 6 },
};

export interface OrderAmounts {
  /** What the maker gives: pUSD for a BUY, shares for a SELL (6-decimal base units). */
  makerAmount: bigint;
  /** What the maker receives: shares for a BUY, pUSD for a SELL (6-decimal base units). */
  takerAmount: bigint;
}

export interface LimitOrderInput {
  side: Side;
  /** Shares, decimal string ("12.5"). */
  size: string;
  /** Price per share, decimal string ("0.57"); must satisfy tick ≤ price ≤ 1 − tick. */
  price: string;
  tickSize: TickSize;
}

export interface MarketOrderInput {
  side: Side;
  /** BUY: pUSD to spend; SELL: shares to sell. Decimal string. */
  amount: string;
  /** Worst acceptable price, decimal string; must satisfy tick ≤ price ≤ 1 − tick. */
  price: string;
  tickSize: TickSize;
}

/** Base units per whole pUSD or share. */
const DECIMALS = 6;
/** The official rounds up at amount + 4 decimals before rounding down (undoes float dust). */
const GUARD_DECIMALS = 4;
const MAX_INPUT_LENGTH = 48;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

const pow10 = (k: number): bigint => 10n ** BigInt(k);

/** An exact non-negative decimal: value = units / 10^scale. */
interface Exact {
  units: bigint;
  scale: number;
}

function parseDecimal(text: string, field: string): Exact {
  const m = typeof text === "string" && text.length <= MAX_INPUT_LENGTH ? DECIMAL.exec(text) : null;
  if (!m) throw new RangeError(`${field}: expected a plain decimal string like "12.5", got ${JSON.stringify(text)}`);
  const frac = m[2] ?? "";
  return { units: BigInt(m[1]! + frac), scale: frac.length };
}

/** floor(value × 10^k), i.e. the official roundDown, in units of 10^-k. */
function roundDown(x: Exact, k: number): bigint {
  return k >= x.scale ? x.units * pow10(k - x.scale) : x.units / pow10(x.scale - k);
}

/** Half-up rounding to k decimals, the official roundNormal (Math.round of a positive number). */
function roundNormal(x: Exact, k: number): bigint {
  if (k >= x.scale) return x.units * pow10(k - x.scale);
  const d = pow10(x.scale - k);
  return (2n * x.units + d) / (2n * d);
}

/**
 * The official amount rounding of n/d, returned in base units: exact if it has at most `a`
 * decimals, else roundUp to a + 4 decimals and then, if still longer, roundDown to `a`.
 * Both branches of the latter reduce to floor(ceil(x × 10^(a+4)) / 10^4).
 */
function roundAmount(n: bigint, d: bigint, a: number): bigint {
  const scaled = n * pow10(a);
  if (scaled % d === 0n) return (scaled / d) * pow10(DECIMALS - a);
  const guard = (n * pow10(a + GUARD_DECIMALS) + d - 1n) / d;
  return (guard / pow10(GUARD_DECIMALS)) * pow10(DECIMALS - a);
}

/** The official priceValid: tick ≤ price ≤ 1 − tick, compared exactly. */
function assertPriceValid(price: Exact, text: string, tickSize: TickSize): void {
  const tick = parseDecimal(tickSize, "tickSize");
  const scale = Math.max(price.scale, tick.scale);
  const p = roundDown(price, scale);
  const t = roundDown(tick, scale);
  if (p < t || p > pow10(scale) - t) {
    throw new RangeError(`invalid price ${text}: must be between ${tickSize} and 1 - ${tickSize}`);
  }
}

function configFor(tickSize: TickSize): RoundConfig {
  const config = ROUNDING_CONFIG[tickSize];
  if (!config) throw new RangeError(`unknown tick size ${JSON.stringify(tickSize)}`);
  return config;
}

function assertSide(side: Side): void {
  if (side !== "BUY" && side !== "SELL") throw new RangeError(`side must be BUY or SELL, got ${JSON.stringify(side)}`);
}

function checked(amounts: OrderAmounts, what: string): OrderAmounts {
  if (amounts.makerAmount <= 0n || amounts.takerAmount <= 0n) {
    throw new RangeError(`${what} rounds to a zero amount (maker ${amounts.makerAmount}, taker ${amounts.takerAmount})`);
  }
  return amounts;
}

/**
 * A resting (GTC/GTD) order: BUY gives size × price pUSD for `size` shares; SELL gives `size`
 * shares for size × price pUSD. Price is rounded half-up to the tick's price decimals and size
 * down to 2 decimals, as the official getOrderRawAmounts does.
 */
export function limitOrderAmounts(input: LimitOrderInput): OrderAmounts {
  assertSide(input.side);
  const config = configFor(input.tickSize);
  const price = parseDecimal(input.price, "price");
  assertPriceValid(price, input.price, input.tickSize);
  const p = roundNormal(price, config.price);
  const shares = roundDown(parseDecimal(input.size, "size"), config.size);
  const sharesBase = shares * pow10(DECIMALS - config.size);
  const notional = roundAmount(shares * p, pow10(config.size + config.price), config.amount);
  const amounts =
    input.side === "BUY"
      ? { makerAmount: notional, takerAmount: sharesBase }
      : { makerAmount: sharesBase, takerAmount: notional };
  return checked(amounts, "limit order");
}

/**
 * An immediate (FOK/FAK) order at a worst price: BUY spends `amount` pUSD for amount ÷ price
 * shares; SELL gives `amount` shares for amount × price pUSD. Price is rounded down to the tick's
 * price decimals and amount down to 2 decimals, as the official getMarketOrderRawAmounts does.
 */
export function marketOrderAmounts(input: MarketOrderInput): OrderAmounts {
  assertSide(input.side);
  const config = configFor(input.tickSize);
  const price = parseDecimal(input.price, "price");
  assertPriceValid(price, input.price, input.tickSize);
  const p = roundDown(price, config.price);
  const given = roundDown(parseDecimal(input.amount, "amount"), config.size);
  const makerAmount = given * pow10(DECIMALS - config.size);
  const takerAmount =
    input.side === "BUY"
      ? roundAmount(given * pow10(config.price), p * pow10(config.size), config.amount)
      : roundAmount(given * p, pow10(config.size + config.price), config.amount);
  return checked({ makerAmount, takerAmount }, "market order");
}
