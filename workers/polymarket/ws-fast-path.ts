// Hand-written fast path for the two hot events (current-schema price_change, book). It mirrors the zod
// definition in ws-schemas.ts: it either returns exactly what MarketEventSchema (zod, with its transforms) would, or undefined
// to let zod decide (and explain). zod alone costs too much here: see bench/market-core.bench.ts.
import { type MicroInt, toMicroInt } from "../money/micros";
import type { Level, Side } from "./types";
import type { BookEvent, PriceChangeEvent, PriceLevelChange } from "./ws-events";
import { MAX_PRICE, tickSizeOf } from "./ws-schemas";

/** Mirrors zod's isObject: a non-null, non-array object. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const TIMESTAMP_MAX_DIGITS = 16;

/** Epoch ms from a digit string (or safe integer); NaN when zod's `timestamp` would reject it. */
function timestampOf(t: unknown): number {
  if (typeof t === "number") return Number.isSafeInteger(t) && t >= 0 ? t : NaN;
  if (typeof t !== "string" || t.length === 0 || t.length > TIMESTAMP_MAX_DIGITS) return NaN;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
  }
  return Number(t);
}

/** A level price in (0, 1]; NaN otherwise (including non-strings). */
function priceOf(s: unknown): MicroInt {
  if (typeof s !== "string") return NaN;
  const v = toMicroInt(s);
  return v > 0 && v <= MAX_PRICE ? v : NaN;
}

function sizeOf(s: unknown): MicroInt {
  if (typeof s !== "string") return NaN;
  const v = toMicroInt(s);
  return v >= 0 ? v : NaN;
}

/** Optional top-of-book price: undefined for absent/null/""; NaN when invalid. */
function optPriceOf(s: unknown): MicroInt | undefined {
  if (s === undefined || s === null || s === "") return undefined;
  if (typeof s !== "string") return NaN;
  const v = toMicroInt(s);
  return v >= 0 && v <= MAX_PRICE ? v : NaN;
}

function sideOf(s: unknown): Side | undefined {
  return s === "BUY" || s === "SELL" ? s : undefined;
}

function isOptString(s: unknown): boolean {
  return s === undefined || s === null || typeof s === "string";
}

function isId(s: unknown): s is string {
  return typeof s === "string" && s.length > 0;
}

function changeOf(c: unknown): PriceLevelChange | undefined {
  if (!isRecord(c)) return undefined;
  const assetId = c.asset_id;
  const price = priceOf(c.price);
  const size = sizeOf(c.size);
  const side = sideOf(c.side);
  const bestBid = optPriceOf(c.best_bid);
  const bestAsk = optPriceOf(c.best_ask);
  // NaN !== NaN: the self-comparisons reject invalid decimals.
  if (!isId(assetId) || price !== price || size !== size || side === undefined) return undefined;
  if (bestBid !== bestBid || bestAsk !== bestAsk || !isOptString(c.hash)) return undefined;
  return { assetId, side, price, size, bestBid, bestAsk };
}

/** Current-schema (`price_changes[]`) price_change, or undefined to defer to zod. */
export function parsePriceChangeFast(v: object, receivedAt: number): PriceChangeEvent | undefined {
  if (!isRecord(v) || v.event_type !== "price_change") return undefined;
  const { market, price_changes: list } = v;
  const timestamp = timestampOf(v.timestamp);
  if (typeof market !== "string" || timestamp !== timestamp || !Array.isArray(list)) return undefined;
  const changes: PriceLevelChange[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const change = changeOf(list[i]);
    if (change === undefined) return undefined;
    changes[i] = change;
  }
  return { type: "price_change", market, changes, timestamp, receivedAt };
}

function levelsOf(list: unknown): Level[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: Level[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const l: unknown = list[i];
    if (!isRecord(l)) return undefined;
    const price = priceOf(l.price);
    const size = sizeOf(l.size);
    if (price !== price || size !== size) return undefined;
    out[i] = { price, size };
  }
  return out;
}

/** A book snapshot, or undefined to defer to zod. */
export function parseBookFast(v: object, receivedAt: number): BookEvent | undefined {
  if (!isRecord(v) || v.event_type !== "book") return undefined;
  const { market, asset_id: assetId, hash, tick_size: tick } = v;
  const timestamp = timestampOf(v.timestamp);
  const lastTradePrice = optPriceOf(v.last_trade_price);
  if (typeof market !== "string" || !isId(assetId) || timestamp !== timestamp) return undefined;
  if (!isOptString(hash) || lastTradePrice !== lastTradePrice) return undefined;
  const bids = levelsOf(v.bids);
  const asks = bids && levelsOf(v.asks);
  if (bids === undefined || asks === undefined) return undefined;
  return {
    type: "book",
    market,
    assetId,
    bids,
    asks,
    hash: typeof hash === "string" ? hash : undefined,
    tickSize: typeof tick === "string" ? tickSizeOf(tick) : undefined,
    lastTradePrice,
    timestamp,
    receivedAt,
  };
}
