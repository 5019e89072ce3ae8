// The streamer Durable Object: one manager of the Polymarket market channel. It keeps the wanted
// tokens (reference-counted, durable), their live books, the armed TP/SL triggers, and writes
// prices and P&L to Postgres. Pure parts live in the neighbouring modules; this class wires them.
import { DurableObject } from "cloudflare:workers";
import { createDb, type DbHandle } from "../workers/db/client";
import { type Settings, settingsOf } from "../workers/env";
import { log } from "../workers/lib/log";
import { ClobClient } from "../workers/polymarket/clob-client";
import type { BookQuote } from "../workers/polymarket/types";
import { initialSubscribe, subscribeMore, unsubscribe } from "../workers/polymarket/ws-outbound";
import { Metrics } from "./metrics";
import { writePrices } from "./price-flush";
import { ShardConnection, type ShardEvent } from "./shard-connection";
import { ShardPlan } from "./shards";
import { type FiredTrigger, StreamerCore } from "./streamer-core";
import { loadOpenPositions, loadTokenMeta } from "./streamer-db";
import { type FireRecord, runFiredTrigger, type RunnerDeps } from "./trigger-runner";
import type { ArmedTrigger } from "./trigger-index";
import { loadArmedTriggers, type ArmedTriggerWire } from "../workers/triggers/store";
import { buildTradingDeps } from "../workers/trading/deps";
import { applyResolution } from "../workers/markets/resolution";
import { sweepDueDeletions } from "../workers/bot/message-deletions";
import { notifyResolution, notifyTriggerFire } from "../workers/bot/notify-events";
import type { TradingDeps } from "../workers/trading/ports";
import { RecentSamples } from "./metrics";
import { StreamerStorage } from "./streamer-storage";
import { buildStatus, type RecentFire, type StreamerStatus } from "./streamer-status";
import { Poller } from "./poller";
import { SubscriptionIntent } from "./subscriptions";

/** The in-memory driver runs this often; the alarm is the watchdog of last resort. */
const TICK_MS = 1_000;
/** The alarm fires at least this often while anything is wanted (keeps the object resident too). */
const WATCHDOG_MS = 30_000;
/** Intent is reconciled against Postgres this often (heals lost subscribe/unsubscribe calls). */
const RECONCILE_MS = 5 * 60_000;
/** A token still without a book this long after its shard opened is fetched over REST meanwhile. */
const NO_BOOK_GRACE_MS = 5_000;
/** After a failed flush, wait at most this long before the next attempt. */
const FLUSH_RETRY_CAP_MS = 10_000;
/** Storage key of the next due message-deletion sweep (ms epoch). */
const SWEEP_KEY = "sweepAt";

export class Streamer extends DurableObject<Env> {
  private readonly settings: Settings;
  private readonly store: StreamerStorage;
  private readonly intent = new SubscriptionIntent();
  private readonly plan: ShardPlan;
  private readonly shards = new Map<number, ShardConnection>();
  readonly core = new StreamerCore();
  readonly metrics = new Metrics();
  private readonly poller: Poller;
  private dbHandle: DbHandle | undefined;
  private clob: ClobClient | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly startedAt = Date.now();
  private lastReconcileAt = 0;
  private reconciling: Promise<void> | undefined;
  /** When each ref was last wanted or released: a reconcile must not undo changes newer than its read. */
  private readonly refTouchedAt = new Map<string, number>();
  /** When each trigger was armed through RPC (a reconcile must not drop one armed after its read). */
  private readonly armedAt = new Map<number, number>();
  private flushing = false;
  private lastFlushAt = 0;
  private flushFailures = 0;
  private readonly count = {
    reconnects: this.metrics.counter("polycool_reconnects_total", "Market channel reconnects"),
    messages: this.metrics.counter("polycool_messages_total", "Market channel events by event_type"),
    parseErrors: this.metrics.counter("polycool_parse_errors_total", "Frames or elements that failed to parse"),
    flushes: this.metrics.counter("polycool_flushes_total", "Price flushes by result"),
    flushMs: this.metrics.histogram("polycool_flush_duration_ms", "Price flush duration in ms"),
    positionsUpdated: this.metrics.counter("polycool_position_updates_total", "Position rows updated by flushes"),
    fires: this.metrics.counter("polycool_trigger_fires_total", "Trigger fires by outcome"),
    fireLatency: this.metrics.histogram("polycool_trigger_latency_ms", "Frame receipt to sell answer for fired triggers, ms"),
  };
  /** Recent trigger latencies (ms) and fires, for the dashboard. */
  readonly fireLatencies = new RecentSamples(1_000);
  /** Recent flush durations (ms), for the dashboard. */
  readonly flushDurations = new RecentSamples(900);
  readonly recentFires: RecentFire[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.settings = settingsOf(env);
    this.store = new StreamerStorage(ctx.storage.sql);
    this.plan = new ShardPlan(this.settings.STREAMER_SHARD_SIZE);
    this.poller = new Poller({
      intervalMs: this.settings.STREAMER_POLL_MS,
      metrics: this.metrics,
      fetchBooks: (tokens) => this.fetchBooks(tokens),
      onBook: (quote, receivedAt) => this.onPolled(quote, receivedAt),
    });
    for (const [token, ref] of this.store.loadWants()) this.intent.want([token], ref);
    this.core.setMeta(this.store.loadMeta());
    this.core.arm(this.store.loadTriggers());
    log.info("streamer_starting", { tokens: this.intent.size, triggers: this.core.triggers.size, enabled: this.settings.STREAMER_ENABLED });
    this.applyPlan(this.intent.tokens(), []);
    if (this.intent.size > 0 || this.core.triggers.size > 0) this.wake();
  }

