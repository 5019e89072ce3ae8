// Gamma API of the local Polymarket (/gamma): market and event listings, keyset and offset paging, lookups, search.
import type { Exchange } from "./exchange";
import { eventJson, marketJson, type RenderOptions } from "./gamma-render";
import { fail, flag, json, multi, Router, type Answer, type Req } from "./http-util";
import type { SimEvent, SimMarket } from "./types";

/** Gamma caps list pages at 100 silently and refuses offsets above 10,000 (polymarket.md §3.1). */
export const GAMMA_MAX_LIMIT = 100;
export const GAMMA_MAX_OFFSET = 10_000;
/** Page size when no limit is given (not documented; clients always pass one). */
const DEFAULT_LIMIT = 20;

export interface GammaOptions {
  exchange: () => Exchange;
  /** How long outcomePrices may lag the simulated book. */
  lagMs: number;
}

const SORT_KEYS: Record<string, (m: SimMarket) => number | string> = {
  volume24hr: (m) => Number(m.volume24hr),
  volume: (m) => Number(m.volume),
  liquidity: (m) => Number(m.liquidity),
  endDate: (m) => m.endDate,
  startDate: (m) => m.startDate,
  id: (m) => Number(m.id),
};

function limitOf(q: URLSearchParams): number {
  const raw = Number(q.get("limit") ?? DEFAULT_LIMIT);
  return Number.isInteger(raw) && raw >= 0 ? Math.min(raw, GAMMA_MAX_LIMIT) : DEFAULT_LIMIT;
}

/** Filters shared by /markets and /markets/keyset; `closed=false` is implied unless `closed` is given. */
function filterMarkets(ex: Exchange, q: URLSearchParams): SimMarket[] {
  const ids = new Set(multi(q, "id"));
  const slugs = new Set(multi(q, "slug"));
  const tokens = new Set([...multi(q, "clob_token_ids"), ...multi(q, "position_ids")]);
  const conditions = new Set(multi(q, "condition_ids").map((c) => c.toLowerCase()));
  const closed = flag(q, "closed") ?? false;
  const active = flag(q, "active");
  const tagId = q.get("tag_id");
  let list = ex.markets.filter(
    (m) =>
      m.closed === closed &&
      (active === undefined || active) &&
      (ids.size === 0 || ids.has(m.id)) &&
      (slugs.size === 0 || slugs.has(m.slug)) &&
      (tokens.size === 0 || m.tokenIds.some((t) => tokens.has(t))) &&
      (conditions.size === 0 || conditions.has(m.conditionId.toLowerCase())) &&
      (!tagId || m.tags.some((t) => t.id === tagId)),
  );
  const order = q.get("order")?.split(",")[0];
  const key = order ? SORT_KEYS[order] : undefined;
  if (key) {
    const asc = q.get("ascending") !== "false";
    list = [...list].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return asc ? c : -c;
    });
  }
  return list;
}

function filterEvents(ex: Exchange, q: URLSearchParams): SimEvent[] {
  const ids = new Set(multi(q, "id"));
  const slugs = new Set(multi(q, "slug"));
  const closed = flag(q, "closed") ?? false;
  const tagId = q.get("tag_id");
  return ex.events.filter((ev) => {
    const evClosed = ev.marketIds.every((id) => ex.marketById(id)?.closed);
    return evClosed === closed && (ids.size === 0 || ids.has(ev.id)) && (slugs.size === 0 || slugs.has(ev.slug)) && (!tagId || ev.tags.some((t) => t.id === tagId));
  });
}

/** Opaque keyset cursor: the position of the next item, base64url-encoded. */
const encodeCursor = (position: number): string => Buffer.from(`pos:${position}`).toString("base64url");
function decodeCursor(text: string | null): number | undefined {
  if (!text) return 0;
  const m = /^pos:(\d+)$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  return m ? Number(m[1]) : undefined;
}

