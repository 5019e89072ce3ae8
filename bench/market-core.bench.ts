// Market-data core benchmark: frames/s of JSON.parse, parseMarketFrame and parse + book updates on realistic traffic; heap of 1,000 books.
// Run alone: npx tsx bench/market-core.bench.ts (or through bench/run.ts as benchMarketCore()).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { OrderBook } from "../workers/polymarket/order-book";
import type { Level } from "../workers/polymarket/types";
import { parseMarketFrame } from "../workers/polymarket/ws-messages";
import { MarketEventSchema } from "../workers/polymarket/ws-schemas";
import { fmt, interleavedRates, line } from "./stats";
import { prng } from "../test/support/prng";

const MARKETS = 500; // two outcome tokens each → 1,000 books
const FRAMES = 20_000;
const MEASURE_MS = 4_000; // per group of figures
const TICK = "0.01";

/** Seeded, so every run sends the same traffic. */
let rand = prng(0x5eed);
const int = (n: number) => Math.floor(rand() * n);
const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 + int(9) : int(10))).join("");
const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");
/** Decimal text of an integer count of hundredths, without float arithmetic ("0.07", "1234.50"). */
const hundredths = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`;
const randomSize = () => int(2_000_000); // in hundredths of a share: up to 20,000 shares, 2 decimals as on the wire

interface Market {
  id: string;
  yes: string;
  no: string;
  /** YES mid in cents; NO mirrors it at 100 − mid. */
  mid: number;
}

/** Prices in cents, sizes in hundredths of a share. */
interface WireLevel {
  cents: number;
  size: number;
}
const wire = (levels: WireLevel[]) => levels.map((l) => ({ price: hundredths(l.cents), size: hundredths(l.size) }));

/** A YES book 20–50 levels a side around the mid (fewer near 0 and 1), and the NO book that mirrors it (NO bid at 1 − YES ask). */
function bookFrames(m: Market, timestamp: number): string[] {
  const depth = 20 + int(31);
  const bids: WireLevel[] = [];
  const asks: WireLevel[] = [];
  for (let i = depth; i >= 1; i--) if (m.mid - i >= 1) bids.push({ cents: m.mid - i, size: randomSize() });
  for (let i = depth; i >= 1; i--) if (m.mid + i <= 99) asks.push({ cents: m.mid + i, size: randomSize() });
  const mirror = (levels: WireLevel[]) => levels.map((l) => ({ cents: 100 - l.cents, size: l.size })).reverse();
  const frame = (asset: string, b: WireLevel[], a: WireLevel[]) =>
    JSON.stringify({
      market: m.id,
      asset_id: asset,
      timestamp: String(timestamp),
      hash: hex(40),
      bids: wire(b),
      asks: wire(a),
      tick_size: TICK,
      event_type: "book",
      last_trade_price: hundredths(m.mid),
    });
  return [frame(m.yes, bids, asks), frame(m.no, mirror(asks), mirror(bids))];
}

/** One current-schema price_change as Polymarket sends it: a YES level and its NO mirror in one frame. */
function changeFrame(m: Market, books: Map<string, OrderBook>, timestamp: number): string {
  const yesSide = rand() < 0.5 ? "BUY" : "SELL";
  const cents = yesSide === "BUY" ? m.mid - int(6) : m.mid + 1 + int(6);
  const size = rand() < 0.2 ? 0 : randomSize();
  const legs = [
    { asset: m.yes, cents, side: yesSide },
    { asset: m.no, cents: 100 - cents, side: yesSide === "BUY" ? "SELL" : "BUY" },
  ] as const;
  const top = (l: Level | undefined) => (l ? hundredths(l.price / 10_000) : "");
  const priceChanges = legs.map((leg) => {
    // Keep a model book so best_bid/best_ask carry the values Polymarket would send.
    const book = books.get(leg.asset)!;
    book.applyChange(leg.side, leg.cents * 10_000, size * 10_000, timestamp);
    const [price, sz] = [hundredths(leg.cents), hundredths(size)];
    return { asset_id: leg.asset, price, size: sz, side: leg.side, hash: hex(40), best_bid: top(book.bestBid()), best_ask: top(book.bestAsk()) };
  });
  return JSON.stringify({ market: m.id, price_changes: priceChanges, timestamp: String(timestamp), event_type: "price_change" });
}

function loadBooks(frames: readonly string[]): Map<string, OrderBook> {
  const books = new Map<string, OrderBook>();
  for (const raw of frames) {
    for (const ev of parseMarketFrame(raw, 0).events) {
      if (ev.type !== "book") throw new Error("bench setup: expected a book");
      const book = new OrderBook(ev.assetId);
      book.applySnapshot(ev.bids, ev.asks, ev);
      books.set(ev.assetId, book);
    }
  }
  return books;
}

const T0 = 1_766_481_546_776;

/** Prints one line per figure: (a) JSON.parse, (b) parseMarketFrame, (c) + book updates, zod alone, heap of 1,000 books. */
export async function benchMarketCore(): Promise<void> {
  rand = prng(0x5eed);
  const markets: Market[] = Array.from({ length: MARKETS }, () => ({ id: `0x${hex(64)}`, yes: digits(77), no: digits(77), mid: 10 + int(80) }));
  const snapshotFrames = markets.flatMap((m) => bookFrames(m, T0));
  const generator = loadBooks(snapshotFrames);
  const frames = Array.from({ length: FRAMES }, (_, i) => changeFrame(markets[int(MARKETS)]!, generator, T0 + i));
  for (const f of frames.slice(0, 100)) {
    const p = parseMarketFrame(f, 0);
    if (p.dropped !== 0 || p.events.length !== 1) throw new Error(`bench setup: frame did not parse: ${JSON.stringify(p.errors)}`);
  }

  const books = loadBooks(snapshotFrames);
  let sink = 0;
  const avgBytes = frames.reduce((s, f) => s + f.length, 0) / frames.length;
  const traffic = `${books.size} books in ${MARKETS} markets, ${FRAMES} price_change frames (2 assets, ${avgBytes.toFixed(0)} bytes each on average)`;
  line("market core: traffic", traffic);

  const zodOnly = (jitless: boolean) => (raw: string) => {
    const r = MarketEventSchema.safeParse(JSON.parse(raw), { jitless });
    if (r.success) sink += { ...r.data, receivedAt: T0 }.timestamp;
  };
  const figures: Array<{ label: string; fn: (raw: string) => void }> = [
    { label: "(a) JSON.parse only", fn: (raw) => void (sink += (JSON.parse(raw) as { timestamp: string }).timestamp.length) },
    { label: "(b) parseMarketFrame", fn: (raw) => void (sink += parseMarketFrame(raw, T0).events.length) },
    {
      label: "(c) parseMarketFrame + book updates",
      fn: (raw) => {
        for (const ev of parseMarketFrame(raw, T0).events) {
          if (ev.type !== "price_change") continue;
          for (const ch of ev.changes) if (books.get(ch.assetId)?.applyChange(ch.side, ch.price, ch.size, ev.timestamp)) sink++;
        }
      },
    },
    // The zod definition alone, for comparison: with zod's JIT (Node) and without it (workerd forbids new Function).
    { label: "(z) JSON.parse + zod definition, JIT", fn: zodOnly(false) },
    { label: "(z) JSON.parse + zod definition, jitless", fn: zodOnly(true) },
  ];
  // Two groups, each with the floor: zod's garbage would otherwise slow the figures measured beside it.
  const rates = (group: typeof figures) => interleavedRates(frames, group.map((f) => f.fn), { measureMs: MEASURE_MS });
  const [floor, ...ours] = rates(figures.slice(0, 3));
  const [zodFloor, ...zod] = rates([figures[0]!, ...figures.slice(3)]);
  line(`market core: ${figures[0]!.label}`, `${fmt(floor!)} frames/s`);
  [...ours.map((r) => [r, floor!]), ...zod.map((r) => [r, zodFloor!])].forEach(([rate, base], k) => {
    line(`market core: ${figures[k + 1]!.label}`, `${fmt(rate!)} frames/s (${(base! / rate!).toFixed(2)}× the cost of JSON.parse)`);
  });
  line("market core: budget for (c)", "≥ 50,000 frames/s and ≤ 2.50× the cost of JSON.parse");

  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = loadBooks(snapshotFrames);
  gc();
  const after = process.memoryUsage().heapUsed;
  const levels = [...held.values()].reduce((s, bk) => s + bk.depth("BUY") + bk.depth("SELL"), 0);
  const perBook = (after - before) / held.size;
  const perBookText = `${fmt(perBook)} bytes per book of ${fmt(levels / held.size, 1)} levels, token id included`;
  line(`market core: heap of ${held.size} full books`, `${fmt((after - before) / 2 ** 20, 2)} MB (${perBookText})`);
  if (sink === 0) console.log("(unreachable: keeps the work observable)");
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMarketCore();