  // ---- RPC: subscriptions -------------------------------------------------------------------

  /** Adds `ref` as a holder of the tokens (and their markets' other tokens). Returns the wanted set size. */
  async want(tokens: string[], ref: string): Promise<{ subscribed: number }> {
    this.refTouchedAt.set(ref, Date.now());
    const expanded = await this.expand(tokens);
    const change = this.intent.want(expanded, ref);
    this.store.addWants(expanded, ref);
    this.applyPlan(change.added, []);
    this.wake();
    return { subscribed: this.intent.size };
  }

  async unwant(tokens: string[], ref: string): Promise<{ subscribed: number }> {
    this.refTouchedAt.set(ref, Date.now());
    const expanded = [...new Set(tokens.flatMap((t) => this.core.metaOf(t)?.marketTokens ?? [t]))];
    const change = this.intent.unwant(expanded, ref);
    this.store.removeWants(expanded, ref);
    this.applyPlan([], change.removed);
    return { subscribed: this.intent.size };
  }

  /** Drops every token `ref` holds (a position closed). */
  async release(ref: string): Promise<{ subscribed: number }> {
    const held = this.intent.tokens().filter((t) => this.intent.refs(t).includes(ref));
    return this.unwant(held, ref);
  }

  positionOpened(tokenId: string, positionId: number): Promise<{ subscribed: number }> {
    return this.want([tokenId], `pos:${positionId}`);
  }

  positionClosed(_tokenId: string, positionId: number): Promise<{ subscribed: number }> {
    return this.release(`pos:${positionId}`);
  }

  /** The live book of a token, or null when the streamer has none (the caller falls back to REST). */
  async quote(tokenId: string): Promise<(BookQuote & { receivedAt: number }) | null> {
    return this.core.quote(tokenId) ?? null;
  }

  /** Best bid now (micros), when the streamer has a book for the token. */
  async bestBid(tokenId: string): Promise<number | null> {
    return this.core.book(tokenId)?.bestBid()?.price ?? null;
  }

  // ---- RPC: triggers -----------------------------------------------------------------------

  /** Arms (or replaces) triggers; a level the current bid already crosses fires at once. */
  async armTriggers(wires: ArmedTriggerWire[]): Promise<{ armed: number }> {
    const list = wires.map(fromWire);
    for (const t of list) this.armedAt.set(t.id, Date.now());
    this.core.arm(list);
    this.store.saveTriggers(list);
    for (const t of list) await this.want([t.tokenId], `pos:${t.positionId}`);
    for (const token of new Set(list.map((t) => t.tokenId))) for (const f of this.core.recheck(token)) this.onFired(f);
    return { armed: this.core.triggers.size };
  }

  async disarmTriggers(ids: number[]): Promise<{ armed: number }> {
    for (const id of ids) this.core.triggers.remove(id);
    this.store.deleteTriggers(ids);
    return { armed: this.core.triggers.size };
  }

