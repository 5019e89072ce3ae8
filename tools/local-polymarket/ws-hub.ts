// The market channel (/ws/market) of the local Polymarket: subscriptions, PING/PONG, fan-out and socket faults.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from "ws";
import { nodeRequire } from "../dev/node-require";
import type { Exchange } from "./exchange";
import { bookFrame } from "./frames";
import { garbageFrame } from "./garbage";

const { WebSocketServer } = nodeRequire("ws") as typeof import("ws");

/** Above this many assets on one connection the real server sends no snapshot for the excess (polymarket.md §1.7). */
export const SNAPSHOT_ASSET_LIMIT = 500;

export interface InboundFrame {
  at: number;
  text: string;
}

export interface ConnectionInfo {
  id: number;
  assetIds: string[];
  custom: boolean;
  stalled: boolean;
  openedAt: number;
  inbound: InboundFrame[];
  /** Events sent on this connection by event_type (published frames, each event of an array counted), for exact accounting in tests. */
  sent: Record<string, number>;
}

interface Conn {
  id: number;
  ws: WsSocket;
  assets: Set<string>;
  custom: boolean;
  initialized: boolean;
  stalledUntil: number;
  openedAt: number;
  inbound: InboundFrame[];
  sent: Record<string, number>;
}

export interface WsHubOptions {
  exchange: () => Exchange;
  now: () => number;
  /** Interval of the "NO NEW ASSETS" text to custom-feature clients; 0 disables it. */
  noNewAssetsMs: number;
}

export class WsHub {
  private readonly wss: WsServer = new WebSocketServer({ noServer: true });
  private readonly conns = new Map<number, Conn>();
  private nextId = 1;
  private globalStallUntil = 0;
  private readonly noNewAssets: NodeJS.Timeout | undefined;

