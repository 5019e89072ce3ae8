// Realistic market-channel traffic for benchmarks: two-outcome markets with deep books and
// current-schema price_change frames that carry both outcomes (a BUY on YES mirrored as a SELL on NO).

export interface SimMarket {
  condition: string;
  yes: string;
  no: string;
  /** Current best bid of YES in ticks of 0.001. */
  mid: number;
}

function tokenId(rand: () => number): string {
  let s = String(1 + Math.floor(rand() * 9));
  while (s.length < 77) s += Math.floor(rand() * 10);
  return s;
}

function hex(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rand() * 16)];
  return s;
}

export function makeMarkets(count: number, rand: () => number): SimMarket[] {
  return Array.from({ length: count }, () => ({ condition: `0x${hex(rand, 64)}`, yes: tokenId(rand), no: tokenId(rand), mid: 200 + Math.floor(rand() * 600) }));
}

const price = (ticks: number) => (ticks / 1000).toFixed(3);
const size = (rand: () => number) => (10 + Math.floor(rand() * 5000)).toFixed(2);

/** The initial dump for these markets: one JSON array of book snapshots (best level LAST). */
export function snapshotFrame(markets: readonly SimMarket[], rand: () => number, depth = 35): string {
  const books = markets.flatMap((m) => {
    const side = (asset: string, bidTop: number) => {
      const bids = Array.from({ length: depth }, (_, i) => ({ price: price(bidTop - depth + 1 + i), size: size(rand) }));
      const asks = Array.from({ length: depth }, (_, i) => ({ price: price(bidTop + 1 + depth - 1 - i + 1), size: size(rand) }));
      return { market: m.condition, asset_id: asset, timestamp: String(1766481546000), hash: hex(rand, 40), bids, asks, tick_size: "0.001", last_trade_price: price(bidTop), event_type: "book" };
    };
    return [side(m.yes, m.mid), side(m.no, 1000 - m.mid - 2)];
  });
  return JSON.stringify(books);
}

/** `n` price_change frames across the markets, each with both outcomes of one market. */
export function priceChangeFrames(markets: SimMarket[], n: number, rand: () => number): string[] {
  const out: string[] = [];
  let ts = 1766481546000;
  for (let i = 0; i < n; i++) {
    const m = markets[Math.floor(rand() * markets.length)]!;
    const step = Math.floor(rand() * 3) - 1;
    m.mid = Math.max(30, Math.min(960, m.mid + step));
    const p = m.mid - Math.floor(rand() * 5);
    const s = rand() < 0.15 ? "0" : size(rand);
    const bb = price(m.mid);
    const ba = price(m.mid + 2);
    out.push(
      JSON.stringify({
        market: m.condition,
        price_changes: [
          { asset_id: m.yes, price: price(p), size: s, side: "BUY", hash: hex(rand, 40), best_bid: bb, best_ask: ba },
          { asset_id: m.no, price: price(1000 - p), size: s, side: "SELL", hash: hex(rand, 40), best_bid: price(1000 - m.mid - 2), best_ask: price(1000 - m.mid) },
        ],
        timestamp: String((ts += 7)),
        event_type: "price_change",
      }),
    );
  }
  return out;
}
