// The market sync's budget (issue #24): one full sync of 1,600 markets — production's order of
// magnitude — from a real HTTP Gamma (the local Polymarket) into its own database through the Neon
// driver, counting subrequests (Gamma pages, Postgres connections) and CPU time. CPU is the whole
// test process's (process.cpuUsage), which also serves the local Gamma and, when embedded, Postgres:
// an upper bound for the sync alone. Printed, and checked against the Workers Paid plan's limits.
import { neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPgWsProxy, type PgWsProxy } from "../../tools/dev/pg-ws-proxy";
import { type LocalPolymarket, startLocalPolymarket } from "../../tools/local-polymarket/server";
import { createDb } from "../../workers/db/client";
import { syncMarkets } from "../../workers/markets/sync";
import { GammaClient } from "../../workers/polymarket/gamma-client";
import { startTestDatabase, type TestDatabase } from "../setup/database";

const MARKETS = 1_600;
const PAID_SUBREQUESTS = 1_000;
const PAID_CPU_MS = 30_000;

let database: TestDatabase;
let proxy: PgWsProxy;
let polymarket: LocalPolymarket;

beforeAll(async () => {
  database = await startTestDatabase();
  proxy = await startPgWsProxy({ allow: [database.address] });
  polymarket = await startLocalPolymarket({ scenario: "quiet", marketCount: MARKETS });
}, 120_000);
afterAll(async () => {
  await polymarket?.stop();
  await proxy?.close();
  await database?.stop();
});

describe("market sync budget", () => {
  it(`one sync of ${MARKETS} markets stays far under the Paid plan's subrequests and CPU`, async () => {
    let gammaPages = 0;
    let connections = 0;
    const handle = createDb({ DATABASE_URL: database.url, NEON_WS_PROXY: `127.0.0.1:${proxy.port}` });
    const Real = neonConfig.webSocketConstructor as unknown as typeof WebSocket;
    neonConfig.webSocketConstructor = class extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        connections++;
      }
    } as never;
    const gamma = new GammaClient({ baseUrl: polymarket.gammaUrl, fetch: (input, init) => (gammaPages++, fetch(input, init)) });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      const r = await syncMarkets({ db: handle.db, gamma, now: Date.now });
      const used = process.cpuUsage(cpu0);
      const cpuMs = Math.round((used.user + used.system) / 1000);
      const wallMs = Math.round(performance.now() - t0);
      const subrequests = gammaPages + connections;
      console.log(
        `[budget] market sync of ${r.upserted} markets: ${subrequests} subrequests (Gamma pages ${gammaPages}, postgres connections ${connections}; Paid ${PAID_SUBREQUESTS}, Free 50), ` +
          `CPU ≤ ${cpuMs} ms (whole process; Paid ${PAID_CPU_MS} ms, Free 10 ms), wall ${wallMs} ms`,
      );
      expect(r.upserted).toBeGreaterThanOrEqual(MARKETS);
      expect(gammaPages).toBeGreaterThan(1);
      expect(subrequests).toBeLessThan(PAID_SUBREQUESTS);
      expect(cpuMs).toBeLessThan(PAID_CPU_MS);
    } finally {
      neonConfig.webSocketConstructor = Real as never;
      await handle.close();
    }
  }, 120_000);
});
