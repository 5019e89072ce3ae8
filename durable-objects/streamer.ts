// The streamer Durable Object: the one manager of the Polymarket market channel. It wires runtime
// callbacks to the pure parts beside it (intent, shard plan, core, trigger desk) and the IO that
// streamer-wiring.ts builds; every callback the runtime calls is guarded (guard.ts).
import { DurableObject } from "cloudflare:workers";
import { log } from "../workers/lib/log";
import { type PlacementInfo, placementInfo } from "../workers/placement";
import type { BookQuote } from "../workers/polymarket/types";
import type { ArmedTrigger } from "../workers/triggers/types";
import { Activity } from "./activity";
import { nextAlarmAt } from "./alarm-plan";
import { Guards } from "./guard";
import { Metrics } from "./metrics";
import { tokensToPoll } from "./poll-plan";
import { StreamerCore } from "./streamer-core";
import { Reconciler } from "./reconciler";
import { worstHitFirst } from "../workers/triggers/exit-rule";
import { buildStatus, renderMetrics, type StreamerStatus } from "./streamer-status";
import { type StreamerParts, StreamerWiring } from "./streamer-wiring";
import { SubscriptionIntent } from "./subscriptions";

/** The in-memory driver runs this often; the alarm is the watchdog of last resort. */
const TICK_MS = 1_000;

