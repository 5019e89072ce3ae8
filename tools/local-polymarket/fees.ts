// Taker fees of fee-enabled markets (polymarket-2026-accounts.md §5): fee = shares × rate × (p·(1−p))^exponent, in pUSD.
import { ONE, toMicros } from "./decimal";

export interface FeeSchedule {
  /** Decimal string, e.g. "0.07" (crypto), "0.25" (crypto_15_min). */
  rate: string;
  /** 1 almost everywhere; 2 on crypto_15_min. */
  exponent: number;
}

/** The fee is rounded to 5 decimals: 10 micros. */
const FEE_UNIT = 10n;

/**
 * Fee of one fill in micros. Exact rational arithmetic, then rounded half up to 5 decimals, with
 * 0.00001 as the least fee of a fill that owes any (the docs' "min 0.00001"). The server's rounding
 * direction is not documented (§5, open question 6): half up is this stand-in's assumption.
 */
export function fillFee(shares: bigint, price: bigint, fee: FeeSchedule | undefined): bigint {
  if (!fee || shares <= 0n) return 0n;
  const rate = toMicros(fee.rate);
  if (rate === 0n) return 0n;
  const e = BigInt(fee.exponent);
  const pq = price * (ONE - price);
  // fee (micros) = shares × rate/1e6 × (pq/1e12)^e
  const num = shares * rate * pq ** e;
  const den = ONE * (ONE * ONE) ** e;
  if (num === 0n) return 0n;
  const units = (num * 2n + den * FEE_UNIT) / (den * FEE_UNIT * 2n);
  return units === 0n ? FEE_UNIT : units * FEE_UNIT;
}

/** fee_rate_bps as the trade records print it: the rate in basis points. */
export function feeRateBps(fee: FeeSchedule | undefined): string {
  return fee ? ((toMicros(fee.rate) * 10_000n) / ONE).toString() : "0";
}
