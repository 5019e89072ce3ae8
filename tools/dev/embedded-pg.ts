// Dev tool: an embedded Postgres (PGlite, real Postgres compiled to WASM) served on a TCP port
// (tools/dev/pglite-server.ts), for tests and `npm start` when DATABASE_URL is not set.
import { servePglite } from "./pglite-server";
import { nodeRequire } from "./node-require";

export interface EmbeddedPg {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPgOptions {
  /** Directory to keep data in (reused by the next start); in memory when absent. */
  dataDir?: string;
  port?: number;
}

/**
 * PGlite runs one session: clients take turns batch by batch, and an open transaction holds the
 * others until it ends. Connections beyond maxConnections are refused (not queued), so allow far
 * more than any pool here opens.
 */
const MAX_CONNECTIONS = 200;

export async function startEmbeddedPg(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  const { PGlite } = nodeRequire("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
  const db = opts.dataDir ? await PGlite.create(opts.dataDir) : await PGlite.create();
  let server;
  try {
    server = await servePglite(db, { host: "127.0.0.1", port: opts.port ?? 0, maxConnections: MAX_CONNECTIONS });
  } catch (err) {
    await db.close();
    throw err;
  }
  const { port } = server;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
