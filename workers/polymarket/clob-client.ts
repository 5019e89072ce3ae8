// CLOB REST client: public market data, L1 API-key management and L2 (HMAC) trading calls.
// Paths and shapes: polymarket.md §4 and @polymarket/clob-client-v2 src/client.ts.
import type { Hex } from "viem";
import { log } from "../lib/log";
import type { MicroInt } from "../money/micros";
import { l1Headers } from "./auth-l1";
import { l2Headers, type ApiCreds } from "./auth-l2";
import * as s from "./clob-schemas";
import { interpretPostOrder, toSnapshot, type BookSnapshot, type PostOrderResult, type TopOfBook } from "./clob-schemas";
import { classifyError, isPolymarketError, nullOn404 } from "./errors";
import { chunk, type FetchLike, mapWithConcurrency, PolymarketHttp, type HttpOptions, type RequestSpec } from "./http";
import type { Side, TickSize } from "./types";

export type { BookSnapshot, ClobMarket, PostOrderResult, TopOfBook, VenueOrder, VenueTrade } from "./clob-schemas";

/** POST /books, /prices and /midpoints take at most 500 entries (DOCS prices-order-books). */
export const BATCH_LIMIT = 500;
/** Chunks in flight at once for batch reads (/books is limited to 500 requests per 10 s). */
const DEFAULT_BATCH_CONCURRENCY = 4;
/** A cursor walk longer than this is a runaway (each page holds hundreds of items). */
const DEFAULT_MAX_PAGES = 100;

/** Who signs an L2 request: the address the API key is bound to, and the key itself. */
export interface L2Auth {
  address: string;
  creds: ApiCreds;
}

export interface ClobClientOptions extends HttpOptions {
  batchConcurrency?: number;
}

export interface ClobMarketInfo {
  conditionId: string;
  tokens: Array<{ tokenId: string; outcome: string }>;
  tickSize: TickSize;
  negRisk: boolean;
  minOrderSize: string | undefined;
  /** Fee schedule (V2): fee = shares × rate × (p(1−p))^exponent, taker only when takerOnly. */
  feeRate: string | undefined;
  feeExponent: string | undefined;
  acceptingOrders: boolean | undefined;
}

export type TradeQuery = { id?: string; market?: string; asset_id?: string; maker_address?: string; before?: string; after?: string };
export type OpenOrderQuery = { id?: string; market?: string; asset_id?: string };
export type AssetType = "COLLATERAL" | "CONDITIONAL" | "CONDITIONAL-V2";
export interface BalanceAllowanceQuery {
  assetType: AssetType;
  tokenId?: string;
  /** 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271. */
  signatureType: number;
}
export interface Page<T> {
  items: T[];
  nextCursor: string;
}

/** Reads (a book, a market, an order) that take longer than this are given up; orders set their own timeout. */
export const CLOB_READ_TIMEOUT_MS = 5_000;

/** The one CLOB client a composition root (the bot's deps, the cron, the streamer's wiring) builds. */
export function clobClientFor(baseUrl: string, now: () => number = Date.now, fetch?: FetchLike): ClobClient {
  return new ClobClient({ baseUrl, timeoutMs: CLOB_READ_TIMEOUT_MS, now, ...(fetch ? { fetch } : {}) });
}

export class ClobClient {
  private readonly http: PolymarketHttp;
  private readonly concurrency: number;

  constructor(opts: ClobClientOptions) {
    this.http = new PolymarketHttp(opts);
    this.concurrency = opts.batchConcurrency ?? DEFAULT_BATCH_CONCURRENCY;
  }

  private get<T>(path: string, query: RequestSpec<T>["query"], schema: RequestSpec<T>["schema"]): Promise<T> {
    return this.http.request({ method: "GET", path, query, schema });
  }

  private postJson<T>(path: string, payload: unknown, schema: RequestSpec<T>["schema"]): Promise<T> {
    return this.http.request({ method: "POST", path, body: JSON.stringify(payload), schema });
  }

