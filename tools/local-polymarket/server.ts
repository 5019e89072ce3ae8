// The local Polymarket: one HTTP server on 127.0.0.1 serving Gamma, CLOB REST, the market WebSocket and a control API.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiKeys, DepositWallets } from "./auth";
import { clobPublicRouter } from "./clob-public";
import { clobTradingRouter, HANG } from "./clob-trading";
import { controlRouter } from "./control";
import { Exchange } from "./exchange";
import { Faults } from "./faults";
import { gammaRouter } from "./gamma";
import { fail, readBody, writeAnswer, type Answer, type Req, type Router } from "./http-util";
import { Ledger, type Balances } from "./ledger";
import { sweepResting, type FlowContext } from "./order-flow";
import { createRng } from "./rng";
import { Scenarios, type ScenarioKind } from "./scenario";
import { buildSeed } from "./seed";
import { WsHub } from "./ws-hub";
import { makeHandle, type LocalPolymarket } from "./handle";

export type { LocalPolymarket } from "./handle";

export interface LocalPolymarketOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Same seed → same markets, books and feed choices. Default "polycool". */
  seed?: string | number;
  /** Procedural markets added to the catalogue (1,700+ for sync tests). Default 0. */
  marketCount?: number;
  /** Scenario running from the start (and after reset()). Default "quiet". */
  scenario?: ScenarioKind;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
  /** How long Gamma outcomePrices may lag the book (ms). Default 1000. */
  gammaLagMs?: number;
  /** Accepted skew of POLY_TIMESTAMP for L1/L2 auth (s). Default 120. */
  authWindowSeconds?: number;
  /** Period of "NO NEW ASSETS" to custom-feature clients (ms); 0 disables. Default 20000. */
  noNewAssetsMs?: number;
  /** Balances of addresses never set explicitly. Default 1,000,000 pUSD and 1,000,000 shares per token. */
  balances?: Partial<Balances>;
}

const DEFAULT_BALANCES: Balances = { pusd: "1000000", shares: "1000000" };

const MOUNTS = ["/gamma", "/clob", "/_control"] as const;

function mountOf(path: string): { mount: (typeof MOUNTS)[number] | undefined; sub: string } {
  for (const m of MOUNTS) if (path === m || path.startsWith(`${m}/`)) return { mount: m, sub: path.slice(m.length) || "/" };
  return { mount: undefined, sub: path };
}

export async function startLocalPolymarket(opts: LocalPolymarketOptions = {}): Promise<LocalPolymarket> {
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? "polycool";
  const wallets = new DepositWallets();
  const keys = new ApiKeys({ serverSecret: `local-polymarket:${seed}`, now, windowSeconds: opts.authWindowSeconds ?? 120, wallets });
  const faults = new Faults(now);
  const ledger = new Ledger({ ...DEFAULT_BALANCES, ...opts.balances });
  let ex: Exchange;
  const exchange = () => ex;
  const hub = new WsHub({ exchange, now, noNewAssetsMs: opts.noNewAssetsMs ?? 20_000 });
  const flow = (req: Pick<Req, "method" | "fullPath">): FlowContext => ({ ex, ledger, faults, wallets, now, method: req.method, path: req.fullPath });
  const build = (): void => {
    ex = new Exchange(buildSeed({ seed, marketCount: opts.marketCount ?? 0 }), createRng(seed).fork("venue"), now, (ids, payload, o) => hub.publish(ids, payload, o));
    let sweeping = false;
    ex.onBookChange = (m) => {
      // Fills of resting orders change the book again; one sweep at a time.
      if (sweeping) return;
      sweeping = true;
      try {
        sweepResting(flow({ method: "POST", fullPath: "/clob/order" }), m);
      } finally {
        sweeping = false;
      }
    };
  };
  build();
  const scenarios = new Scenarios({ exchange, subscribed: () => hub.subscribedAssets(), rng: createRng(seed).fork("scenario"), now });

  const routers: Record<(typeof MOUNTS)[number], Router[]> = {
    "/gamma": [gammaRouter({ exchange, lagMs: opts.gammaLagMs ?? 1000 })],
    "/clob": [clobPublicRouter(exchange, now), clobTradingRouter({ keys, flow })],
    "/_control": [],
  };
  const held = new Set<ServerResponse>();
  const server = http.createServer((req, res) => void serve(req, res));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const { mount, sub } = mountOf(url.pathname);
      const body = await readBody(req);
      const r: Req = { method: req.method ?? "GET", path: sub, fullPath: url.pathname, query: url.searchParams, headers: req.headers, body, params: {} };
      const answer = await dispatch(mount, r);
      if (answer === HANG) {
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      writeAnswer(res, answer);
    } catch (err) {
      writeAnswer(res, fail(err instanceof RangeError ? 400 : 500, (err as Error).message));
    }
  }

  async function dispatch(mount: (typeof MOUNTS)[number] | undefined, r: Req): Promise<Answer> {
    if (!mount) return r.fullPath === "/" ? { status: 200, body: handle.urls() } : fail(404, "not found");
    if (mount !== "/_control") {
      const f = faults.take(["error", "rate-limit"], r.method, r.fullPath);
      if (f?.kind === "rate-limit") return { status: 429, body: { error: "Too Many Requests" }, headers: { "retry-after": String(f.retryAfter ?? 1) } };
      if (f) return fail(f.status ?? 500, f.message ?? "Internal Server Error");
      const d = faults.take(["delay"], r.method, r.fullPath);
      if (d) await sleep(d.ms ?? 0);
    }
    for (const router of routers[mount]) {
      const m = router.match(r.method, r.path);
      if (m) return m.handler({ ...r, params: m.params });
    }
    return routers[mount].some((x) => x.hasPath(r.path)) ? fail(405, "method not allowed") : fail(404, "not found");
  }

  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const f = path === "/ws/market" ? faults.take(["error", "rate-limit"], "GET", path) : undefined;
    if (path !== "/ws/market" || f) {
      const status = path !== "/ws/market" ? 404 : f!.kind === "rate-limit" ? 429 : (f!.status ?? 503);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    hub.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const handle = makeHandle({
    port,
    exchange,
    hub,
    ledger,
    keys,
    wallets,
    faults,
    scenarios,
    reset: () => {
      scenarios.stop();
      faults.clear();
      ledger.clear();
      keys.clear();
      wallets.clear();
      hub.resetState();
      build();
      scenarios.start(opts.scenario ?? "quiet");
    },
    stop: async () => {
      scenarios.stop();
      for (const res of held) res.destroy();
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  routers["/_control"].push(controlRouter(handle));
  scenarios.start(opts.scenario ?? "quiet");
  return handle;
}
