// Parses a USDC amount a user typed ("10", "$12.50", "1,000") and says clearly what is wrong with it.
import { type Micros, ONE, toMicros } from "../../money/micros";
import { usd } from "../../telegram/format";

/** Polymarket refuses marketable orders under $1 of notional. */
export const MIN_ORDER_USDC: Micros = ONE;
/** One order above this is far more likely a typo (an extra zero) than intent. */
export const MAX_ORDER_USDC: Micros = 100_000n * ONE;
/** USDC is typed in cents; more decimals would be silently dropped by the venue (2-decimal amounts). */
const MAX_DECIMALS = 2;
/** Longer input is not an amount; answering it quickly keeps hostile input cheap. */
const MAX_INPUT_LENGTH = 24;

export type AmountResult = { ok: true; amount: Micros } | { ok: false; error: string };

export interface AmountLimits {
  /** Cash available; above it the amount is refused with the balance named. */
  balance?: Micros | undefined;
  min?: Micros;
  max?: Micros;
}

const HINT = "Send an amount in dollars, like 10 or 12.50.";

/** Removes a leading/trailing "$" or "USDC" and thousands separators written as 1,000 or 1 000. */
function normalise(text: string): string | undefined {
  let t = text.trim().replace(/^\$\s*/, "").replace(/\s*(\$|usdc|usd)$/i, "").trim();
  if (/^[+-]?\d{1,3}([, ]\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/[, ]/g, "");
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? t : undefined;
}

export function parseUsdAmount(text: string, limits: AmountLimits = {}): AmountResult {
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, error: `That does not look like an amount. ${HINT}` };
  const t = normalise(text);
  if (t === undefined) {
    if (/^\s*\$?\s*\d+,\d{1,2}\s*$/.test(text)) return { ok: false, error: "Use a dot for cents, like 12.50." };
    return { ok: false, error: `That does not look like an amount. ${HINT}` };
  }
  if (t.startsWith("-")) return { ok: false, error: "The amount must be positive." };
  const decimals = t.includes(".") ? t.split(".")[1]!.replace(/0+$/, "").length : 0;
  if (decimals > MAX_DECIMALS) return { ok: false, error: "Amounts go down to cents: use at most 2 decimals, like 12.50." };
  const amount = toMicros(t.replace(/^\+/, ""), "down");
  if (amount === 0n) return { ok: false, error: "The amount must be more than zero." };
  const min = limits.min ?? MIN_ORDER_USDC;
  const max = limits.max ?? MAX_ORDER_USDC;
  if (amount < min) return { ok: false, error: `The minimum is ${usd(min)} (Polymarket refuses smaller orders).` };
  if (amount > max) return { ok: false, error: `That is more than the ${usd(max)} the bot accepts in one order.` };
  if (limits.balance !== undefined && amount > limits.balance) {
    return { ok: false, error: `That is more than your balance of ${usd(limits.balance)}.` };
  }
  return { ok: true, amount };
}