  private seconds(): number {
    return Math.floor(this.http.now() / 1000);
  }

  // ---- public market data -------------------------------------------------------------------

  async getBook(tokenId: string): Promise<BookSnapshot> {
    return toSnapshot(await this.get("/book", { token_id: tokenId }, s.bookSchema), this.http.now());
  }

  /** POST /books in chunks of ≤ 500 tokens, a few chunks at a time. Unknown tokens are absent. */
  async getBooks(tokenIds: readonly string[]): Promise<BookSnapshot[]> {
    const pages = await mapWithConcurrency(chunk(tokenIds, BATCH_LIMIT), this.concurrency, (ids) =>
      this.postJson("/books", ids.map((token_id) => ({ token_id })), s.bookSchema.array()),
    );
    const now = this.http.now();
    return pages.flat().map((b) => toSnapshot(b, now));
  }

  /** Venue semantics, on purpose kept visible: side BUY answers the best BID, SELL the best ASK. */
  async getPrice(tokenId: string, side: Side): Promise<MicroInt | undefined> {
    return (await this.get("/price", { token_id: tokenId, side }, s.priceSchema)).price;
  }
  getBestBid(tokenId: string): Promise<MicroInt | undefined> {
    return this.getPrice(tokenId, "BUY");
  }
  getBestAsk(tokenId: string): Promise<MicroInt | undefined> {
    return this.getPrice(tokenId, "SELL");
  }

  /** POST /prices for both sides of every token → best bid / best ask per token. */
  async getPrices(tokenIds: readonly string[]): Promise<Map<string, TopOfBook>> {
    const params = tokenIds.flatMap((token_id) => [{ token_id, side: "BUY" }, { token_id, side: "SELL" }]);
    const pages = await mapWithConcurrency(chunk(params, BATCH_LIMIT), this.concurrency, (p) => this.postJson("/prices", p, s.pricesSchema));
    const out = new Map<string, TopOfBook>();
    for (const page of pages) for (const [token, p] of Object.entries(page)) out.set(token, { bestBid: p.BUY, bestAsk: p.SELL });
    return out;
  }

  async getMidpoint(tokenId: string): Promise<MicroInt | undefined> {
    return (await this.get("/midpoint", { token_id: tokenId }, s.midpointSchema)).mid;
  }

  async getMidpoints(tokenIds: readonly string[]): Promise<Map<string, MicroInt | undefined>> {
    const pages = await mapWithConcurrency(chunk(tokenIds, BATCH_LIMIT), this.concurrency, (ids) =>
      this.postJson("/midpoints", ids.map((token_id) => ({ token_id })), s.midpointsSchema),
    );
    return new Map(pages.flatMap((p) => Object.entries(p)));
  }

  async getTickSize(tokenId: string): Promise<TickSize> {
    return (await this.get("/tick-size", { token_id: tokenId }, s.tickSizeSchema)).minimum_tick_size;
  }

  async getNegRisk(tokenId: string): Promise<boolean> {
    return (await this.get("/neg-risk", { token_id: tokenId }, s.negRiskSchema)).neg_risk;
  }

  /** The order version the exchange expects (re-read after an order_version_mismatch). */
  getVersion(): Promise<number> {
    return this.get("/version", undefined, s.versionSchema);
  }

  /** Venue clock in unix seconds (for L1/L2 timestamps when the local clock may drift). */
  getServerTime(): Promise<number> {
    return this.get("/time", undefined, s.serverTimeSchema);
  }

  /** GET /clob-markets/{condition_id}: tick size, neg-risk, fees and tokens in one call; null if unknown. */
  async getClobMarket(conditionId: string): Promise<ClobMarketInfo | null> {
    const m = await nullOn404(() => this.get(`/clob-markets/${encodeURIComponent(conditionId)}`, undefined, s.clobMarketInfoSchema));
    if (!m) return null;
    return {
      conditionId: m.c,
      tokens: m.t.flatMap((t) => (t ? [{ tokenId: t.t, outcome: t.o }] : [])),
      tickSize: m.mts,
      negRisk: m.nr ?? false,
      minOrderSize: m.mos ?? undefined,
      feeRate: m.fd?.r ?? undefined,
      feeExponent: m.fd?.e ?? undefined,
      acceptingOrders: m.ao ?? undefined,
    };
  }

