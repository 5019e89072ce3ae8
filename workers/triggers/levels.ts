// Parses what a trader types for a take-profit, stop-loss or trailing stop into an exact level.
// "0.70", ".7", "70¢", "70c" mean 70 cents; "+50%" / "-20%" are relative to the entry price.
import { fromMicros, type Micros, mulDiv, ONE, toMicros } from "../money/micros";
import type { TickSize } from "../polymarket/types";
import type { TriggerKind } from "./types";

export interface LevelContext {
  kind: TriggerKind;
  /** Average entry price of the position. */
  entryPrice: Micros;
  tickSize: TickSize;
  /** Current best bid, when known: a level that would fire at once is refused. */
  currentBid?: Micros | undefined;
}

export type LevelResult =
  | { ok: true; kind: TriggerKind; price?: Micros; trail?: Micros; spec: string; note?: string }
  | { ok: false; error: string };

const PRICE = /^(?:(\d*\.\d+|\d+\.?)\s*\$?|\$\s*(\d*\.\d+|\d+\.?)|(\d+(?:\.\d+)?)\s*(?:¢|c|cents?))$/i;
const PERCENT = /^([+-])?\s*(\d+(?:\.\d+)?)\s*%$/;

const fmt = (m: Micros) => fromMicros(m);
const cents = (m: Micros) => `${fromMicros(m * 100n)}¢`;

function parsePrice(text: string): Micros | undefined {
  const m = PRICE.exec(text);
  if (!m) return undefined;
  try {
    if (m[3] !== undefined) return toMicros(m[3], "exact") / 100n;
    return toMicros((m[1] ?? m[2])!.replace(/\.$/, ""), "exact");
  } catch {
    return undefined;
  }
}

function onTick(price: Micros, tick: Micros): boolean {
  return price % tick === 0n;
}

function nearestTicks(price: Micros, tick: Micros): [Micros, Micros] {
  const down = (price / tick) * tick;
  return [down, down + tick];
}

/** Relative level: entry × (1 ± pct), rounded to the nearest tick (ties away from the entry). */
function relative(ctx: LevelContext, sign: "+" | "-", pct: Micros, tick: Micros): Micros {
  const delta = mulDiv(ctx.entryPrice, pct, 100n * ONE, "half-up");
  const raw = sign === "+" ? ctx.entryPrice + delta : ctx.entryPrice - delta;
  const [down, up] = nearestTicks(raw, tick);
  if (raw - down === up - raw) return sign === "+" ? up : down;
  return raw - down < up - raw ? down : up;
}

export function parseLevel(input: string, ctx: LevelContext): LevelResult {
  const text = input.trim().replace(",", ".");
  if (!text || text.length > 20) return { ok: false, error: "Send a price like 0.70, .7 or 70¢, or a change from your entry like +50% or -20%." };
  const tick = toMicros(ctx.tickSize);
  if (ctx.kind === "trailing_stop") return parseTrail(text, tick);
  let price: Micros | undefined;
  let note: string | undefined;
  const pct = PERCENT.exec(text);
  if (pct) {
    const amount = toMicros(pct[2]!, "down");
    if (amount === 0n || amount > 1000n * ONE) return { ok: false, error: "The percentage must be between 0% and 1000%." };
    // Without a sign, a take profit goes up from the entry and a stop loss goes down.
    const sign = (pct[1] ?? (ctx.kind === "take_profit" ? "+" : "-")) as "+" | "-";
    price = relative(ctx, sign, amount, tick);
    note = `${sign}${pct[2]}% from your entry ${cents(ctx.entryPrice)} is ${cents(price)}`;
  } else {
    price = parsePrice(text);
    if (price === undefined) return { ok: false, error: "I could not read that. Send a price like 0.70, .7 or 70¢, or +50% / -20% from your entry." };
    if (!onTick(price, tick)) {
      const [down, up] = nearestTicks(price, tick);
      return { ok: false, error: `Prices on this market move in steps of ${ctx.tickSize}: try ${fmt(down)} or ${fmt(up)}.` };
    }
  }
  if (price < tick || price > ONE - tick) {
    const meant = pct ? `${note}, ${price > ONE - tick ? "above the highest" : "below the lowest"} price a share can trade at. ` : "";
    return { ok: false, error: `${meant}A level must be between ${cents(tick)} and ${cents(ONE - tick)}.` };
  }
  const bid = ctx.currentBid;
  if (bid !== undefined && ctx.kind === "take_profit" && price <= bid) {
    return { ok: false, error: `The best bid is already ${cents(bid)}: a take profit at ${cents(price)} would sell at once. Use Sell instead, or pick a higher level.` };
  }
  if (bid !== undefined && ctx.kind === "stop_loss" && price >= bid) {
    return { ok: false, error: `The best bid is already ${cents(bid)}: a stop loss at ${cents(price)} would sell at once. Use Sell instead, or pick a lower level.` };
  }
  return { ok: true, kind: ctx.kind, price, spec: text, ...(note ? { note } : {}) };
}

