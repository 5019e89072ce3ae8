// Dev tool: an embedded Postgres (PGlite, real Postgres compiled to WASM) served on a TCP port
// with pglite-socket, for tests and `npm start` when DATABASE_URL is not set.
import type { AddressInfo } from "node:net";
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
 * PGlite runs one session: every connection's queries are queued onto it and an open
 * transaction blocks the others until it ends. Connections beyond maxConnections are
 * refused (not queued), so allow far more than any pool here opens.
 */
const MAX_CONNECTIONS = 200;

export async function startEmbeddedPg(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  const { PGlite } = nodeRequire("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
  const { PGLiteSocketServer } = nodeRequire("@electric-sql/pglite-socket") as typeof import("@electric-sql/pglite-socket");
  const db = opts.dataDir ? await PGlite.create(opts.dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({
    db,
    port: opts.port ?? 0,
    host: "127.0.0.1",
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  // pglite-socket keeps its net.Server private; read the bound port from its connection string.
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(":") + 1)) || ((server as unknown as { server: { address(): AddressInfo } }).server.address().port);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
