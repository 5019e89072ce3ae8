// The streamer's pure core: frames → books → trigger checks → what to flush. No IO, no clock:
// the Durable Object feeds it frames with their receipt time and does the IO it asks for.
import { fromMicroInt, type MicroInt } from "../workers/money/micros";
import { OrderBook } from "../workers/polymarket/order-book";
import type { BookQuote } from "../workers/polymarket/types";
import type { FrameError, MarketResolvedEvent } from "../workers/polymarket/ws-events";
import { parseMarketFrame } from "../workers/polymarket/ws-messages";
import type { MarketPriceRow, PriceSource, TokenPriceRow } from "./price-statement";
import type { TokenMeta } from "./token-meta";
import type { ArmedTrigger, FiredTrigger } from "../workers/triggers/types";
import { TriggerIndex } from "./trigger-index";

export interface IngestResult {
  fired: FiredTrigger[];
  resolved: MarketResolvedEvent[];
  control?: "PONG" | "NO NEW ASSETS";
  dropped: number;
  errors: FrameError[];
}

/**
 * A token's book with the streamer's bookkeeping on the same object: one object per token, so a
 * price change on one of 1,000 books touches one cache line less (measured: the extra object cost
 * as much as the book update itself once the books no longer fit in cache).
 */
class TokenState extends OrderBook {
  source: PriceSource = "ws";
  /** Local receipt time of the last update applied. */
  receivedAt = 0;
  /** Ingest epoch that last touched this token (dedupes trigger checks within one frame). */
  seen = 0;
  /** Best bid at the previous trigger check of this token (a jump in one frame is confirmed before selling). */
  checkedBid: MicroInt | undefined;
}

export class StreamerCore {
  readonly triggers = new TriggerIndex();
  private readonly tokens = new Map<string, TokenState>();
  private readonly meta = new Map<string, TokenMeta>();
  /** Last known displayed prices per market, aligned with its tokens (seeded from Postgres). */
  private readonly marketPrices = new Map<string, (string | null)[]>();
  private dirty = new Set<string>();
  private epoch = 0;
  /** Reused per frame: the tokens a frame touched (hot path: no allocation per frame). */
  private readonly touched: TokenState[] = [];
  readonly messages = new Map<string, number>();
  parseErrors = 0;
  frames = 0;
  lastMessageAt: number | undefined;

  setMeta(metas: readonly TokenMeta[], prices?: ReadonlyMap<string, (string | null)[]>): void {
    for (const m of metas) {
      this.meta.set(m.tokenId, m);
      const p = prices?.get(m.marketId);
      if (p && !this.marketPrices.has(m.marketId)) this.marketPrices.set(m.marketId, [...p]);
    }
  }

  metaOf(tokenId: string): TokenMeta | undefined {
    return this.meta.get(tokenId);
  }

  /** Forget a token that nobody wants any more. */
  dropToken(tokenId: string): void {
    this.tokens.delete(tokenId);
    this.dirty.delete(tokenId);
  }

  book(tokenId: string): OrderBook | undefined {
    return this.tokens.get(tokenId);
  }

  quote(tokenId: string): (BookQuote & { receivedAt: number }) | undefined {
    const s = this.tokens.get(tokenId);
    if (!s || !s.hasBook) return undefined;
    return { ...s.toQuote(s.source), receivedAt: s.receivedAt };
  }

  /** Local receipt time of the token's last update, or undefined without a book. */
  freshness(tokenId: string): number | undefined {
    const s = this.tokens.get(tokenId);
    return s?.hasBook ? s.receivedAt : undefined;
  }

  /** Best bid and ask and the receipt time of the last update (the frozen-feed cross-check compares REST with it). */
  top(tokenId: string): { bid: MicroInt | undefined; ask: MicroInt | undefined; at: number } | undefined {
    const s = this.tokens.get(tokenId);
    return s?.hasBook ? { bid: s.bestBid()?.price, ask: s.bestAsk()?.price, at: s.receivedAt } : undefined;
  }

  private state(tokenId: string): TokenState {
    let s = this.tokens.get(tokenId);
    if (!s) {
      s = new TokenState(tokenId);
      this.tokens.set(tokenId, s);
    }
    return s;
  }

