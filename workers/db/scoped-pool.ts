// A Neon Pool whose connections run as the limited role polycool_worker under a row-level-security
// scope (migrations/0001_row_level_security.sql): the whole system, or one Telegram user's rows.
import { Pool, type PoolClient, type PoolConfig } from "@neondatabase/serverless";

export type DbScope = { kind: "system" } | { kind: "telegram"; telegramId: number };

export const WORKER_ROLE = "polycool_worker";

/** Session-level: every statement on this connection sees the whole system (streamer, cron, admin). */
const SYSTEM_SESSION = `SET ROLE ${WORKER_ROLE}; SELECT set_config('polycool.scope', 'system', false), set_config('polycool.telegram_id', '', false)`;

/**
 * Transaction-local, so nothing outlives the transaction. That matters for the embedded Postgres
 * (PGlite), where every connection shares ONE session: session settings would leak between requests.
 */
function userLocal(telegramId: number): string {
  if (!Number.isSafeInteger(telegramId) || telegramId <= 0) throw new RangeError("telegram id must be a positive integer");
  return `SET LOCAL ROLE ${WORKER_ROLE}; SELECT set_config('polycool.scope', '', true), set_config('polycool.telegram_id', '${telegramId}', true)`;
}

type QueryFn = (config: unknown, values?: unknown) => Promise<unknown>;
const prepared = new WeakSet<object>();

const isBegin = (config: unknown) => {
  const text = typeof config === "string" ? config : (config as { text?: unknown })?.text;
  return typeof text === "string" && /^\s*begin\b/i.test(text);
};

export class ScopedPool extends Pool {
  constructor(
    config: PoolConfig,
    private readonly scope: DbScope,
  ) {
    super(config);
    // A statement outside a transaction: in the user scope it runs in its own scoped transaction.
    // (Assigned, not overridden: pg's overloads include callback forms this pool does not offer.)
    (this as unknown as { query: QueryFn }).query = (c, v) => this.run(c, v);
  }

  /** Promise form only (drizzle's); the callback form is not supported on scoped pools. */
  override connect(): Promise<PoolClient>;
  override connect(callback: never): void;
  override async connect(callback?: never): Promise<PoolClient> {
    if (callback) throw new TypeError("ScopedPool.connect() takes no callback");
    const client = (await super.connect()) as PoolClient;
    try {
      await this.prepare(client);
    } catch (err) {
      client.release(err as Error); // a connection that cannot be scoped is destroyed, never used
      throw err;
    }
    return client;
  }

  private async prepare(client: PoolClient): Promise<void> {
    if (prepared.has(client)) return;
    if (this.scope.kind === "system") {
      await client.query(SYSTEM_SESSION);
    } else {
      const local = userLocal(this.scope.telegramId);
      const original = client.query.bind(client) as QueryFn;
      // drizzle opens transactions with a plain "begin": scope them in the same round trip.
      (client as unknown as { query: QueryFn }).query = (config, values) =>
        isBegin(config) ? original(`${typeof config === "string" ? config : (config as { text: string }).text}; ${local}`) : original(config, values);
    }
    prepared.add(client);
  }

  private async run(config: unknown, values: unknown): Promise<unknown> {
    const client = await this.connect();
    const q = client.query.bind(client) as QueryFn;
    try {
      if (this.scope.kind === "system") return await q(config, values);
      await q("BEGIN");
      try {
        const result = await q(config, values);
        await q("COMMIT");
        return result;
      } catch (err) {
        await q("ROLLBACK").catch(() => undefined);
        throw err;
      }
    } finally {
      client.release();
    }
  }
}
