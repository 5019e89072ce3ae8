// Exact decimals for the local Polymarket: wire strings <-> bigint micros (10^-6, as pUSD and shares on chain).
// An independent copy on purpose: the simulator must not share the product's money code it is meant to check.

export const ONE = 1_000_000n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$|^\.(\d+)$/;

/** "0.505" → 505000n. Throws on signs, exponents, more than 6 decimals or anything not a plain decimal. */
export function toMicros(text: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal: "${text}"`);
  const whole = m[1] ?? "0";
  const frac = (m[2] ?? m[3] ?? "").replace(/0+$/, "");
  if (frac.length > 6) throw new RangeError(`more than 6 decimals: "${text}"`);
  return BigInt(whole) * ONE + BigInt(frac.padEnd(6, "0"));
}

/** True when toMicros would accept the text. */
export function isMicroDecimal(text: unknown): text is string {
  if (typeof text !== "string") return false;
  try {
    toMicros(text);
    return true;
  } catch {
    return false;
  }
}

/** 505000n → "0.505"; trailing zeros trimmed, at least `minDecimals` decimals. */
export function fromMicros(value: bigint, minDecimals = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let frac = (abs % ONE).toString().padStart(6, "0").replace(/0+$/, "");
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, "0");
  return `${negative ? "-" : ""}${abs / ONE}${frac ? `.${frac}` : ""}`;
}

/** Number of decimals of a tick size ("0.001" → 3). */
export function tickDecimals(tick: bigint): number {
  return fromMicros(tick).split(".")[1]?.length ?? 0;
}

/** a × b of two micro quantities (shares × price → pUSD), rounded down to micros. */
export function mulDown(a: bigint, b: bigint): bigint {
  return (a * b) / ONE;
}

/** a ÷ b of two micro quantities (pUSD ÷ price → shares), rounded down to micros. */
export function divDown(a: bigint, b: bigint): bigint {
  return (a * ONE) / b;
}

/** Nearest multiple of `tick` (halves away from zero). */
export function roundToTick(value: bigint, tick: bigint): bigint {
  return ((value * 2n + tick) / (2n * tick)) * tick;
}

/**
 * n ÷ d printed the way the venue prints a ratio in its error texts ("Price (0.9803921568627451)
 * breaks minimum tick size rule"): a float64 rendered shortest. Display only; never computed with.
 */
export function ratioText(n: bigint, d: bigint): string {
  return String(Number(n) / Number(d));
}