  /** One market-channel text frame. Never throws. */
  ingest(raw: string, receivedAt: number): IngestResult {
    const parsed = parseMarketFrame(raw, receivedAt);
    this.frames++;
    this.parseErrors += parsed.dropped;
    const touched = this.begin();
    const resolved: MarketResolvedEvent[] = [];
    for (const ev of parsed.events) {
      this.messages.set(ev.type, (this.messages.get(ev.type) ?? 0) + 1);
      switch (ev.type) {
        case "book": {
          const s = this.state(ev.assetId);
          s.applySnapshot(ev.bids, ev.asks, ev);
          this.mark(s, "ws", receivedAt, touched);
          break;
        }
        case "price_change":
          for (const ch of ev.changes) {
            const s = this.tokens.get(ch.assetId);
            if (s?.applyChange(ch.side, ch.price, ch.size, ev.timestamp)) this.mark(s, "ws", receivedAt, touched);
          }
          break;
        case "last_trade_price": {
          const s = this.tokens.get(ev.assetId);
          if (s) {
            s.setLastTrade(ev.price, ev.timestamp);
            this.mark(s, "ws", receivedAt, touched);
          }
          break;
        }
        case "tick_size_change":
          this.tokens.get(ev.assetId)?.invalidate(ev.newTickSize);
          break;
        case "market_resolved":
          resolved.push(ev);
          break;
        default:
          break; // best_bid_ask, new_market: counted, never used to build books
      }
    }
    if (parsed.events.length || parsed.control === undefined) this.lastMessageAt = receivedAt;
    return { fired: this.check(touched), resolved, control: parsed.control, dropped: parsed.dropped, errors: parsed.errors };
  }

  /** A book fetched by the polling fallback (REST), fed through the same path as the stream. */
  ingestPolled(quote: BookQuote, receivedAt: number): FiredTrigger[] {
    const s = this.state(quote.tokenId);
    s.applySnapshot(quote.bids, quote.asks, { timestamp: quote.updatedAt, tickSize: quote.tickSize, lastTradePrice: quote.lastTradePrice });
    const touched = this.begin();
    this.mark(s, "poll", receivedAt, touched);
    return this.check(touched);
  }

  /** Evaluates triggers of a token against its current book (e.g. just after arming). */
  recheck(tokenId: string): FiredTrigger[] {
    const s = this.tokens.get(tokenId);
    if (!s?.hasBook) return [];
    const touched = this.begin();
    touched.push(s);
    return this.check(touched);
  }

  private begin(): TokenState[] {
    this.epoch++;
    this.touched.length = 0;
    return this.touched;
  }

  private mark(s: TokenState, source: PriceSource, receivedAt: number, touched: TokenState[]): void {
    s.source = source;
    s.receivedAt = receivedAt;
    if (s.seen !== this.epoch) {
      s.seen = this.epoch;
      touched.push(s);
      this.dirty.add(s.tokenId);
    }
  }

  private check(touched: readonly TokenState[]): FiredTrigger[] {
    let out: FiredTrigger[] | undefined;
    for (const s of touched) {
      if (!this.triggers.watches(s.tokenId)) continue;
      const bid = s.bestBid()?.price;
      const prevBid = s.checkedBid;
      s.checkedBid = bid;
      if (bid === undefined) continue;
      for (const f of this.triggers.onBid(s.tokenId, bid)) {
        (out ??= []).push({ ...f, bid, ...(prevBid !== undefined ? { prevBid } : {}), source: s.source, receivedAt: s.receivedAt, bookTime: s.updatedAt });
      }
    }
    return out ?? NONE;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** What changed since the last flush, as rows for price-statement.ts; the dirty set is handed over. */
  takeFlush(now: number): { tokens: TokenPriceRow[]; markets: MarketPriceRow[]; taken: string[] } {
    const taken = [...this.dirty];
    this.dirty = new Set();
    const tokens: TokenPriceRow[] = [];
    const markets = new Map<string, MarketPriceRow>();
    const at = new Date(now).toISOString();
    for (const tokenId of taken) {
      const s = this.tokens.get(tokenId);
      if (!s) continue;
      const bid = s.bestBid()?.price;
      const ask = s.bestAsk()?.price;
      const last = s.lastTrade();
      tokens.push({ token_id: tokenId, bid: str(bid), ask: str(ask), last: str(last), src: s.source, at });
      const m = this.meta.get(tokenId);
      const display = s.displayPrice();
      if (!m || display === undefined) continue;
      const prices = this.marketPrices.get(m.marketId) ?? m.marketTokens.map(() => null);
      prices[m.outcomeIndex] = fromMicroInt(display);
      this.marketPrices.set(m.marketId, prices);
      markets.set(m.marketId, { id: m.marketId, prices: [...prices], src: s.source });
    }
    return { tokens, markets: [...markets.values()], taken };
  }

  /** A flush failed: its tokens are dirty again (the next flush writes their latest prices). */
  restoreDirty(tokens: readonly string[]): void {
    for (const t of tokens) if (this.tokens.has(t)) this.dirty.add(t);
  }

  arm(triggers: readonly ArmedTrigger[]): void {
    for (const t of triggers) this.triggers.upsert(t);
  }
}

/** Shared empty result (frozen: callers must not push into it). */
const NONE = Object.freeze([]) as unknown as FiredTrigger[];
const str = (v: MicroInt | undefined) => (v === undefined ? null : fromMicroInt(v));
