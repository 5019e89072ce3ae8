// Postgres through @neondatabase/serverless (WebSocket Pool) + drizzle: the one driver path.
// Locally the same driver reaches a real Postgres through our WebSocket-to-TCP proxy
// (tools/dev/pg-ws-proxy.ts), configured by NEON_WS_PROXY; on Neon that setting is unset.
import { neonConfig, type Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { log } from "../lib/log";
import * as schema from "./schema";
import { type DbScope, ScopedPool } from "./scoped-pool";

export type { DbScope } from "./scoped-pool";

export type Db = NeonDatabase<typeof schema>;
export interface DbHandle {
  db: Db;
  pool: Pool;
  /** Ends the pool; call from waitUntil at the end of a request. */
  close(): Promise<void>;
}

export interface DbSettings {
  DATABASE_URL: string;
  NEON_WS_PROXY?: string | undefined;
}

let statements = 0;
/**
 * Statements this isolate has sent to Postgres (every pool; BEGIN and COMMIT included): what keeps
 * Neon's compute awake. Tests use it to show the idle product sends none.
 */
export function statementsSent(): number {
  return statements;
}

let configuredProxy: string | undefined | null = null;

/** neonConfig is global to the isolate; configure it once from settings. */
function configureDriver(proxy: string | undefined): void {
  if (configuredProxy === (proxy ?? undefined)) return;
  configuredProxy = proxy ?? undefined;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // Required locally: pipelining assumes Neon's cleartext auth (SCRAM fails, PGlite hangs).
    neonConfig.pipelineConnect = false;
  }
  if (typeof WebSocket !== "undefined" && !neonConfig.webSocketConstructor) {
    neonConfig.webSocketConstructor = WebSocket;
  }
}

export interface PoolOptions {
  /** Max connections in this pool (a Worker request needs few; the streamer a handful). */
  max?: number;
  /** ms before a connect attempt fails (so an unavailable database fails fast). */
  connectionTimeoutMillis?: number;
  /** Row-level-security scope: the whole system (default) or one Telegram user's rows. */
  scope?: DbScope;
}

export function createDb(settings: DbSettings, opts: PoolOptions = {}): DbHandle {
  configureDriver(settings.NEON_WS_PROXY);
  const pool = new ScopedPool(
    {
      connectionString: settings.DATABASE_URL,
      max: opts.max ?? 4,
      connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5_000,
    },
    opts.scope ?? { kind: "system" },
    () => void statements++,
  );
  // Without a listener an idle client's lost socket becomes an uncaught exception.
  pool.on("error", (err: Error) => log.warn("db_pool_error", { error: err.message }));
  const db = drizzle({ client: pool, schema });
  let closed = false;
  return {
    db,
    pool,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}
