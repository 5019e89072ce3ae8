// The streamer's composition root: settings, the clock, and the IO it needs (Postgres, the CLOB,
// trading, notifications, sockets), each built once per object. The class only wires callbacks.
import { createDb, type Db, type DbHandle } from "../workers/db/client";
import { type Settings, settingsOf } from "../workers/env";
import { applyResolution } from "../workers/markets/resolution";
import { sweepHousekeeping } from "../workers/security/housekeeping";
import { notifyResolution, notifyTriggerFire } from "../workers/notify/events";
import { type ClobClient, clobClientFor } from "../workers/polymarket/clob-client";
import type { BookQuote } from "../workers/polymarket/types";
import { initialSubscribe, subscribeMore, unsubscribe } from "../workers/polymarket/ws-outbound";
import { buildTradingDeps } from "../workers/trading/deps";
import type { SubscriptionSink, TradingDeps } from "../workers/trading/ports";
import { runFiredTrigger } from "../workers/triggers/runner";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "../workers/triggers/types";
import type { Guards } from "./guard";
import { CrossCheck } from "./cross-check";
import { Housekeeping } from "./housekeeping";
import { OutboundGate } from "./outbound-gate";
import { botWidePacedFetch } from "../workers/telegram/pacing";
import type { Metrics } from "./metrics";
import { Poller } from "./poller";
import { PriceFlusher } from "./price-flusher";
import { writePrices } from "./price-statement";
import { ShardConnection, type ShardEvent } from "./shard-connection";
import { ShardPool } from "./shard-pool";
import { logShardEvent } from "./shard-log";
import { log } from "../workers/lib/log";
import { worstHitFirst } from "../workers/triggers/exit-rule";
import type { StreamerCore } from "./streamer-core";
import { loadTokenMeta } from "./streamer-postgres";
import { StreamerSqlite } from "./streamer-sqlite";
import { TokenDirectory } from "./token-directory";
import { TriggerDesk } from "./trigger-desk";

/** Pool size of the object's Postgres handle: flushes, claims and fires share it. */
const DB_POOL_MAX = 4;
const DB_CONNECT_TIMEOUT_MS = 3_000;

/** What the wiring asks of the object: its live books, its own subscriptions, and its trigger index. */
export interface StreamerHooks {
  liveBook(tokenId: string): BookQuote | null;
  subscriptions: SubscriptionSink;
  rearm(triggers: ArmedTrigger[]): void;
  pause(positionId: number): ArmedTrigger[];
  onFrame(shard: number, text: string, receivedAt: number): void;
}

/** The streamer's stateful parts, each given its IO by the wiring. */
export interface StreamerParts {
  sqlite: StreamerSqlite;
  shards: ShardPool;
  directory: TokenDirectory;
  poller: Poller;
  flusher: PriceFlusher;
  desk: TriggerDesk;
  housekeeping: Housekeeping;
  crossCheck: CrossCheck;
}

export class StreamerWiring {
  readonly settings: Settings;
  readonly now: () => number = Date.now;
  readonly clob: ClobClient;
  /** Every fetch the object makes waits here for one of Cloudflare's six outbound slots. */
  readonly gate = new OutboundGate();
  /** Bot API sends: paced bot-wide (Telegram's ~30 messages/s), then through the gate. */
  private readonly telegramFetch = botWidePacedFetch(this.gate.fetch as typeof fetch);
  private handle: DbHandle | undefined;
  private trading: Promise<TradingDeps> | undefined;

  constructor(env: Env, private readonly hooks: StreamerHooks) {
    this.settings = settingsOf(env);
    this.clob = clobClientFor(this.settings.CLOB_API_URL, this.now, this.gate.fetch);
  }

  /** Postgres, connected on first use. */
  db(): Db {
    return (this.handle ??= createDb(this.settings, { max: DB_POOL_MAX, connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS })).db;
  }

  /** Trading from inside the streamer: books from its own live state (REST otherwise), subscriptions on itself. */
  tradingDeps(): Promise<TradingDeps> {
    this.trading ??= buildTradingDeps({
      settings: this.settings,
      db: this.db(),
      clob: this.clob,
      now: this.now,
      books: { getBook: async (tokenId) => this.hooks.liveBook(tokenId) ?? (await this.restBook(tokenId)) },
      streamer: this.hooks.subscriptions,
    });
    this.trading.catch(() => (this.trading = undefined)); // a failed keyring import is retried on the next use
    return this.trading;
  }

  restBook(tokenId: string): Promise<BookQuote | null> {
    return this.clob.getBooks([tokenId]).then((books) => books[0] ?? null);
  }