  constructor(private readonly opts: WsHubOptions) {
    if (opts.noNewAssetsMs > 0) {
      this.noNewAssets = setInterval(() => this.sendToAll("NO NEW ASSETS", (c) => c.custom && c.initialized), opts.noNewAssetsMs);
      this.noNewAssets.unref();
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WsSocket): void {
    const conn: Conn = { id: this.nextId++, ws, assets: new Set(), custom: false, initialized: false, stalledUntil: 0, openedAt: this.opts.now(), inbound: [], sent: {} };
    this.conns.set(conn.id, conn);
    ws.on("message", (data, isBinary) => this.onMessage(conn, isBinary ? `<binary ${(data as Buffer).length} bytes>` : String(data)));
    ws.on("close", () => this.conns.delete(conn.id));
    ws.on("error", () => this.conns.delete(conn.id));
  }

  private stalled(c: Conn): boolean {
    const now = this.opts.now();
    return c.stalledUntil > now || this.globalStallUntil > now;
  }

  private send(c: Conn, text: string): boolean {
    if (c.ws.readyState !== c.ws.OPEN || this.stalled(c)) return false;
    c.ws.send(text);
    return true;
  }

  private onMessage(c: Conn, text: string): void {
    c.inbound.push({ at: this.opts.now(), text });
    // Keep-alive is answered even while stalled: the real silent freeze keeps PONG going (polymarket.md §8).
    if (text === "PING") {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send("PONG");
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return;
    const m = msg as Record<string, unknown>;
    const ids = Array.isArray(m.assets_ids) ? m.assets_ids.filter((x): x is string => typeof x === "string") : [];
    if (m.custom_feature_enabled === true) c.custom = true;
    const op = typeof m.operation === "string" ? m.operation.toLowerCase() : undefined;
    if (op === "unsubscribe") {
      for (const id of ids) c.assets.delete(id);
      return;
    }
    const isInitial = typeof m.type === "string" && m.type.toLowerCase() === "market";
    if (op !== "subscribe" && !isInitial) return;
    c.initialized = true;
    this.subscribe(c, ids, m.initial_dump !== false);
  }

  private subscribe(c: Conn, ids: string[], dump: boolean): void {
    const ex = this.opts.exchange();
    const books: unknown[] = [];
    for (const id of ids) {
      if (c.assets.has(id)) continue;
      const position = c.assets.size;
      c.assets.add(id);
      const ref = ex.token(id);
      // Unknown ids are silently ignored; beyond the limit the asset gets updates but no snapshot.
      if (!ref || !dump || position >= SNAPSHOT_ASSET_LIMIT || ref.market.closed) continue;
      books.push(bookFrame(ex.bookState(ref), true));
    }
    if (books.length > 0) this.send(c, JSON.stringify(books));
  }

  /** Sends to every connection subscribed to one of `assetIds` (customOnly: custom_feature_enabled ones only). */
  publish(assetIds: string[], payload: unknown, opts?: { customOnly?: boolean }): void {
    let text: string | undefined;
    const types = (Array.isArray(payload) ? payload : [payload])
      .map((p) => (typeof p === "object" && p !== null ? (p as { event_type?: unknown }).event_type : undefined))
      .filter((t): t is string => typeof t === "string");
    for (const c of this.conns.values()) {
      if (opts?.customOnly && !c.custom) continue;
      if (!assetIds.some((id) => c.assets.has(id))) continue;
      text ??= typeof payload === "string" ? payload : JSON.stringify(payload);
      if (this.send(c, text)) for (const t of types) c.sent[t] = (c.sent[t] ?? 0) + 1;
    }
  }

  /** Sends raw text or a frame to every open connection (not stalled). */
  emit(payload: unknown): void {
    this.sendToAll(typeof payload === "string" ? payload : JSON.stringify(payload), () => true);
  }

  private sendToAll(text: string, which: (c: Conn) => boolean): void {
    for (const c of this.conns.values()) if (which(c)) this.send(c, text);
  }

  /** Closes every socket now: abruptly (no close frame, like a network loss) unless a close code is given. */
  drop(code?: number): number {
    const n = this.conns.size;
    for (const c of this.conns.values()) {
      if (code === undefined) c.ws.terminate();
      else c.ws.close(code, "local-polymarket drop");
    }
    this.conns.clear();
    return n;
  }

  /**
   * Silent freeze: PING still gets PONG but no data flows, on every connection (also new ones), for
   * `ms` or until unstall(). With a connection id, only that connection.
   */
  stall(ms?: number, connectionId?: number): void {
    const until = ms === undefined ? Number.POSITIVE_INFINITY : this.opts.now() + ms;
    if (connectionId === undefined) this.globalStallUntil = until;
    else {
      const c = this.conns.get(connectionId);
      if (c) c.stalledUntil = until;
    }
  }

  unstall(): void {
    this.globalStallUntil = 0;
    for (const c of this.conns.values()) c.stalledUntil = 0;
  }

  /** Sends `count` malformed frames (truncated JSON, wrong types, unknown events, huge frames) to every connection. */
  garbage(count: number): void {
    for (let i = 0; i < count; i++) this.emit(garbageFrame(i));
  }

  /** Token ids at least one connection is subscribed to. */
  subscribedAssets(): Set<string> {
    const all = new Set<string>();
    for (const c of this.conns.values()) for (const id of c.assets) all.add(id);
    return all;
  }

  connections(): ConnectionInfo[] {
    return [...this.conns.values()].map((c) => ({
      id: c.id,
      assetIds: [...c.assets],
      custom: c.custom,
      stalled: this.stalled(c),
      openedAt: c.openedAt,
      inbound: [...c.inbound],
      sent: { ...c.sent },
    }));
  }

  /** Forgets recorded inbound frames and stall state (reset()); connections stay open. */
  resetState(): void {
    this.unstall();
    for (const c of this.conns.values()) c.inbound.length = 0;
  }

  async close(): Promise<void> {
    if (this.noNewAssets) clearInterval(this.noNewAssets);
    this.drop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
