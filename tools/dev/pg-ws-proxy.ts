// Dev tool: the WebSocket-to-TCP proxy Neon's driver speaks (ws://host/v2?address=pg:5432),
// so the Worker reaches a local Postgres through the same driver code path as on Neon.
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
  close(): Promise<void>;
}

export interface PgWsProxyOptions {
  port?: number;
  host?: string;
  /** host:port targets the proxy may open; anything else is refused. */
  allow: string[];
}

export async function startPgWsProxy(opts: PgWsProxyOptions): Promise<PgWsProxy> {
  const wss: WsServer = new WebSocketServer({ port: opts.port ?? 0, host: opts.host ?? "127.0.0.1" });
  const allow = new Set(opts.allow);
  const live = new Set<{ ws: WsSocket; tcp: net.Socket }>();

  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://x").searchParams.get("address") ?? "";
    if (!allow.has(address)) {
      ws.close(1008, "address not allowed");
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
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    port,
    connections: () => live.size,
    dropAll: () => {
      for (const p of [...live]) {
        p.tcp.destroy();
        p.ws.terminate();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of [...live]) {
          p.tcp.destroy();
          p.ws.terminate();
        }
        wss.close(() => resolve());
      }),
  };
}
