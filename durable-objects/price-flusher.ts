// Debounced price writes for the streamer: at most one flush in flight, retried with backoff when
// Postgres fails (the latest prices are written once it answers; the stream is never blocked).
import { errorText, log } from "../workers/lib/log";
import { type Metrics, RecentSamples } from "./metrics";
import type { FlushCounts, MarketPriceRow, TokenPriceRow } from "./price-statement";
import type { StreamerCore } from "./streamer-core";

/** After a failed flush, wait at most this long before the next attempt. */
const FLUSH_RETRY_CAP_MS = 10_000;
const WINDOW_MS = 15 * 60_000;

export interface FlusherDeps {
  core: StreamerCore;
  metrics: Metrics;
  /** One statement for the whole batch (price-statement.ts's writePrices in production). */
  write(tokens: TokenPriceRow[], markets: MarketPriceRow[]): Promise<FlushCounts>;
  everyMs: number;
  now(): number;
}

export class PriceFlusher {
  private flushing = false;
  private lastAt = 0;
  private failures = 0;
  private readonly durations = new RecentSamples(900);
  private readonly countFlushes;
  private readonly countMs;
  private readonly countPositions;

  constructor(private readonly d: FlusherDeps) {
    this.countFlushes = d.metrics.counter("polycool_flushes_total", "Price flushes by result");
    this.countMs = d.metrics.histogram("polycool_flush_duration_ms", "Price flush duration in ms");
    this.countPositions = d.metrics.counter("polycool_position_updates_total", "Position rows updated by flushes");
  }

  /** Flushes when prices changed and the debounce (or the retry backoff) has elapsed; resolves when that flush ends. */
  maybeFlush(now: number): Promise<void> {
    const wait = Math.min(FLUSH_RETRY_CAP_MS, this.d.everyMs * 2 ** this.failures);
    if (this.flushing || this.d.core.dirtyCount === 0 || now - this.lastAt < wait) return Promise.resolve();
    return this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const started = this.d.now();
    const batch = this.d.core.takeFlush(started);
    try {
      const counts = await this.d.write(batch.tokens, batch.markets);
      const ms = this.d.now() - started;
      this.failures = 0;
      this.countFlushes(1, { result: "ok" });
      this.countMs(ms);
      this.durations.add(this.d.now(), ms);
      this.countPositions(counts.positions);
      if (counts.markets) log.info("prices_updated", { markets: batch.markets.slice(0, 20).map((m) => m.id), count: counts.markets, positions: counts.positions, ms });
    } catch (err) {
      this.d.core.restoreDirty(batch.taken);
      this.failures++;
      this.countFlushes(1, { result: "error" });
      log.warn("flush_failed", { error: errorText(err), tokens: batch.taken.length, failures: this.failures });
    } finally {
      this.lastAt = this.d.now();
      this.flushing = false;
    }
  }

  statusInput(now: number) {
    return {
      failures: this.failures,
      lastAt: this.lastAt,
      pending: this.d.core.dirtyCount,
      msP50: this.durations.quantile(0.5, now - WINDOW_MS) ?? null,
      msP99: this.durations.quantile(0.99, now - WINDOW_MS) ?? null,
      series: this.durations.since(now - WINDOW_MS),
    };
  }
}
