// The bot's part of users.settings (jsonb), read with zod and defaults; trading reads slippageBps too.
import { z } from "zod";
import { fromMicros, type Micros, toMicros } from "../../money/micros";
import { DEFAULT_SLIPPAGE_BPS, MAX_SLIPPAGE_BPS } from "../../trading/pricing";
import { parseUsdAmount } from "../input/amount";

/** The amounts offered as one-tap buttons until the user picks their own. */
export const DEFAULT_BUY_PRESETS = ["5", "10", "25", "50"] as const;
/** Four buttons fit one keyboard row on a phone. */
export const MAX_PRESETS = 4;
/** Slippage choices offered as buttons, in basis points. */
export const SLIPPAGE_CHOICES = [100, 200, 500, 1000, 2000] as const;
/** Level presets offered after a buy and on a position ("c" = cents in button data). */
export const TRIGGER_PRESETS = { tp: ["+25%", "+50%", "+100%"], sl: ["-10%", "-20%", "-30%"], tr: ["5c", "10c", "15c"] } as const;

const spec = z.string().regex(/^[+-]\d{1,4}(\.\d{1,2})?%$/);
const preset = z.string().regex(/^\d{1,6}(\.\d{1,2})?$/);

const prefsSchema = z
  .object({
    buyPresets: z.array(preset).min(1).max(MAX_PRESETS).catch([...DEFAULT_BUY_PRESETS]),
    slippageBps: z.number().int().min(0).max(MAX_SLIPPAGE_BPS).catch(DEFAULT_SLIPPAGE_BPS),
    defaultTp: spec.nullable().catch(null),
    defaultSl: spec.nullable().catch(null),
  })
  .partial();

export interface Prefs {
  buyPresets: string[];
  slippageBps: number;
  /** Take profit set after every buy ("+50%"), or null for none. */
  defaultTp: string | null;
  defaultSl: string | null;
}

/** Reads users.settings; anything missing or malformed falls back to its default. */
export function readPrefs(raw: unknown): Prefs {
  const parsed = prefsSchema.safeParse(raw && typeof raw === "object" ? raw : {});
  const p = parsed.success ? parsed.data : {};
  return {
    buyPresets: p.buyPresets ?? [...DEFAULT_BUY_PRESETS],
    slippageBps: p.slippageBps ?? DEFAULT_SLIPPAGE_BPS,
    defaultTp: p.defaultTp ?? null,
    defaultSl: p.defaultSl ?? null,
  };
}

export const presetMicros = (p: string): Micros => toMicros(p);

export type PresetsResult = { ok: true; presets: string[] } | { ok: false; error: string };

/** "5 10 25 50" (or with commas / $) → validated presets, ascending, without duplicates. */
export function parsePresets(text: string): PresetsResult {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== "");
  if (parts.length === 0 || parts.length > MAX_PRESETS) return { ok: false, error: `Send 1 to ${MAX_PRESETS} amounts separated by spaces, like 5 10 25 50.` };
  const amounts: Micros[] = [];
  for (const part of parts) {
    const r = parseUsdAmount(part);
    if (!r.ok) return { ok: false, error: `${part.length > 12 ? `${part.slice(0, 12)}…` : part}: ${r.error}` };
    if (!amounts.includes(r.amount)) amounts.push(r.amount);
  }
  amounts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, presets: amounts.map((a) => fromMicros(a)) };
}

export type TypedResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A slippage bound typed as a percentage ("2", "2%", "0.5 %", "2,5%") → basis points, 0.1 % to 50 %. */
export function parseSlippage(text: string): TypedResult<number> {
  const m = /^\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%?\s*$/.exec(text);
  if (!m) return { ok: false, error: "Send the bound as a percentage, like 2% or 0.5%." };
  const bps = Number(toMicros(m[1]!.replace(",", ".")) / 10_000n); // percent → basis points, exact (at most 2 decimals)
  if (bps < 10 || bps > MAX_SLIPPAGE_BPS) return { ok: false, error: `A slippage bound must be between 0.1% and ${MAX_SLIPPAGE_BPS / 100}%.` };
  return { ok: true, value: bps };
}

/**
 * A default level typed relative to the entry ("30%", "+30%" for a take profit; "20%", "-20%" for a
 * stop loss): the sign is the kind's (a take profit is above the entry, a stop loss below).
 */
export function parseDefaultLevel(text: string, kind: "tp" | "sl"): TypedResult<string> {
  const m = /^\s*([+-])?\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*%\s*$/.exec(text);
  if (!m) return { ok: false, error: `Send a change from your entry, like ${kind === "tp" ? "+30%" : "-20%"}.` };
  const sign = kind === "tp" ? "+" : "-";
  if (m[1] && m[1] !== sign) return { ok: false, error: kind === "tp" ? "A take profit is above your entry: use a + percentage, like +30%." : "A stop loss is below your entry: use a - percentage, like -20%." };
  const pct = toMicros(m[2]!.replace(",", "."));
  if (pct <= 0n || (kind === "sl" && pct >= toMicros("100")) || pct > toMicros("1000")) return { ok: false, error: kind === "sl" ? "A stop loss must be between 0% and -100%." : "A take profit must be between 0% and +1000%." };
  const value = `${sign}${fromMicros(pct)}%`;
  return spec.safeParse(value).success ? { ok: true, value } : { ok: false, error: "Use at most two decimals." };
}
