// Market sync: every active Gamma market into `markets` and `market_tokens`, a few hundred rows per
// statement, without touching the live prices the streamer owns.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { log } from "../lib/log";
import type { GammaClient } from "../polymarket/gamma-client";
import { normalizeMarkets, type MarketRecord } from "./normalize";

/**
 * Markets per upsert statement. Each statement binds two parameters (the batch as one JSON value and
 * the time), so Postgres' 65,535-parameter limit never applies; 500 keeps one JSON value near 1 MB.
 */
export const SYNC_BATCH_SIZE = 500;

export interface SyncMarketsDeps {
  db: Db;
  gamma: Pick<GammaClient, "listActiveMarkets">;
  /** ms epoch. */
  now: () => number;
  batchSize?: number;
}

export interface SyncMarketsResult {
  /** Market objects Gamma returned (parsed or not). */
  fetched: number;
  /** Markets written (inserted or refreshed); fetched = upserted + skipped. */
  upserted: number;
  inserted: number;
  /** malformed + noTokens + unsupported + duplicates. */
  skipped: number;
  malformed: number;
  noTokens: number;
  unsupported: number;
  /** Seen twice in one listing, or sharing a token id with an earlier market. */
  duplicates: number;
  pages: number;
  mode: "keyset" | "offset" | "none";
  ms: number;
}

export interface UpsertCounts {
  written: number;
  inserted: number;
  tokens: number;
}

/**
 * Upserts markets and their tokens in ONE statement. A market whose `source` is 'ws' or 'poll'
 * keeps its outcome_prices, source and updated_at (the streamer owns them); otherwise Gamma's
 * prices are written and updated_at moves when prices or trading status changed. synced_at always
 * moves, so markets Gamma stopped listing are the ones with an old synced_at (never deleted:
 * positions reference them). Ids and token ids must be distinct within one call.
 */
export async function upsertMarkets(db: Db, records: readonly MarketRecord[], at: Date): Promise<UpsertCounts> {
  if (records.length === 0) return { written: 0, inserted: 0, tokens: 0 };
  const rows = records.map((r) => ({
    id: r.id,
    condition_id: r.conditionId,
    question: r.question,
    slug: r.slug,
    event_slug: r.eventSlug,
    event_title: r.eventTitle,
    category: r.category,
    tags: r.tags,
    description: r.description,
    clob_token_ids: r.tokenIds,
    outcomes: r.outcomes,
    outcome_prices: r.outcomePrices,
    tick_size: r.tickSize,
    neg_risk: r.negRisk,
    min_order_size: r.minOrderSize,
    fee_rate: r.feeRate,
    fee_exponent: r.feeExponent,
    version: r.version,
    active: r.active,
    closed: r.closed,
    accepting_orders: r.acceptingOrders,
    volume: r.volume,
    volume_24hr: r.volume24hr,
    liquidity: r.liquidity,
    end_date: r.endDate,
    image: r.image,
  }));
  const result = await db.execute<{ written: string; inserted: string; tokens: string }>(sql`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(
        id text, condition_id text, question text, slug text, event_slug text, event_title text, category text, tags jsonb,
        description text, clob_token_ids jsonb, outcomes jsonb, outcome_prices jsonb, tick_size numeric,
        neg_risk boolean, min_order_size numeric, fee_rate numeric, fee_exponent smallint, version text, active boolean, closed boolean,
        accepting_orders boolean, volume numeric, volume_24hr numeric, liquidity numeric, end_date timestamptz, image text)
    ), um AS (
      INSERT INTO markets AS m (id, condition_id, question, slug, event_slug, event_title, category, tags, description,
        clob_token_ids, outcomes, outcome_prices, source, tick_size, neg_risk, min_order_size, fee_rate, fee_exponent, version,
        active, closed, accepting_orders, volume, volume_24hr, liquidity, end_date, image, synced_at, created_at, updated_at)
      SELECT id, condition_id, question, slug, event_slug, event_title, category, coalesce(tags, '[]'), description,
        clob_token_ids, outcomes, outcome_prices, 'gamma', tick_size, neg_risk, min_order_size, fee_rate, fee_exponent, version,
        active, closed,
        accepting_orders, volume, volume_24hr, liquidity, end_date, image,
        ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
      FROM v
      ON CONFLICT (id) DO UPDATE SET
        condition_id = excluded.condition_id, question = excluded.question, slug = excluded.slug,
        event_slug = excluded.event_slug, event_title = excluded.event_title, category = excluded.category, tags = excluded.tags,
        description = excluded.description, clob_token_ids = excluded.clob_token_ids, outcomes = excluded.outcomes,
        tick_size = excluded.tick_size, neg_risk = excluded.neg_risk, min_order_size = excluded.min_order_size,
        fee_rate = excluded.fee_rate, fee_exponent = excluded.fee_exponent,
        version = excluded.version, active = excluded.active, closed = excluded.closed,
        accepting_orders = excluded.accepting_orders, volume = excluded.volume, volume_24hr = excluded.volume_24hr,
        liquidity = excluded.liquidity, end_date = excluded.end_date, image = excluded.image,
        outcome_prices = CASE WHEN m.source IN ('ws', 'poll') THEN m.outcome_prices ELSE excluded.outcome_prices END,
        source = CASE WHEN m.source IN ('ws', 'poll') THEN m.source ELSE 'gamma' END,
        updated_at = CASE
          WHEN m.source IN ('ws', 'poll') THEN m.updated_at
          WHEN (m.source, m.outcome_prices, m.active, m.closed, m.accepting_orders)
            IS DISTINCT FROM ('gamma', excluded.outcome_prices, excluded.active, excluded.closed, excluded.accepting_orders)
            THEN excluded.updated_at
          ELSE m.updated_at END,
        synced_at = excluded.synced_at
      RETURNING (xmax = 0) AS inserted
    ), tk AS (
      SELECT t.token_id, v.id AS market_id, v.outcomes ->> (t.ord::int - 1) AS outcome, (t.ord - 1)::smallint AS outcome_index
      FROM v CROSS JOIN LATERAL jsonb_array_elements_text(v.clob_token_ids) WITH ORDINALITY AS t(token_id, ord)
    ), ut AS (
      INSERT INTO market_tokens AS mt (token_id, market_id, outcome, outcome_index)
      SELECT token_id, market_id, outcome, outcome_index FROM tk
      ON CONFLICT (token_id) DO UPDATE SET
        market_id = excluded.market_id, outcome = excluded.outcome, outcome_index = excluded.outcome_index
      WHERE (mt.market_id, mt.outcome, mt.outcome_index)
        IS DISTINCT FROM (excluded.market_id, excluded.outcome, excluded.outcome_index)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM um) AS written, (SELECT count(*) FROM um WHERE inserted) AS inserted,
      (SELECT count(*) FROM ut) AS tokens
  `);
  const row = result.rows[0]!;
  return { written: Number(row.written), inserted: Number(row.inserted), tokens: Number(row.tokens) };
}