  // ---- RPC: operator -----------------------------------------------------------------------

  async status(): Promise<StreamerStatus> {
    return buildStatus(this.statusInput());
  }

  async metricsText(): Promise<string> {
    const now = Date.now();
    const st = this.statusInput();
    this.metrics.gauge("polycool_connected", "1 when every shard is open")(st.shards.length > 0 && st.shards.every((s) => s.state === "open") ? 1 : 0);
    this.metrics.gauge("polycool_shards", "Market channel connections")(st.shards.length);
    this.metrics.gauge("polycool_subscribed_tokens", "Tokens wanted by open positions and triggers")(this.intent.size);
    this.metrics.gauge("polycool_armed_triggers", "Armed TP/SL triggers in the index")(this.core.triggers.size);
    this.metrics.gauge("polycool_last_message_age_seconds", "Seconds since the last market channel message")(
      this.core.lastMessageAt === undefined ? -1 : (now - this.core.lastMessageAt) / 1000,
    );
    this.metrics.gauge("polycool_pending_price_tokens", "Tokens with prices not yet flushed")(this.core.dirtyCount);
    return this.metrics.render();
  }

  /** Drops and reopens every socket. */
  async reconnect(): Promise<{ shards: number }> {
    const now = Date.now();
    for (const shard of this.shards.values()) shard.reconnectNow(now);
    this.tick();
    return { shards: this.shards.size };
  }

  /** Reconciles intent and triggers against Postgres now (operators; normally every 5 minutes). */
  async reconcileNow(): Promise<{ subscribed: number; triggers: number }> {
    await this.reconciling; // one already reading may predate what the caller just wrote
    await this.reconcile();
    return { subscribed: this.intent.size, triggers: this.core.triggers.size };
  }

  /** Wakes the object at `at` (ms epoch) to run due message deletions (an exported key after 60 s). */
  async scheduleSweep(at: number): Promise<void> {
    const pending = await this.ctx.storage.get<number>(SWEEP_KEY);
    if (pending === undefined || at < pending) await this.ctx.storage.put(SWEEP_KEY, at);
    await this.scheduleAlarm();
  }

  /** Called by the cron trigger: makes sure the object is running and its alarm is set. */
  async kick(): Promise<{ subscribed: number }> {
    this.wake();
    if (Date.now() - this.lastReconcileAt > RECONCILE_MS) await this.reconcile();
    return { subscribed: this.intent.size };
  }

  override async alarm(): Promise<void> {
    this.tick();
    await this.sweepIfDue();
    if (Date.now() - this.lastReconcileAt > RECONCILE_MS) await this.reconcile();
    await this.scheduleAlarm();
  }

