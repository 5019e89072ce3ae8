// vitest globalSetup: a real Postgres (server or embedded) with migrations, the Neon
// WebSocket proxy in front of it, and the local stand-ins; values reach tests via inject().
import type { TestProject } from "vitest/node";
import { startPgWsProxy, type PgWsProxy } from "../../tools/dev/pg-ws-proxy";
import { startBotApi } from "../../tools/telegram/bot-api-server";
import { startLocalPolymarket } from "../../tools/local-polymarket/server";
import { startTestDatabase, type TestDatabase } from "./database";

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
    console.log(`[test] database: ${db.kind} (${db.address}); neon ws proxy on 127.0.0.1:${proxy.port}`);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
