// A Neon Pool whose statements run as the limited role polycool_worker under a row-level-security
// scope (migrations/0001_row_level_security.sql): the whole system, or one Telegram user's rows.
//
// Every statement runs inside a transaction that starts with `SET LOCAL ROLE` and transaction-local
// scope settings, and nothing is ever set for the session. That is what makes both kinds of Neon URL
// safe (issue #24): the direct host, and the `-pooler` host (PgBouncer in transaction mode), where a
// connection's session belongs to whichever client the pooler hands it to next. A session-level
// `SET ROLE` there would leak the role to strangers and, worse, let our own later statements land on
// a server connection that never saw it and run as the owner, outside row-level security. The same
// holds for the embedded Postgres (PGlite), where every connection shares ONE session.
// The price: a statement outside a transaction costs three round trips (BEGIN + scope, the statement,
// COMMIT) instead of one. Tested through a real PgBouncer in transaction mode (.ci/run).
import { Pool, type PoolClient, type PoolConfig } from "@neondatabase/serverless";

export type DbScope = { kind: "system" } | { kind: "telegram"; telegramId: number };

export const WORKER_ROLE = "polycool_worker";

/** What follows every BEGIN: the role and the scope, for this transaction only. */
export function scopeStatement(scope: DbScope): string {
  const role = `SET LOCAL ROLE ${WORKER_ROLE}`;
  if (scope.kind === "system") return `${role}; SELECT set_config('polycool.scope', 'system', true), set_config('polycool.telegram_id', '', true)`;
  const id = scope.telegramId;
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError("telegram id must be a positive integer");
  return `${role}; SELECT set_config('polycool.scope', '', true), set_config('polycool.telegram_id', '${id}', true)`;
}

type QueryFn = (config: unknown, values?: unknown) => Promise<unknown>;
const prepared = new WeakSet<object>();

const textOf = (config: unknown): unknown => (typeof config === "string" ? config : (config as { text?: unknown })?.text);
const isBegin = (config: unknown) => {
  const text = textOf(config);
  return typeof text === "string" && /^\s*(begin|start\s+transaction)\b/i.test(text);
};

/** Counts every statement a pool sends (tests: the idle product sends none; budgets: subrequests). */
export interface StatementObserver {
  (text: string): void;
}

export class ScopedPool extends Pool {
  private readonly local: string;

  constructor(
    config: PoolConfig,
    private readonly scope: DbScope,
    private readonly observe?: StatementObserver,
  ) {
    super(config);
    this.local = scopeStatement(scope); // validates the scope before any connection
    // A statement outside a transaction runs in its own scoped transaction.
    // (Assigned, not overridden: pg's overloads include callback forms this pool does not offer.)
    (this as unknown as { query: QueryFn }).query = (c, v) => this.run(c, v);
  }

  /** Promise form only (drizzle's); the callback form is not supported on scoped pools. */
  override connect(): Promise<PoolClient>;
  override connect(callback: never): void;
  override async connect(callback?: never): Promise<PoolClient> {
    if (callback) throw new TypeError("ScopedPool.connect() takes no callback");
    const client = (await super.connect()) as PoolClient;
    this.prepare(client);
    return client;
  }

  /** drizzle opens transactions with a plain "begin": scope them in the same round trip. */
  private prepare(client: PoolClient): void {
    if (prepared.has(client)) return;
    const original = client.query.bind(client) as QueryFn;
    const observe = this.observe;
    (client as unknown as { query: QueryFn }).query = (config, values) => {
      const text = textOf(config);
      observe?.(typeof text === "string" ? text : "");
      return isBegin(config) ? original(`${text as string}; ${this.local}`) : original(config, values);
    };
    prepared.add(client);
  }

  private async run(config: unknown, values: unknown): Promise<unknown> {
    const client = await this.connect();
    const q = client.query.bind(client) as QueryFn;
    try {
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
