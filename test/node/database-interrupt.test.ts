// The test database's interruption (what the chaos suite's database scenario uses): every session
// cut with its open transaction rolled back, connections refused meanwhile, committed data kept.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../setup/database";

describe("test database interrupt", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    // Always the server itself, never through PgBouncer (TEST_PGBOUNCER=1): this tests the server's
    // interruption, which a pooler hides from its clients by design.
    db = await startTestDatabase(process.env.DATABASE_URL, false);
  }, 60_000);
  afterAll(() => db?.stop());

  it("cuts every session, refuses connections while down, and comes back with what was committed", async () => {
    const setup = new pg.Client({ connectionString: db.url });
    await setup.connect();
    await setup.query("CREATE TABLE kept (id int PRIMARY KEY)");
    await setup.query("INSERT INTO kept VALUES (1)");
    await setup.end();
    const midway = new pg.Client({ connectionString: db.url });
    const cut = new Promise<Error>((resolve) => midway.on("error", resolve));
    await midway.connect();
    await midway.query("BEGIN");
    await midway.query("INSERT INTO kept VALUES (2)");

    let down!: () => void;
    const wentDown = new Promise<void>((resolve) => (down = resolve));
    const interrupted = db.interrupt(2_000, down);
    await wentDown;
    expect((await cut).message).toMatch(/terminat|ECONNRESET|closed/i);
    const refused = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 1_000 });
    await expect(refused.connect()).rejects.toThrow(/ECONNREFUSED|not currently accepting connections/);
    const said = await interrupted;
    expect(said).toMatch(db.kind === "embedded" ? /restarted/ : /terminated 1 sessions/);

    const after = new pg.Client({ connectionString: db.url });
    await after.connect();
    const r = await after.query<{ id: number }>("SELECT id FROM kept ORDER BY id");
    await after.end();
    expect(r.rows.map((x) => x.id)).toEqual([1]);
  }, 60_000);
});