/** The relative levels a preset button may offer, nearest first. */
const RELATIVE_CANDIDATES: Record<"take_profit" | "stop_loss", readonly string[]> = {
  take_profit: ["+10%", "+25%", "+50%", "+100%"],
  stop_loss: ["-10%", "-20%", "-30%", "-50%"],
};
const TRAIL_CANDIDATES = ["5¢", "10¢", "15¢", "2¢", "1¢"];
const PRESET_COUNT = 3;

/**
 * Up to three one-tap levels that this position can really take: relative ones whose level is on the
 * board and would not sell at once, else prices between the entry (or the bid) and the edge. An 82¢
 * entry gets +10% (90¢) and then prices up to 99¢, never +25% (102.5¢).
 */
export function levelPresets(kind: TriggerKind, ctx: Omit<LevelContext, "kind">): string[] {
  const full = { ...ctx, kind };
  const fits = (spec: string) => parseLevel(spec, full).ok;
  if (kind === "trailing_stop") return TRAIL_CANDIDATES.filter(fits).slice(0, PRESET_COUNT);
  const out = RELATIVE_CANDIDATES[kind].filter(fits).slice(0, PRESET_COUNT);
  if (out.length === PRESET_COUNT) return out;
  const tick = toMicros(ctx.tickSize);
  const from = kind === "take_profit" ? (ctx.currentBid !== undefined && ctx.currentBid > ctx.entryPrice ? ctx.currentBid : ctx.entryPrice) : (ctx.currentBid !== undefined && ctx.currentBid < ctx.entryPrice ? ctx.currentBid : ctx.entryPrice);
  const edge = kind === "take_profit" ? ONE - tick : tick;
  const room = kind === "take_profit" ? edge - from : from - edge;
  const steps = room / tick;
  for (let i = 1n; i <= BigInt(PRESET_COUNT) && out.length < PRESET_COUNT && steps > 0n; i++) {
    const offset = ((steps * i) / BigInt(PRESET_COUNT)) * tick;
    const level = kind === "take_profit" ? from + offset : from - offset;
    const spec = cents(level);
    if (offset > 0n && !out.includes(spec) && fits(spec)) out.push(spec);
  }
  // Nearest the entry first, whatever their kind, so the row reads in order.
  const levelOf = (spec: string) => {
    const r = parseLevel(spec, full);
    return r.ok && r.price !== undefined ? r.price : 0n;
  };
  const distinct = out.filter((spec, i) => out.findIndex((o) => levelOf(o) === levelOf(spec)) === i);
  return distinct.sort((a, b) => (levelOf(a) === levelOf(b) ? 0 : (levelOf(a) < levelOf(b)) === (kind === "take_profit") ? -1 : 1));
}

function parseTrail(text: string, tick: Micros): LevelResult {
  const trail = parsePrice(text);
  if (trail === undefined) return { ok: false, error: "Send the trailing distance in cents, like 5¢ or 0.05." };
  if (trail < tick || !onTick(trail, tick)) return { ok: false, error: `The distance must be a multiple of the tick size ${fmt(tick)}.` };
  if (trail >= ONE / 2n) return { ok: false, error: "A trailing distance must be below 50¢." };
  return { ok: true, kind: "trailing_stop", trail, spec: text };
}
