// Public CLOB market data of the local Polymarket (/clob): books, prices, midpoints, tick sizes, market details.
import type { Outcome } from "./book";
import { fromMicros, ONE } from "./decimal";
import type { Exchange, TokenRef } from "./exchange";
import { fail, json, parseJson, Router, type Answer, type Req } from "./http-util";
import type { SimMarket } from "./types";

/** POST /books and friends take at most 500 tokens (polymarket.md §4.1). */
export const BATCH_TOKEN_LIMIT = 500;
const TOKEN_ID = /^\d{1,78}$/;
export const NO_BOOK = "No orderbook exists for the requested token id";

/** Cursor paging as the CLOB does it: base64 of the offset, "MA==" (0) first, "LTE=" (-1) after the last page. */
export const END_CURSOR = "LTE=";
export const encodeOffset = (n: number): string => Buffer.from(String(n)).toString("base64");
export function decodeOffset(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, "base64").toString("utf8"));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

type Lookup = { ref: TokenRef } | { error: Answer };

function lookup(ex: Exchange, tokenId: unknown): Lookup {
  if (typeof tokenId !== "string" || !TOKEN_ID.test(tokenId)) return { error: fail(400, "Invalid token id") };
  const ref = ex.token(tokenId);
  if (!ref || ref.market.closed) return { error: fail(404, NO_BOOK) };
  return { ref };
}

/** Parses a POST batch body: an array of objects with token_id, at most 500 of them. */
function batch(body: string): Array<Record<string, unknown>> | Answer {
  const parsed = parseJson(body);
  if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== "object" || x === null)) return fail(400, "Invalid payload");
  if (parsed.length > BATCH_TOKEN_LIMIT) return fail(400, "Payload exceeds the limit");
  return parsed as Array<Record<string, unknown>>;
}

const mid = (ex: Exchange, ref: TokenRef): string | undefined => {
  const b = ex.book(ref.market).best(ref.outcome);
  return b.bid !== undefined && b.ask !== undefined ? fromMicros((b.bid + b.ask) / 2n) : undefined;
};

/** side=BUY answers the best BID, side=SELL the best ASK (live-verified, polymarket.md §4.1). */
const sidePrice = (ex: Exchange, ref: TokenRef, side: string): bigint | undefined => {
  const b = ex.book(ref.market).best(ref.outcome);
  return side === "BUY" ? b.bid : b.ask;
};

export function clobMarketJson(ex: Exchange, m: SimMarket): Record<string, unknown> {
  const display = ex.displayPrice(m);
  return {
    enable_order_book: true,
    active: true,
    closed: m.closed,
    archived: false,
    accepting_orders: m.acceptingOrders,
    accepting_order_timestamp: m.createdAt,
    minimum_order_size: m.minOrderSize,
    minimum_tick_size: Number(m.tickSize),
    condition_id: m.conditionId,
    question_id: m.questionId,
    question: m.question,
    description: m.description,
    market_slug: m.slug,
    end_date_iso: m.endDate,
    game_start_time: null,
    seconds_delay: 0,
    fpmm: "",
    maker_base_fee: 0,
    taker_base_fee: 0,
    notifications_enabled: true,
    neg_risk: m.negRisk,
    neg_risk_market_id: m.negRiskMarketId,
    neg_risk_request_id: m.negRiskRequestId,
    icon: m.image,
    image: m.image,
    rewards: { rates: null, min_size: 0, max_spread: 0 },
    is_50_50_outcome: false,
    tokens: ([0, 1] as Outcome[]).map((o) => ({
      token_id: m.tokenIds[o],
      outcome: m.outcomes[o],
      price: Number(fromMicros(o === 0 ? display : ONE - display)),
      winner: m.winner === o,
    })),
    tags: m.tags.map((t) => t.label),
  };
}

/** GET /clob-markets/{condition_id}: the compact form the official client reads tick size and neg-risk from. */
function clobMarketDetails(m: SimMarket): Record<string, unknown> {
  return {
    c: m.conditionId,
    t: [0, 1].map((o) => ({ t: m.tokenIds[o as Outcome], o: m.outcomes[o as Outcome] })),
    mts: Number(m.tickSize),
    nr: m.negRisk,
    mbf: 0,
    tbf: 0,
    r: null,
    ao: m.acceptingOrders,
    mos: m.minOrderSize,
    sd: 0,
    // Fee-enabled markets: fd {r: rate, e: exponent, to: taker only} (CCv2 MarketDetails; §5).
    ...(m.fees ? { fd: { r: Number(m.fees.rate), e: m.fees.exponent, to: true } } : {}),
  };
}

