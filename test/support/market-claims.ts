// Hands each test its own market of the local Polymarket: test files run in parallel and move
// books, so two of them must never share one. Claims are rows in a table the global setup creates.
import { sql } from "drizzle-orm";
import type { Db } from "../../workers/db/client";
import type { PmMarket } from "./polymarket-control";

export interface MarketFilter {
  tickSize?: string;
  negRisk?: boolean;
}

/** Claims a random open v1 market no other test has claimed in this run. */
export async function claimMarket(db: Db, markets: readonly PmMarket[], filter: MarketFilter = {}): Promise<PmMarket> {
  const pool = markets.filter(
    (m) => !m.closed && m.version === "v1" && (filter.tickSize === undefined || m.tickSize === filter.tickSize) && (filter.negRisk === undefined || m.negRisk === filter.negRisk),
  );
  const start = Math.floor(Math.random() * pool.length);
  for (let i = 0; i < pool.length; i++) {
    const m = pool[(start + i) % pool.length]!;
    const won = await db.execute(sql`INSERT INTO test_market_claims (market_id) VALUES (${m.id}) ON CONFLICT DO NOTHING RETURNING market_id`);
    if (won.rows.length) return m;
  }
  throw new Error("every local Polymarket market is claimed: raise marketCount in the global setup");
}

/** Markets nobody claimed yet (for tests that only read, such as subscribing 1,000 tokens). */
export async function unclaimedMarkets(db: Db, markets: readonly PmMarket[]): Promise<PmMarket[]> {
  const res = await db.execute<{ market_id: string }>(sql`SELECT market_id FROM test_market_claims`);
  const taken = new Set(res.rows.map((r) => r.market_id));
  return markets.filter((m) => !taken.has(m.id) && !m.closed);
}
