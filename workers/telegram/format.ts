// Pure text formatting for bot messages: money, prices, shares, ages, dates (plain text: html.ts escapes).
import { fromMicros, type Micros, mulDiv, ONE, roundTo, toMicros } from "../money/micros";

/** USDC to cents, half-up: "$12.35", "-$0.40". */
export function usd(m: Micros): string {
  const r = roundTo(m < 0n ? -m : m, 2, "half-up");
  return `${m < 0n && r > 0n ? "-" : ""}$${withThousands(fromMicros(r, 2))}`;
}

/** A signed USDC change: "+$1.20", "-$0.40", "$0.00". */
export function signedUsd(m: Micros): string {
  const r = roundTo(m < 0n ? -m : m, 2, "half-up");
  if (r === 0n) return "$0.00";
  return `${m < 0n ? "-" : "+"}$${withThousands(fromMicros(r, 2))}`;
}

function withThousands(decimal: string): string {
  const [whole, frac] = decimal.split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A price as Polymarket shows it, in cents: 0.655 → "65.5¢", 0.07 → "7¢". */
export function cents(price: Micros): string {
  return `${fromMicros(price * 100n)}¢`;
}

/** Shares with the venue's 2 decimals (rounded down: never show more than is held). */
export function shares(m: Micros): string {
  return withThousands(fromMicros(roundTo(m, 2, "down")));
}

/**
 * part ÷ whole as a signed percentage, half-up: one decimal ("+12.5%", "-3%"), two below 1% so a
 * small loss never reads as "0%" ("-0.04%"). Empty when whole ≤ 0.
 */
export function signedPercent(part: Micros, whole: Micros): string {
  if (whole <= 0n) return "";
  const hundredths = mulDiv(part, 10_000n, whole, "half-up");
  if (hundredths === 0n) return "0%";
  const abs = hundredths < 0n ? -hundredths : hundredths;
  const shown = abs < 100n ? abs : ((abs + 5n) / 10n) * 10n;
  const whole2 = shown / 100n;
  const frac = (shown % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${hundredths < 0n ? "-" : "+"}${whole2}${frac ? `.${frac}` : ""}%`;
}

/** Compact dollar volume from a decimal string: "$1.2M", "$340K", "$950"; "—" when unknown. */
export function compactUsd(decimal: string | null | undefined): string {
  if (!decimal) return "—";
  let m: Micros;
  try {
    m = toMicros(decimal, "down");
  } catch {
    return "—";
  }
  const dollars = m / ONE;
  const units: Array<[bigint, string]> = [
    [1_000_000_000n, "B"],
    [1_000_000n, "M"],
    [1_000n, "K"],
  ];
  for (const [size, suffix] of units) {
    if (dollars >= size) {
      const tenths = (dollars * 10n) / size;
      return `$${tenths / 10n}${tenths % 10n === 0n || tenths >= 1000n ? "" : `.${tenths % 10n}`}${suffix}`;
    }
  }
  return `$${dollars}`;
}

/** How old a price is, for a reader: "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function age(fromMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 2) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/**
 * How old a price is, with the clock time it was read: a message stays on screen unchanged, so
 * "12 s ago" alone would go on claiming it; "12 s ago at 17:20:05 UTC" stays true (#23).
 */
export function priceAge(fromMs: number, nowMs: number): string {
  const d = new Date(fromMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${age(fromMs, nowMs)} at ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "5 Dec 2026" (UTC), plus how far away: "5 Dec 2026 (in 3 d)" / "(ended)". */
export function endDate(at: Date, nowMs: number): string {
  const day = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  const ms = at.getTime() - nowMs;
  if (ms <= 0) return `${day} (ended)`;
  const hours = Math.floor(ms / 3_600_000);
  const rel = hours < 1 ? "in <1 h" : hours < 48 ? `in ${hours} h` : `in ${Math.floor(hours / 24)} d`;
  return `${day} (${rel})`;
}

/** Names a price source for a reader. */
export function sourceLabel(source: string | null | undefined): string {
  switch (source) {
    case "ws":
      return "live stream";
    case "poll":
      return "order book poll";
    case "rest":
      return "order book";
    case "gamma":
      return "Polymarket listing";
    default:
      return "unknown source";
  }
}

/** "1 position", "3 positions": a count with its noun ("1 open live position" given "open live position"). */
export function count(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : nouns}`;
}
