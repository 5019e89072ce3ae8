// Reads for trading: the user, the token's market, positions and orders, parsed from rows into micros.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { feeScheduleOf } from "../money/fees";
import { type Micros, toMicros, toNumericString } from "../money/micros";
import type { MarketVersion } from "../polymarket/contracts";
import { TICK_SIZES, type TickSize } from "../polymarket/types";
import { log } from "../lib/log";
import { SEALED_WALLET_COLUMNS, type SealedWallet } from "../wallets/wallet-store";
import type { MarketInfo, RecordedOrder, TradingUser } from "./ports";
import type { PositionView, TradingMode } from "./results";

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const micros = (v: unknown): Micros => toMicros(String(v));
const microsOpt = (v: unknown): Micros | null => (v === null || v === undefined ? null : micros(v));
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** The part of users.settings trading reads; the rest belongs to the bot. */
const tradingSettings = z.object({ slippageBps: z.number().int().min(0).max(10_000).optional() }).loose();

export function userFromRow(r: Row): TradingUser {
  const settings = tradingSettings.safeParse(r.settings ?? {});
  return {
    id: num(r.id),
    mode: r.mode === "live" ? "live" : "paper",
    paperCash: micros(r.paper_cash),
    paperDeposits: micros(r.paper_deposits),
    paperEpoch: num(r.paper_epoch),
    slippageBps: settings.success ? settings.data.slippageBps : undefined,
  };
}

function tickOf(text: unknown, marketId: string): TickSize {
  const m = micros(text);
  const tick = TICK_SIZES.find((t) => toMicros(t) === m);
  if (tick) return tick;
  log.warn("trading_unknown_tick_size", { market_id: marketId, tick_size: String(text) });
  return "0.01";
}

export function marketFromRow(r: Row): MarketInfo {
  const marketId = String(r.market_id);
  return {
    marketId,
    conditionId: String(r.condition_id),
    tokenId: String(r.token_id),
    outcome: String(r.outcome),
    tickSize: tickOf(r.tick_size, marketId),
    negRisk: r.neg_risk === true,
    version: (r.version === "v2" ? "v2" : "v1") satisfies MarketVersion,
    minOrderSize: micros(r.min_order_size),
    tradeable: r.active === true && r.closed !== true && r.accepting_orders === true,
    fees: feeScheduleOf(r.fee_rate === null || r.fee_rate === undefined ? null : String(r.fee_rate), r.fee_exponent === undefined ? null : Number(r.fee_exponent)),
  };
}

export function positionFromRow(r: Row): PositionView {
  return {
    id: num(r.id),
    userId: num(r.user_id),
    marketId: String(r.market_id),
    tokenId: String(r.token_id),
    outcome: String(r.outcome),
    mode: (r.mode === "live" ? "live" : "paper") satisfies TradingMode,
    status: r.status === "closed" ? "closed" : r.status === "closing" ? "closing" : "active",
    shares: micros(r.shares),
    costBasis: micros(r.cost_basis),
    avgPrice: micros(r.avg_price),
    realizedPnl: micros(r.realized_pnl),
    closeReason: r.close_reason === null || r.close_reason === undefined ? null : String(r.close_reason),
    claimId: r.claim_id === null || r.claim_id === undefined ? null : String(r.claim_id),
  };
}

