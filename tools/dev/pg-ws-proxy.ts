// Dev tool: the WebSocket-to-TCP proxy Neon's driver speaks (ws://host/v2?address=pg:5432),
// so the Worker reaches a local Postgres through the same driver code path as on Neon.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from "ws";
import { nodeRequire } from "./node-require";

const { WebSocketServer } = nodeRequire("ws") as typeof import("ws");

export interface PgWsProxy {
  port: number;
  /** Open client connections (for tests and the dashboard). */
  connections(): number;
  /** Drops every open connection (fault injection: "Postgres went away"). */
  dropAll(): void;
  /** Drops everything and refuses new connections for `ms` (a database outage). */
  outage(ms: number): void;
  close(): Promise<void>;
}

export interface PgWsProxyOptions {
  port?: number;
  host?: string;
  /** host:port targets the proxy may open; anything else is refused. */
  allow: string[];
}

export async function startPgWsProxy(opts: PgWsProxyOptions): Promise<PgWsProxy> {
  // Plain HTTP on the same port carries a small control API: POST /_control/outage?ms=N.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST" && url.pathname === "/_control/outage") {
      const ms = Number(url.searchParams.get("ms") ?? "0");
      if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) {
        res.writeHead(400).end("ms must be 0..600000");
        return;
      }
      outage(ms);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, until: downUntil }));
      return;
    }
    res.writeHead(404).end();
  });
  const wss: WsServer = new WebSocketServer({ server });
  const allow = new Set(opts.allow);
  const live = new Set<{ ws: WsSocket; tcp: net.Socket }>();
  let downUntil = 0;
  const dropAll = () => {
    for (const p of [...live]) {
      p.tcp.destroy();
      p.ws.terminate();
    }
  };
  const outage = (ms: number) => {
    downUntil = Date.now() + ms;
    dropAll();
  };

  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://x").searchParams.get("address") ?? "";
    if (!allow.has(address)) {
      ws.close(1008, "address not allowed");
      return;
    }
    if (Date.now() < downUntil) {
      ws.terminate();
      return;
    }
    const [host, portText] = [address.slice(0, address.lastIndexOf(":")), address.slice(address.lastIndexOf(":") + 1)];
    const tcp = net.connect(Number(portText), host);
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    live.add(pair);
    const pending: Buffer[] = [];
    let open = false;
    tcp.on("connect", () => {
      open = true;
      for (const b of pending.splice(0)) tcp.write(b);
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (open) tcp.write(buf);
      else pending.push(buf);
    });
    tcp.on("data", (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const end = () => {
      live.delete(pair);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
    };
    tcp.on("close", end);
    tcp.on("error", end);
    ws.on("close", end);
    ws.on("error", end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections: () => live.size,
    dropAll,
    outage,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
