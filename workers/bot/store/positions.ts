// The bot's position reads, always scoped to the asking user: cards with their armed levels, pages, the portfolio.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { TickSize } from "../../polymarket/types";
import { tickSizeOf } from "../../polymarket/ws-schemas";
import { type Micros, toMicros } from "../../money/micros";
import { POSITIONS_PAGE_SIZE } from "../screens/positions";
import type { Portfolio, PositionCard, TriggerView } from "../screens/view-data";

type Row = Record<string, unknown>;

/** numeric(8,6) text ("0.010000") to the tick the venue names; an unknown one reads as a cent. */
const tickOf = (v: unknown): TickSize => tickSizeOf(String(v ?? "")) ?? "0.01";

const m = (v: unknown): Micros => toMicros(String(v));
const mOpt = (v: unknown): Micros | null => (v === null || v === undefined ? null : toMicros(String(v)));
const time = (v: unknown): number | null => (v === null || v === undefined ? null : new Date(v as string | Date).getTime());

/** Armed levels as JSON with decimals as text (never binary floats). */
const TRIGGERS_JSON = sql`coalesce((
  SELECT json_agg(json_build_object('kind', t.kind, 'price', t.price::text, 'trail', t.trail::text, 'spec', t.spec, 'any_price', t.any_price) ORDER BY t.kind)
  FROM triggers t WHERE t.position_id = p.id AND t.status = 'armed'), '[]')`;

const CARD_COLUMNS = sql`p.id, p.market_id, p.outcome, p.mode, p.status, p.shares, p.cost_basis, p.avg_price, p.current_price,
  p.price_source, p.price_at, p.realized_pnl, p.close_reason, p.closed_at, p.token_id,
  m.question, m.tick_size::text AS tick_size, (m.active AND NOT m.closed AND m.accepting_orders) AS tradeable, ${TRIGGERS_JSON} AS triggers`;

function cardFrom(r: Row): PositionCard & { tokenId: string } {
  const triggers = (Array.isArray(r.triggers) ? r.triggers : []) as Row[];
  return {
    id: Number(r.id),
    marketId: String(r.market_id),
    tokenId: String(r.token_id),
    question: String(r.question),
    outcome: String(r.outcome),
    mode: r.mode === "live" ? "live" : "paper",
    status: r.status === "closed" ? "closed" : r.status === "closing" ? "closing" : "active",
    shares: m(r.shares),
    costBasis: m(r.cost_basis),
    avgPrice: m(r.avg_price),
    currentPrice: mOpt(r.current_price),
    priceSource: r.price_source === null || r.price_source === undefined ? null : String(r.price_source),
    priceAt: time(r.price_at),
    realizedPnl: m(r.realized_pnl),
    closeReason: r.close_reason === null || r.close_reason === undefined ? null : String(r.close_reason),
    closedAt: time(r.closed_at),
    marketTradeable: r.tradeable === true,
    tickSize: tickOf(r.tick_size),
    triggers: triggers.map(
      (t): TriggerView => ({
        kind: t.kind === "stop_loss" ? "stop_loss" : t.kind === "trailing_stop" ? "trailing_stop" : "take_profit",
        price: mOpt(t.price),
        trail: mOpt(t.trail),
        spec: t.spec === null || t.spec === undefined ? null : String(t.spec),
        ...(t.any_price === true ? { anyPrice: true } : {}),
      }),
    ),
  };
}

/** The user's position, or null when there is none with that id FOR THIS USER (forged ids look missing). */
export async function loadPositionCard(db: Db, userId: number, positionId: number): Promise<(PositionCard & { tokenId: string }) | null> {
  const res = await db.execute(sql`SELECT ${CARD_COLUMNS} FROM positions p JOIN markets m ON m.id = p.market_id WHERE p.id = ${positionId} AND p.user_id = ${userId}`);
  return res.rows[0] ? cardFrom(res.rows[0]) : null;
}

export interface PositionPage {
  items: PositionCard[];
  hasNext: boolean;
}

export async function listOpenPositions(db: Db, userId: number, mode: "paper" | "live", page: number): Promise<PositionPage> {
  const res = await db.execute(sql`
    SELECT ${CARD_COLUMNS} FROM positions p JOIN markets m ON m.id = p.market_id
    WHERE p.user_id = ${userId} AND p.mode = ${mode} AND p.status <> 'closed'
    ORDER BY p.opened_at DESC, p.id DESC LIMIT ${POSITIONS_PAGE_SIZE + 1} OFFSET ${page * POSITIONS_PAGE_SIZE}`);
  return { items: res.rows.slice(0, POSITIONS_PAGE_SIZE).map(cardFrom), hasNext: res.rows.length > POSITIONS_PAGE_SIZE };
}

export async function listClosedPositions(db: Db, userId: number, page: number): Promise<PositionPage> {
  const res = await db.execute(sql`
    SELECT ${CARD_COLUMNS} FROM positions p JOIN markets m ON m.id = p.market_id
    WHERE p.user_id = ${userId} AND p.status = 'closed'
    ORDER BY p.closed_at DESC NULLS LAST, p.id DESC LIMIT ${POSITIONS_PAGE_SIZE + 1} OFFSET ${page * POSITIONS_PAGE_SIZE}`);
  return { items: res.rows.slice(0, POSITIONS_PAGE_SIZE).map(cardFrom), hasNext: res.rows.length > POSITIONS_PAGE_SIZE };
}

/**
 * Value and P&L of every open position of a mode, in exact numeric: each position at its current
 * price (rounded half-up to micros, as the streamer's flush does) or at cost when unpriced.
 */
export async function portfolio(db: Db, user: { id: number; mode: "paper" | "live"; paperCash: Micros; paperDeposits: Micros }): Promise<Portfolio & { otherModeOpen: number }> {
  const res = await db.execute(sql`
    SELECT
      coalesce(sum(CASE WHEN current_price IS NULL THEN cost_basis ELSE round(shares * current_price, 6) END) FILTER (WHERE mode = ${user.mode}), 0)::text AS value,
      coalesce(sum(round(shares * current_price, 6) - cost_basis) FILTER (WHERE mode = ${user.mode} AND current_price IS NOT NULL), 0)::text AS pnl,
      count(*) FILTER (WHERE mode = ${user.mode} AND current_price IS NULL) AS unpriced,
      count(*) FILTER (WHERE mode <> ${user.mode}) AS other
    FROM positions WHERE user_id = ${user.id} AND status <> 'closed'`);
  const r = res.rows[0]!;
  return {
    mode: user.mode,
    cash: user.mode === "paper" ? user.paperCash : null,
    deposits: user.paperDeposits,
    positionsValue: m(r.value),
    unrealizedPnl: m(r.pnl),
    unpriced: Number(r.unpriced),
    otherModeOpen: Number(r.other),
  };
}
