// One token's order book in MicroInt: snapshots and level changes from the market channel, top-of-book queries.
import type { MicroInt } from "../money/micros";
import type { BookQuote, Level, Side, TickSize } from "./types";

/** Polymarket shows the midpoint unless the spread is WIDER than $0.10 (DOCS /concepts/prices-orderbook). */
export const DISPLAY_MAX_SPREAD: MicroInt = 100_000;

/**
 * The price Polymarket displays for a top of book: the midpoint when both sides exist and the spread
 * is at most $0.10 (exactly 0.10 → midpoint: the docs switch only when it is "wider"), rounded half-up
 * to micros; otherwise the last trade, or undefined when none is known (a price is never invented).
 */
export function displayedPrice(bid: MicroInt | undefined, ask: MicroInt | undefined, lastTrade: MicroInt | undefined): MicroInt | undefined {
  if (bid !== undefined && ask !== undefined && ask - bid <= DISPLAY_MAX_SPREAD) return Math.floor((bid + ask + 1) / 2);
  return lastTrade;
}

/**
 * One side as two parallel arrays sorted by ascending key, best level LAST (the wire order, and where
 * most updates land, so inserts and removals shift few elements). Bids use key = price and asks
 * key = −price, so one implementation serves both.
 */
class BookSide {
  keys: number[] = [];
  sizes: number[] = [];

  constructor(private readonly sign: 1 | -1) {}

  get length(): number {
    return this.keys.length;
  }

  /** Index of the first key ≥ k. */
  private lowerBound(k: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sets the absolute size at a price; 0 removes the level. */
  set(price: MicroInt, size: MicroInt): void {
    const k = this.sign * price;
    const keys = this.keys;
    const n = keys.length;
    // Most changes touch the best few levels: check the end before searching.
    const i = n > 0 && keys[n - 1]! < k ? n : this.lowerBound(k);
    const sizes = this.sizes;
    if (i < n && keys[i] === k) {
      if (size !== 0) {
        sizes[i] = size;
        return;
      }
      // Shift the (short) tail down by hand: splice allocates an array of the removed items.
      for (let j = i; j < n - 1; j++) {
        keys[j] = keys[j + 1]!;
        sizes[j] = sizes[j + 1]!;
      }
      keys.pop();
      sizes.pop();
    } else if (size !== 0) {
      keys.push(k);
      sizes.push(size);
      for (let j = n; j > i; j--) {
        keys[j] = keys[j - 1]!;
        sizes[j] = sizes[j - 1]!;
      }
      keys[i] = k;
      sizes[i] = size;
    }
  }

  /**
   * Replaces the side: a straight copy when the levels come best LAST (wire order) or best FIRST
   * (a BookQuote from REST polling) without duplicates or zeros; otherwise sorted defensively.
   */
  load(levels: readonly Level[]): void {
    const n = levels.length;
    const keys: number[] = new Array(n);
    const sizes: number[] = new Array(n);
    let ascending = true;
    let descending = true;
    for (let i = 0; i < n; i++) {
      const l = levels[i]!;
      keys[i] = this.sign * l.price;
      sizes[i] = l.size;
      if (l.size === 0) ascending = descending = false;
      if (i > 0 && keys[i]! <= keys[i - 1]!) ascending = false;
      if (i > 0 && keys[i]! >= keys[i - 1]!) descending = false;
    }
    if (ascending || descending) {
      this.keys = descending ? keys.reverse() : keys;
      this.sizes = descending ? sizes.reverse() : sizes;
      return;
    }
    // Defensive path (unsorted, duplicated or zero levels): apply in order, so the last occurrence wins.
    this.clear();
    for (const l of levels) this.set(l.price, l.size);
  }

  clear(): void {
    this.keys = [];
    this.sizes = [];
  }

  bestPrice(): MicroInt | undefined {
    const n = this.keys.length;
    return n === 0 ? undefined : this.sign * this.keys[n - 1]!;
  }

  best(): Level | undefined {
    const n = this.keys.length;
    return n === 0 ? undefined : { price: this.sign * this.keys[n - 1]!, size: this.sizes[n - 1]! };
  }

  /** Levels best FIRST, at most `depth` of them. */
  toLevels(depth: number): Level[] {
    const n = this.keys.length;
    const count = Math.min(n, Math.max(0, depth));
    const out: Level[] = new Array(count);
    for (let j = 0; j < count; j++) out[j] = { price: this.sign * this.keys[n - 1 - j]!, size: this.sizes[n - 1 - j]! };
    return out;
  }
}

export interface SnapshotMeta {
  timestamp: number;
  tickSize?: TickSize | undefined;
  lastTradePrice?: MicroInt | undefined;
  hash?: string | undefined;
}

/**
 * The live book of one token. Levels exist only between a snapshot and the next invalidate():
 * changes that arrive without a book are ignored (their absolute sizes would build a partial book).
 */
export class OrderBook {
  private readonly bids = new BookSide(1);
  private readonly asks = new BookSide(-1);
  private book = false;
  private lastTradePrice: MicroInt | undefined = undefined;
  private lastTradeAt = -Infinity;
  /** Known grid; kept across invalidate() and snapshots that omit it. */
  tickSize: TickSize | undefined = undefined;
  /** Exchange time (ms epoch) of the newest snapshot, change or trade applied; 0 before any. */
  updatedAt = 0;
  /** Hash and time of the last snapshot (the hash no longer describes the book once a change applies). */
  snapshotHash: string | undefined = undefined;
  snapshotAt = 0;

