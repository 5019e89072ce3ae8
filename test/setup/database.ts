// Test/dev database: DATABASE_URL's server (a fresh database per run) or an embedded Postgres.
import { randomBytes } from "node:crypto";
import { startEmbeddedPg } from "../../tools/dev/embedded-pg";
import { applyMigrations, createScratchDatabase } from "../../tools/dev/migrate";

export interface TestDatabase {
  url: string;
  /** host:port the WebSocket proxy must be allowed to reach. */
  address: string;
  kind: "server" | "embedded";
  stop(): Promise<void>;
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
    return { url: scratch.url, address: `${u.hostname}:${u.port || 5432}`, kind: "server", stop: scratch.drop };
  }
  const pg = await startEmbeddedPg();
  try {
    await applyMigrations(pg.url);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return { url: pg.url, address: `127.0.0.1:${pg.port}`, kind: "embedded", stop: pg.stop };
}
