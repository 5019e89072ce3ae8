// Test/dev database: DATABASE_URL's server (a fresh database per run) or an embedded Postgres.
import { randomBytes } from "node:crypto";
import { startEmbeddedPg } from "../../tools/dev/embedded-pg";
import { applyMigrations, createScratchDatabase } from "../../tools/dev/migrate";
import { nodeRequire } from "../../tools/dev/node-require";

export interface TestDatabase {
  url: string;
  /** host:port the WebSocket proxy must be allowed to reach. */
  address: string;
  kind: "server" | "embedded";
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

/** Ends every session of database `name` on the server and refuses new ones for `downMs`. */
async function interruptServerDatabase(serverUrl: string, name: string, downMs: number, onDown?: () => void): Promise<string> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    try {
      const r = await admin.query("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
      onDown?.();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      return `the server terminated ${r.rows[0].n} sessions and refused connections for ${downMs / 1000} s`;
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
    }
  } finally {
    await admin.end();
  }
}

export async function startTestDatabase(serverUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  if (serverUrl) {
    const name = `polycool_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const scratch = await createScratchDatabase(serverUrl, name);
    try {
      await applyMigrations(scratch.url);
    } catch (err) {
      await scratch.drop();
      throw err;
    }
    const u = new URL(scratch.url);
    return {
      url: scratch.url,
      address: `${u.hostname}:${u.port || 5432}`,
      kind: "server",
      interrupt: (downMs, onDown) => interruptServerDatabase(serverUrl, name, downMs, onDown),
      stop: scratch.drop,
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
    interrupt: async (downMs, onDown) => {
      const t0 = Date.now();
      await pg.restart(downMs, onDown);
      return `the embedded Postgres restarted: down ${((Date.now() - t0) / 1000).toFixed(1)} s, every connection cut`;
    },
    stop: pg.stop,
  };
}
