// Gamma REST client (market metadata): tolerant zod parsing of real payloads, keyset paging with an
// offset fallback, lookups by id/slug, events and search. Normalising to our shape: markets/normalize.ts.
import { z } from "zod";
import { log } from "../lib/log";
import { isPolymarketError, nullOn404 } from "./errors";
import { PolymarketHttp, type HttpOptions } from "./http";

/** Gamma silently caps list pages at 100 (keyset and offset alike; polymarket.md §3.1). */
export const GAMMA_PAGE_SIZE = 100;
/** Offset paging answers 422 beyond this (polymarket.md §3.1). */
export const GAMMA_MAX_OFFSET = 10_000;
/** Condition ids per `GET /markets?condition_ids=` (Gamma's cap is 100; 50 keep the URL near 4 KB). */
export const GAMMA_CONDITION_IDS_PER_REQUEST = 50;
/** A guard against a server that keeps handing out cursors: 1,000 pages is 100,000 markets. */
const MAX_PAGES = 1_000;
/** Keyset missing or refusing our query: fall back to offset paging (brief; agents#227). */
const KEYSET_FALLBACK_STATUSES = new Set([404, 405, 410, 422]);

/** Gamma encodes some arrays as JSON text ("[\"Yes\", \"No\"]"); accept both forms. */
function decodeJsonText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
const jsonArray = <T extends z.ZodType>(item: T) => z.preprocess(decodeJsonText, z.array(item));
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const numberish = z.union([z.number(), z.string()]);
/** Optional and cosmetic: a value of the wrong type becomes undefined instead of failing the market. */
const soft = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);

const tagSchema = z.object({ label: z.string().nullish(), slug: z.string().nullish(), forceHide: z.boolean().nullish() });
export type GammaTag = z.infer<typeof tagSchema>;

/** The event fields a market carries in `events[]` (and the head of an event). */
const eventRefSchema = z.object({
  id: soft(id),
  slug: soft(z.string()),
  title: soft(z.string()),
  category: soft(z.string()),
  tags: soft(z.array(tagSchema)),
});
export type GammaEventRef = z.infer<typeof eventRefSchema>;

export const gammaMarketSchema = z.object({
  id,
  question: z.string(),
  conditionId: z.string().nullish(),
  slug: soft(z.string()),
  description: soft(z.string()),
  category: soft(z.string()),
  outcomes: jsonArray(z.string()).nullish(),
  outcomePrices: soft(jsonArray(z.union([z.string(), z.number()]).transform(String))),
  clobTokenIds: jsonArray(z.string()).nullish(),
  positionIds: jsonArray(z.string()).nullish(),
  umaResolutionStatuses: soft(jsonArray(z.string())),
  version: z.string().nullish(),
  active: soft(z.boolean()),
  closed: soft(z.boolean()),
  archived: soft(z.boolean()),
  acceptingOrders: soft(z.boolean()),
  enableOrderBook: soft(z.boolean()),
  negRisk: soft(z.boolean()),
  orderPriceMinTickSize: numberish.nullish(),
  orderMinSize: soft(numberish),
  /** Fee-enabled markets: taker fee = shares × rate × (p(1−p))^exponent (polymarket-2026-accounts.md §5). */
  feesEnabled: soft(z.boolean()),
  feeSchedule: soft(z.object({ rate: numberish, exponent: numberish, takerOnly: soft(z.boolean()), rebateRate: soft(numberish) })),
  volume: soft(numberish),
  volume24hr: soft(numberish),
  liquidity: soft(numberish),
  bestBid: soft(numberish),
  bestAsk: soft(numberish),
  lastTradePrice: soft(numberish),
  endDate: soft(z.string()),
  closedTime: soft(z.string()),
  image: soft(z.string()),
  icon: soft(z.string()),
  events: soft(z.array(eventRefSchema)),
  tags: soft(z.array(tagSchema)),
});
export type GammaMarket = z.infer<typeof gammaMarketSchema>;

export interface GammaEvent extends GammaEventRef {
  markets: GammaMarket[];
  /** Markets of this event that did not parse (skipped, logged). */
  malformed: number;
}

export interface GammaMarketsPage {
  markets: GammaMarket[];
  malformed: number;
  mode: "keyset" | "offset";
  /** 0-based page number within this listing. */
  index: number;
}