  constructor(readonly tokenId: string) {}

  get hasBook(): boolean {
    return this.book;
  }

  /** Best bid ≥ best ask. Kept as sent (a transient state between the two outcomes' updates), only flagged. */
  get crossed(): boolean {
    const bid = this.bids.bestPrice();
    const ask = this.asks.bestPrice();
    return this.book && bid !== undefined && ask !== undefined && bid >= ask;
  }

  /** Replaces the book. Accepts any level order (wire: bids ascending, asks descending); drops zero sizes. */
  applySnapshot(bids: readonly Level[], asks: readonly Level[], meta: SnapshotMeta): void {
    this.bids.load(bids);
    this.asks.load(asks);
    this.book = true;
    if (meta.tickSize !== undefined) this.tickSize = meta.tickSize;
    if (meta.lastTradePrice !== undefined) this.setLastTrade(meta.lastTradePrice, meta.timestamp);
    this.snapshotHash = meta.hash;
    this.snapshotAt = meta.timestamp;
    this.touch(meta.timestamp);
  }

  /** Absolute size at a level ("BUY" = bids, "SELL" = asks; 0 removes). False when ignored for want of a book. */
  applyChange(side: Side, price: MicroInt, size: MicroInt, timestamp: number): boolean {
    if (!this.book) return false;
    (side === "BUY" ? this.bids : this.asks).set(price, size);
    this.touch(timestamp);
    return true;
  }

  /** Records a trade price; an older trade than the one known is ignored. */
  setLastTrade(price: MicroInt, timestamp: number): void {
    if (timestamp < this.lastTradeAt) return;
    this.lastTradePrice = price;
    this.lastTradeAt = timestamp;
    this.touch(timestamp);
  }

  /** tick_size_change: old-grid levels may be invalid, so answer "no book" until the next snapshot. */
  invalidate(newTickSize?: TickSize): void {
    this.book = false;
    this.bids.clear();
    this.asks.clear();
    this.snapshotHash = undefined;
    if (newTickSize !== undefined) this.tickSize = newTickSize;
  }

  bestBid(): Level | undefined {
    return this.book ? this.bids.best() : undefined;
  }

  bestAsk(): Level | undefined {
    return this.book ? this.asks.best() : undefined;
  }

  lastTrade(): MicroInt | undefined {
    return this.lastTradePrice;
  }

  /** Best ask − best bid (negative when crossed); undefined unless both sides exist. */
  spread(): MicroInt | undefined {
    const bid = this.bids.bestPrice();
    const ask = this.asks.bestPrice();
    return this.book && bid !== undefined && ask !== undefined ? ask - bid : undefined;
  }

  /**
   * The price Polymarket displays: the midpoint when both sides exist and the spread is at most
   * $0.10 (exactly 0.10 → midpoint: the docs switch only when it is "wider"), rounded half-up to
   * micros (two 6-dp prices average to at most 7 dp); otherwise (wider, one-sided, empty or no
   * book) the last trade, or undefined when no trade is known: we never invent a price. A crossed
   * book still shows its midpoint.
   */
  displayPrice(): MicroInt | undefined {
    return displayedPrice(this.bids.bestPrice(), this.asks.bestPrice(), this.lastTradePrice);
  }

  /** Number of levels on one side (0 without a book). */
  depth(side: Side): number {
    return (side === "BUY" ? this.bids : this.asks).length;
  }

  /** A copy for readers: best level FIRST on each side, at most `depth` levels per side. */
  toQuote(source: BookQuote["source"], depth = Number.POSITIVE_INFINITY): BookQuote {
    return {
      tokenId: this.tokenId,
      bids: this.bids.toLevels(depth),
      asks: this.asks.toLevels(depth),
      tickSize: this.tickSize,
      lastTradePrice: this.lastTradePrice,
      updatedAt: this.updatedAt,
      source,
    };
  }

  private touch(timestamp: number): void {
    if (timestamp > this.updatedAt) this.updatedAt = timestamp;
  }
}
