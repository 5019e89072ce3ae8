// The simulated venue's market state: markets, one mirrored book per market, last trades, and frame publishing.
import { BinaryBook, mirrorChange, type LevelChange, type Outcome } from "./book";
import { fromMicros, ONE, tickDecimals, toMicros } from "./decimal";
import { bestBidAskFrame, bookFrame, priceChangeFrame, restBook, type BookState, type PriceChangeEntry } from "./frames";
import type { Rng } from "./rng";
import type { SeedData } from "./seed";
import type { LevelInput, Side, SimEvent, SimMarket } from "./types";

/** Delivers a frame to the connections subscribed to any of `assetIds` (customOnly: only custom_feature_enabled ones). */
export type Publish = (assetIds: string[], payload: unknown, opts?: { customOnly?: boolean }) => void;

export interface TokenRef {
  market: SimMarket;
  outcome: Outcome;
}

export interface ChangeFrames {
  priceChange: Record<string, unknown>;
  bestBidAsk: Array<{ assetId: string; frame: Record<string, unknown> }>;
}

interface MarketRuntime {
  book: BinaryBook;
  /** Last trade per outcome, in that outcome's terms. */
  lastTrade: [{ price: bigint; side: Side } | undefined, { price: bigint; side: Side } | undefined];
  updatedAt: number;
  /** Gamma's outcomePrices lag the book: the value and when it was taken. */
  gammaPrice?: { price: bigint; at: number };
}

export class Exchange {
  readonly markets: SimMarket[];
  readonly events: SimEvent[];
  private readonly byToken = new Map<string, TokenRef>();
  private readonly byId = new Map<string, SimMarket>();
  private readonly byCondition = new Map<string, SimMarket>();
  private readonly eventsById = new Map<string, SimEvent>();
  private readonly runtime = new Map<string, MarketRuntime>();
  /** Called after any book change (resting orders get their chance to fill). */
  onBookChange: ((market: SimMarket) => void) | undefined;

  constructor(
    seed: SeedData,
    readonly rng: Rng,
    readonly now: () => number,
    readonly publish: Publish,
  ) {
    this.markets = seed.markets;
    this.events = seed.events;
    for (const ev of this.events) this.eventsById.set(ev.id, ev);
    for (const m of this.markets) {
      this.byId.set(m.id, m);
      this.byCondition.set(m.conditionId.toLowerCase(), m);
      m.tokenIds.forEach((t, i) => this.byToken.set(t, { market: m, outcome: i as Outcome }));
      const rt: MarketRuntime = { book: new BinaryBook(), lastTrade: [undefined, undefined], updatedAt: now() };
      this.runtime.set(m.id, rt);
      this.seedBook(m, rt.book);
      rt.lastTrade = [{ price: m.startPrice, side: "BUY" }, { price: ONE - m.startPrice, side: "SELL" }];
    }
  }

  token(tokenId: string): TokenRef | undefined {
    return this.byToken.get(tokenId);
  }

  marketById(id: string): SimMarket | undefined {
    return this.byId.get(id);
  }

  eventById(id: string): SimEvent | undefined {
    return this.eventsById.get(id);
  }

  marketByCondition(conditionId: string): SimMarket | undefined {
    return this.byCondition.get(conditionId.toLowerCase());
  }

  book(market: SimMarket): BinaryBook {
    return this.rt(market).book;
  }

  private rt(market: SimMarket): MarketRuntime {
    const rt = this.runtime.get(market.id);
    if (!rt) throw new Error(`unknown market ${market.id}`);
    return rt;
  }

  /** A fresh 40-hex id, like the order hashes in price_change entries. */
  hash40(): string {
    return this.rng.hex(20);
  }

  txHash(): string {
    return `0x${this.rng.hex(32)}`;
  }

  lastTrade(ref: TokenRef): { price: bigint; side: Side } | undefined {
    return this.rt(ref.market).lastTrade[ref.outcome];
  }

  setLastTrade(ref: TokenRef, price: bigint, side: Side): void {
    const rt = this.rt(ref.market);
    const other: Outcome = ref.outcome === 0 ? 1 : 0;
    rt.lastTrade[ref.outcome] = { price, side };
    rt.lastTrade[other] = { price: ONE - price, side: side === "BUY" ? "SELL" : "BUY" };
  }

  lastTradeText(ref: TokenRef): string {
    const t = this.lastTrade(ref);
    return t ? fromMicros(t.price, tickDecimalsOf(ref.market)) : "";
  }

  bookState(ref: TokenRef): BookState {
    const rt = this.rt(ref.market);
    const view = rt.book.view(ref.outcome);
    return {
      market: ref.market.conditionId,
      assetId: ref.market.tokenIds[ref.outcome],
      timestamp: rt.updatedAt,
      bids: view.bids,
      asks: view.asks,
      minOrderSize: ref.market.minOrderSize,
      tickSize: ref.market.tickSize,
      negRisk: ref.market.negRisk,
      lastTradePrice: this.lastTradeText(ref),
    };
  }

  restBook(ref: TokenRef): Record<string, unknown> {
    return restBook(this.bookState(ref));
  }

  /** Marks the book changed now. */
  touch(market: SimMarket): number {
    const rt = this.rt(market);
    rt.updatedAt = Math.max(this.now(), rt.updatedAt);
    return rt.updatedAt;
  }

