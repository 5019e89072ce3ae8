// Dev tool: an embedded Postgres (PGlite, real Postgres compiled to WASM) served on a TCP port
// (tools/dev/pglite-server.ts), for tests and `npm start` when DATABASE_URL is not set.
import { type PgliteServer, servePglite } from "./pglite-server";
import { nodeRequire } from "./node-require";

export interface EmbeddedPg {
  url: string;
  port: number;
  /**
   * Restarts Postgres as a server restart does: every connection is cut (open transactions are
   * rolled back), the port refuses connections for `downMs`, then a new backend starts from the
   * data on disk (or, in memory, from an image of the data directory) on the same port.
   * `onDown` runs once every connection is cut.
   */
  restart(downMs: number, onDown?: () => void): Promise<void>;
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

type Pglite = import("@electric-sql/pglite").PGlite;

async function serve(db: Pglite, port: number): Promise<PgliteServer> {
  try {
    return await servePglite(db, { host: "127.0.0.1", port, maxConnections: MAX_CONNECTIONS });
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function startEmbeddedPg(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  const { PGlite } = nodeRequire("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
  // pg_trgm (the market search's typo fallback) is built into Neon and Debian's Postgres; PGlite loads it per instance.
  const { pg_trgm } = nodeRequire("@electric-sql/pglite/contrib/pg_trgm") as typeof import("@electric-sql/pglite/contrib/pg_trgm");
  const extensions = { pg_trgm };
  let db = opts.dataDir ? await PGlite.create(opts.dataDir, { extensions }) : await PGlite.create({ extensions });
  let server = await serve(db, opts.port ?? 0);
  const { port } = server;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async (downMs, onDown) => {
      const wentDown = Date.now();
      await server.stop();
      onDown?.();
      const image = opts.dataDir ? undefined : await db.dumpDataDir("none");
      await db.close();
      await new Promise((r) => setTimeout(r, Math.max(0, wentDown + downMs - Date.now())));
      db = opts.dataDir ? await PGlite.create(opts.dataDir, { extensions }) : await PGlite.create({ loadDataDir: image!, extensions });
      server = await serve(db, port);
    },
    stop: async () => {
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
