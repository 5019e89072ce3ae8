import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedPosition, seedUser } from "../test/support/db-seed";
import { openTestDb } from "../test/support/node-db";
import { writePrices } from "./price-statement";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

describe("writePrices (one statement per flush)", () => {
  it("updates markets, tokens and active positions' price and P&L", async () => {
    const market = await seedMarket(db);
    const user = await seedUser(db);
    const open = await seedPosition(db, { userId: user, market, shares: "100", costBasis: "45" });
    const other = await seedPosition(db, { userId: await seedUser(db), market, outcomeIndex: 1, shares: "10", costBasis: "6.5" });
    const at = new Date().toISOString();
    const counts = await writePrices(
      db,
      [
        { token_id: market.tokenIds[0], bid: "0.52", ask: "0.53", last: "0.52", src: "ws", at },
        { token_id: market.tokenIds[1], bid: null, ask: "0.48", last: null, src: "ws", at },
      ],
      [{ id: market.id, prices: ["0.525", "0.475"], src: "ws" }],
    );
    expect(counts).toEqual({ markets: 1, tokens: 2, positions: 1 });
    const m = await db.execute<{ source: string; outcome_prices: string[] }>(
      sql`SELECT source, outcome_prices, updated_at FROM markets WHERE id = ${market.id} ORDER BY updated_at DESC LIMIT 1`,
    );
    expect(m.rows[0]).toMatchObject({ source: "ws", outcome_prices: ["0.525", "0.475"] });
    const p = await db.execute<{ id: string; current_price: string; pnl_amount: string; price_source: string }>(
      sql`SELECT id, current_price, pnl_amount, price_source FROM positions WHERE id IN (${open}, ${other}) ORDER BY id`,
    );
    expect(p.rows[0]).toMatchObject({ current_price: "0.520000", pnl_amount: "7.000000", price_source: "ws" });
    // No bid for the other token: its position keeps its (absent) price.
    expect(p.rows[1]).toMatchObject({ current_price: null, pnl_amount: null });
  });

  it("rounds P&L to micros and skips closed positions", async () => {
    const market = await seedMarket(db);
    const user = await seedUser(db);
    const id = await seedPosition(db, { userId: user, market, shares: "3.333333", costBasis: "1" });
    const closed = await seedPosition(db, { userId: await seedUser(db), market, shares: "5", costBasis: "2" });
    await db.execute(sql`UPDATE positions SET status = 'closed' WHERE id = ${closed}`);
    const at = new Date().toISOString();
    const counts = await writePrices(db, [{ token_id: market.tokenIds[0], bid: "0.333", ask: null, last: null, src: "poll", at }], []);
    expect(counts.positions).toBe(1);
    const p = await db.execute<{ pnl_amount: string; price_source: string }>(sql`SELECT pnl_amount, price_source FROM positions WHERE id = ${id}`);
    // 3.333333 × 0.333 − 1 = 0.109999889 → rounded (not truncated) to 0.110000
    expect(p.rows[0]).toEqual({ pnl_amount: "0.110000", price_source: "poll" });
  });

  it("does nothing for an empty flush and ignores unknown ids", async () => {
    expect(await writePrices(db, [], [])).toEqual({ markets: 0, tokens: 0, positions: 0 });
    const at = new Date().toISOString();
    expect(await writePrices(db, [{ token_id: "404", bid: "0.5", ask: null, last: null, src: "ws", at }], [{ id: "nope", prices: ["0.5"], src: "ws" }])).toEqual({
      markets: 0,
      tokens: 0,
      positions: 0,
    });
  });
});
