// The streamer Durable Object: one manager of the Polymarket market channel. It keeps the wanted
// tokens (reference-counted, durable), their live books, the armed TP/SL triggers, and writes
// prices and P&L to Postgres. Pure parts live in the neighbouring modules; this class wires them.
import { DurableObject } from "cloudflare:workers";
import { sweepDueDeletions } from "../workers/bot/message-deletions";
import { notifyResolution, notifyTriggerFire } from "../workers/bot/notify-events";
import { createDb, type DbHandle } from "../workers/db/client";
import { type Settings, settingsOf } from "../workers/env";
import { errorText, log } from "../workers/lib/log";
import { applyResolution } from "../workers/markets/resolution";
import { ClobClient } from "../workers/polymarket/clob-client";
import type { BookQuote } from "../workers/polymarket/types";
import { initialSubscribe, subscribeMore, unsubscribe } from "../workers/polymarket/ws-outbound";
import { buildTradingDeps } from "../workers/trading/deps";
import type { TradingDeps } from "../workers/trading/ports";
import { type ArmedTriggerWire, loadArmedTriggers } from "../workers/triggers/store";
import { Metrics } from "./metrics";
import { Poller } from "./poller";
import { PriceFlusher } from "./price-flusher";
import { ShardConnection } from "./shard-connection";
import { logShardEvent } from "./shard-log";
import { ShardPlan } from "./shards";
import { StreamerCore } from "./streamer-core";
import { loadOpenPositions, loadTokenMeta } from "./streamer-db";
import { buildStatus, renderMetrics, type StreamerStatus } from "./streamer-status";
import { StreamerStorage } from "./streamer-storage";
import { SubscriptionIntent } from "./subscriptions";
import { TriggerDesk } from "./trigger-desk";
import type { RunnerDeps } from "./trigger-runner";

/** The in-memory driver runs this often; the alarm is the watchdog of last resort. */
const TICK_MS = 1_000;
/** The alarm fires at least this often while anything is wanted (keeps the object resident too). */
const WATCHDOG_MS = 30_000;
/** Intent is reconciled against Postgres this often (heals lost subscribe/unsubscribe calls). */
const RECONCILE_MS = 5 * 60_000;
/** A token still without a book this long after its shard opened is fetched over REST meanwhile. */
const NO_BOOK_GRACE_MS = 5_000;
/** Storage key of the next due message-deletion sweep (ms epoch). */
const SWEEP_KEY = "sweepAt";

