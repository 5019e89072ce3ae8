// One market-channel WebSocket ("shard"): wire state, keep-alive PING, data-silence watchdog,
// reconnect (at once after a live connection dropped, backoff only on consecutive failures, on its own
// timer rather than the next tick). The Durable Object owns several; IO is injected so tests can drive it.
import { attemptAfterClose, delayForAttempt } from "./backoff";

/** Polymarket asks for a text PING every 10 s; idle connections are closed. */
export const PING_INTERVAL_MS = 10_000;
/** A socket that has not opened after this long is abandoned and retried. */
export const CONNECT_TIMEOUT_MS = 10_000;

export type ShardState = "idle" | "connecting" | "open" | "waiting";

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", fn: (ev: any) => void): void;
}

export interface ShardDeps {
  url: string;
  staleMs: number;
  now(): number;
  rand(): number;
  openSocket(url: string): SocketLike;
  /** Runs `fn` after `ms` (setTimeout in the object): the reconnect does not wait for the next tick. */
  later(fn: () => void, ms: number): void;
  onData(shard: number, text: string, receivedAt: number): void;
  onEvent(shard: number, event: ShardEvent): void;
  initialFrame(tokens: string[]): string;
  subscribeFrame(tokens: string[]): string;
  unsubscribeFrame(tokens: string[]): string;
}

export type ShardEvent =
  | { kind: "connecting"; attempt: number }
  | { kind: "connected"; tokens: number; ms: number }
  | { kind: "subscribed"; tokens: number }
  | { kind: "unsubscribed"; tokens: number }
  | { kind: "ping" }
  | { kind: "closed"; code: number; reason: string }
  | { kind: "reconnecting"; delayMs: number; attempt: number; why: string }
  | { kind: "stale"; silentMs: number };

export class ShardConnection {
  state: ShardState = "idle";
  /** Tokens the connection should carry; sent in full on every (re)connect. */
  readonly tokens = new Set<string>();
  attempt = 0;
  reconnects = 0;
  openedAt: number | undefined;
  connectStartedAt: number | undefined;
  lastDataAt: number | undefined;
  lastPongAt: number | undefined;
  lastPingAt = 0;
  nextAttemptAt = 0;
  /** A data frame arrived on the current socket (the subscription was served: the connection had been up). */
  private carriedData = false;
  /** Bumped on every scheduled retry so a superseded timer does nothing. */
  private retryGen = 0;
  private socket: SocketLike | undefined;

  constructor(readonly id: number, private readonly deps: ShardDeps) {}

  /** True while open and a data frame arrived recently (or the connection is young). */
  healthy(now: number): boolean {
    if (this.state !== "open") return false;
    const since = this.lastDataAt ?? this.openedAt ?? now;
    return now - since < this.deps.staleMs;
  }

  add(tokens: string[]): void {
    const fresh = tokens.filter((t) => !this.tokens.has(t));
    for (const t of fresh) this.tokens.add(t);
    if (fresh.length && this.state === "open") {
      this.send(this.deps.subscribeFrame(fresh));
      this.deps.onEvent(this.id, { kind: "subscribed", tokens: fresh.length });
    }
  }

  remove(tokens: string[]): void {
    const gone = tokens.filter((t) => this.tokens.delete(t));
    if (gone.length && this.state === "open") {
      this.send(this.deps.unsubscribeFrame(gone));
      this.deps.onEvent(this.id, { kind: "unsubscribed", tokens: gone.length });
    }
  }

  /** Periodic driver (every second from the object, and from the alarm): connect, ping, watchdog. */
  tick(now: number): void {
    if (this.tokens.size === 0) {
      if (this.state !== "idle") this.shutdown("no tokens");
      return;
    }
    if (this.state === "idle" || (this.state === "waiting" && now >= this.nextAttemptAt)) {
      this.connectNow(now);
      return;
    }
    if (this.state === "connecting" && now - (this.connectStartedAt ?? now) > CONNECT_TIMEOUT_MS) {
      this.drop(now, "connect timeout");
      return;
    }
    if (this.state !== "open") return;
    const silentMs = now - (this.lastDataAt ?? this.openedAt ?? now);
    if (silentMs >= this.deps.staleMs) {
      this.deps.onEvent(this.id, { kind: "stale", silentMs });
      this.drop(now, "no data frames");
      return;
    }
    if (now - this.lastPingAt >= PING_INTERVAL_MS) {
      this.lastPingAt = now;
      this.send("PING");
      this.deps.onEvent(this.id, { kind: "ping" });
    }
  }

