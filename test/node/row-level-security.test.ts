// Row-level security: the Worker's limited role sees and changes only the scoped user's rows.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, inject } from "vitest";
import { createDb } from "../../workers/db/client";
import { positions, users } from "../../workers/db/schema";
import { seedMarket, seedPosition, seedUser } from "../support/db-seed";

const settings = { DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: inject("pgProxy") };
const system = createDb(settings);
const handles = [system];
const asUser = (telegramId: number) => {
  const h = createDb(settings, { scope: { kind: "telegram", telegramId } });
  handles.push(h);
  return h.db;
};
/** drizzle wraps driver errors ("Failed query: …"); the database's own message is the cause. */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  throw new Error("expected the database to refuse");
}
afterAll(async () => {
  for (const h of handles) await h.close();
});

async function twoUsers() {
  const market = await seedMarket(system.db);
  const aTg = 5_000_000_000 + Math.floor(Math.random() * 1e9);
  const bTg = aTg + 1;
  const a = await seedUser(system.db, { telegramId: aTg });
  const b = await seedUser(system.db, { telegramId: bTg });
  const pa = await seedPosition(system.db, { userId: a, market, shares: "10", costBasis: "5" });
  const pb = await seedPosition(system.db, { userId: b, market, outcomeIndex: 1, shares: "20", costBasis: "9" });
  return { market, a, b, aTg, bTg, pa, pb };
}

describe("row-level security", () => {
  it("a user's scope sees only that user's rows", async () => {
    const t = await twoUsers();
    const db = asUser(t.aTg);
    const mine = await db.select({ id: positions.id }).from(positions);
    expect(mine.map((p) => p.id)).toEqual([t.pa]);
    const who = await db.select({ id: users.id }).from(users);
    expect(who.map((u) => u.id)).toEqual([t.a]);
    // Even naming the other user's position explicitly finds nothing.
    const forged = await db.execute(sql`SELECT id FROM positions WHERE id = ${t.pb}`);
    expect(forged.rows).toEqual([]);
  });

  it("a user's scope cannot change or create another user's rows", async () => {
    const t = await twoUsers();
    const db = asUser(t.aTg);
    const updated = await db.execute(sql`UPDATE positions SET status = 'closed' WHERE id = ${t.pb}`);
    expect(updated.rowCount).toBe(0);
    expect(
      await dbError(db.insert(positions).values({ userId: t.b, marketId: t.market.id, tokenId: t.market.tokenIds[0], outcome: "Yes", mode: "paper", shares: "1", costBasis: "1", avgPrice: "1" })),
    ).toMatch(/row-level security/);
    const still = await system.db.execute<{ status: string }>(sql`SELECT status FROM positions WHERE id = ${t.pb}`);
    expect(still.rows[0]!.status).toBe("active");
  });

  it("transactions run in the scope too, and nothing leaks to other connections", async () => {
    const t = await twoUsers();
    const db = asUser(t.aTg);
    const seen = await db.transaction(async (tx) => {
      const r = await tx.execute<{ n: string }>(sql`SELECT count(*)::text AS n FROM positions WHERE id IN (${t.pa}, ${t.pb})`);
      return Number(r.rows[0]!.n);
    });
    expect(seen).toBe(1);
    // The system scope (the streamer, cron) still sees both.
    const all = await system.db.execute<{ n: string }>(sql`SELECT count(*)::text AS n FROM positions WHERE id IN (${t.pa}, ${t.pb})`);
    expect(Number(all.rows[0]!.n)).toBe(2);
  });

  it("a new user can create their own row, not someone else's", async () => {
    const tg = 7_000_000_000 + Math.floor(Math.random() * 1e9);
    const db = asUser(tg);
    const [row] = await db.insert(users).values({ telegramId: tg }).returning({ id: users.id });
    expect(row!.id).toBeGreaterThan(0);
    expect(await dbError(db.insert(users).values({ telegramId: tg + 1 }))).toMatch(/row-level security/);
  });

  it("the Worker's role cannot change the schema", async () => {
    expect(await dbError(system.db.execute(sql`CREATE TABLE rls_probe (id int)`))).toMatch(/permission denied/);
    expect(await dbError(system.db.execute(sql`DROP TABLE markets`))).toMatch(/must be owner|permission denied/);
  });
});