  /** The price_change frame (entries for both outcomes of every change) and best_bid_ask frames for custom clients. */
  changeFrames(market: SimMarket, changes: LevelChange[], firstOutcome: Outcome = 0): ChangeFrames {
    const ts = this.touch(market);
    const book = this.book(market);
    const best = [book.best(0), book.best(1)] as const;
    const entries: PriceChangeEntry[] = [];
    for (const change of changes) {
      const own = change.outcome === firstOutcome ? change : mirrorChange(change);
      for (const c of [own, mirrorChange(own)]) {
        const b = best[c.outcome];
        entries.push({ assetId: market.tokenIds[c.outcome], price: c.price, size: c.size, side: c.side, hash: this.hash40(), bestBid: b.bid, bestAsk: b.ask });
      }
    }
    return {
      priceChange: priceChangeFrame(market.conditionId, entries, ts),
      bestBidAsk: ([0, 1] as const).map((o) => ({
        assetId: market.tokenIds[o],
        frame: bestBidAskFrame(market.conditionId, market.tokenIds[o], best[o].bid, best[o].ask, ts),
      })),
    };
  }

  publishBestBidAsk(frames: ChangeFrames): void {
    for (const b of frames.bestBidAsk) this.publish([b.assetId], b.frame, { customOnly: true });
  }

  /** Publishes the frames of `changes` (nothing when there are none). */
  publishChanges(market: SimMarket, changes: LevelChange[], firstOutcome: Outcome = 0): void {
    if (changes.length === 0) return;
    const frames = this.changeFrames(market, changes, firstOutcome);
    this.publish(market.tokenIds, frames.priceChange);
    this.publishBestBidAsk(frames);
    this.notifyChange(market);
  }

  notifyChange(market: SimMarket): void {
    this.onBookChange?.(market);
  }

  /** Single-object `book` frames for both outcomes (after trades and setBook), as the real feed sends them. */
  publishBooks(market: SimMarket, withTickSize: boolean): void {
    for (const o of [0, 1] as const) {
      this.publish([market.tokenIds[o]], bookFrame(this.bookState({ market, outcome: o }), withTickSize));
    }
  }

  /** Replaces the book of `tokenId`'s market; levels are in that token's terms. */
  setBook(tokenId: string, levels: { bids: LevelInput[]; asks: LevelInput[] }): void {
    const ref = this.requireToken(tokenId);
    const book = this.book(ref.market);
    book.clear();
    for (const [side, list] of [["BUY", levels.bids], ["SELL", levels.asks]] as const) {
      for (const l of list) book.setFor(ref.outcome, side, toMicros(l.price), toMicros(l.size));
    }
    this.touch(ref.market);
    this.publishBooks(ref.market, true);
    this.notifyChange(ref.market);
  }

  requireToken(tokenId: string): TokenRef {
    const ref = this.token(tokenId);
    if (!ref) throw new RangeError(`unknown token id ${tokenId}`);
    return ref;
  }

  /**
   * What Polymarket would display for outcome 0: the midpoint, or the last trade when the spread
   * is wider than $0.10 (polymarket.md §6). Gamma serves it up to `lagMs` late.
   */
  displayPrice(market: SimMarket, lagMs = 0): bigint {
    const rt = this.rt(market);
    const now = this.now();
    if (rt.gammaPrice && now - rt.gammaPrice.at < lagMs) return rt.gammaPrice.price;
    const price = this.freshDisplayPrice(market);
    rt.gammaPrice = { price, at: now };
    return price;
  }

  private freshDisplayPrice(market: SimMarket): bigint {
    if (market.winner !== undefined) return market.winner === 0 ? ONE : 0n;
    const { bid, ask } = this.book(market).best(0);
    const last = this.rt(market).lastTrade[0]?.price;
    if (bid !== undefined && ask !== undefined && ask - bid <= ONE / 10n) return (bid + ask) / 2n;
    return last ?? (bid !== undefined && ask !== undefined ? (bid + ask) / 2n : market.startPrice);
  }

  /** Initial book around the seed price: 8–12 levels a side, 1–3 ticks apart, 2-decimal sizes. */
  private seedBook(m: SimMarket, book: BinaryBook): void {
    const rng = this.rng.fork(`book:${m.id}`);
    const tick = m.tick;
    const bid = m.startPrice - tick < tick ? tick : m.startPrice - tick;
    const ask = bid + 2n * tick > ONE - tick ? ONE - tick : bid + 2n * tick;
    let p = bid;
    for (let i = 0, n = 8 + rng.int(5); i < n && p >= tick; i++, p -= tick * BigInt(1 + rng.int(3))) {
      book.set("BUY", p, seedSize(rng));
    }
    p = ask;
    for (let i = 0, n = 8 + rng.int(5); i < n && p <= ONE - tick; i++, p += tick * BigInt(1 + rng.int(3))) {
      if (p > bid) book.set("SELL", p, seedSize(rng));
    }
  }
}

/** 20.00 to 5,000.00 shares in whole cents, like most resting sizes. */
export function seedSize(rng: Rng): bigint {
  return BigInt(2_000 + rng.int(498_000)) * 10_000n;
}

export function tickDecimalsOf(m: SimMarket): number {
  return tickDecimals(m.tick);
}
