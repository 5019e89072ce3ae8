// Benchmark: the streamer's core on realistic price_change traffic with 1,000 subscribed tokens,
// against a bare JSON.parse of the same frames (the floor); memory of 1,000 full books.
import { StreamerCore } from "../durable-objects/streamer-core";
import { fmt, interleavedRates, line } from "./stats";
import { prng } from "../test/support/prng";
import { makeMarkets, priceChangeFrames, snapshotFrame } from "./traffic";

const MEASURE_MS = 4_000;

export async function benchStreamerCore(): Promise<{ framesPerSec: number; ratio: number; heapMb: number }> {
  const rand = prng(42);
  const markets = makeMarkets(500, rand);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const core = new StreamerCore();
  core.setMeta(markets.flatMap((m) => [
    { tokenId: m.yes, marketId: m.condition, outcomeIndex: 0, marketTokens: [m.yes, m.no] },
    { tokenId: m.no, marketId: m.condition, outcomeIndex: 1, marketTokens: [m.yes, m.no] },
  ]));
  core.ingest(snapshotFrame(markets, rand), Date.now());
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const frames = priceChangeFrames(markets, 20_000, rand);
  let now = Date.now();
  // The floor and the core alternate every 1,000 frames, under the same conditions (see stats.ts).
  const [parsePerSec, corePerSec] = interleavedRates(frames, [(f) => JSON.parse(f), (f) => void core.ingest(f, now++)], { measureMs: MEASURE_MS }) as [number, number];
  const ratio = parsePerSec / corePerSec;
  line("streamer core: JSON.parse only (floor)", `${fmt(parsePerSec)} frames/s`);
  line("streamer core: parse + books + trigger check (1,000 tokens)", `${fmt(corePerSec)} frames/s`);
  line("streamer core: cost ratio to JSON.parse (target <= 2.5)", fmt(ratio, 2));
  line("streamer core: heap for 1,000 full books (35 levels a side)", `${fmt(heapMb, 1)} MB${gc ? "" : " (approx.: run node with --expose-gc)"}`);
  if (core.parseErrors) throw new Error(`bench traffic did not parse: ${core.parseErrors} errors`);
  return { framesPerSec: corePerSec, ratio, heapMb };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStreamerCore();
