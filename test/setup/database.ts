// Test/dev database: DATABASE_URL's server (a fresh database per run) or an embedded Postgres.
import { randomBytes } from "node:crypto";
import { startEmbeddedPg } from "../../tools/dev/embedded-pg";
import { applyMigrations, createScratchDatabase } from "../../tools/dev/migrate";
import { startPgBouncer } from "../../tools/dev/pgbouncer";

export interface TestDatabase {
  url: string;
  /** host:port the WebSocket proxy must be allowed to reach. */
  address: string;
  kind: "server" | "embedded";
  /** How the product reaches it: straight, or through PgBouncer in transaction mode (Neon's `-pooler` host). */
  via: "direct" | "pgbouncer";
  /**
   * Takes Postgres away for `downMs` as a restart does: every session ends (open transactions are
   * rolled back), new connections are refused, then it is back. Embedded: the backend really
   * restarts from its data. Server (one we do not own, so not restarted): the server terminates
   * every session of the scratch database and refuses connections to it meanwhile. Answers what
   * was done, for reports; `onDown` runs once the database is down.
   */
  interrupt(downMs: number, onDown?: () => void): Promise<string>;
  stop(): Promise<void>;
}

/**
 * TEST_PGBOUNCER=1 (with DATABASE_URL): migrations go straight to the server, as deploy does; the
 * product and the tests reach the database through a PgBouncer in transaction mode.
 */
export async function startTestDatabase(serverUrl = process.env.DATABASE_URL, pooled = process.env.TEST_PGBOUNCER === "1"): Promise<TestDatabase> {
  if (pooled && !serverUrl) throw new Error("TEST_PGBOUNCER=1 needs DATABASE_URL (a Postgres server to put PgBouncer in front of)");
  if (serverUrl) {
    const name = `polycool_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const scratch = await createScratchDatabase(serverUrl, name);
    try {
      await applyMigrations(scratch.url);
    } catch (err) {
      await scratch.drop();
      throw err;
    }
    const bouncer = pooled ? await startPgBouncer(serverUrl).catch(async (err: Error) => (await scratch.drop(), Promise.reject(err))) : undefined;
    const url = bouncer ? bouncer.urlFor(scratch.url) : scratch.url;
    const u = new URL(url);
    return {
      url,
      address: `${u.hostname}:${u.port || 5432}`,
      kind: "server",
      via: bouncer ? "pgbouncer" : "direct",
      interrupt: scratch.interrupt,
      stop: async () => {
        await bouncer?.stop();
        await scratch.drop();
      },
    };
  }
  const pg = await startEmbeddedPg();
  try {
    await applyMigrations(pg.url);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return {
    url: pg.url,
    address: `127.0.0.1:${pg.port}`,
    kind: "embedded",
    via: "direct",
    interrupt: async (downMs, onDown) => {
      const t0 = Date.now();
      await pg.restart(downMs, onDown);
      return `the embedded Postgres restarted: down ${((Date.now() - t0) / 1000).toFixed(1)} s, every connection cut`;
    },
    stop: pg.stop,
  };
}
