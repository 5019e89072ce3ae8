// The streamer's Postgres reads: token→market mapping and the truth to reconcile intent against.
import { sql } from "drizzle-orm";
import type { Db } from "../workers/db/client";
import { loadArmedTriggers } from "../workers/triggers/store";
import type { ArmedTrigger } from "../workers/triggers/types";
import type { TokenMeta } from "./token-meta";

export interface MetaWithPrices {
  metas: TokenMeta[];
  prices: Map<string, (string | null)[]>;
}

/**
 * The mapping of every token of the markets the given tokens belong to (both outcomes, not only
 * the asked one: a move on either must reach markets.outcome_prices), with each market's last prices.
 */
export async function loadTokenMeta(db: Db, tokenIds: readonly string[]): Promise<MetaWithPrices> {
  if (tokenIds.length === 0) return { metas: [], prices: new Map() };
  const res = await db.execute<{ token_id: string; market_id: string; outcome_index: number; clob_token_ids: string[]; outcome_prices: (string | null)[] }>(sql`
    SELECT mt.token_id, mt.market_id, mt.outcome_index, m.clob_token_ids, m.outcome_prices
    FROM market_tokens mt JOIN markets m ON m.id = mt.market_id
    WHERE mt.market_id IN (
      SELECT market_id FROM market_tokens WHERE token_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(tokenIds)}::jsonb)))
  `);
  const prices = new Map<string, (string | null)[]>();
  const metas = res.rows.map((r) => {
    prices.set(r.market_id, r.outcome_prices);
    return { tokenId: r.token_id, marketId: r.market_id, outcomeIndex: Number(r.outcome_index), marketTokens: r.clob_token_ids };
  });
  return { metas, prices };
}

/** Every open position's token, keyed by the intent reference "pos:<id>". */
export async function loadOpenPositions(db: Db): Promise<Map<string, string[]>> {
  const res = await db.execute<{ id: string; token_id: string }>(sql`SELECT id, token_id FROM positions WHERE status <> 'closed'`);
  const truth = new Map<string, string[]>();
  for (const r of res.rows) truth.set(`pos:${r.id}`, [r.token_id]);
  return truth;
}

/** What Postgres says the streamer should hold, as read at `readAt`: refs → tokens (whole markets) and armed triggers. */
export interface Truth {
  readAt: number;
  refs: Map<string, string[]>;
  triggers: ArmedTrigger[];
}

export interface MarketExpansion {
  learn(tokens: readonly string[]): Promise<void>;
  expand(tokens: readonly string[]): string[];
}

export async function readTruth(db: Db, now: () => number, markets: MarketExpansion): Promise<Truth> {
  const readAt = now();
  const [positions, triggers] = await Promise.all([loadOpenPositions(db), loadArmedTriggers(db)]);
  await markets.learn([...positions.values()].flat()); // one query for every unknown market
  const refs = new Map([...positions].map(([ref, tokens]) => [ref, markets.expand(tokens)]));
  return { readAt, refs, triggers };
}
