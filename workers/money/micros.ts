// Exact money: decimal strings on the wire become integers of 10^-6 (micros) here, and only here.
// Prices, USDC amounts and share counts all use 6 decimals, as pUSD and CTF shares do on chain.

export type Micros = bigint;
export const SCALE = 6;
export const ONE: Micros = 1_000_000n;

export type Rounding = "exact" | "down" | "up" | "half-up";

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses a decimal string ("0.505", "12", ".7", "-3.25") into micros. With rounding "exact"
 * (the default) more than 6 decimals is an error; otherwise the extra digits are rounded.
 * Empty strings, exponents, NaN and the like are errors.
 */
export function toMicros(text: string, rounding: Rounding = "exact"): Micros {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) throw new RangeError(`not a decimal: "${text}"`);
  const negative = m[1] === "-";
  const whole = m[2] || "0";
  const frac = m[3] ?? "";
  let value = BigInt(whole) * ONE + BigInt((frac.slice(0, SCALE) || "0").padEnd(SCALE, "0"));
  const rest = frac.slice(SCALE);
  if (rest && /[1-9]/.test(rest)) {
    if (rounding === "exact") throw new RangeError(`more than ${SCALE} decimals: "${text}"`);
    const away = rounding === "up" ? !negative : rounding === "down" ? negative : rest[0]! >= "5";
    if (rounding === "half-up" ? rest[0]! >= "5" : away) value += 1n;
  }
  return negative ? -value : value;
}

/** Like toMicros, but undefined for null/undefined/"" (optional wire decimals). */
export function toMicrosOpt(text: string | null | undefined): Micros | undefined {
  if (text === null || text === undefined || text.trim() === "") return undefined;
  return toMicros(text, "half-up");
}

/** Formats micros as a plain decimal string, trimming trailing zeros ("0.5", "12", "-0.000001"). */
export function fromMicros(value: Micros, minDecimals = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ONE;
  let frac = (abs % ONE).toString().padStart(SCALE, "0").replace(/0+$/, "");
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, "0");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** Formats with exactly 6 decimals, as Postgres numeric(…,6) columns print. */
export function toNumericString(value: Micros): string {
  return fromMicros(value, SCALE);
}

function divRound(n: bigint, d: bigint, rounding: Exclude<Rounding, "exact">): bigint {
  if (d === 0n) throw new RangeError("division by zero");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  // bigint division truncates toward zero.
  if (rounding === "down") return n < 0n ? q - 1n : q;
  if (rounding === "up") return n < 0n ? q : q + 1n;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/** a × b for two micro quantities (e.g. shares × price → USDC), rounded to micros. */
export function mul(a: Micros, b: Micros, rounding: Exclude<Rounding, "exact"> = "down"): Micros {
  return divRound(a * b, ONE, rounding);
}

/** a ÷ b for two micro quantities (e.g. USDC ÷ price → shares), rounded to micros. */
export function div(a: Micros, b: Micros, rounding: Exclude<Rounding, "exact"> = "down"): Micros {
  return divRound(a * ONE, b, rounding);
}

/** a × num ÷ den with one rounding (pro-rata splits, e.g. cost basis of a partial sell). */
export function mulDiv(a: Micros, num: bigint, den: bigint, rounding: Exclude<Rounding, "exact"> = "down"): Micros {
  return divRound(a * num, den, rounding);
}

/** Rounds micros to `decimals` (0..6) decimal places. */
export function roundTo(value: Micros, decimals: number, rounding: Exclude<Rounding, "exact"> = "down"): Micros {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > SCALE) throw new RangeError(`decimals ${decimals}`);
  const unit = 10n ** BigInt(SCALE - decimals);
  return divRound(value, unit, rounding) * unit;
}

export const abs = (a: Micros): Micros => (a < 0n ? -a : a);

/**
 * Hot-path variant: micros as a safe-integer `number` (prices ≤ 1,000,000; sizes ≤ 2^53 micros,
 * i.e. 9 billion shares). Exact for parsing and comparing; never multiply two of them as
 * numbers (the product leaves the safe range): convert with BigInt() first.
 */
export type MicroInt = number;

/** Fast exact parse of a non-negative wire decimal ("0.505", "55", "") into MicroInt; NaN if malformed. */
export function toMicroInt(text: string): MicroInt {
  const len = text.length;
  if (len === 0 || len > 22) return NaN;
  let whole = 0;
  let frac = 0;
  let fracDigits = 0;
  let i = 0;
  let digits = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    digits++;
  }
  if (i < len) {
    if (text.charCodeAt(i) !== 46 /* . */) return NaN;
    for (i++; i < len; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      digits++;
      if (fracDigits < SCALE) {
        frac = frac * 10 + c;
        fracDigits++;
      } else if (c !== 0) {
        return NaN; // more precision than micros hold
      }
    }
  }
  if (digits === 0) return NaN;
  while (fracDigits < SCALE) {
    frac *= 10;
    fracDigits++;
  }
  const value = whole * 1_000_000 + frac;
  return Number.isSafeInteger(value) ? value : NaN;
}

/** Formats a MicroInt as a plain decimal string. */
export function fromMicroInt(value: MicroInt): string {
  return fromMicros(BigInt(value));
}
