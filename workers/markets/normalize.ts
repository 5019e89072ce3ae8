// Gamma market (wire-parsed) → our market record: token ids by protocol version, tick size as
// TickSize, decimal strings for prices and statistics, event and category; or why it was skipped.
import type { GammaEventRef, GammaMarket, GammaTag } from "../polymarket/gamma-client";
import type { TickSize } from "../polymarket/types";
import { tickSizeOf as tickOfText } from "../polymarket/ws-schemas";

export type MarketVersion = "v1" | "v2";

export interface MarketRecord {
  id: string;
  conditionId: string;
  question: string;
  slug: string | null;
  eventSlug: string | null;
  eventTitle: string | null;
  category: string | null;
  /** Labels of the market's and its event's visible tags, each once (what /search matches besides the titles). */
  tags: string[];
  description: string | null;
  outcomes: string[];
  /** Aligned with outcomes: clobTokenIds for v1 markets, positionIds for v2. */
  tokenIds: string[];
  /** Gamma's displayed prices aligned with outcomes (decimal strings; null when unknown). */
  outcomePrices: (string | null)[];
  tickSize: TickSize;
  negRisk: boolean;
  /** Shares, decimal string. */
  minOrderSize: string;
  /** Taker fee rate (decimal string, "0" on fee-free markets) and exponent, from Gamma's feeSchedule. */
  feeRate: string;
  feeExponent: number;
  version: MarketVersion;
  active: boolean;
  closed: boolean;
  /** acceptingOrders, and false when the market has no CLOB order book at all. */
  acceptingOrders: boolean;
  volume: string | null;
  volume24hr: string | null;
  liquidity: string | null;
  /** ISO-8601. */
  endDate: string | null;
  closedTime: string | null;
  image: string | null;
}

/** no_tokens: Gamma lists new markets minutes before the CLOB knows them (polymarket.md §3.2). */
export type SkipReason = "no_tokens" | "malformed" | "unsupported_version";
export type NormalizeResult = { ok: true; market: MarketRecord } | { ok: false; reason: SkipReason; detail: string };

/** Used when Gamma omits it: the venue's default grid. Trading re-reads the live tick from the CLOB. */
const DEFAULT_TICK: TickSize = "0.01";
/** Used when Gamma omits it: the usual minimum resting order (5 shares). */
const DEFAULT_MIN_ORDER_SIZE = "5";
/** Top-level categories, in the order we prefer them when an event carries several tags. */
const CATEGORY_SLUGS = ["politics", "sports", "crypto", "finance", "economy", "geopolitics", "tech", "business", "science", "culture", "pop-culture", "weather", "world", "elections", "mentions"];
const TOKEN_ID = /^\d{1,80}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
/** numeric(20,6) holds 14 integer digits; a larger statistic is dropped rather than failing a batch. */
const MAX_STAT_INTEGER_DIGITS = 14;

/**
 * Decimal text for a Gamma statistic (volume, liquidity). Gamma sends some as JSON numbers, which
 * JSON.parse has already made binary floats; their shortest decimal form is what Gamma printed.
 */
export function statDecimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return null;
    text = String(value);
    if (/e/i.test(text)) return value < 1 ? "0" : null;
  } else {
    text = value.trim();
  }
  if (!DECIMAL.test(text)) return null;
  return text.split(".")[0]!.replace(/^0+(?=\d)/, "").length > MAX_STAT_INTEGER_DIGITS ? null : text;
}

/** Gamma's tick (a number like 0.001, or text) as one of our TickSize strings; undefined if foreign. */
export function tickSizeOf(value: string | number | null | undefined): TickSize | undefined {
  if (value === null || value === undefined) return DEFAULT_TICK;
  return tickOfText(typeof value === "number" ? String(value) : value.trim());
}

