// Applies migrations/ to a Postgres URL with drizzle's migrator over node-postgres.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeRequire } from "./node-require";

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

export async function applyMigrations(url: string): Promise<void> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const { drizzle } = nodeRequire("drizzle-orm/node-postgres") as typeof import("drizzle-orm/node-postgres");
  const { migrate } = nodeRequire("drizzle-orm/node-postgres/migrator") as typeof import("drizzle-orm/node-postgres/migrator");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.end();
  }
}

/** Runs `work` on a connection to the database in `url` (create, drop, interrupt other databases). */
async function withAdmin<T>(url: string, work: (admin: import("pg").Client) => Promise<T>): Promise<T> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
  /**
   * Ends every session of this database on the server and refuses new ones for `downMs` (the
   * server is not ours to restart); `onDown` runs once the sessions are gone. Answers what was done.
   */
  interrupt(downMs: number, onDown?: () => void): Promise<string>;
}

/** Creates a fresh database next to the one in `url` and returns its URL (for isolated test runs). */
export async function createScratchDatabase(url: string, name: string): Promise<ScratchDatabase> {
  await withAdmin(url, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: () => withAdmin(url, async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
    interrupt: (downMs, onDown) =>
      withAdmin(url, async (admin) => {
        await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
        try {
          const r = await admin.query("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
          onDown?.();
          await new Promise((resolve) => setTimeout(resolve, downMs));
          return `the server terminated ${r.rows[0].n} sessions and refused connections for ${downMs / 1000} s`;
        } finally {
          await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
        }
      }),
  };
}
