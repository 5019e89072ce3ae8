// A Durable Object's SqlStorage for Node unit tests, backed by a real SQLite (node:sqlite): the
// streamer's storage code runs its own statements against it, as it does inside workerd. (Outside
// test/support: that folder is also type-checked with Node's types, which have no SqlStorage.)

/** node:sqlite, loaded without Node's types (this file is type-checked with the Workers types). */
const nodeBuiltin = (id: string) => (globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } }).process.getBuiltinModule(id);

interface StatementSync {
  all(...params: unknown[]): Record<string, unknown>[];
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
}

/** The subset of SqlStorage the streamer uses: `exec(query, ...bindings)` returning an iterable of rows. */
export function sqliteStorage(): SqlStorage {
  const { DatabaseSync } = nodeBuiltin("node:sqlite") as { DatabaseSync: new (path: string) => DatabaseSync };
  const db = new DatabaseSync(":memory:");
  const exec = (query: string, ...bindings: unknown[]) => {
    const rows = db.prepare(query).all(...bindings).map((r) => ({ ...r }));
    return Object.assign(rows[Symbol.iterator](), { toArray: () => rows, one: () => rows[0], rowsRead: rows.length, rowsWritten: 0 });
  };
  return { exec } as unknown as SqlStorage;
}
