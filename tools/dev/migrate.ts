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

/** Creates a fresh database next to the one in `url` and returns its URL (for isolated test runs). */
export async function createScratchDatabase(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
