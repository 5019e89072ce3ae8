// vitest globalSetup: a real Postgres (server or embedded) with migrations, the Neon
// WebSocket proxy in front of it, and the local stand-ins; values reach tests via inject().
import type { TestProject } from "vitest/node";
import { nodeRequire } from "../../tools/dev/node-require";
import { startPgWsProxy, type PgWsProxy } from "../../tools/dev/pg-ws-proxy";
import { startBotApi } from "../../tools/telegram/bot-api-server";
import { startLocalPolymarket } from "../../tools/local-polymarket/server";
import { createDb } from "../../workers/db/client";
import { syncMarkets } from "../../workers/markets/sync";
import { GammaClient } from "../../workers/polymarket/gamma-client";
import { startTestDatabase, type TestDatabase } from "./database";

/** test/support/market-claims.ts: one row per market a test took (created as the owner; DML for the Worker's role). */
async function createClaimsTable(url: string): Promise<void> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE TABLE IF NOT EXISTS test_market_claims (market_id text PRIMARY KEY)");
    await client.query("GRANT SELECT, INSERT ON test_market_claims TO polycool_worker");
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error("teardown:", e));
  };
  try {
    const db: TestDatabase = await startTestDatabase();
    stops.push(db.stop);
    const proxy: PgWsProxy = await startPgWsProxy({ allow: [db.address] });
    stops.push(proxy.close);
    project.provide("databaseUrl", db.url);
    project.provide("databaseKind", db.kind);
    project.provide("pgProxy", `127.0.0.1:${proxy.port}`);
    project.provide("pgProxyControl", `http://127.0.0.1:${proxy.port}/_control`);
    // The stand-in Bot API: the Worker's TELEGRAM_API_ROOT; tests read what the bot sent via /_control.
    const botApi = await startBotApi();
    stops.push(() => botApi.close());
    project.provide("botApiUrl", botApi.url);
    // The local Polymarket: market channel, CLOB REST and Gamma, with a control API for tests.
    // 600 extra generated markets: enough for 1,000+ subscribed tokens and disjoint markets per test.
    const polymarket = await startLocalPolymarket({ scenario: "quiet", marketCount: 600 });
    stops.push(() => polymarket.stop());
    project.provide("polymarket", polymarket.urls());
    // Builder credentials the local relayer accepts: the Worker's POLY_BUILDER_* in the deposit-wallet tests.
    project.provide("builderCreds", polymarket.builderApiKey("polycool-tests"));
    // Its markets in the database once, before any test: a sync running beside tests would
    // overwrite rows they arranged. (npm-start.test.ts checks the admin route on its own stack.)
    await createClaimsTable(db.url);
    const handle = createDb({ DATABASE_URL: db.url, NEON_WS_PROXY: `127.0.0.1:${proxy.port}` });
    try {
      const synced = await syncMarkets({ db: handle.db, gamma: new GammaClient({ baseUrl: polymarket.gammaUrl }), now: Date.now });
      console.log(`[test] ${synced.upserted} markets synced from the local Polymarket`);
    } finally {
      await handle.close();
    }
    console.log(`[test] database: ${db.kind}${db.via === "pgbouncer" ? " through PgBouncer (transaction mode)" : ""} (${db.address}); neon ws proxy on 127.0.0.1:${proxy.port}`);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
