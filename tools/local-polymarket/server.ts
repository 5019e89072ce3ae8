// The local Polymarket: one HTTP server on 127.0.0.1 serving Gamma, CLOB REST, the market WebSocket and a control API.
import { clobPublicRouter } from "./clob-public";
import { clobTradingRouter } from "./clob-trading";
import { controlRouter } from "./control";
import { gammaRouter } from "./gamma";
import { makeHandle, type LocalPolymarket } from "./handle";
import { dataApiRouter } from "./data-api";
import { rpcRouter } from "./chain";
import { json, Router } from "./http-util";
import { relayerRouter } from "./relayer";
import { geoblockJson } from "./rules";
import { listen, type Mount } from "./http-server";
import type { Balances } from "./ledger";
import type { ScenarioKind } from "./scenario";
import { createVenue } from "./venue";

export type { LocalPolymarket } from "./handle";

export interface LocalPolymarketOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Same seed → same markets, books and feed choices. Default "polycool". */
  seed?: string | number;
  /** Procedural markets added to the catalogue (1,700+ for sync tests). Default 0. */
  marketCount?: number;
  /** With marketCount: markets as at Polymarket's size (neg-risk events, closed and resolved ones). */
  scale?: boolean;
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
  /** The 2026 "new account" rule on from the start: EOA/proxy/Safe orders refused (README). Default false. */
  newAccounts?: boolean;
  /** Relayer: ms between transaction states (NEW → EXECUTED → MINED → CONFIRMED). Default 150. */
  relayerStepMs?: number;
}

const DEFAULT_BALANCES: Balances = { pusd: "1000000", shares: "1000000" };

export async function startLocalPolymarket(opts: LocalPolymarketOptions = {}): Promise<LocalPolymarket> {
  const venue = createVenue({
    seed: opts.seed ?? "polycool",
    marketCount: opts.marketCount ?? 0,
    scale: opts.scale === true,
    scenario: opts.scenario ?? "quiet",
    now: opts.now ?? Date.now,
    authWindowSeconds: opts.authWindowSeconds ?? 120,
    noNewAssetsMs: opts.noNewAssetsMs ?? 20_000,
    balances: { ...DEFAULT_BALANCES, ...opts.balances },
    newAccounts: opts.newAccounts ?? false,
    relayerStepMs: opts.relayerStepMs ?? 150,
  });
  const { exchange, keys, flow } = venue;
  const routers: Record<Mount, Router[]> = {
    "/gamma": [gammaRouter({ exchange, lagMs: opts.gammaLagMs ?? 1000 })],
    "/clob": [clobPublicRouter(exchange, venue.now), clobTradingRouter({ keys, flow })],
    "/relayer": [relayerRouter(venue.relayer, venue.wallets)],
    "/rpc": [rpcRouter({ chain: venue.chain, wallets: venue.wallets, ledger: venue.ledger })],
    "/data": [dataApiRouter(exchange, venue.ledger)],
    "/api": [new Router().on("GET", "/geoblock", () => json(200, geoblockJson(venue.rules)))],
    "/_control": [],
  };
  let handle: LocalPolymarket | undefined;
  const http = await listen({ routers, faults: venue.faults, hub: venue.hub, index: () => handle?.urls(), now: venue.now }, opts.port ?? 0);
  handle = makeHandle({
    port: http.port,
    venue,
    stop: async () => {
      await venue.close();
      await http.close();
    },
  });
  routers["/_control"].push(controlRouter(handle));
  return handle;
}