  /** Operator-requested reconnect: drop now and reconnect at once. */
  reconnectNow(now: number): void {
    this.drop(now, "requested", 0);
  }

  shutdown(reason: string): void {
    this.retryGen++;
    this.detach()?.close(1000, reason);
    this.state = "idle";
    this.openedAt = undefined;
  }

  private connectNow(now: number): void {
    this.retryGen++; // a pending retry timer is superseded by this attempt
    this.state = "connecting";
    this.connectStartedAt = now;
    this.deps.onEvent(this.id, { kind: "connecting", attempt: this.attempt });
    let socket: SocketLike;
    try {
      socket = this.deps.openSocket(this.deps.url);
    } catch (err) {
      this.drop(now, `open failed: ${(err as Error).message}`);
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => this.socket === socket && this.onOpen());
    socket.addEventListener("message", (ev: { data: unknown }) => this.socket === socket && this.onMessage(ev.data));
    socket.addEventListener("close", (ev: { code?: number; reason?: string }) => this.socket === socket && this.onClose(ev.code ?? 1006, ev.reason ?? ""));
    socket.addEventListener("error", () => this.socket === socket && this.onClose(1006, "socket error"));
  }

  private onOpen(): void {
    const now = this.deps.now();
    this.state = "open";
    this.openedAt = now;
    this.carriedData = false;
    this.lastDataAt = undefined;
    this.lastPingAt = now;
    const all = [...this.tokens];
    this.send(this.deps.initialFrame(all));
    this.deps.onEvent(this.id, { kind: "connected", tokens: all.length, ms: now - (this.connectStartedAt ?? now) });
    this.deps.onEvent(this.id, { kind: "subscribed", tokens: all.length });
  }

  private onMessage(data: unknown): void {
    const now = this.deps.now();
    const text = typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
    if (text === "PONG") this.lastPongAt = now;
    else if (text !== "NO NEW ASSETS") {
      this.lastDataAt = now; // PONG alone does not prove a live feed
      this.carriedData = true;
    }
    this.deps.onData(this.id, text, now);
  }

  private onClose(code: number, reason: string): void {
    if (this.state === "idle") return;
    this.deps.onEvent(this.id, { kind: "closed", code, reason });
    this.drop(this.deps.now(), `closed ${code}`);
  }

  /** Closes the current socket (if any) and schedules the next attempt: at once after a live connection, backoff after failures. */
  private drop(now: number, why: string, forcedDelay?: number): void {
    const wasOpenAt = this.state === "open" ? this.openedAt : undefined;
    this.detach()?.close(4000, why.slice(0, 100));
    this.attempt = attemptAfterClose(this.attempt, wasOpenAt, now, this.carriedData);
    this.carriedData = false;
    const delayMs = forcedDelay ?? delayForAttempt(this.attempt, this.deps.rand());
    this.state = "waiting";
    this.openedAt = undefined;
    this.nextAttemptAt = now + delayMs;
    this.reconnects++;
    this.deps.onEvent(this.id, { kind: "reconnecting", delayMs, attempt: this.attempt, why });
    const gen = ++this.retryGen;
    this.deps.later(() => {
      if (gen !== this.retryGen || this.state !== "waiting" || this.tokens.size === 0) return;
      this.connectNow(this.deps.now());
    }, delayMs);
  }

  private detach(): SocketLike | undefined {
    const s = this.socket;
    this.socket = undefined;
    return s;
  }

  private send(text: string): void {
    try {
      this.socket?.send(text);
    } catch {
      this.drop(this.deps.now(), "send failed");
    }
  }
}