export interface OrderRow extends RecordedOrder {
  positionId: number | null;
  marketId: string;
  mode: TradingMode;
  orderType: string;
  reason: string;
  status: string;
  venueStatus: string | null;
  filledShares: Micros;
  filledAmount: Micros;
  avgPrice: Micros | null;
  fees: Micros;
  /** SELL: realised P&L of this sale once settled (null before, or for rows older than the column). */
  realizedPnl: Micros | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export function orderFromRow(r: Row): OrderRow {
  return {
    id: num(r.id),
    clientOrderId: String(r.client_order_id),
    userId: num(r.user_id),
    positionId: r.position_id === null || r.position_id === undefined ? null : num(r.position_id),
    marketId: String(r.market_id),
    tokenId: String(r.token_id),
    mode: r.mode === "live" ? "live" : "paper",
    side: r.side === "SELL" ? "SELL" : "BUY",
    orderType: String(r.order_type),
    reason: String(r.reason),
    requestedAmount: micros(r.requested_amount),
    worstPrice: microsOpt(r.worst_price),
    status: String(r.status),
    venueOrderId: r.venue_order_id === null || r.venue_order_id === undefined ? null : String(r.venue_order_id),
    venueStatus: r.venue_status === null || r.venue_status === undefined ? null : String(r.venue_status),
    filledShares: micros(r.filled_shares),
    filledAmount: micros(r.filled_amount),
    avgPrice: microsOpt(r.avg_price),
    fees: micros(r.fees),
    realizedPnl: microsOpt(r.realized_pnl),
    errorCode: r.error_code === null || r.error_code === undefined ? null : String(r.error_code),
    errorMessage: r.error_message === null || r.error_message === undefined ? null : String(r.error_message),
    createdAt: date(r.created_at),
  };
}

export interface BuyContext {
  user: TradingUser | null;
  market: MarketInfo | null;
  /** An earlier live order on this token whose outcome is not known yet. */
  unsettledOrderId: number | null;
  /** The order already recorded under this client id (a repeated confirm). */
  existingOrderId: number | null;
}

/**
 * The market columns trading reads. Numerics are cast to text: inside row_to_json they would
 * become JSON numbers, i.e. binary floats once parsed.
 */
export const MARKET_COLUMNS = sql`mt.token_id, mt.outcome, m.id AS market_id, m.condition_id, m.tick_size::text AS tick_size,
  m.neg_risk, m.version, m.min_order_size::text AS min_order_size, m.active, m.closed, m.accepting_orders,
  m.fee_rate::text AS fee_rate, m.fee_exponent`;
const USER_COLUMNS = sql`id, mode, paper_cash::text AS paper_cash, paper_deposits::text AS paper_deposits, paper_epoch, settings`;

/** Everything a buy needs to decide, in one round trip. */
export async function loadBuyContext(db: Db, userId: number, tokenId: string, clientOrderId: string): Promise<BuyContext> {
  const res = await db.execute(sql`
    SELECT u.id, u.mode, u.paper_cash, u.paper_deposits, u.paper_epoch, u.settings,
      (SELECT row_to_json(x) FROM (SELECT ${MARKET_COLUMNS}
        FROM market_tokens mt JOIN markets m ON m.id = mt.market_id WHERE mt.token_id = ${tokenId}) x) AS market,
      (SELECT o.id FROM orders o WHERE o.user_id = u.id AND o.token_id = ${tokenId} AND o.mode = 'live' AND u.mode = 'live'
         AND o.status IN ('submitted', 'unknown') ORDER BY o.id LIMIT 1) AS unsettled_order_id,
      (SELECT o.id FROM orders o WHERE o.client_order_id = ${clientOrderId}) AS existing_order_id
    FROM users u WHERE u.id = ${userId}`);
  const r = res.rows[0];
  if (!r) return { user: null, market: null, unsettledOrderId: null, existingOrderId: null };
  return {
    user: userFromRow(r),
    market: r.market ? marketFromRow(r.market as Row) : null,
    unsettledOrderId: r.unsettled_order_id === null ? null : num(r.unsettled_order_id),
    existingOrderId: r.existing_order_id === null ? null : num(r.existing_order_id),
  };
}

/**
 * A user who never had a paper account gets the start balance (cash = deposits = start).
 * Conditional, so concurrent first trades initialise it once.
 */
export async function ensurePaperAccount(db: Db, user: TradingUser, start: Micros): Promise<TradingUser> {
  if (user.paperEpoch !== 0 || user.paperDeposits !== 0n) return user;
  const s = toNumericString(start);
  const res = await db.execute(sql`
    UPDATE users SET paper_cash = ${s}::numeric, paper_deposits = ${s}::numeric, updated_at = now()
    WHERE id = ${user.id} AND paper_epoch = 0 AND paper_deposits = 0
    RETURNING id, mode, paper_cash, paper_deposits, paper_epoch, settings`);
  if (res.rows[0]) return userFromRow(res.rows[0]);
  const again = await db.execute(sql`SELECT id, mode, paper_cash, paper_deposits, paper_epoch, settings FROM users WHERE id = ${user.id}`);
  return userFromRow(again.rows[0]!);
}

export async function loadMarket(db: Db, tokenId: string): Promise<MarketInfo | null> {
  const res = await db.execute(sql`SELECT ${MARKET_COLUMNS} FROM market_tokens mt JOIN markets m ON m.id = mt.market_id WHERE mt.token_id = ${tokenId}`);
  return res.rows[0] ? marketFromRow(res.rows[0]) : null;
}

export async function loadUser(db: Db, userId: number): Promise<TradingUser | null> {
  const res = await db.execute(sql`SELECT ${USER_COLUMNS} FROM users WHERE id = ${userId}`);
  return res.rows[0] ? userFromRow(res.rows[0]) : null;
}

export async function loadPosition(db: Db, positionId: number): Promise<PositionView | null> {
  const res = await db.execute(sql`SELECT * FROM positions WHERE id = ${positionId}`);
  return res.rows[0] ? positionFromRow(res.rows[0]) : null;
}

export async function loadOrder(db: Db, orderId: number): Promise<OrderRow | null> {
  const res = await db.execute(sql`SELECT * FROM orders WHERE id = ${orderId}`);
  return res.rows[0] ? orderFromRow(res.rows[0]) : null;
}

/** A live order on this token whose outcome is not known yet (it must be reconciled first). */
export async function unsettledLiveOrder(db: Db, userId: number, tokenId: string): Promise<number | null> {
  const res = await db.execute(sql`
    SELECT id FROM orders WHERE user_id = ${userId} AND token_id = ${tokenId} AND mode = 'live' AND status IN ('submitted', 'unknown')
    ORDER BY id LIMIT 1`);
  return res.rows[0] ? Number(res.rows[0].id) : null;
}

export interface SaleContext {
  position: PositionView;
  market: MarketInfo | null;
  user: TradingUser;
  unsettledOrderId: number | null;
  /** A live position's wallet row (still sealed), read with the claim so signing needs no extra round trip. */
  sealedWallet?: SealedWallet | null;
}

/**
 * The claim ('active' → 'closing', one winner) and everything the sale needs, in one round trip.
 * null when the position was not claimable (not found, not the user's, closing or closed).
 */
export async function claimForSale(db: Db, p: { positionId: number; userId: number; claimId: string; claimedBy: string }): Promise<SaleContext | null> {
  const res = await db.execute(sql`
    WITH c AS (
      UPDATE positions SET status = 'closing', claim_id = ${p.claimId}, claimed_by = ${p.claimedBy}, claimed_at = now(), updated_at = now()
      WHERE id = ${p.positionId} AND status = 'active' AND user_id = ${p.userId} RETURNING *
    )
    SELECT c.*,
      (SELECT row_to_json(x) FROM (SELECT ${MARKET_COLUMNS} FROM market_tokens mt JOIN markets m ON m.id = mt.market_id WHERE mt.token_id = c.token_id) x) AS market_row,
      (SELECT row_to_json(u) FROM (SELECT ${USER_COLUMNS} FROM users WHERE id = c.user_id) u) AS user_row,
      (SELECT o.id FROM orders o WHERE o.user_id = c.user_id AND o.token_id = c.token_id AND o.mode = 'live' AND c.mode = 'live'
         AND o.status IN ('submitted', 'unknown') ORDER BY o.id LIMIT 1) AS unsettled_order_id,
      (SELECT row_to_json(w) FROM (SELECT ${SEALED_WALLET_COLUMNS} FROM wallets WHERE user_id = c.user_id AND c.mode = 'live') w) AS wallet_row
    FROM c`);
  const r = res.rows[0];
  if (!r) return null;
  return {
    position: positionFromRow(r),
    market: r.market_row ? marketFromRow(r.market_row as Row) : null,
    user: userFromRow(r.user_row as Row),
    unsettledOrderId: r.unsettled_order_id === null ? null : num(r.unsettled_order_id),
    ...(r.mode === "live" ? { sealedWallet: (r.wallet_row as SealedWallet | null) ?? null } : {}),
  };
}
