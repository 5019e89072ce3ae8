// The HTTP side of the local Polymarket: mounts (/gamma, /clob, /relayer, /rpc, /data, /api, /_control), fault switches, held answers, upgrades.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { HANG } from "./clob-trading";
import type { Faults } from "./faults";
import { CORS_HEADERS, fail, readBody, writeAnswer, type Answer, type Req, type Router } from "./http-util";
import type { WsHub } from "./ws-hub";

export const MOUNTS = ["/gamma", "/clob", "/relayer", "/rpc", "/data", "/api", "/_control"] as const;
export type Mount = (typeof MOUNTS)[number];
export const WS_PATH = "/ws/market";

function mountOf(path: string): { mount: Mount | undefined; sub: string } {
  for (const m of MOUNTS) if (path === m || path.startsWith(`${m}/`)) return { mount: m, sub: path.slice(m.length) || "/" };
  return { mount: undefined, sub: path };
}

export interface HttpDeps {
  routers: Record<Mount, Router[]>;
  faults: Faults;
  hub: WsHub;
  /** What GET / answers. */
  index: () => unknown;
  /** The venue's clock, for Req.arrivedAt. */
  now: () => number;
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** Routes one request; the control API is never subject to fault switches. */
async function dispatch(deps: HttpDeps, mount: Mount | undefined, r: Req): Promise<Answer> {
  if (!mount) return r.fullPath === "/" ? { status: 200, body: deps.index() } : fail(404, "not found");
  if (mount !== "/_control") {
    const f = deps.faults.take(["error", "rate-limit", "null-answer"], r.method, r.fullPath);
    if (f?.kind === "null-answer") return { status: 200, body: null };
    if (f?.kind === "rate-limit") return { status: 429, body: { error: "Too Many Requests" }, headers: { "retry-after": String(f.retryAfter ?? 1) } };
    if (f) return fail(f.status ?? 500, f.message ?? "Internal Server Error");
    const d = deps.faults.take(["delay"], r.method, r.fullPath);
    if (d) await sleep(d.ms ?? 0);
  }
  for (const router of deps.routers[mount]) {
    const m = router.match(r.method, r.path);
    if (m) return m.handler({ ...r, params: m.params });
  }
  return deps.routers[mount].some((x) => x.hasPath(r.path)) ? fail(405, "method not allowed") : fail(404, "not found");
}

/** Listens on 127.0.0.1 only. */
export async function listen(deps: HttpDeps, port: number): Promise<HttpServer> {
  const held = new Set<ServerResponse>();
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrivedAt = deps.now();
    try {
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS_HEADERS).end();
        return;
      }
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const { mount, sub } = mountOf(url.pathname);
      const body = await readBody(req);
      const r: Req = { method: req.method ?? "GET", path: sub, fullPath: url.pathname, query: url.searchParams, headers: req.headers, body, params: {}, arrivedAt };
      const answer = await dispatch(deps, mount, r);
      if (answer !== HANG) return writeAnswer(res, answer);
      held.add(res);
      res.on("close", () => held.delete(res));
    } catch (err) {
      writeAnswer(res, fail(err instanceof RangeError ? 400 : 500, (err as Error).message));
    }
  };
  const server = http.createServer((req, res) => void serve(req, res));
  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const f = path === WS_PATH ? deps.faults.take(["error", "rate-limit"], "GET", path) : undefined;
    if (path === WS_PATH && !f) return deps.hub.handleUpgrade(req, socket, head);
    const status = !f ? 404 : f.kind === "rate-limit" ? 429 : (f.status ?? 503);
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