/** Where a listing stands between pages (JSON: the workflow sync stores it in its step results and in Postgres). */
export type ListingCursor = { mode: "keyset"; after: string; index: number } | { mode: "offset"; offset: number; index: number };

const keysetPageSchema = z.object({ markets: z.array(z.unknown()), next_cursor: z.string().nullish() });
const listSchema = z.array(z.unknown());
const eventHeadSchema = eventRefSchema.extend({ markets: soft(z.array(z.unknown())) });
const searchSchema = z.object({ events: soft(z.array(z.unknown())) });

/** Parses each market on its own: one bad market is counted and logged, never fails the page. */
export function parseMarkets(raw: readonly unknown[]): { markets: GammaMarket[]; malformed: number } {
  const markets: GammaMarket[] = [];
  let malformed = 0;
  for (const item of raw) {
    const parsed = gammaMarketSchema.safeParse(item);
    if (parsed.success) {
      markets.push(parsed.data);
      continue;
    }
    malformed++;
    log.warn("gamma_market_malformed", {
      issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`),
      raw: JSON.stringify(item)?.slice(0, 500),
    });
  }
  return { markets, malformed };
}

function parseEvent(raw: unknown): GammaEvent | null {
  const head = eventHeadSchema.safeParse(raw);
  if (!head.success) return null;
  const { markets: rawMarkets, ...ref } = head.data;
  return { ...ref, ...parseMarkets(rawMarkets ?? []) };
}

export interface GammaClientOptions extends HttpOptions {
  pageSize?: number;
}

export interface EventQuery {
  slug?: string;
  id?: string;
  active?: boolean;
  closed?: boolean;
  limit?: number;
  offset?: number;
  tagId?: string;
}

export class GammaClient {
  private readonly http: PolymarketHttp;
  private readonly pageSize: number;

  constructor(opts: GammaClientOptions) {
    this.http = new PolymarketHttp(opts);
    this.pageSize = Math.min(opts.pageSize ?? GAMMA_PAGE_SIZE, GAMMA_PAGE_SIZE);
  }

  /**
   * Every open market (`active=true&closed=false`), page by page: keyset paging, or offset paging
   * when the keyset endpoint is missing or refuses the query on its first page. `include_tag`
   * adds the market's tags, which the category comes from.
   */
  async *listActiveMarkets(): AsyncGenerator<GammaMarketsPage> {
    let cursor: ListingCursor | null = null;
    do {
      const { page, next } = await this.activeMarketsPage(cursor);
      yield page;
      cursor = next;
    } while (cursor);
  }

  /**
   * One page of a listing of open markets, resumable from a saved cursor (the workflow sync keeps it
   * between steps; listActiveMarkets walks it): `null` starts at the beginning with keyset paging and
   * falls back to offset paging when the keyset endpoint is missing or refuses the first page. `order` (Gamma's field name, descending) lists the newest or busiest
   * first for a delta sync. Answers the page and the cursor of the next one, null at the end.
   */
  async activeMarketsPage(cursor: ListingCursor | null, order?: "id" | "volume24hr"): Promise<{ page: GammaMarketsPage; next: ListingCursor | null }> {
    const sort = order ? { order, ascending: false } : {};
    const index = cursor?.index ?? 0;
    if (!cursor || cursor.mode === "keyset") {
      try {
        const page = await this.http.request({
          method: "GET",
          path: "/markets/keyset",
          query: { limit: this.pageSize, active: true, closed: false, include_tag: true, after_cursor: cursor?.after, ...sort },
          schema: keysetPageSchema,
        });
        const next = page.next_cursor ?? undefined;
        const done = !next || page.markets.length === 0 || next === cursor?.after || index + 1 >= MAX_PAGES;
        // A server that ignores the cursor would hand us the same page forever (agents#227).
        if (next && next === cursor?.after) log.warn("gamma_keyset_cursor_stuck", { index });
        else if (next && index + 1 >= MAX_PAGES) log.warn("gamma_keyset_page_limit", { pages: MAX_PAGES });
        return { page: { ...parseMarkets(page.markets), mode: "keyset", index }, next: done ? null : { mode: "keyset", after: next, index: index + 1 } };
      } catch (e) {
        const fallback = !cursor && isPolymarketError(e) && (KEYSET_FALLBACK_STATUSES.has(e.status) || e.code === "bad_response");
        if (!fallback) throw e;
        log.info("gamma_keyset_unavailable", { status: e.status, code: e.code });
      }
    }
    const offset = cursor?.mode === "offset" ? cursor.offset : 0;
    const raw = await this.http.request({
      method: "GET",
      path: "/markets",
      query: { limit: this.pageSize, offset, active: true, closed: false, include_tag: true, ...sort },
      schema: listSchema,
    });
    const nextOffset = offset + this.pageSize;
    if (raw.length === this.pageSize && nextOffset > GAMMA_MAX_OFFSET) log.warn("gamma_offset_ceiling", { max_offset: GAMMA_MAX_OFFSET });
    const done = raw.length < this.pageSize || nextOffset > GAMMA_MAX_OFFSET;
    return { page: { ...parseMarkets(raw), mode: "offset", index }, next: done ? null : { mode: "offset", offset: nextOffset, index: index + 1 } };
  }

  /** GET /markets/{id}; null when Gamma does not know the id. */
  getMarket(marketId: string): Promise<GammaMarket | null> {
    return nullOn404(() => this.http.request({ method: "GET", path: `/markets/${encodeURIComponent(marketId)}`, schema: gammaMarketSchema }));
  }

  /**
   * Which of these markets Gamma lists as closed: `GET /markets?condition_ids=…&closed=true`. At most
   * GAMMA_CONDITION_IDS_PER_REQUEST ids (Gamma takes ≤ 100, and 100 ids of 66 characters would pass
   * the ~8 KB URL limit); only markets among the asked ids are answered, whatever the server sends.
   */
  async closedAmong(conditionIds: readonly string[]): Promise<GammaMarket[]> {
    if (conditionIds.length > GAMMA_CONDITION_IDS_PER_REQUEST) throw new RangeError(`at most ${GAMMA_CONDITION_IDS_PER_REQUEST} condition ids per request`);
    if (conditionIds.length === 0) return [];
    const raw = await this.http.request({
      method: "GET",
      path: "/markets",
      query: { condition_ids: conditionIds, closed: true, limit: conditionIds.length },
      schema: listSchema,
    });
    const asked = new Set(conditionIds.map((c) => c.toLowerCase()));
    return parseMarkets(raw).markets.filter((m) => m.closed === true && !!m.conditionId && asked.has(m.conditionId.toLowerCase()));
  }

  /** GET /markets/slug/{slug} (the slug of a polymarket.com market link). */
  getMarketBySlug(slug: string): Promise<GammaMarket | null> {
    return nullOn404(() => this.http.request({ method: "GET", path: `/markets/slug/${encodeURIComponent(slug)}`, schema: gammaMarketSchema }));
  }

  /** GET /events (offset listing) with its nested markets parsed one by one. */
  async getEvents(q: EventQuery = {}): Promise<GammaEvent[]> {
    const raw = await this.http.request({
      method: "GET",
      path: "/events",
      query: { slug: q.slug, id: q.id, active: q.active, closed: q.closed, limit: q.limit, offset: q.offset, tag_id: q.tagId },
      schema: listSchema,
    });
    return raw.map(parseEvent).filter((e): e is GammaEvent => e !== null);
  }

  /**
   * The event of a pasted polymarket.com/event/<slug> link, or null. `/events` lists only open events
   * unless `closed` is given, so it is always given: open first, then closed (a link to an event that
   * has ended is still found and shown as closed).
   */
  async getEventBySlug(slug: string): Promise<GammaEvent | null> {
    for (const closed of [false, true]) {
      const events = await this.getEvents({ slug, closed });
      const found = events.find((e) => e.slug === slug) ?? events[0];
      if (found) return found;
    }
    return null;
  }

  /** GET /public-search: events (with their markets) matching free text. */
  async search(text: string, opts: { limitPerType?: number; activeOnly?: boolean } = {}): Promise<GammaEvent[]> {
    const body = await this.http.request({
      method: "GET",
      path: "/public-search",
      query: {
        q: text,
        limit_per_type: opts.limitPerType ?? 10,
        events_status: opts.activeOnly === false ? undefined : "active",
        keep_closed_markets: opts.activeOnly === false ? undefined : 0,
      },
      schema: searchSchema,
    });
    return (body.events ?? []).map(parseEvent).filter((e): e is GammaEvent => e !== null);
  }

}