export class Streamer extends DurableObject<Env> {
  private readonly settings: Settings;
  private readonly store: StreamerStorage;
  private readonly intent = new SubscriptionIntent();
  private readonly plan: ShardPlan;
  private readonly shards = new Map<number, ShardConnection>();
  private readonly core = new StreamerCore();
  private readonly metrics = new Metrics();
  private readonly poller: Poller;
  private readonly flusher: PriceFlusher;
  private readonly desk: TriggerDesk;
  private readonly startedAt = Date.now();
  private dbHandle: DbHandle | undefined;
  private clobClient: ClobClient | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastReconcileAt = 0;
  private reconciling: Promise<void> | undefined;
  /** When each ref was last wanted or released: a reconcile must not undo changes newer than its read. */
  private readonly refTouchedAt = new Map<string, number>();
  private readonly countReconnects = this.metrics.counter("polycool_reconnects_total", "Market channel reconnects");
  private readonly countParseErrors = this.metrics.counter("polycool_parse_errors_total", "Frames or elements that failed to parse");

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.settings = settingsOf(env);
    this.store = new StreamerStorage(ctx.storage.sql);
    this.plan = new ShardPlan(this.settings.STREAMER_SHARD_SIZE);
    this.poller = new Poller({
      intervalMs: this.settings.STREAMER_POLL_MS,
      metrics: this.metrics,
      fetchBooks: (tokens) => this.clob().getBooks(tokens),
      onBook: (quote, receivedAt) => this.onPolled(quote, receivedAt),
    });
    this.flusher = new PriceFlusher(this.core, this.metrics, () => this.db().db, this.settings.STREAMER_FLUSH_MS);
    this.desk = new TriggerDesk(this.core, this.store, this.metrics, () => this.runner());
    for (const [token, ref] of this.store.loadWants()) this.intent.want([token], ref);
    this.core.setMeta(this.store.loadMeta());
    this.core.arm(this.store.loadTriggers());
    log.info("streamer_starting", { tokens: this.intent.size, triggers: this.desk.armed, enabled: this.settings.STREAMER_ENABLED });
    this.applyPlan(this.intent.tokens(), []);
    if (this.intent.size > 0 || this.desk.armed > 0) this.wake();
  }

  // ---- RPC: subscriptions and books ----------------------------------------------------------

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
    return this.unwant(this.intent.tokens().filter((t) => this.intent.refs(t).includes(ref)), ref);
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
    const list = this.desk.arm(wires);
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

  async metricsText(): Promise<string> {
    return renderMetrics(this.metrics, this.statusInput(), this.intent.size);
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
    return { subscribed: this.intent.size, triggers: this.desk.armed };
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

  // ---- the driver ----------------------------------------------------------------------------

  private wake(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
    if (!this.lastReconcileAt && !this.reconciling) void this.reconcile();
    void this.scheduleAlarm();
    this.tick();
  }

  private tick(): void {
    const now = Date.now();
    if (this.settings.STREAMER_ENABLED) for (const shard of this.shards.values()) shard.tick(now);
    this.poller.tick(now, this.tokensToPoll(now));
    this.flusher.maybeFlush(now);
    if (this.intent.size === 0 && this.desk.armed === 0 && this.timer && this.core.dirtyCount === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One alarm, recomputed from stored state: the watchdog while anything is wanted, and any due sweep. */
  private async scheduleAlarm(): Promise<void> {
    const sweepAt = await this.ctx.storage.get<number>(SWEEP_KEY);
    const busy = this.intent.size > 0 || this.desk.armed > 0;
    if (!busy && sweepAt === undefined) return;
    const every = this.poller.active ? Math.min(WATCHDOG_MS, this.settings.STREAMER_POLL_MS) : WATCHDOG_MS;
    const next = Math.min(busy ? Date.now() + every : Infinity, sweepAt ?? Infinity);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }

  private async sweepIfDue(): Promise<void> {
    const due = await this.ctx.storage.get<number>(SWEEP_KEY);
    if (due === undefined || due > Date.now()) return;
    await this.ctx.storage.delete(SWEEP_KEY);
    try {
      const r = await sweepDueDeletions(this.settings, this.db().db, Date.now());
      if (r.deleted || r.failed) log.info("scheduled_deletions", r);
    } catch (err) {
      log.warn("scheduled_deletions_failed", { error: errorText(err) });
      await this.ctx.storage.put(SWEEP_KEY, Date.now() + WATCHDOG_MS);
    }
  }

  // ---- wire state ----------------------------------------------------------------------------

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
        log.warn("token_meta_failed", { error: errorText(err), tokens: unknown.length });
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
        onEvent: (sid, ev) => {
          if (ev.kind === "reconnecting") this.countReconnects();
          logShardEvent(sid, ev, this.settings.CLOB_WSS_URL);
        },
        initialFrame: initialSubscribe,
        subscribeFrame: subscribeMore,
        unsubscribeFrame: unsubscribe,
      });
      this.shards.set(id, shard);
    }
    return shard;
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

  // ---- events ----------------------------------------------------------------------------

  private onFrame(text: string, receivedAt: number): void {
    const r = this.core.ingest(text, receivedAt);
    if (r.dropped) {
      this.countParseErrors(r.dropped);
      log.warn("frame_dropped", { count: r.dropped, errors: r.errors.slice(0, 3) });
    }
    for (const f of r.fired) this.desk.fire(f);
    for (const ev of r.resolved) void this.onResolved(ev.id, ev.winningAssetId);
  }

  private onPolled(quote: BookQuote, receivedAt: number): void {
    for (const f of this.core.ingestPolled(quote, receivedAt)) this.desk.fire(f);
  }

  /** market_resolved from the stream (not always delivered: the cron also checks over REST). */
  private async onResolved(marketId: string, winningTokenId: string): Promise<void> {
    try {
      const trading = await this.tradingDeps();
      await applyResolution({ trading, clob: this.clob(), notify: (p) => notifyResolution(this.settings, trading.db, p) }, { marketId, winningTokenId });
      await this.reconcile();
    } catch (err) {
      log.warn("resolution_failed", { marketId, error: errorText(err) });
    }
  }

  /** Makes the "pos:" references and the triggers match Postgres. */
  private reconcile(): Promise<void> {
    this.reconciling ??= (async () => {
      const readAt = Date.now();
      try {
        const truth = await loadOpenPositions(this.db().db);
        await this.expand([...new Set([...truth.values()].flat())]);
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
        this.desk.reconcile(await loadArmedTriggers(this.db().db), readAt);
        this.lastReconcileAt = Date.now();
        log.info("reconciled", { added: change.added.length, removed: change.removed.length, total: this.intent.size, triggers: this.desk.armed });
        if (this.intent.size > 0) this.wake();
      } catch (err) {
        log.warn("reconcile_failed", { error: errorText(err) });
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  // ---- services ---------------------------------------------------------------------------

  private db(): DbHandle {
    return (this.dbHandle ??= createDb(this.settings, { max: 4, connectionTimeoutMillis: 3_000 }));
  }

  private clob(): ClobClient {
    return (this.clobClient ??= new ClobClient({ baseUrl: this.settings.CLOB_API_URL, timeoutMs: 5_000 }));
  }

  private runnerDeps: Promise<RunnerDeps> | undefined;

  private runner(): Promise<RunnerDeps> {
    this.runnerDeps ??= this.tradingDeps().then((trading) => ({
      db: this.db().db,
      trading,
      now: () => performance.now() + performance.timeOrigin,
      confirmBook: async (tokenId: string) => (await this.clob().getBooks([tokenId]))[0] ?? null,
      rearm: (list) => this.desk.rearm(list),
      pause: (positionId: number) => this.core.triggers.removePosition(positionId),
      notify: async (r) => void (await notifyTriggerFire(this.settings, this.db().db, r)),
    }));
    this.runnerDeps.catch(() => (this.runnerDeps = undefined));
    return this.runnerDeps;
  }

  /** Trading from inside the streamer: books from its own live state, subscriptions on itself. */
  private tradingDeps(): Promise<TradingDeps> {
    return buildTradingDeps({
      settings: this.settings,
      db: this.db().db,
      books: { getBook: async (tokenId) => this.core.quote(tokenId) ?? (await this.clob().getBooks([tokenId]))[0] ?? null },
      streamer: {
        positionOpened: async (tokenId, positionId) => void (await this.want([tokenId], `pos:${positionId}`)),
        positionClosed: async (_tokenId, positionId) => void (await this.release(`pos:${positionId}`)),
      },
    });
  }

  private statusInput() {
    const now = Date.now();
    return {
      now,
      startedAt: this.startedAt,
      enabled: this.settings.STREAMER_ENABLED,
      shards: [...this.shards.values()],
      subscriptions: this.intent.tokens(),
      core: this.core,
      poller: this.poller,
      flush: this.flusher.statusInput(now),
      metrics: this.metrics,
      lastReconcileAt: this.lastReconcileAt,
      fires: this.desk.statusInput(now),
    };
  }
}