  private async sweepIfDue(): Promise<void> {
    const due = await this.ctx.storage.get<number>(SWEEP_KEY);
    if (due === undefined || due > Date.now()) return;
    await this.ctx.storage.delete(SWEEP_KEY);
    try {
      const r = await sweepDueDeletions(this.settings, this.db().db, Date.now());
      if (r.deleted || r.failed) log.info("scheduled_deletions", r);
    } catch (err) {
      log.warn("scheduled_deletions_failed", { error: (err as Error).message });
      await this.ctx.storage.put(SWEEP_KEY, Date.now() + WATCHDOG_MS);
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private wake(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
    if (!this.lastReconcileAt && !this.reconciling) void this.reconcile();
    void this.scheduleAlarm();
    this.tick();
  }

  /** One alarm, recomputed from stored state: the watchdog while anything is wanted, and any due sweep. */
  private async scheduleAlarm(): Promise<void> {
    const sweepAt = await this.ctx.storage.get<number>(SWEEP_KEY);
    const busy = this.intent.size > 0 || this.core.triggers.size > 0;
    if (!busy && sweepAt === undefined) return;
    const every = this.poller.active ? Math.min(WATCHDOG_MS, this.settings.STREAMER_POLL_MS) : WATCHDOG_MS;
    const next = Math.min(busy ? Date.now() + every : Infinity, sweepAt ?? Infinity);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }

  private db(): DbHandle {
    return (this.dbHandle ??= createDb(this.settings, { max: 4, connectionTimeoutMillis: 3_000 }));
  }

  /** A token's market siblings (both outcomes) so markets.outcome_prices stays complete. */
  private async expand(tokens: string[]): Promise<string[]> {
    const unknown = tokens.filter((t) => !this.core.metaOf(t));
    if (unknown.length) {
      try {
        const { metas, prices } = await loadTokenMeta(this.db().db, unknown);
        this.core.setMeta(metas, prices);
        this.store.saveMeta(metas);
        const mapped = new Set(metas.map((m) => m.tokenId));
        for (const t of unknown) if (!mapped.has(t)) log.warn("token_unmapped", { tokenId: t, hint: "not in market_tokens: run a market sync" });
      } catch (err) {
        log.warn("token_meta_failed", { error: (err as Error).message, tokens: unknown.length });
      }
    }
    return [...new Set(tokens.flatMap((t) => this.core.metaOf(t)?.marketTokens ?? [t]))];
  }

  /** Keeps the shards (wire state) in line with the intent. */
  private applyPlan(added: readonly string[], removed: readonly string[]): void {
    for (const [id, list] of this.plan.release(removed)) this.shards.get(id)?.remove(list);
    for (const t of removed) this.core.dropToken(t);
    for (const [id, list] of this.plan.assign(added)) this.shardFor(id).add(list);
    for (const [id, shard] of this.shards) {
      if (shard.tokens.size === 0) {
        shard.shutdown("no tokens");
        this.shards.delete(id);
      }
    }
    if (added.length) log.info("subscribed", { tokens: added.length, total: this.intent.size });
    if (removed.length) log.info("unsubscribed", { tokens: removed.length, total: this.intent.size });
  }

  private shardFor(id: number): ShardConnection {
    let shard = this.shards.get(id);
    if (!shard) {
      shard = new ShardConnection(id, {
        url: this.settings.CLOB_WSS_URL,
        staleMs: this.settings.STREAMER_STALE_MS,
        now: Date.now,
        rand: Math.random,
        openSocket: (url) => new WebSocket(url),
        onData: (_shard, text, at) => this.onFrame(text, at),
        onEvent: (sid, ev) => this.onShardEvent(sid, ev),
        initialFrame: initialSubscribe,
        subscribeFrame: subscribeMore,
        unsubscribeFrame: unsubscribe,
      });
      this.shards.set(id, shard);
    }
    return shard;
  }

  private tick(): void {
    const now = Date.now();
    if (this.settings.STREAMER_ENABLED) for (const shard of this.shards.values()) shard.tick(now);
    this.poller.tick(now, this.tokensToPoll(now));
    const wait = Math.min(FLUSH_RETRY_CAP_MS, this.settings.STREAMER_FLUSH_MS * 2 ** this.flushFailures);
    if (!this.flushing && this.core.dirtyCount > 0 && now - this.lastFlushAt >= wait) void this.flush();
    if (this.intent.size === 0 && this.core.triggers.size === 0 && this.timer && this.core.dirtyCount === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Tokens the stream does not cover now: on a down or stale shard, or still without a book. */
  private tokensToPoll(now: number): string[] {
    if (!this.settings.STREAMER_ENABLED) return this.intent.tokens();
    const out: string[] = [];
    for (const shard of this.shards.values()) {
      if (!shard.healthy(now)) out.push(...shard.tokens);
      else if (now - (shard.openedAt ?? now) > NO_BOOK_GRACE_MS) for (const t of shard.tokens) if (this.core.freshness(t) === undefined) out.push(t);
    }
    return out;
  }

  private onFrame(text: string, receivedAt: number): void {
    const r = this.core.ingest(text, receivedAt);
    if (r.dropped) {
      this.count.parseErrors(r.dropped);
      log.warn("frame_dropped", { count: r.dropped, errors: r.errors.slice(0, 3) });
    }
    for (const f of r.fired) this.onFired(f);
    for (const ev of r.resolved) void this.onResolved(ev.id, ev.winningAssetId);
  }

  /** market_resolved from the stream (not always delivered: the cron also checks over REST). */
  private async onResolved(marketId: string, winningTokenId: string): Promise<void> {
    try {
      const trading = await this.tradingDeps();
      this.clob ??= new ClobClient({ baseUrl: this.settings.CLOB_API_URL, timeoutMs: 5_000 });
      await applyResolution({ trading, clob: this.clob, notify: (p) => notifyResolution(this.settings, trading.db, p) }, { marketId, winningTokenId });
      await this.reconcile();
    } catch (err) {
      log.warn("resolution_failed", { marketId, error: (err as Error).message });
    }
  }

  private fetchBooks(tokens: string[]): Promise<BookQuote[]> {
    this.clob ??= new ClobClient({ baseUrl: this.settings.CLOB_API_URL, timeoutMs: 5_000 });
    return this.clob.getBooks(tokens);
  }

  private onPolled(quote: BookQuote, receivedAt: number): void {
    for (const f of this.core.ingestPolled(quote, receivedAt)) this.onFired(f);
  }

  private onFired(f: FiredTrigger): void {
    this.store.deleteTriggers([f.trigger.id]);
    void this.runner()
      .then((deps) => runFiredTrigger(deps, f))
      .then((r) => this.noteFire(r))
      .catch((err: Error) => {
        // Unexpected (e.g. the database is down before the claim): keep it armed and retry on the next move.
        log.error("trigger_run_failed", { triggerId: f.trigger.id, error: err.message });
        this.core.arm([f.trigger]);
        this.store.saveTriggers([f.trigger]);
      });
  }

  private noteFire(r: FireRecord): void {
    this.count.fires(1, { outcome: r.outcome });
    if (r.outcome !== "refused") {
      this.count.fireLatency(r.latencyMs);
      this.fireLatencies.add(Date.now(), r.latencyMs);
    }
    this.recentFires.unshift({
      at: new Date().toISOString(), triggerId: r.trigger.id, positionId: r.trigger.positionId, kind: r.trigger.kind,
      outcome: r.outcome, reason: r.reason, bid: r.bid, source: r.source, priceAgeMs: r.priceAgeMs, latencyMs: Math.round(r.latencyMs * 1000) / 1000,
    });
    this.recentFires.length = Math.min(this.recentFires.length, 50);
  }

  private runnerDeps: Promise<RunnerDeps> | undefined;

  private runner(): Promise<RunnerDeps> {
    this.runnerDeps ??= this.tradingDeps().then((trading) => ({
      db: this.db().db,
      trading,
      now: () => performance.now() + performance.timeOrigin,
      confirmBook: async (tokenId) => (await this.fetchBooks([tokenId]))[0] ?? null,
      rearm: (list) => {
        this.core.arm(list);
        this.store.saveTriggers(list);
      },
      pause: (positionId: number) => this.core.triggers.removePosition(positionId),
      notify: async (r: FireRecord) => void (await notifyTriggerFire(this.settings, this.db().db, r)),
    }));
    this.runnerDeps.catch(() => (this.runnerDeps = undefined));
    return this.runnerDeps;
  }

  /** Trading from inside the streamer: books from its own live state, subscriptions on itself. */
  private tradingDeps(): Promise<TradingDeps> {
    return buildTradingDeps({
      settings: this.settings,
      db: this.db().db,
      books: { getBook: async (tokenId) => this.core.quote(tokenId) ?? (await this.fetchBooks([tokenId]))[0] ?? null },
      streamer: {
        positionOpened: async (tokenId, positionId) => void (await this.want([tokenId], `pos:${positionId}`)),
        positionClosed: async (_tokenId, positionId) => void (await this.release(`pos:${positionId}`)),
      },
    });
  }

  private onShardEvent(shard: number, ev: ShardEvent): void {
    switch (ev.kind) {
      case "connecting":
        log.info("ws_connecting", { shard, url: this.settings.CLOB_WSS_URL, attempt: ev.attempt });
        break;
      case "connected":
        log.info("ws_connected", { shard, tokens: ev.tokens, ms: ev.ms });
        break;
      case "subscribed":
        log.info("ws_subscribed", { shard, tokens: ev.tokens });
        break;
      case "unsubscribed":
        log.info("ws_unsubscribed", { shard, tokens: ev.tokens });
        break;
      case "ping":
        log.debug("ping_sent", { shard });
        break;
      case "closed":
        log.warn("ws_closed", { shard, code: ev.code, reason: ev.reason });
        break;
      case "reconnecting":
        this.count.reconnects();
        log.warn("ws_reconnecting", { shard, delayMs: ev.delayMs, attempt: ev.attempt, why: ev.why });
        break;
      case "stale":
        log.warn("ws_stale", { shard, silentMs: ev.silentMs });
        break;
    }
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const started = Date.now();
    const batch = this.core.takeFlush(started);
    try {
      const counts = await writePrices(this.db().db, batch.tokens, batch.markets);
      const ms = Date.now() - started;
      this.flushFailures = 0;
      this.count.flushes(1, { result: "ok" });
      this.count.flushMs(ms);
      this.flushDurations.add(Date.now(), ms);
      this.count.positionsUpdated(counts.positions);
      if (counts.markets) log.info("prices_updated", { markets: batch.markets.slice(0, 20).map((m) => m.id), count: counts.markets, positions: counts.positions, ms });
    } catch (err) {
      this.core.restoreDirty(batch.taken);
      this.flushFailures++;
      this.count.flushes(1, { result: "error" });
      log.warn("flush_failed", { error: (err as Error).message, tokens: batch.taken.length, failures: this.flushFailures });
    } finally {
      this.lastFlushAt = Date.now();
      this.flushing = false;
    }
  }

  /** Makes the "pos:" references match Postgres: heals a crash between a trade and its subscribe. */
  private reconcile(): Promise<void> {
    this.reconciling ??= (async () => {
      const readAt = Date.now();
      try {
        const truth = await loadOpenPositions(this.db().db);
        const tokens = [...new Set([...truth.values()].flat())];
        await this.expand(tokens);
        const expanded = new Map([...truth].map(([ref, ts]) => [ref, ts.flatMap((t) => this.core.metaOf(t)?.marketTokens ?? [t])]));
        // A ref wanted or released after the read is newer than the database's answer: keep it as is.
        for (const [ref, at] of this.refTouchedAt) {
          if (at < readAt) {
            this.refTouchedAt.delete(ref);
            continue;
          }
          const held = this.intent.tokens().filter((t) => this.intent.refs(t).includes(ref));
          if (held.length) expanded.set(ref, held);
          else expanded.delete(ref);
        }
        const change = this.intent.reconcile("pos:", expanded);
        this.store.replaceWants(this.intent.entries());
        this.applyPlan(change.added, change.removed);
        await this.reconcileTriggers(readAt);
        this.lastReconcileAt = Date.now();
        log.info("reconciled", { added: change.added.length, removed: change.removed.length, total: this.intent.size });
        if (this.intent.size > 0) this.wake();
      } catch (err) {
        log.warn("reconcile_failed", { error: (err as Error).message });
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  /** Armed triggers in Postgres are the truth; in-memory high waters of trailing stops are kept when higher. */
  private async reconcileTriggers(readAt: number): Promise<void> {
    const truth = (await loadArmedTriggers(this.db().db)).map(fromWire);
    const ids = new Set(truth.map((t) => t.id));
    for (const t of this.core.triggers.all()) if (!ids.has(t.id) && (this.armedAt.get(t.id) ?? 0) < readAt) this.core.triggers.remove(t.id);
    const merged = truth.map((t) => {
      const mine = this.core.triggers.get(t.id);
      return mine?.highWater !== undefined && t.highWater !== undefined && mine.highWater > t.highWater ? { ...t, highWater: mine.highWater } : t;
    });
    this.core.arm(merged);
    this.store.replaceTriggers(this.core.triggers.all());
  }

  private statusInput() {
    return {
      now: Date.now(),
      startedAt: this.startedAt,
      enabled: this.settings.STREAMER_ENABLED,
      shards: [...this.shards.values()],
      subscriptions: this.intent.tokens(),
      core: this.core,
      poller: this.poller,
      flush: {
        failures: this.flushFailures,
        lastAt: this.lastFlushAt,
        pending: this.core.dirtyCount,
        msP50: this.flushDurations.quantile(0.5, Date.now() - 15 * 60_000) ?? null,
        msP99: this.flushDurations.quantile(0.99, Date.now() - 15 * 60_000) ?? null,
        series: this.flushDurations.since(Date.now() - 15 * 60_000),
      },
      metrics: this.metrics,
      lastReconcileAt: this.lastReconcileAt,
      fires: { recent: this.recentFires.slice(0, 20), latencyP50: this.fireLatencies.quantile(0.5), latencyP99: this.fireLatencies.quantile(0.99), series: this.fireLatencies.since(Date.now() - 15 * 60_000) },
    };
  }
}

function fromWire(w: ArmedTriggerWire): ArmedTrigger {
  return { ...w };
}
