// The streamer's TP/SL desk: arms triggers into the index and storage, runs the ones a move crosses
// (one run per fire, off the frame path), holds back a failed fire until its retry time, keeps recent
// fires and latencies for the operator.
import { log } from "../workers/lib/log";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "../workers/triggers/types";
import type { Metrics } from "./metrics";
import { RecentSamples } from "./metrics";
import type { StreamerCore } from "./streamer-core";
import type { StreamerSqlite } from "./streamer-sqlite";
import type { RecentFire } from "./streamer-status";
import { TouchLog } from "./touch-log";

/** A run that rejected (it should not: the runner re-arms every failure) is retried after this long. */
const RUN_FAILED_RETRY_MS = 5_000;
/**
 * Fires running at once; the others wait in order (worst-hit first, as the frame sorted them). Each
 * run holds Postgres connections from the object's small pool: an unbounded stampede would starve it
 * (every claim timing out) instead of selling the positions one after another.
 */
export const FIRES_AT_ONCE = 3;
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
  /** Default FIRES_AT_ONCE. */
  firesAtOnce?: number;
}

export class TriggerDesk {
  private readonly latencies = new RecentSamples(1_000);
  private readonly recent: RecentFire[] = [];
  /** Triggers armed through RPC: a reconcile must not drop one armed after its read. */
  private readonly armedAt = new TouchLog<number>();
  /** Failed fires waiting for their retry time, out of the index so they do not fire on every frame. */
  private readonly cooling = new Map<number, ArmedTrigger>();
  /** Fires waiting for a run slot, in arrival order. */
  private readonly queue: FiredTrigger[] = [];
  private running = 0;
  queuedPeak = 0;
  private readonly countFires;
  private readonly countLatency;

  constructor(private readonly d: DeskDeps) {
    this.countFires = d.metrics.counter("polycool_trigger_fires_total", "Trigger fires by outcome");
    this.countLatency = d.metrics.histogram("polycool_trigger_latency_ms", "Frame receipt to sell answer for fired triggers, ms");
  }

  get armed(): number {
    return this.d.core.triggers.size + this.cooling.size;
  }

  /** Triggers held back until their retry time. */
  get waiting(): number {
    return this.cooling.size;
  }

  /** Called every tick: failed fires whose retry time came go back into the index, and fire if still crossed. */
  tick(now: number): void {
    if (this.cooling.size === 0) return;
    const due = [...this.cooling.values()].filter((t) => (t.retryAt ?? 0) <= now);
    if (!due.length) return;
    for (const t of due) this.cooling.delete(t.id);
    this.d.core.arm(due);
    this.recheck(due.map((t) => t.tokenId));
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
    for (const id of ids) {
      this.d.core.triggers.remove(id);
      this.cooling.delete(id);
    }
    this.d.sqlite.deleteTriggers(ids);
  }

  /** A crossed trigger: sold off the frame path, at most FIRES_AT_ONCE at a time, in order. */
  fire(f: FiredTrigger): void {
    this.d.sqlite.deleteTriggers([f.trigger.id]);
    this.queue.push(f);
    this.queuedPeak = Math.max(this.queuedPeak, this.queue.length);
    this.drain();
  }

  /** Fires queued behind the run slots. */
  get queued(): number {
    return this.queue.length;
  }

  private drain(): void {
    while (this.running < (this.d.firesAtOnce ?? FIRES_AT_ONCE) && this.queue.length) {
      const f = this.queue.shift()!;
      this.running++;
      void this.d
        .run(f)
        .then((r) => this.note(r))
        .catch((err: Error) => {
          // Unexpected (the runner re-arms every failure itself): keep it armed, held back a few seconds.
          log.error("trigger_run_failed", { triggerId: f.trigger.id, error: err.message });
          this.rearm([{ ...f.trigger, retryAt: this.d.now() + RUN_FAILED_RETRY_MS }]);
        })
        .finally(() => {
          this.running--;
          this.drain();
        });
    }
  }

  /** Back into the index (or held back until retryAt) and the object's storage (no RPC arm time: a reconcile may replace them). */
  rearm(list: readonly ArmedTrigger[]): void {
    this.d.core.arm(this.holdBack(list));
    this.d.sqlite.saveTriggers(list);
  }

  /** The triggers free to fire now; the others wait in `cooling` (and leave the index). */
  private holdBack(list: readonly ArmedTrigger[]): ArmedTrigger[] {
    const now = this.d.now();
    const ready: ArmedTrigger[] = [];
    for (const t of list) {
      if (t.retryAt !== undefined && t.retryAt > now) {
        this.d.core.triggers.remove(t.id);
        this.cooling.set(t.id, t);
      } else {
        this.cooling.delete(t.id);
        ready.push(t);
      }
    }
    return ready;
  }

  /** Postgres (read at `readAt`) is the truth; a trailing stop's higher in-memory high water is kept. */
  reconcile(truth: readonly ArmedTrigger[], readAt: number): void {
    const index = this.d.core.triggers;
    const ids = new Set(truth.map((t) => t.id));
    for (const t of index.all()) if (!ids.has(t.id) && !this.armedAt.isNewer(t.id, readAt)) index.remove(t.id);
    for (const id of this.cooling.keys()) if (!ids.has(id) && !this.armedAt.isNewer(id, readAt)) this.cooling.delete(id);
    const merged = truth.map((t) => {
      const mine = index.get(t.id) ?? this.cooling.get(t.id);
      const retryAt = Math.max(t.retryAt ?? 0, mine?.retryAt ?? 0); // a later retry this object scheduled is kept
      const kept = retryAt > 0 ? { ...t, retryAt } : t;
      return mine?.highWater !== undefined && t.highWater !== undefined && mine.highWater > t.highWater ? { ...kept, highWater: mine.highWater } : kept;
    });
    this.d.core.arm(this.holdBack(merged));
    this.d.sqlite.replaceTriggers([...index.all(), ...this.cooling.values()]);
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
