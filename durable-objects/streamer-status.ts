// The operator view of the streamer (GET /admin/streamer), built from live state.
import type { Metrics } from "./metrics";
import type { Poller } from "./poller";
import type { ShardConnection } from "./shard-connection";
import type { StreamerCore } from "./streamer-core";

export interface RecentFire {
  at: string;
  triggerId: number;
  positionId: number;
  kind: string;
  outcome: string;
  reason: string;
  bid: number;
  source: string;
  priceAgeMs: number;
  latencyMs: number;
}

export interface StatusInput {
  now: number;
  startedAt: number;
  starts: { count: number; recent: number[] };
  enabled: boolean;
  shards: ShardConnection[];
  subscriptions: string[];
  core: StreamerCore;
  poller: Poller;
  flusher: { statusInput(now: number): FlushStatus };
  metrics: Metrics;
  lastReconcileAt: number;
  desk: { statusInput(now: number): FireStatus; waiting: number; queued: number; queuedPeak: number };
  gate: { limit: number; active: number; waiting: number; peak: number; queuedPeak: number; total: number };
  crossCheck: { frozen: number; lastAt: number };
}

interface FlushStatus {
  failures: number;
  lastAt: number;
  pending: number;
  msP50: number | null;
  msP99: number | null;
  series: Array<[number, number]>;
}

interface FireStatus {
  recent: RecentFire[];
  latencyP50: number | undefined;
  latencyP99: number | undefined;
  series: Array<[number, number]>;
}

const iso = (t: number | undefined) => (t ? new Date(t).toISOString() : null);

export function buildStatus(s: StatusInput) {
  const flush = s.flusher.statusInput(s.now);
  const fires = s.desk.statusInput(s.now);
  const shards = s.shards.map((sh) => ({
    id: sh.id,
    state: sh.state,
    healthy: sh.healthy(s.now),
    tokens: sh.tokens.size,
    openedAt: iso(sh.openedAt),
    lastDataAt: iso(sh.lastDataAt),
    lastPongAt: iso(sh.lastPongAt),
    reconnects: sh.reconnects,
    attempt: sh.attempt,
    nextAttemptAt: sh.state === "waiting" ? iso(sh.nextAttemptAt) : null,
  }));
  return {
    enabled: s.enabled,
    connected: shards.length > 0 && shards.every((x) => x.state === "open"),
    healthy: shards.length > 0 && shards.every((x) => x.healthy),
    shards,
    subscriptions: s.subscriptions,
    subscribedCount: s.subscriptions.length,
    lastMessageAt: iso(s.core.lastMessageAt),
    lastMessageAgeMs: s.core.lastMessageAt === undefined ? null : s.now - s.core.lastMessageAt,
    reconnects: shards.reduce((n, x) => n + x.reconnects, 0),
    messages: Object.fromEntries(s.core.messages),
    frames: s.core.frames,
    parseErrors: s.core.parseErrors,
    flush: {
      ...flush,
      lastAt: iso(flush.lastAt),
      ok: s.metrics.value("polycool_flushes_total", { result: "ok" }),
      errors: s.metrics.value("polycool_flushes_total", { result: "error" }),
    },
    poll: { active: s.poller.active, requests: s.poller.requests, errors: s.poller.errors, lastAt: iso(s.poller.lastPollAt), lastTokens: s.poller.lastTokens },
    outbound: { limit: s.gate.limit, active: s.gate.active, waiting: s.gate.waiting, peak: s.gate.peak, queuedPeak: s.gate.queuedPeak, total: s.gate.total },
    crossCheck: { frozenTokens: s.crossCheck.frozen, lastAt: iso(s.crossCheck.lastAt) },
    triggers: { armed: s.core.triggers.size + s.desk.waiting, waitingRetry: s.desk.waiting, queued: s.desk.queued, queuedPeak: s.desk.queuedPeak, latencyMsP50: fires.latencyP50 ?? null, latencyMsP99: fires.latencyP99 ?? null, recentFires: fires.recent, latencySeries: fires.series },
    lastReconcileAt: iso(s.lastReconcileAt),
    startedAt: iso(s.startedAt),
    // Starts after the first: evictions, deploys and crashes (each rebuilds the object's memory from its storage).
    restarts: { count: Math.max(0, s.starts.count - 1), recent: s.starts.recent.map((t) => new Date(t).toISOString()) },
  };
}

export type StreamerStatus = ReturnType<typeof buildStatus>;

/** Prometheus text: the counters kept where things happen plus gauges read from live state. */
export function renderMetrics(metrics: Metrics, s: StatusInput, subscribed: number): string {
  const open = s.shards.filter((x) => x.state === "open").length;
  metrics.gauge("polycool_connected", "1 when every shard is open")(s.shards.length > 0 && open === s.shards.length ? 1 : 0);
  metrics.gauge("polycool_shards", "Market channel connections")(s.shards.length);
  metrics.gauge("polycool_subscribed_tokens", "Tokens wanted by open positions and triggers")(subscribed);
  metrics.gauge("polycool_armed_triggers", "Armed TP/SL triggers in the index")(s.core.triggers.size);
  metrics.gauge("polycool_last_message_age_seconds", "Seconds since the last market channel message (-1: none yet)")(
    s.core.lastMessageAt === undefined ? -1 : (s.now - s.core.lastMessageAt) / 1000,
  );
  metrics.gauge("polycool_pending_price_tokens", "Tokens with prices not yet flushed")(s.core.dirtyCount);
  metrics.gauge("polycool_polling", "1 while the polling fallback is active")(s.poller.active ? 1 : 0);
  metrics.gauge("polycool_outbound_active", "Outbound fetches waiting for headers now (limit 6)")(s.gate.active);
  metrics.gauge("polycool_outbound_peak", "Most outbound fetches ever waiting for headers at once")(s.gate.peak);
  metrics.gauge("polycool_outbound_queued", "Outbound fetches queued behind the connection gate")(s.gate.waiting);
  const messages = metrics.counterTotal("polycool_messages_total", "Market channel events by event_type");
  for (const [type, n] of s.core.messages) messages(n, { event_type: type });
  metrics.counterTotal("polycool_frames_total", "Market channel frames received")(s.core.frames);
  return metrics.render();
}
