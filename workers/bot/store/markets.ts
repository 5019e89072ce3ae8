// The bot's market reads: paged lists (trending, category, search words, an event) and one market
// with its tokens' book tops, all parameterised SQL.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rankedMatches, searchTerms } from "../../markets/search";
import { feeScheduleOf } from "../../money/fees";
import { type Micros, toMicros } from "../../money/micros";
import { LIST_PAGE_SIZE } from "../screens/markets";
import { type ListingRow, oneRead, type PriceRead, type TokenTop } from "../screens/price-read";
import type { MarketListItem, MarketView, OutcomeView, PriceSource } from "../screens/view-data";

type Row = Record<string, unknown>;

const microsOrNull = (v: unknown): Micros | null => {
  if (v === null || v === undefined || v === "") return null;
  try {
    return toMicros(String(v), "half-up");
  } catch {
    return null;
  }
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
const time = (v: unknown): number | null => (v === null || v === undefined ? null : new Date(v as string | Date).getTime());

/** Each token's stored top of book, decimals as text (inside json_agg they would become binary floats). */
const TOKENS_JSON = sql`coalesce((
  SELECT json_agg(json_build_object('outcome_index', t.outcome_index, 'token_id', t.token_id, 'best_bid', t.best_bid::text,
    'best_ask', t.best_ask::text, 'last_trade', t.last_trade_price::text, 'price_source', t.price_source, 'price_updated_at', t.price_updated_at) ORDER BY t.outcome_index)
  FROM market_tokens t WHERE t.market_id = m.id), '[]')`;

const sourceOf = (v: unknown): PriceSource | null => (v === "ws" || v === "poll" || v === "gamma" || v === "rest" ? v : null);

/** The stored prices of a market row as one read: its tokens' tops (both from one book) or its listing row. */
function storedRead(r: Row): { read: PriceRead; tokens: Row[] } {
  const names = strings(r.outcomes);
  const prices = Array.isArray(r.outcome_prices) ? (r.outcome_prices as unknown[]) : [];
  const tokens = (Array.isArray(r.tokens) ? r.tokens : []) as Row[];
  const tops = names.map((_, index): TokenTop | null => {
    const t = tokens.find((x) => Number(x.outcome_index) === index);
    const at = time(t?.price_updated_at);
    const source = sourceOf(t?.price_source);
    if (!t || at === null || source === null) return null;
    return { bestBid: microsOrNull(t.best_bid), bestAsk: microsOrNull(t.best_ask), lastTrade: microsOrNull(t.last_trade), source, at };
  });
  const listing: ListingRow = { prices: names.map((_, i) => microsOrNull(prices[i])), source: sourceOf(r.source) ?? "gamma", at: time(r.updated_at) };
  return { read: oneRead(tops, listing), tokens };
}

export type ListFilter = { kind: "trending" } | { kind: "category"; match: string } | { kind: "words"; words: string[] } | { kind: "event"; slug: string };

/** Escapes LIKE wildcards so user words match literally. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filter of a list that is not a search (searches rank through rankedMatches, workers/markets/search.ts). */
function filterSql(f: Exclude<ListFilter, { kind: "words" }>): SQL {
  switch (f.kind) {
    case "trending":
      return sql`true`;
    case "category":
      return sql`category ILIKE ${`%${likeEscape(f.match)}%`}`;
    case "event":
      return sql`event_slug = ${f.slug}`;
  }
}

/** One page of open markets, busiest first (one extra row tells whether a next page exists). */
export async function listMarkets(db: Db, f: ListFilter, page: number): Promise<{ items: MarketListItem[]; hasNext: boolean }> {
  const open = f.kind === "event" ? sql`NOT closed` : sql`active AND NOT closed AND accepting_orders`;
  const page_ = sql`LIMIT ${LIST_PAGE_SIZE + 1} OFFSET ${page * LIST_PAGE_SIZE}`;
  const columns = sql`m.id, m.question, m.outcomes, m.outcome_prices, m.source, m.updated_at, m.volume_24hr, ${TOKENS_JSON} AS tokens`;
  const res =
    f.kind === "words"
      ? await db.execute(sql`
    SELECT ${columns} FROM ${rankedMatches(searchTerms(f.words), open)} s JOIN markets m ON m.id = s.id
    ORDER BY s.score DESC, m.volume_24hr DESC NULLS LAST, m.id ${page_}`)
      : await db.execute(sql`
    SELECT ${columns} FROM markets m
    WHERE ${open} AND ${filterSql(f)}
    ORDER BY volume_24hr DESC NULLS LAST, id ${page_}`);
  const rows = res.rows.slice(0, LIST_PAGE_SIZE);
  return {
    hasNext: res.rows.length > LIST_PAGE_SIZE,
    items: rows.map((r) => {
      const { read } = storedRead(r);
      return {
        id: String(r.id),
        question: String(r.question),
        outcomes: strings(r.outcomes).map((name, i) => ({ name, price: read.outcomes[i]?.price ?? null })),
        volume24hr: r.volume_24hr === null ? null : String(r.volume_24hr),
        priceSource: read.source,
        priceAt: read.at,
      };
    }),
  };
}

/** Which of the given category matches have an open market now (one statement, one flag each). */
export async function categoriesWithMarkets(db: Db, matches: readonly string[]): Promise<boolean[]> {
  if (matches.length === 0) return [];
  const flags = sql.join(matches.map((m, i) => sql`coalesce(bool_or(category ILIKE ${`%${likeEscape(m)}%`}), false) AS ${sql.raw(`c${i}`)}`), sql`, `);
  const res = await db.execute(sql`SELECT ${flags} FROM markets WHERE active AND NOT closed AND accepting_orders`);
  const r = res.rows[0] ?? {};
  return matches.map((_, i) => r[`c${i}`] === true);
}

/** A market with its outcomes' book tops as last written by the streamer (or Gamma's prices); decimals travel as text. */
export async function loadMarket(db: Db, marketId: string): Promise<MarketView | null> {
  const res = await db.execute(sql`
    SELECT m.*, ${TOKENS_JSON} AS tokens
    FROM markets m WHERE m.id = ${marketId}`);
  const r = res.rows[0];
  return r ? marketFrom(r) : null;
}

/** The market a polymarket.com link names: by market slug, or the only/busiest market of an event. */
export async function findMarketIdBySlug(db: Db, by: { marketSlug?: string; eventSlug?: string }): Promise<{ marketId: string | null; eventMarkets: number }> {
  if (by.marketSlug) {
    const res = await db.execute(sql`SELECT id FROM markets WHERE slug = ${by.marketSlug} ORDER BY closed, volume_24hr DESC NULLS LAST LIMIT 1`);
    if (res.rows[0]) return { marketId: String(res.rows[0].id), eventMarkets: 1 };
  }
  if (!by.eventSlug) return { marketId: null, eventMarkets: 0 };
  const res = await db.execute(sql`SELECT id, count(*) OVER () AS n FROM markets WHERE event_slug = ${by.eventSlug} AND NOT closed ORDER BY volume_24hr DESC NULLS LAST LIMIT 1`);
  const row = res.rows[0];
  return row ? { marketId: String(row.id), eventMarkets: Number(row.n) } : { marketId: null, eventMarkets: 0 };
}

export async function eventTitle(db: Db, slug: string): Promise<string | null> {
  const res = await db.execute(sql`SELECT event_title FROM markets WHERE event_slug = ${slug} AND event_title IS NOT NULL LIMIT 1`);
  return res.rows[0] ? String(res.rows[0].event_title) : null;
}

function marketFrom(r: Row): MarketView {
  const tokenIds = strings(r.clob_token_ids);
  const { read, tokens } = storedRead(r);
  const outcomes: OutcomeView[] = strings(r.outcomes).map((name, index) => {
    const t = tokens.find((x) => Number(x.outcome_index) === index);
    const o = read.outcomes[index];
    return { index, name, tokenId: tokenIds[index] ?? String(t?.token_id ?? ""), price: o?.price ?? null, bestBid: o?.bestBid ?? null, bestAsk: o?.bestAsk ?? null };
  });
  return {
    id: String(r.id),
    question: String(r.question),
    eventTitle: r.event_title === null || r.event_title === undefined ? null : String(r.event_title),
    slug: r.slug === null || r.slug === undefined ? null : String(r.slug),
    eventSlug: r.event_slug === null || r.event_slug === undefined ? null : String(r.event_slug),
    outcomes,
    volume: r.volume === null || r.volume === undefined ? null : String(r.volume),
    volume24hr: r.volume_24hr === null || r.volume_24hr === undefined ? null : String(r.volume_24hr),
    endDate: r.end_date ? new Date(r.end_date as string | Date) : null,
    tradeable: r.active === true && r.closed !== true && r.accepting_orders === true,
    closed: r.closed === true,
    resolvedOutcome: r.resolved_outcome === null || r.resolved_outcome === undefined ? null : String(r.resolved_outcome),
    priceSource: read.source,
    priceAt: read.at,
    tickSize: String(r.tick_size ?? "0.01"),
    fees: feeScheduleOf(r.fee_rate === null || r.fee_rate === undefined ? null : String(r.fee_rate), r.fee_exponent === undefined ? null : Number(r.fee_exponent)),
  };
}