/** Drops markets already seen in this sync, or whose token ids an earlier market claimed. */
export function firstSightings(records: readonly MarketRecord[], ids: Set<string>, tokens: Set<string>): { fresh: MarketRecord[]; duplicates: number } {
  const fresh: MarketRecord[] = [];
  let duplicates = 0;
  for (const r of records) {
    if (ids.has(r.id) || r.tokenIds.some((t) => tokens.has(t))) {
      duplicates++;
      continue;
    }
    ids.add(r.id);
    for (const t of r.tokenIds) tokens.add(t);
    fresh.push(r);
  }
  return { fresh, duplicates };
}

/**
 * Pulls every active market from Gamma and upserts it. Writes overlap with fetching the next
 * pages (at most one statement in flight, in order); the first failed write stops the sync.
 */
export async function syncMarkets(deps: SyncMarketsDeps): Promise<SyncMarketsResult> {
  const started = deps.now();
  const batchSize = deps.batchSize ?? SYNC_BATCH_SIZE;
  const at = new Date(started);
  const r: SyncMarketsResult = { fetched: 0, upserted: 0, inserted: 0, skipped: 0, malformed: 0, noTokens: 0, unsupported: 0, duplicates: 0, pages: 0, mode: "none", ms: 0 };
  const seenIds = new Set<string>();
  const seenTokens = new Set<string>();
  let buffer: MarketRecord[] = [];
  let writes: Promise<void> = Promise.resolve();
  let failed = false;
  const flush = () => {
    const batch = buffer;
    buffer = [];
    writes = writes.then(async () => {
      const counts = await upsertMarkets(deps.db, batch, at);
      r.upserted += counts.written;
      r.inserted += counts.inserted;
    });
    // Marks the chain handled so a failure surfaces at the next await, not as an unhandled rejection.
    writes.catch(() => {
      failed = true;
    });
  };
  for await (const page of deps.gamma.listActiveMarkets()) {
    if (failed) break;
    r.pages++;
    r.mode = page.mode;
    r.fetched += page.markets.length + page.malformed;
    r.malformed += page.malformed;
    const normalized = normalizeMarkets(page.markets);
    r.malformed += normalized.malformed;
    r.noTokens += normalized.noTokens;
    r.unsupported += normalized.unsupported;
    const { fresh, duplicates } = firstSightings(normalized.markets, seenIds, seenTokens);
    r.duplicates += duplicates;
    buffer.push(...fresh);
    while (buffer.length >= batchSize) {
      const rest = buffer.splice(batchSize);
      flush();
      buffer = rest;
    }
  }
  if (buffer.length > 0) flush();
  await writes;
  r.skipped = r.malformed + r.noTokens + r.unsupported + r.duplicates;
  r.ms = deps.now() - started;
  log.info("markets_sync", { ...r });
  return r;
}