  /** GET /markets/{condition_id} (snake_case, with tokens[].winner after resolution); null if unknown. */
  getMarket(conditionId: string): Promise<s.ClobMarket | null> {
    return nullOn404(() => this.get(`/markets/${encodeURIComponent(conditionId)}`, undefined, s.clobMarketSchema));
  }

  // ---- L1: API keys ---------------------------------------------------------------------------

  private async l1(privateKey: Hex, nonce: number, method: "GET" | "POST", path: string): Promise<ApiCreds> {
    const headers = await l1Headers({ privateKey, timestamp: this.seconds(), nonce });
    const raw = await this.http.request({ method, path, headers: { ...headers }, kind: method === "POST" ? "submit" : "idempotent", schema: s.apiKeySchema });
    return { key: raw.apiKey, secret: raw.secret, passphrase: raw.passphrase };
  }

  deriveApiKey(privateKey: Hex, nonce = 0): Promise<ApiCreds> {
    return this.l1(privateKey, nonce, "GET", "/auth/derive-api-key");
  }

  createApiKey(privateKey: Hex, nonce = 0): Promise<ApiCreds> {
    return this.l1(privateKey, nonce, "POST", "/auth/api-key");
  }

  /**
   * Derive first; create ONLY when the venue says no key exists (404, or its 400 "Could not derive
   * api key!"), then derive again to get the canonical key. The official TS client creates first,
   * which mints a second, non-canonical key that the user channel rejects (rs-clob-client-v2
   * tests/auth.rs). Any other failure (5xx, 429, 401) propagates: it must never trigger a create.
   */
  async getOrCreateApiKey(privateKey: Hex, nonce = 0): Promise<ApiCreds> {
    try {
      return await this.deriveApiKey(privateKey, nonce);
    } catch (e) {
      if (!isPolymarketError(e) || !(e.status === 404 || e.code === "api_key_not_found")) throw e;
    }
    let created: ApiCreds;
    try {
      created = await this.createApiKey(privateKey, nonce);
    } catch (e) {
      // A create whose answer was lost may have minted the key: derive once before giving up.
      if (!isPolymarketError(e) || !e.outcomeUnknown) throw e;
      return await this.deriveApiKey(privateKey, nonce).catch(() => Promise.reject(e));
    }
    try {
      return await this.deriveApiKey(privateKey, nonce);
    } catch (e) {
      log.warn("polymarket_api_key_rederive_failed", { code: isPolymarketError(e) ? e.code : "error" });
      return created;
    }
  }

  // ---- L2: orders and account -----------------------------------------------------------------

  /** Signs `${ts}${METHOD}${path}${body}` (path without the query, body exactly as sent). */
  private async l2<T>(auth: L2Auth, spec: Omit<RequestSpec<T>, "headers">): Promise<T> {
    const headers = await l2Headers({ address: auth.address, creds: auth.creds, timestamp: this.seconds(), method: spec.method, requestPath: spec.path, body: spec.body });
    return this.http.request({ ...spec, headers: { ...headers } });
  }

  /**
   * POST /order with `body`, the exact JSON string that is signed and sent. Throws a classified
   * PolymarketError; on `outcomeUnknown` the order may exist: reconcile, never re-send blindly.
   */
  async postOrder(auth: L2Auth, body: string, opts: { timeoutMs?: number } = {}): Promise<PostOrderResult> {
    return interpretPostOrder(await this.l2(auth, { method: "POST", path: "/order", body, kind: "submit", timeoutMs: opts.timeoutMs, schema: s.postOrderSchema }));
  }

