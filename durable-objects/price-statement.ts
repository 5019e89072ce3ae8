// Debounced price writes: ONE statement per flush updates markets, market_tokens and positions
// for everything that changed, however many positions there are.
import { sql } from "drizzle-orm";
import type { Db } from "../workers/db/client";

export type PriceSource = "ws" | "poll";

/** One token's top of book at flush time (decimal strings; absent = unknown). */
export interface TokenPriceRow {
  token_id: string;
  bid: string | null;
  ask: string | null;
  last: string | null;
  src: PriceSource;
  at: string;
}

/** One market's displayed prices aligned with its outcomes. */
export interface MarketPriceRow {
  id: string;
  prices: (string | null)[];
  src: PriceSource;
}

export interface FlushCounts {
  markets: number;
  tokens: number;
  positions: number;
}

/**
 * Data-modifying CTEs make this one round trip. positions: current_price is the best bid (what a
 * sell gets at the top of the book) and pnl_amount = shares × bid − cost basis, rounded to micros;
 * tokens without a bid leave their positions' prices as they were.
 */
export async function writePrices(db: Db, tokens: TokenPriceRow[], markets: MarketPriceRow[]): Promise<FlushCounts> {
  if (tokens.length === 0 && markets.length === 0) return { markets: 0, tokens: 0, positions: 0 };
  const result = await db.execute<{ markets: string; tokens: string; positions: string }>(sql`
    WITH tok AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(tokens)}::jsonb)
        AS v(token_id text, bid numeric, ask numeric, last numeric, src text, at timestamptz)
    ), mk AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(markets)}::jsonb) AS m(id text, prices jsonb, src text)
    ), um AS (
      UPDATE markets SET outcome_prices = mk.prices, source = mk.src, updated_at = now()
      FROM mk WHERE markets.id = mk.id
      RETURNING 1
    ), ut AS (
      UPDATE market_tokens SET best_bid = tok.bid, best_ask = tok.ask,
        last_trade_price = COALESCE(tok.last, market_tokens.last_trade_price),
        price_source = tok.src, price_updated_at = tok.at
      FROM tok WHERE market_tokens.token_id = tok.token_id
      RETURNING 1
    ), up AS (
      UPDATE positions SET current_price = tok.bid,
        pnl_amount = round(positions.shares * tok.bid - positions.cost_basis, 6),
        price_source = tok.src, price_at = tok.at, updated_at = now()
      FROM tok WHERE positions.token_id = tok.token_id AND positions.status <> 'closed' AND tok.bid IS NOT NULL
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM um) AS markets, (SELECT count(*) FROM ut) AS tokens, (SELECT count(*) FROM up) AS positions
  `);
  const row = result.rows[0]!;
  return { markets: Number(row.markets), tokens: Number(row.tokens), positions: Number(row.positions) };
}