export function clobPublicRouter(exchange: () => Exchange, now: () => number): Router {
  const withRef = (tokenId: unknown, f: (ref: TokenRef, ex: Exchange) => Answer): Answer => {
    const ex = exchange();
    const l = lookup(ex, tokenId);
    return "error" in l ? l.error : f(l.ref, ex);
  };
  const eachToken = (r: Req, f: (ref: TokenRef, ex: Exchange, item: Record<string, unknown>) => void): Answer | undefined => {
    const items = batch(r.body);
    if (!Array.isArray(items)) return items;
    const ex = exchange();
    for (const item of items) {
      const l = lookup(ex, item.token_id);
      if ("ref" in l) f(l.ref, ex, item);
    }
    return undefined;
  };
  return new Router()
    .on("GET", "/book", (r) => withRef(r.query.get("token_id"), (ref, ex) => json(200, ex.restBook(ref))))
    .on("POST", "/books", (r) => {
      const out: unknown[] = [];
      return eachToken(r, (ref, ex) => out.push(ex.restBook(ref))) ?? json(200, out);
    })
    .on("GET", "/price", (r) =>
      withRef(r.query.get("token_id"), (ref, ex) => {
        const side = (r.query.get("side") ?? "").toUpperCase();
        if (side !== "BUY" && side !== "SELL") return fail(400, "Invalid side");
        const p = sidePrice(ex, ref, side);
        return p === undefined ? fail(404, NO_BOOK) : json(200, { price: fromMicros(p) });
      }),
    )
    .on("POST", "/prices", (r) => {
      const out: Record<string, Record<string, string>> = {};
      return (
        eachToken(r, (ref, ex, item) => {
          const side = String(item.side ?? "").toUpperCase();
          const p = side === "BUY" || side === "SELL" ? sidePrice(ex, ref, side) : undefined;
          if (p !== undefined) (out[ref.market.tokenIds[ref.outcome]] ??= {})[side] = fromMicros(p);
        }) ?? json(200, out)
      );
    })
    .on("GET", "/midpoint", (r) => withRef(r.query.get("token_id"), (ref, ex) => (mid(ex, ref) === undefined ? fail(404, NO_BOOK) : json(200, { mid: mid(ex, ref) }))))
    .on("POST", "/midpoints", (r) => {
      const out: Record<string, string> = {};
      return eachToken(r, (ref, ex) => void (mid(ex, ref) !== undefined && (out[ref.market.tokenIds[ref.outcome]] = mid(ex, ref)!))) ?? json(200, out);
    })
    .on("GET", "/spread", (r) =>
      withRef(r.query.get("token_id"), (ref, ex) => {
        const b = ex.book(ref.market).best(ref.outcome);
        return b.bid === undefined || b.ask === undefined ? fail(404, NO_BOOK) : json(200, { spread: fromMicros(b.ask - b.bid) });
      }),
    )
    .on("GET", "/last-trade-price", (r) =>
      withRef(r.query.get("token_id"), (ref, ex) => {
        const t = ex.lastTrade(ref);
        return json(200, { price: t ? ex.lastTradeText(ref) : "", side: t?.side ?? "" });
      }),
    )
    .on("POST", "/last-trades-prices", (r) => {
      const out: unknown[] = [];
      return eachToken(r, (ref, ex) => out.push({ token_id: ref.market.tokenIds[ref.outcome], price: ex.lastTradeText(ref), side: ex.lastTrade(ref)?.side ?? "" })) ?? json(200, out);
    })
    .on("GET", "/tick-size", (r) => withRef(r.query.get("token_id"), (ref) => json(200, { minimum_tick_size: Number(ref.market.tickSize) })))
    .on("GET", "/neg-risk", (r) => withRef(r.query.get("token_id"), (ref) => json(200, { neg_risk: ref.market.negRisk })))
    .on("GET", "/fee-rate", (r) => withRef(r.query.get("token_id"), (ref) => json(200, { base_fee: ref.market.fees ? 1000 : 0 })))
    .on("GET", "/version", () => json(200, { version: 2 }))
    .on("GET", "/time", () => json(200, Math.floor(now() / 1000)))
    .on("GET", "/ok", () => json(200, "OK"))
    .on("GET", "/markets/:conditionId", (r) => {
      const m = exchange().marketByCondition(r.params.conditionId!);
      return m ? json(200, clobMarketJson(exchange(), m)) : fail(404, "market not found");
    })
    .on("GET", "/clob-markets/:conditionId", (r) => {
      const m = exchange().marketByCondition(r.params.conditionId!);
      return m ? json(200, clobMarketDetails(m)) : fail(404, "market not found");
    })
    .on("GET", "/markets-by-token/:tokenId", (r) => {
      const ref = exchange().token(r.params.tokenId!);
      return ref ? json(200, { condition_id: ref.market.conditionId, primary_token_id: ref.market.tokenIds[0], secondary_token_id: ref.market.tokenIds[1] }) : fail(404, "market not found");
    })
    .on("GET", "/markets", (r) => {
      const ex = exchange();
      const start = decodeOffset(r.query.get("next_cursor"));
      if (start === undefined) return fail(400, "invalid next_cursor");
      const page = ex.markets.slice(start, start + 500);
      const next = start + page.length;
      return json(200, { limit: 500, count: page.length, next_cursor: next >= ex.markets.length ? END_CURSOR : encodeOffset(next), data: page.map((m) => clobMarketJson(ex, m)) });
    });
}
