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
