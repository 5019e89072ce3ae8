// The streamer's TP/SL desk: arms triggers into the index and storage, runs the ones a move crosses
// (one runner per fire, off the frame path), keeps recent fires and latencies for the operator.
import { log } from "../workers/lib/log";
import type { ArmedTriggerWire } from "../workers/triggers/store";
import type { Metrics } from "./metrics";
import { RecentSamples } from "./metrics";
import type { FiredTrigger, StreamerCore } from "./streamer-core";
import type { StreamerStorage } from "./streamer-storage";
import type { RecentFire } from "./streamer-status";
import type { ArmedTrigger } from "./trigger-index";
import { type FireRecord, runFiredTrigger, type RunnerDeps } from "./trigger-runner";

/** Recent fires kept for the dashboard. */
const RECENT_FIRES = 50;
const CHART_WINDOW_MS = 15 * 60_000;

export class TriggerDesk {
  private readonly latencies = new RecentSamples(1_000);
  private readonly recent: RecentFire[] = [];
  /** When each trigger was armed through RPC (a reconcile must not drop one armed after its read). */
  private readonly armedAt = new Map<number, number>();
  private readonly countFires;
  private readonly countLatency;

  constructor(
    private readonly core: StreamerCore,
    private readonly store: StreamerStorage,
    metrics: Metrics,
    private readonly runner: () => Promise<RunnerDeps>,
  ) {
    this.countFires = metrics.counter("polycool_trigger_fires_total", "Trigger fires by outcome");
    this.countLatency = metrics.histogram("polycool_trigger_latency_ms", "Frame receipt to sell answer for fired triggers, ms");
  }

  get armed(): number {
    return this.core.triggers.size;
  }

  /** Arms (or replaces) triggers and fires those the current bid already crosses. */
  arm(wires: readonly ArmedTriggerWire[]): ArmedTrigger[] {
    const list = wires.map((w) => ({ ...w }));
    for (const t of list) this.armedAt.set(t.id, Date.now());
    this.core.arm(list);
    this.store.saveTriggers(list);
    return list;
  }

  recheck(tokens: Iterable<string>): void {
    for (const token of new Set(tokens)) for (const f of this.core.recheck(token)) this.fire(f);
  }

  disarm(ids: readonly number[]): void {
    for (const id of ids) this.core.triggers.remove(id);
    this.store.deleteTriggers(ids);
  }

  /** A crossed trigger: sold through trading, off the frame path. */
  fire(f: FiredTrigger): void {
    this.store.deleteTriggers([f.trigger.id]);
    void this.runner()
      .then((deps) => runFiredTrigger(deps, f))
      .then((r) => this.note(r))
      .catch((err: Error) => {
        // Unexpected (e.g. the database is down before anything was sent): keep it armed for the next move.
        log.error("trigger_run_failed", { triggerId: f.trigger.id, error: err.message });
        this.core.arm([f.trigger]);
        this.store.saveTriggers([f.trigger]);
      });
  }

  rearm(list: ArmedTrigger[]): void {
    this.core.arm(list);
    this.store.saveTriggers(list);
  }

  /** Postgres is the truth; a trailing stop's higher in-memory high water is kept. */
  reconcile(truthWires: readonly ArmedTriggerWire[], readAt: number): void {
    const truth = truthWires.map((w) => ({ ...w }));
    const ids = new Set(truth.map((t) => t.id));
    for (const t of this.core.triggers.all()) if (!ids.has(t.id) && (this.armedAt.get(t.id) ?? 0) < readAt) this.core.triggers.remove(t.id);
    const merged = truth.map((t) => {
      const mine = this.core.triggers.get(t.id);
      return mine?.highWater !== undefined && t.highWater !== undefined && mine.highWater > t.highWater ? { ...t, highWater: mine.highWater } : t;
    });
    this.core.arm(merged);
    this.store.replaceTriggers(this.core.triggers.all());
    for (const [id, at] of this.armedAt) if (at < readAt) this.armedAt.delete(id);
  }

  private note(r: FireRecord): void {
    this.countFires(1, { outcome: r.outcome });
    if (r.outcome !== "refused") {
      this.countLatency(r.latencyMs);
      this.latencies.add(Date.now(), r.latencyMs);
    }
    this.recent.unshift({
      at: new Date().toISOString(), triggerId: r.trigger.id, positionId: r.trigger.positionId, kind: r.trigger.kind,
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
