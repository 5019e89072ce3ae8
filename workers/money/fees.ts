// Taker fees of fee-enabled Polymarket markets, exact in micros: fee = shares × rate × (p·(1−p))^exponent
// (polymarket-2026-accounts.md §5). Pure: no IO, no floats.
import { z } from "zod";
import { ONE, toMicros, type Micros, type Rounding } from "./micros";

/** A market's taker fee: rate in micros (0.07 → 70_000n) and exponent (1 almost everywhere, 2 on crypto_15_min). */
export interface FeeSchedule {
  rate: Micros;
  exponent: number;
}

export const NO_FEE: FeeSchedule = { rate: 0n, exponent: 1 };

/** The venue rounds fees to 5 decimals: 10 micros. */
const FEE_UNIT = 10n;

const fdSchema = z.object({ r: z.number().nonnegative().max(1), e: z.number().int().min(0).max(8) }).passthrough();

/**
 * The schedule from CLOB `GET /clob-markets/{condition_id}` `fd: {r, e, to}` (absent or null: no fee).
 * Rates are JSON numbers such as 0.07, read to the micro.
 */
export function feeScheduleFromFd(fd: unknown): FeeSchedule {
  if (fd === undefined || fd === null) return NO_FEE;
  const parsed = fdSchema.parse(fd);
  return { rate: toMicros(parsed.r.toFixed(12), "half-up"), exponent: parsed.e };
}

/** The schedule from decimal strings: a `numeric` column ("0.070000") or the CLOB client's fd fields; absent rate is no fee. */
export function feeScheduleOf(rate: string | null | undefined, exponent: string | number | null | undefined): FeeSchedule {
  if (rate === null || rate === undefined || rate.trim() === "") return NO_FEE;
  const e = Number(exponent ?? 1);
  if (!Number.isInteger(e) || e < 0 || e > 8) throw new RangeError(`fee exponent ${String(exponent)}`);
  const r = toMicros(rate, "half-up");
  if (r < 0n || r > ONE) throw new RangeError(`fee rate ${rate}`);
  return { rate: r, exponent: e };
}

export const hasFee = (s: FeeSchedule): boolean => s.rate > 0n;

/**
 * Fee of a taker fill of `shares` at `price` (both micros), to 5 decimals. `rounding` "half-up" is
 * the estimate of what the venue charges (its direction is undocumented); "up" is the safe bound
 * for budgeting, as the official SDK budgets.
 */
export function takerFee(shares: Micros, price: Micros, s: FeeSchedule, rounding: Exclude<Rounding, "exact"> = "half-up"): Micros {
  if (shares <= 0n || !hasFee(s)) return 0n;
  if (price <= 0n || price >= ONE) throw new RangeError(`price ${price} outside (0, 1)`);
  const e = BigInt(s.exponent);
  const num = shares * s.rate * (price * (ONE - price)) ** e;
  const den = ONE * (ONE * ONE) ** e * FEE_UNIT;
  const q = num / den;
  const r = num % den;
  const units = r === 0n ? q : rounding === "up" || (rounding === "half-up" && 2n * r >= den) ? q + 1n : q;
  // A fill that owes any fee owes at least 0.00001 (the docs' "min 0.00001").
  return (units === 0n && num > 0n ? 1n : units) * FEE_UNIT;
}

/** Shares a BUY of `notional` pUSD gets at `price`, rounded down to micros. */
export const sharesFor = (notional: Micros, price: Micros): Micros => (notional * ONE) / price;

/** What a taker BUY of `notional` pUSD at `price` costs in all: notional + fee (the shares are not reduced). */
export function buyCost(notional: Micros, price: Micros, s: FeeSchedule, rounding: Exclude<Rounding, "exact"> = "up"): Micros {
  return notional + takerFee(sharesFor(notional, price), price, s, rounding);
}

/** What a taker SELL of `shares` at `price` pays out: proceeds − fee. */
export function sellProceeds(shares: Micros, price: Micros, s: FeeSchedule, rounding: Exclude<Rounding, "exact"> = "up"): Micros {
  return (shares * price) / ONE - takerFee(shares, price, s, rounding);
}

/**
 * The largest notional (a multiple of `step` micros, default a cent) whose BUY at `price`, fee
 * included (rounded up), fits in `budget`: a buy of the whole balance shrinks to fit, as the
 * official client's maxSpend does.
 */
export function fitBuyToBudget(budget: Micros, price: Micros, s: FeeSchedule, step: Micros = 10_000n): Micros {
  if (budget <= 0n) return 0n;
  if (!hasFee(s)) return budget - (budget % step);
  // Closed form with the exact rate: budget / (1 + f/p), f = rate × (p(1−p))^e; then settle on the step.
  const e = BigInt(s.exponent);
  const f = s.rate * (price * (ONE - price)) ** e; // scaled by ONE^(2e+1)
  const scale = ONE * (ONE * ONE) ** e;
  let n = (budget * scale * price) / (scale * price + f * ONE);
  n -= n % step;
  while (n > 0n && buyCost(n, price, s) > budget) n -= step;
  while (buyCost(n + step, price, s) <= budget) n += step;
  return n;
}