  /** GET /data/order/{id}; null when the venue does not know it. */
  getOrder(auth: L2Auth, orderId: string): Promise<s.VenueOrder | null> {
    return nullOn404(() => this.l2(auth, { method: "GET", path: `/data/order/${encodeURIComponent(orderId)}`, schema: s.venueOrderSchema.nullish().transform((o) => o ?? null) }));
  }

  async getTradesPage(auth: L2Auth, query: TradeQuery = {}, cursor = s.INITIAL_CURSOR): Promise<Page<s.VenueTrade>> {
    const page = await this.l2(auth, { method: "GET", path: "/data/trades", query: { ...query, next_cursor: cursor }, schema: s.pageSchema(s.venueTradeSchema) });
    return { items: page.data, nextCursor: page.next_cursor ?? s.END_CURSOR };
  }

  getTrades(auth: L2Auth, query: TradeQuery = {}, maxPages = DEFAULT_MAX_PAGES): Promise<s.VenueTrade[]> {
    return this.allPages((c) => this.getTradesPage(auth, query, c), maxPages);
  }

  async getOpenOrdersPage(auth: L2Auth, query: OpenOrderQuery = {}, cursor = s.INITIAL_CURSOR): Promise<Page<s.VenueOrder>> {
    const page = await this.l2(auth, { method: "GET", path: "/data/orders", query: { ...query, next_cursor: cursor }, schema: s.pageSchema(s.venueOrderSchema) });
    return { items: page.data, nextCursor: page.next_cursor ?? s.END_CURSOR };
  }

  getOpenOrders(auth: L2Auth, query: OpenOrderQuery = {}, maxPages = DEFAULT_MAX_PAGES): Promise<s.VenueOrder[]> {
    return this.allPages((c) => this.getOpenOrdersPage(auth, query, c), maxPages);
  }

  /** DELETE /order; idempotent ("already canceled or matched" comes back in notCanceled). */
  async cancelOrder(auth: L2Auth, orderId: string): Promise<{ canceled: string[]; notCanceled: Record<string, string> }> {
    const r = await this.l2(auth, { method: "DELETE", path: "/order", body: JSON.stringify({ orderID: orderId }), schema: s.cancelSchema });
    return { canceled: r.canceled, notCanceled: r.not_canceled };
  }

  /** Balance and allowances in base units (= micros, bigint). */
  getBalanceAllowance(auth: L2Auth, q: BalanceAllowanceQuery): Promise<{ balance: bigint; allowances: Record<string, bigint> }> {
    return this.l2(auth, { method: "GET", path: "/balance-allowance", query: balanceQuery(q), schema: s.balanceAllowanceSchema });
  }

  /** Asks the CLOB to refresh its cached on-chain balance (after funding, approvals, or a balance error). */
  async updateBalanceAllowance(auth: L2Auth, q: BalanceAllowanceQuery): Promise<void> {
    await this.l2(auth, { method: "GET", path: "/balance-allowance/update", query: balanceQuery(q), schema: s.anything });
  }

  /** GET /auth/ban-status/closed-only: true when the account may only close positions (sells, cancels). */
  async getClosedOnlyMode(auth: L2Auth): Promise<boolean> {
    return (await this.l2(auth, { method: "GET", path: "/auth/ban-status/closed-only", schema: s.closedOnlySchema })).closed_only;
  }

  private async allPages<T>(page: (cursor: string) => Promise<Page<T>>, maxPages: number): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0, cursor = s.INITIAL_CURSOR; i < maxPages; i++) {
      const p = await page(cursor);
      out.push(...p.items);
      if (p.nextCursor === s.END_CURSOR || p.nextCursor === "" || p.nextCursor === cursor) return out;
      cursor = p.nextCursor;
    }
    throw classifyError({ status: 200, venueMessage: `more than ${maxPages} pages`, kind: "idempotent", code: "bad_response" });
  }

}

function balanceQuery(q: BalanceAllowanceQuery) {
  return { asset_type: q.assetType, token_id: q.tokenId, signature_type: q.signatureType };
}
