// One price read per market: every outcome's price from the same book snapshot (or the same listing
// row), with that read's source and time, so a screen never shows a live Yes beside a stale No (#23).
import type { Micros } from "../../money/micros";
import { displayedPrice } from "../../polymarket/order-book";
import type { PriceSource } from "./view-data";

const ONE = 1_000_000n;

/** One token's top of book as read at `at` (ms epoch) from `source`. */
export interface TokenTop {
  bestBid: Micros | null;
  bestAsk: Micros | null;
  lastTrade: Micros | null;
  source: PriceSource;
  at: number;
}

export interface OutcomePrices {
  /** The price Polymarket displays: the midpoint, or the last trade when the spread is wider than 10¢. */
  price: Micros | null;
  bestBid: Micros | null;
  bestAsk: Micros | null;
}

export interface PriceRead {
  outcomes: OutcomePrices[];
  source: PriceSource;
  /** When the read was taken (ms epoch); null when nothing says. */
  at: number | null;
}

/** The listing's prices (markets.outcome_prices) as one row, written at `at`. */
export interface ListingRow {
  prices: (Micros | null)[];
  source: PriceSource;
  at: number | null;
}

/** Polymarket's displayed price of a top of book (order-book.ts displayedPrice; prices fit in safe integers). */
export function displayPrice(bid: Micros | null, ask: Micros | null, last: Micros | null): Micros | null {
  const n = (v: Micros | null) => (v === null ? undefined : Number(v));
  const p = displayedPrice(n(bid), n(ask), n(last));
  return p === undefined ? null : BigInt(p);
}

function pricesOf(t: TokenTop): OutcomePrices {
  return { price: displayPrice(t.bestBid, t.bestAsk, t.lastTrade), bestBid: t.bestBid, bestAsk: t.bestAsk };
}

/**
 * The other outcome of a binary market from the same book: Polymarket keeps one book per market
 * (a bid for No at p is an ask for Yes at 1 − p, matched by minting and merging), so one read gives both.
 */
export function complement(o: OutcomePrices): OutcomePrices {
  const flip = (p: Micros | null) => (p === null ? null : ONE - p);
  return { price: flip(o.price), bestBid: flip(o.bestAsk), bestAsk: flip(o.bestBid) };
}

const known = (t: TokenTop | null | undefined): t is TokenTop => !!t && (t.bestBid !== null || t.bestAsk !== null || t.lastTrade !== null);

/**
 * Both outcomes from one read. A binary market uses its freshest book and derives the other outcome
 * from it; a market of more outcomes uses each token's book only when every one is known, and then
 * says the age of the oldest; otherwise (or when a Gamma listing is newer than every book) the listing row, as one.
 */
export function oneRead(tops: readonly (TokenTop | null)[], listing: ListingRow): PriceRead {
  const n = listing.prices.length;
  // A Gamma listing newer than every stored book wins: the streamer stopped following this market.
  const newest = Math.max(...tops.filter(known).map((t) => t.at));
  const listingWins = listing.source === "gamma" && listing.at !== null && listing.at > newest && listing.prices.some((p) => p !== null);
  if (listingWins) return asListing(listing);
  if (n === 2) {
    const candidates = [0, 1].filter((i) => known(tops[i]));
    if (candidates.length) {
      const i = candidates.reduce((a, b) => (tops[b]!.at > tops[a]!.at ? b : a));
      const top = tops[i]!;
      const own = pricesOf(top);
      return { outcomes: i === 0 ? [own, complement(own)] : [complement(own), own], source: top.source, at: top.at };
    }
  } else if (n > 0 && tops.length >= n && tops.slice(0, n).every(known)) {
    const all = tops.slice(0, n) as TokenTop[];
    const oldest = all.reduce((a, b) => (b.at < a.at ? b : a));
    return { outcomes: all.map(pricesOf), source: oldest.source, at: oldest.at };
  }
  return asListing(listing);
}

function asListing(listing: ListingRow): PriceRead {
  return { outcomes: listing.prices.map((price) => ({ price, bestBid: null, bestAsk: null })), source: listing.source, at: listing.at };
}
