// vitest globalSetup: a real Postgres (server or embedded) with migrations, the Neon
// WebSocket proxy in front of it, and the local stand-ins; values reach tests via inject().
import type { TestProject } from "vitest/node";
import { startPgWsProxy, type PgWsProxy } from "../../tools/dev/pg-ws-proxy";
import { startBotApi } from "../../tools/telegram/bot-api-server";
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
    // The stand-in Bot API: the Worker's TELEGRAM_API_ROOT; tests read what the bot sent via /_control.
    const botApi = await startBotApi();
    stops.push(() => botApi.close());
    project.provide("botApiUrl", botApi.url);
    console.log(`[test] database: ${db.kind} (${db.address}); neon ws proxy on 127.0.0.1:${proxy.port}`);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