function offsetPage<T>(q: URLSearchParams, list: T[]): T[] | Answer {
  const offset = Number(q.get("offset") ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return fail(422, "offset must be a non-negative integer");
  if (offset > GAMMA_MAX_OFFSET) return fail(422, `offset must be less than or equal to ${GAMMA_MAX_OFFSET}`);
  return list.slice(offset, offset + limitOf(q));
}

function keysetPage<T>(q: URLSearchParams, list: T[], key: "markets" | "events", render: (t: T) => unknown): Answer {
  if (q.has("offset")) return fail(422, "offset is not supported by keyset pagination; use after_cursor");
  const start = decodeCursor(q.get("after_cursor"));
  if (start === undefined) return fail(400, "invalid after_cursor");
  const limit = limitOf(q);
  const page = list.slice(start, start + limit);
  const next = start + page.length;
  return json(200, { [key]: page.map(render), ...(next < list.length && page.length > 0 ? { next_cursor: encodeCursor(next) } : {}) });
}

export function gammaRouter(opts: GammaOptions): Router {
  const ex = opts.exchange;
  const render = (q: URLSearchParams): RenderOptions => ({ lagMs: opts.lagMs, includeTags: flag(q, "include_tag") === true });
  const one = (m: SimMarket | undefined, q: URLSearchParams): Answer => (m ? json(200, marketJson(ex(), m, render(q))) : fail(404, "market not found"));
  const oneEvent = (ev: SimEvent | undefined, q: URLSearchParams): Answer => (ev ? json(200, eventJson(ex(), ev, render(q))) : fail(404, "event not found"));
  return new Router()
    .on("GET", "/markets", (r: Req) => {
      const page = offsetPage(r.query, filterMarkets(ex(), r.query));
      return Array.isArray(page) ? json(200, page.map((m) => marketJson(ex(), m, render(r.query)))) : page;
    })
    .on("GET", "/markets/keyset", (r) => keysetPage(r.query, filterMarkets(ex(), r.query), "markets", (m) => marketJson(ex(), m, render(r.query))))
    .on("GET", "/markets/slug/:slug", (r) => one(ex().markets.find((m) => m.slug === r.params.slug), r.query))
    .on("GET", "/markets/:id", (r) => one(ex().marketById(r.params.id!), r.query))
    .on("GET", "/events", (r) => {
      const page = offsetPage(r.query, filterEvents(ex(), r.query));
      return Array.isArray(page) ? json(200, page.map((ev) => eventJson(ex(), ev, render(r.query)))) : page;
    })
    .on("GET", "/events/keyset", (r) => keysetPage(r.query, filterEvents(ex(), r.query), "events", (ev) => eventJson(ex(), ev, render(r.query))))
    .on("GET", "/events/slug/:slug", (r) => oneEvent(ex().events.find((ev) => ev.slug === r.params.slug), r.query))
    .on("GET", "/events/:id", (r) => oneEvent(ex().eventById(r.params.id!), r.query))
    .on("GET", "/public-search", (r) => search(ex(), r.query, render(r.query)));
}

/** /public-search: events whose title or market questions contain every word of q (case-insensitive). */
function search(ex: Exchange, q: URLSearchParams, opts: RenderOptions): Answer {
  const words = (q.get("q") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return fail(422, "q is required");
  const limit = Math.min(Number(q.get("limit_per_type") ?? 10) || 10, 50);
  const activeOnly = q.get("events_status") === "active";
  const hits = ex.events.filter((ev) => {
    const text = [ev.title, ...ev.marketIds.map((id) => ex.marketById(id)?.question ?? "")].join(" ").toLowerCase();
    const closed = ev.marketIds.every((id) => ex.marketById(id)?.closed);
    return words.every((w) => text.includes(w)) && (!activeOnly || !closed);
  });
  return json(200, {
    events: hits.slice(0, limit).map((ev) => eventJson(ex, ev, opts)),
    tags: [],
    profiles: [],
    pagination: { hasMore: hits.length > limit, totalResults: hits.length },
  });
}