export class Streamer extends DurableObject<Env> {
  private readonly w: StreamerWiring;
  private readonly now: () => number;
  private readonly sqlite: StreamerParts["sqlite"];
  private readonly metrics = new Metrics();
  private readonly guard = new Guards(this.metrics);
  private readonly intent = new SubscriptionIntent();
  private readonly shards: StreamerParts["shards"];
  private readonly core = new StreamerCore();
  private readonly directory: StreamerParts["directory"];
  private readonly poller: StreamerParts["poller"];
  private readonly flusher: StreamerParts["flusher"];
  private readonly desk: StreamerParts["desk"];
  private readonly housekeeping: StreamerParts["housekeeping"];
  private readonly crossCheck: StreamerParts["crossCheck"];
  private readonly startedAt: number;
  /** Every start of this object (evictions, deploys, crashes) as its storage counted them: the dashboard shows restarts. */
  private readonly starts: { count: number; recent: number[] };
  private readonly countParseErrors = this.metrics.counter("polycool_parse_errors_total", "Frames or elements that failed to parse");
  private readonly reconciler: Reconciler;
  private readonly activity: Activity;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.w = new StreamerWiring(env, {
      liveBook: (t) => this.core.quote(t) ?? null,
      subscriptions: { positionOpened: async (t, id) => void (await this.positionOpened(t, id)), positionClosed: async (t, id) => void (await this.positionClosed(t, id)) },
      rearm: (list) => this.desk.rearm(list),
      pause: (positionId) => this.core.triggers.removePosition(positionId),
      onFrame: this.guard.wrap("frame", (_shard: number, text: string, at: number) => this.onFrame(text, at)),
    });
    this.now = this.w.now;
    this.startedAt = this.now();
    ({ sqlite: this.sqlite, shards: this.shards, directory: this.directory, poller: this.poller, flusher: this.flusher, desk: this.desk, housekeeping: this.housekeeping, crossCheck: this.crossCheck } = this.w.parts(ctx.storage, this.core, this.metrics, this.guard));
    this.starts = this.sqlite.recordStart(this.startedAt);
    for (const [token, ref] of this.sqlite.loadWants()) this.intent.want([token], ref);
    this.core.setMeta(this.sqlite.loadMeta());
    this.desk.rearm(this.sqlite.loadTriggers()); // a failed fire waiting for its retry time stays held back
    this.activity = new Activity(ctx.storage.kv, this.now);
    const { intent, directory, sqlite, desk, guard } = this;
    const applyPlan = (added: readonly string[], removed: readonly string[]) => this.applyPlan(added, removed);
    this.reconciler = new Reconciler({ db: () => this.w.db(), now: this.now, kv: ctx.storage.kv, guard, intent, directory, sqlite, desk, applyPlan, wake: () => this.wake() });
    log.info("streamer_starting", { tokens: this.intent.size, triggers: this.desk.armed, enabled: this.w.settings.STREAMER_ENABLED });
    void placementInfo(this.w.settings); // logs `placement`: where Polymarket sees this object, and whether it may trade
    this.applyPlan(this.intent.tokens(), []);
    if (this.busy) this.wake();
  }

  // ---- RPC: subscriptions and books ----------------------------------------------------------

  /** Adds `ref` as a holder of the tokens (and their markets' other tokens). Returns the wanted set size. */
  async want(tokens: string[], ref: string): Promise<{ subscribed: number }> {
    const at = this.now();
    this.activity.touch();
    const expanded = await this.directory.expandLearning(tokens);
    const change = this.intent.want(expanded, ref, at);
    this.sqlite.addWants(expanded, ref);
    this.applyPlan(change.added, []);
    this.wake();
    return { subscribed: this.intent.size };
  }

  async unwant(tokens: string[], ref: string): Promise<{ subscribed: number }> {
    this.activity.touch();
    const expanded = this.directory.expand(tokens);
    const change = this.intent.unwant(expanded, ref, this.now());
    this.sqlite.removeWants(expanded, ref);
    this.applyPlan([], change.removed);
    return { subscribed: this.intent.size };
  }

  positionOpened(tokenId: string, positionId: number): Promise<{ subscribed: number }> {
    return this.want([tokenId], `pos:${positionId}`);
  }

  /** Drops every token the position held (its tokens need not be known). */
  async positionClosed(_tokenId: string, positionId: number): Promise<{ subscribed: number }> {
    const ref = `pos:${positionId}`;
    this.activity.touch();
    const change = this.intent.dropRef(ref, this.now());
    this.sqlite.removeRef(ref);
    this.applyPlan([], change.removed);
    return { subscribed: this.intent.size };
  }

  /** The live book of a token, or null when the streamer has none (the caller falls back to REST). */
  async quote(tokenId: string): Promise<(BookQuote & { receivedAt: number }) | null> {
    this.activity.touch();
    return this.core.quote(tokenId) ?? null;
  }

  /** Best bid now (micros), when the streamer has a book for the token. */
  async bestBid(tokenId: string): Promise<number | null> {
    return this.core.book(tokenId)?.bestBid()?.price ?? null;
  }

  // ---- RPC: triggers -----------------------------------------------------------------------

  /** Arms (or replaces) triggers; a level the current bid already crosses fires at once. */
  async armTriggers(list: ArmedTrigger[]): Promise<{ armed: number }> {
    this.activity.touch();
    this.desk.arm(list);
    for (const t of list) await this.want([t.tokenId], `pos:${t.positionId}`);
    this.desk.recheck(list.map((t) => t.tokenId));
    return { armed: this.desk.armed };
  }

  async disarmTriggers(ids: number[]): Promise<{ armed: number }> {
    this.desk.disarm(ids);
    return { armed: this.desk.armed };
  }

  // ---- RPC: operator and housekeeping -------------------------------------------------------

  async status(): Promise<StreamerStatus> {
    return buildStatus(this.statusInput());
  }

  /** Where Polymarket sees this object (it may run elsewhere than the Worker) and whether it may trade from there. */
  async placement(): Promise<PlacementInfo> {
    return placementInfo(this.w.settings);
  }

  async metricsText(): Promise<string> {
    return renderMetrics(this.metrics, this.statusInput(), this.intent.size);
  }

  /** Drops and reopens every socket. */
  async reconnect(): Promise<{ shards: number }> {
    this.shards.reconnectAll(this.now());
    this.tick();
    return { shards: this.shards.size };
  }

  /** Reconciles intent and triggers against Postgres now (operators; normally every 5 minutes). */
  async reconcileNow(): Promise<{ subscribed: number; triggers: number }> {
    await this.reconciler.fresh();
    return { subscribed: this.intent.size, triggers: this.desk.armed };
  }

  /** Wakes the object at `at` (ms epoch) to run due message deletions (an exported key after 60 s). */
  async scheduleSweep(at: number): Promise<void> {
    await this.housekeeping.schedule(at);
    await this.scheduleAlarm();
  }

  /**
   * Called by the cron trigger: makes sure the object is running and its alarm is set. Idle (nothing
   * wanted, nothing armed), it only keeps the slow alarm: no timer, no socket, no Postgres read
   * until the idle reconciliation is due. `idle` tells the cron it may leave Postgres alone too:
   * idle and no trading call for ACTIVITY_GRACE_MS (a buy in flight has no position yet).
   */
  async kick(): Promise<{ subscribed: number; triggers: number; idle: boolean }> {
    if (this.busy) this.wake();
    else await this.scheduleAlarm();
    if (this.reconciler.due(this.busy)) await this.reconciler.run();
    return { subscribed: this.intent.size, triggers: this.desk.armed, idle: this.activity.cronMayRest(this.busy) };
  }

  override async alarm(): Promise<void> {
    await this.guard.run("alarm", async () => {
      this.tick();
      await this.housekeeping.runIfDue();
      if (this.reconciler.due(this.busy)) await this.reconciler.run();
    });
    await this.guard.run("alarm_schedule", () => this.scheduleAlarm());
  }

  // ---- runtime callbacks ----------------------------------------------------------------------

  private readonly tick = this.guard.wrap("tick", () => {
    const now = this.now();
    if (this.w.settings.STREAMER_ENABLED) this.shards.tick(now);
    this.desk.tick(now);
    if (this.w.settings.STREAMER_ENABLED) this.crossCheck.tick(now);
    this.poller.tick(now, tokensToPoll({ streaming: this.w.settings.STREAMER_ENABLED, wanted: () => this.intent.tokens(), shards: this.shards.all(), hasBook: (t) => this.core.freshness(t) !== undefined, now }));
    void this.flusher.maybeFlush(now);
    if (!this.busy && this.timer && this.core.dirtyCount === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  });

  private onFrame(text: string, receivedAt: number): void {
    const r = this.core.ingest(text, receivedAt);
    if (r.dropped) {
      this.countParseErrors(r.dropped);
      log.warn("frame_dropped", { count: r.dropped, errors: r.errors.slice(0, 3) });
    }
    for (const f of r.fired.length > 1 ? worstHitFirst(r.fired) : r.fired) this.desk.fire(f);
    for (const ev of r.resolved) void this.guard.run("resolution", () => this.onResolved(ev.id, ev.winningAssetId));
  }

  /** market_resolved from the stream (not always delivered: the cron also checks over REST). */
  private async onResolved(marketId: string, winningTokenId: string): Promise<void> {
    await this.w.resolve(marketId, winningTokenId);
    await this.reconciler.run();
  }

  // ---- wiring state ------------------------------------------------------------------------------

  /** Nothing wanted and nothing armed: no socket, no polling, no flush, the slow alarm. */
  private get busy(): boolean {
    return this.intent.size > 0 || this.desk.armed > 0;
  }

  private wake(): void {
    this.timer ??= setInterval(this.tick, TICK_MS);
    if (this.reconciler.due(true) && !this.reconciler.inProgress) void this.reconciler.run();
    void this.guard.run("alarm_schedule", () => this.scheduleAlarm());
    this.tick();
  }

  /** One alarm, recomputed from stored state: the watchdog while anything is wanted, and any due sweep. */
  private async scheduleAlarm(): Promise<void> {
    const next = nextAlarmAt({
      now: this.now(),
      busy: this.busy,
      polling: this.poller.active,
      pollMs: this.w.settings.STREAMER_POLL_MS,
      sweepAt: await this.housekeeping.dueAt(),
      current: await this.ctx.storage.getAlarm(),
    });
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** Keeps the shards (wire state) in line with the intent. */
  private applyPlan(added: readonly string[], removed: readonly string[]): void {
    for (const t of removed) this.core.dropToken(t);
    this.shards.apply(added, removed, this.intent.size);
  }

  private statusInput() {
    const { shards, core, poller, flusher, desk, metrics, startedAt, starts, crossCheck } = this;
    return { now: this.now(), enabled: this.w.settings.STREAMER_ENABLED, shards: shards.all(), subscriptions: this.intent.tokens(), core, poller, flusher, desk, metrics, startedAt, starts, lastReconcileAt: this.reconciler.lastAt, gate: this.w.gate, crossCheck };
  }
}
