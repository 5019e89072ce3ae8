// The streamer's TP/SL desk: arms triggers into the index and storage, runs the ones a move crosses
// (one run per fire, off the frame path), keeps recent fires and latencies for the operator.
import { log } from "../workers/lib/log";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "../workers/triggers/types";
import type { Metrics } from "./metrics";
import { RecentSamples } from "./metrics";
import type { StreamerCore } from "./streamer-core";
import type { StreamerSqlite } from "./streamer-sqlite";
import type { RecentFire } from "./streamer-status";
import { TouchLog } from "./touch-log";

/** Recent fires kept for the dashboard. */
const RECENT_FIRES = 50;
const CHART_WINDOW_MS = 15 * 60_000;

export interface DeskDeps {
  core: StreamerCore;
  sqlite: StreamerSqlite;
  metrics: Metrics;
  now(): number;
  /** Sells a fired trigger (workers/triggers/runner.ts in production). */
  run(fired: FiredTrigger): Promise<FireRecord>;
}

export class TriggerDesk {
  private readonly latencies = new RecentSamples(1_000);
  private readonly recent: RecentFire[] = [];
  /** Triggers armed through RPC: a reconcile must not drop one armed after its read. */
  private readonly armedAt = new TouchLog<number>();
  private readonly countFires;
  private readonly countLatency;

  constructor(private readonly d: DeskDeps) {
    this.countFires = d.metrics.counter("polycool_trigger_fires_total", "Trigger fires by outcome");
    this.countLatency = d.metrics.histogram("polycool_trigger_latency_ms", "Frame receipt to sell answer for fired triggers, ms");
  }

  get armed(): number {
    return this.d.core.triggers.size;
  }

  /** Arms (or replaces) triggers; call recheck to fire those the current bid already crosses. */
  arm(list: readonly ArmedTrigger[]): void {
    const now = this.d.now();
    for (const t of list) this.armedAt.touch(t.id, now);
    this.rearm(list);
  }

  recheck(tokens: Iterable<string>): void {
    for (const token of new Set(tokens)) for (const f of this.d.core.recheck(token)) this.fire(f);
  }

  disarm(ids: readonly number[]): void {
    for (const id of ids) this.d.core.triggers.remove(id);
    this.d.sqlite.deleteTriggers(ids);
  }

  /** A crossed trigger: sold off the frame path. */
  fire(f: FiredTrigger): void {
    this.d.sqlite.deleteTriggers([f.trigger.id]);
    void this.d
      .run(f)
      .then((r) => this.note(r))
      .catch((err: Error) => {
        // Unexpected (e.g. the database is down before anything was sent): keep it armed for the next move.
        log.error("trigger_run_failed", { triggerId: f.trigger.id, error: err.message });
        this.rearm([f.trigger]);
      });
  }

  /** Back into the index and the object's storage (no RPC arm time: a reconcile may replace them). */
  rearm(list: readonly ArmedTrigger[]): void {
    this.d.core.arm(list);
    this.d.sqlite.saveTriggers(list);
  }

  /** Postgres (read at `readAt`) is the truth; a trailing stop's higher in-memory high water is kept. */
  reconcile(truth: readonly ArmedTrigger[], readAt: number): void {
    const index = this.d.core.triggers;
    const ids = new Set(truth.map((t) => t.id));
    for (const t of index.all()) if (!ids.has(t.id) && !this.armedAt.isNewer(t.id, readAt)) index.remove(t.id);
    const merged = truth.map((t) => {
      const mine = index.get(t.id);
      return mine?.highWater !== undefined && t.highWater !== undefined && mine.highWater > t.highWater ? { ...t, highWater: mine.highWater } : t;
    });
    this.d.core.arm(merged);
    this.d.sqlite.replaceTriggers(index.all());
    this.armedAt.settle(readAt);
  }

  private note(r: FireRecord): void {
    const now = this.d.now();
    this.countFires(1, { outcome: r.outcome });
    if (r.outcome !== "refused") {
      this.countLatency(r.latencyMs);
      this.latencies.add(now, r.latencyMs);
    }
    this.recent.unshift({
      at: new Date(now).toISOString(), triggerId: r.trigger.id, positionId: r.trigger.positionId, kind: r.trigger.kind,
      outcome: r.outcome, reason: r.reason, bid: r.bid, source: r.source, priceAgeMs: r.priceAgeMs, latencyMs: Math.round(r.latencyMs * 1000) / 1000,
    });
    this.recent.length = Math.min(this.recent.length, RECENT_FIRES);
  }

  statusInput(now: number) {
    return {
      recent: this.recent.slice(0, 20),
      latencyP50: this.latencies.quantile(0.5),
      latencyP99: this.latencies.quantile(0.99),
      series: this.latencies.since(now - CHART_WINDOW_MS),
    };
  }
}
