// Makes the streamer's "pos:" references and armed triggers match Postgres: one read at a time
// (callers that arrive meanwhile share it), its time kept in the object's storage so an evicted
// object does not read again at once, and once per object start the fires a previous instance left
// mid-way re-armed first.
import { log } from "../workers/lib/log";
import { sweepFiredTriggers } from "../workers/triggers/retry-store";
import type { Db } from "../workers/db/client";
import { RECONCILED_AT_KEY, reconcileDue } from "./alarm-plan";
import type { Guards } from "./guard";
import { readTruth } from "./streamer-postgres";
import type { StreamerParts } from "./streamer-wiring";
import type { SubscriptionIntent } from "./subscriptions";

export interface ReconcilerDeps {
  db: () => Db;
  now: () => number;
  kv: DurableObjectStorage["kv"];
  guard: Guards;
  intent: SubscriptionIntent;
  directory: StreamerParts["directory"];
  sqlite: StreamerParts["sqlite"];
  desk: StreamerParts["desk"];
  /** Applies what the read added and removed to the shards. */
  applyPlan(added: readonly string[], removed: readonly string[]): void;
  /** Something is wanted after the read: the object must run. */
  wake(): void;
}

export class Reconciler {
  private running: Promise<void> | undefined;
  private swept = false;
  private readonly startedAt: number;
  lastAt: number;

  constructor(private readonly d: ReconcilerDeps) {
    this.startedAt = d.now();
    this.lastAt = d.kv.get<number>(RECONCILED_AT_KEY) ?? 0;
  }

  due(busy: boolean): boolean {
    return reconcileDue(this.d.now(), this.lastAt, busy);
  }

  get inProgress(): boolean {
    return this.running !== undefined;
  }

  /** A read now; a caller that just wrote waits for one already running (it may predate the write), then reads again. */
  async fresh(): Promise<void> {
    await this.running;
    await this.run();
  }

  run(): Promise<void> {
    this.running ??= this.d.guard.run("reconcile", () => this.read()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<void> {
    const d = this.d;
    if (!this.swept) {
      const ids = await sweepFiredTriggers(d.db(), new Date(this.startedAt));
      this.swept = true;
      log.info("triggers_swept", { rearmed: ids.length, at: "start" });
    }
    const truth = await readTruth(d.db(), d.now, d.directory);
    const change = d.intent.reconcile("pos:", truth.refs, truth.readAt);
    d.sqlite.replaceWants(d.intent.entries());
    d.applyPlan(change.added, change.removed);
    d.desk.reconcile(truth.triggers, truth.readAt);
    this.lastAt = d.now();
    d.kv.put(RECONCILED_AT_KEY, this.lastAt);
    log.info("reconciled", { added: change.added.length, removed: change.removed.length, total: d.intent.size, triggers: d.desk.armed });
    if (d.intent.size > 0) d.wake();
  }
}