/** ISO-8601 from Gamma dates, including closedTime's "2026-04-05 19:37:33+00" form. */
export function gammaDate(value: string | null | undefined): string | null {
  if (!value) return null;
  let text = value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2");
  // "+00" alone is not ISO; only after a time part (a bare date ends in "-07" too).
  if (/T[\d:.]+[+-]\d{2}$/.test(text)) text += ":00";
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function categoryOf(m: GammaMarket, event: GammaEventRef | undefined): string | null {
  const explicit = m.category ?? event?.category;
  if (explicit) return explicit;
  const tags: GammaTag[] = [...(m.tags ?? []), ...(event?.tags ?? [])];
  for (const slug of CATEGORY_SLUGS) {
    const tag = tags.find((t) => t.slug === slug && t.label);
    if (tag) return tag.label!;
  }
  return tags.find((t) => t.label && !t.forceHide)?.label ?? null;
}

/** At most this many tag labels are kept per market (Gamma's events carry a handful). */
const MAX_TAGS = 12;

function tagLabelsOf(m: GammaMarket, event: GammaEventRef | undefined): string[] {
  const labels = [...(m.tags ?? []), ...(event?.tags ?? [])].filter((t) => t.label && !t.forceHide).map((t) => t.label!.trim().slice(0, 60));
  return [...new Set(labels.filter(Boolean))].slice(0, MAX_TAGS);
}

/** Gamma's fee schedule when the market is fee-enabled; a rate we cannot read exactly counts as no fee rather than failing the market. */
function feeOf(m: GammaMarket): { feeRate: string; feeExponent: number } {
  const s = m.feesEnabled ? m.feeSchedule : undefined;
  const rate = s ? statDecimal(s.rate) : null;
  const exponent = s ? Number(s.exponent) : NaN;
  if (!rate || !/^0(\.\d{1,6})?$|^1$/.test(rate) || !Number.isInteger(exponent) || exponent < 0 || exponent > 8) return { feeRate: "0", feeExponent: 1 };
  return { feeRate: rate, feeExponent: exponent };
}

function alignedPrices(prices: readonly string[] | null | undefined, n: number): (string | null)[] {
  if (!prices || prices.length !== n) return Array.from({ length: n }, () => null);
  return prices.map((p) => (DECIMAL.test(p.trim()) ? p.trim() : null));
}

/**
 * One Gamma market as our record. `event` gives the event context for markets nested in an event
 * (they carry no `events[]` of their own).
 */
export function normalizeMarket(m: GammaMarket, event?: GammaEventRef): NormalizeResult {
  const version = m.version ?? "v1";
  if (version !== "v1" && version !== "v2") return { ok: false, reason: "unsupported_version", detail: `version ${version}` };
  const tokenIds = (version === "v2" ? m.positionIds : m.clobTokenIds) ?? [];
  const outcomes = m.outcomes ?? [];
  if (tokenIds.length === 0 || !m.conditionId) return { ok: false, reason: "no_tokens", detail: "no token ids yet" };
  if (!tokenIds.every((t) => TOKEN_ID.test(t)) || new Set(tokenIds).size !== tokenIds.length) {
    return { ok: false, reason: "malformed", detail: "token ids are not distinct decimal strings" };
  }
  if (outcomes.length !== tokenIds.length) {
    return { ok: false, reason: "malformed", detail: `${outcomes.length} outcomes for ${tokenIds.length} token ids` };
  }
  const tickSize = tickSizeOf(m.orderPriceMinTickSize);
  if (!tickSize) return { ok: false, reason: "malformed", detail: `tick size ${String(m.orderPriceMinTickSize)}` };
  const ev = event ?? m.events?.[0] ?? undefined;
  const active = m.active ?? true;
  const closed = m.closed ?? false;
  return {
    ok: true,
    market: {
      id: m.id,
      conditionId: m.conditionId,
      question: m.question,
      slug: m.slug ?? null,
      eventSlug: ev?.slug ?? null,
      eventTitle: ev?.title ?? null,
      category: categoryOf(m, ev),
      tags: tagLabelsOf(m, ev),
      description: m.description ?? null,
      outcomes,
      tokenIds,
      outcomePrices: alignedPrices(m.outcomePrices, outcomes.length),
      tickSize,
      negRisk: m.negRisk ?? false,
      minOrderSize: statDecimal(m.orderMinSize) ?? DEFAULT_MIN_ORDER_SIZE,
      ...feeOf(m),
      version,
      active,
      closed,
      acceptingOrders: (m.acceptingOrders ?? false) && m.enableOrderBook !== false,
      volume: statDecimal(m.volume),
      volume24hr: statDecimal(m.volume24hr),
      liquidity: statDecimal(m.liquidity),
      endDate: gammaDate(m.endDate),
      closedTime: gammaDate(m.closedTime),
      image: m.image ?? m.icon ?? null,
    },
  };
}

export interface NormalizedBatch {
  markets: MarketRecord[];
  noTokens: number;
  malformed: number;
  unsupported: number;
}

/** Normalises many markets, counting (not throwing on) the ones that cannot be used. */
export function normalizeMarkets(list: readonly GammaMarket[], event?: GammaEventRef): NormalizedBatch {
  const out: NormalizedBatch = { markets: [], noTokens: 0, malformed: 0, unsupported: 0 };
  for (const m of list) {
    const r = normalizeMarket(m, event);
    if (r.ok) out.markets.push(r.market);
    else if (r.reason === "no_tokens") out.noTokens++;
    else if (r.reason === "malformed") out.malformed++;
    else out.unsupported++;
  }
  return out;
}
