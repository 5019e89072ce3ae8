// The scoped pool on both kinds of URL: every statement runs as polycool_worker in its scope, and
// nothing it sets outlives its transaction (on PgBouncer in transaction mode a session is shared).
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, inject } from "vitest";
import { nodeRequire } from "../../tools/dev/node-require";
import { createDb, type DbHandle } from "./client";
import { scopeStatement, WORKER_ROLE } from "./scoped-pool";

const settings = { DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: inject("pgProxy") };
const handles: DbHandle[] = [];
const open = (opts: Parameters<typeof createDb>[1] = {}) => {
  const h = createDb(settings, { max: 4, ...opts });
  handles.push(h);
  return h;
};
afterAll(async () => {
  for (const h of handles) await h.close();
});

type Who = { user: string; scope: string | null; tg: string | null };
const WHO_AM_I = "SELECT current_user AS user, current_setting('polycool.scope', true) AS scope, current_setting('polycool.telegram_id', true) AS tg";
const whoAmI = sql.raw(WHO_AM_I);

/** A plain owner connection (node-postgres, the URL as given: straight or through the pooler). */
async function ownerSessions(n: number): Promise<Who[]> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const clients = Array.from({ length: n }, () => new pg.Client({ connectionString: settings.DATABASE_URL }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const rows = await Promise.all(clients.map((c) => c.query<Who>(WHO_AM_I)));
    return rows.map((r) => r.rows[0]!);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

describe("scoped pool", () => {
  it("runs every statement, in or out of a transaction, as the worker role in its scope", async () => {
    const system = open();
    const user = open({ scope: { kind: "telegram", telegramId: 4242 } });
    const results = await Promise.all([
      ...Array.from({ length: 12 }, () => system.db.execute<Who>(whoAmI).then((r) => r.rows[0]!)),
      ...Array.from({ length: 12 }, () => user.db.execute<Who>(whoAmI).then((r) => r.rows[0]!)),
      system.db.transaction(async (tx) => (await tx.execute<Who>(whoAmI)).rows[0]!),
      user.db.transaction(async (tx) => (await tx.execute<Who>(whoAmI)).rows[0]!),
    ]);
    const sys = [...results.slice(0, 12), results[24]!];
    const usr = [...results.slice(12, 24), results[25]!];
    for (const r of sys) expect(r).toEqual({ user: WORKER_ROLE, scope: "system", tg: "" });
    for (const r of usr) expect(r).toEqual({ user: WORKER_ROLE, scope: "", tg: "4242" });
  });

  it("leaves nothing on the session: an owner connection sharing the server sees no role or scope", async () => {
    const system = open();
    // Enough statements, concurrently, that the pooler hands every server connection to the worker.
    await Promise.all(Array.from({ length: 16 }, () => system.db.execute(whoAmI)));
    const owners = await ownerSessions(6);
    for (const o of owners) {
      expect(o.user).not.toBe(WORKER_ROLE);
      expect(o.scope ?? "").toBe("");
      expect(o.tg ?? "").toBe("");
    }
  });

  it("a failed statement rolls back its transaction and the connection stays usable", async () => {
    const system = open({ max: 1 });
    await expect(system.db.execute(sql`SELECT 1/0`)).rejects.toThrow();
    const after = await system.db.execute<Who>(whoAmI);
    expect(after.rows[0]).toEqual({ user: WORKER_ROLE, scope: "system", tg: "" });
  });

  it("refuses a scope that is not a positive Telegram id before connecting", () => {
    expect(() => scopeStatement({ kind: "telegram", telegramId: -1 })).toThrow(RangeError);
    expect(() => scopeStatement({ kind: "telegram", telegramId: 1.5 })).toThrow(RangeError);
    expect(scopeStatement({ kind: "system" })).toMatch(/^SET LOCAL ROLE polycool_worker;/);
  });
});