  /** Sells a fired trigger through trading, tells the trader. */
  runFire(fired: FiredTrigger): Promise<FireRecord> {
    return runFiredTrigger(
      {
        db: this.db(),
        trading: () => this.tradingDeps(),
        now: () => performance.now() + performance.timeOrigin,
        confirmBook: (tokenId) => this.restBook(tokenId),
        rearm: (list) => this.hooks.rearm(list),
        pause: (positionId) => this.hooks.pause(positionId),
        notify: async (r) => void (await notifyTriggerFire(this.settings, this.db(), r, { fetcher: this.telegramFetch })),
        jumpConfirmBps: this.settings.TRIGGER_JUMP_CONFIRM_BPS,
      },
      fired,
    );
  }

  /** Settles a market the stream reported resolved and tells its holders. */
  async resolve(marketId: string, winningTokenId: string): Promise<void> {
    const trading = await this.tradingDeps();
    await applyResolution({ trading, clob: this.clob, notify: (p) => notifyResolution(this.settings, trading.db, p, { fetcher: this.telegramFetch }) }, { marketId, winningTokenId });
  }

  /** Due message deletions and security actions (housekeeping.ts calls it from the alarm). */
  sweep(now: number): Promise<{ report: Record<string, number>; nextAt: number | null }> {
    return sweepHousekeeping({ db: this.db(), settings: this.settings }, now);
  }

  parts(storage: DurableObjectStorage, core: StreamerCore, metrics: Metrics, guard: Guards): StreamerParts {
    const { settings, now } = this;
    const sqlite = new StreamerSqlite(storage.sql);
    this.countReconnects = metrics.counter("polycool_reconnects_total", "Market channel reconnects");
    const shards = new ShardPool(settings.STREAMER_SHARD_SIZE, (id) => this.openShard(id, guard));
    const desk = new TriggerDesk({ core, sqlite, metrics, now, run: (f) => this.runFire(f) });
    // A polled book is a price like any other: triggers it crosses fire, worst-hit first.
    const onPolled = (quote: BookQuote, at: number) => {
      for (const f of worstHitFirst(core.ingestPolled(quote, at))) desk.fire(f);
    };
    // A frozen shard: its REST books are acted on now (as polled prices), and the shard reconnects.
    const onFrozen = (books: BookQuote[], at: number) => {
      const frozen = new Set(books.map((b) => shards.shardOf(b.tokenId)).filter((x) => x !== undefined));
      for (const b of books) onPolled(b, at);
      for (const shard of frozen) {
        log.warn("ws_frozen_reconnect", { shard: shard.id, tokens: books.length });
        shard.reconnectNow(now());
      }
    };
    return {
      sqlite,
      shards,
      desk,
      directory: new TokenDirectory(core, sqlite, (tokens) => loadTokenMeta(this.db(), tokens)),
      poller: new Poller({ intervalMs: settings.STREAMER_POLL_MS, metrics, now, fetchBooks: (t) => this.clob.getBooks(t), onBook: guard.wrap("polled_book", onPolled) }),
      flusher: new PriceFlusher({ core, metrics, write: (t, m) => writePrices(this.db(), t, m), everyMs: settings.STREAMER_FLUSH_MS, now }),
      housekeeping: new Housekeeping(storage, (at) => this.sweep(at), now),
      crossCheck: new CrossCheck({
        intervalMs: settings.STREAMER_CROSSCHECK_MS, metrics, now,
        // Tokens with armed triggers on healthy shards: a silent unhealthy shard is the poller's already.
        armedTokens: () => core.triggers.tokens().filter((t) => shards.shardOf(t)?.healthy(now())),
        fetchBooks: (t) => this.clob.getBooks(t), streamTop: (t) => core.top(t), onFrozen: guard.wrap("frozen_books", onFrozen),
      }),
    };
  }

  private countReconnects: () => void = () => undefined;

  /** A socket's lifecycle event: counted and logged (guarded: see openShard). */
  onShardEvent(shard: number, ev: ShardEvent): void {
    if (ev.kind === "reconnecting") this.countReconnects();
    logShardEvent(shard, ev, this.settings.CLOB_WSS_URL);
  }

  private openShard(id: number, guard: Guards): ShardConnection {
    const retry = guard.wrap("shard_retry", (fn: () => void) => fn());
    return new ShardConnection(id, {
      url: this.settings.CLOB_WSS_URL,
      staleMs: this.settings.STREAMER_STALE_MS,
      now: this.now,
      rand: Math.random,
      openSocket: (url) => new WebSocket(url),
      later: (fn, ms) => void setTimeout(() => retry(fn), ms),
      onData: (shard, text, at) => this.hooks.onFrame(shard, text, at),
      onEvent: guard.wrap("shard_event", (shard: number, ev: ShardEvent) => this.onShardEvent(shard, ev)),
      initialFrame: initialSubscribe,
      subscribeFrame: subscribeMore,
      unsubscribeFrame: unsubscribe,
    });
  }
}
