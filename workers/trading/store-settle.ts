// Claims and settlements: who may sell a position, and one atomic write of order + position + cash per fill.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type Micros, toMicros, toNumericString } from "../money/micros";
import { avgPrice } from "./position-math";
import { DUST_SHARES } from "./pricing";
import { log } from "../lib/log";
import { positionFromRow } from "./store-read";
import type { MarketInfo } from "./ports";
import type { PositionView, RejectReason, TradingMode } from "./results";

const n = toNumericString;

export type ClaimResult =
  | { ok: true; claimId: string; position: PositionView }
  | { ok: false; reason: Extract<RejectReason, "position_not_found" | "position_closed" | "already_being_sold"> };

/**
 * The one conditional state change that decides who sells a position: 'active' → 'closing' with
 * this claim id. Of any number of concurrent claimants exactly one gets the row back.
 */
export async function claimPosition(db: Db, p: { positionId: number; userId?: number; claimId: string; claimedBy: string }): Promise<ClaimResult> {
  const res = await db.execute(sql`
    UPDATE positions SET status = 'closing', claim_id = ${p.claimId}, claimed_by = ${p.claimedBy}, claimed_at = now(), updated_at = now()
    WHERE id = ${p.positionId} AND status = 'active' AND (${p.userId ?? null}::bigint IS NULL OR user_id = ${p.userId ?? null}::bigint)
    RETURNING *`);
  if (res.rows[0]) return { ok: true, claimId: p.claimId, position: positionFromRow(res.rows[0]) };
  return { ok: false, reason: await whyNotClaimable(db, p.positionId, p.userId) };
}

/** Why a claim failed: no such position (for this user), closed, or someone else is selling it. */
export async function whyNotClaimable(db: Db, positionId: number, userId?: number): Promise<Extract<RejectReason, "position_not_found" | "position_closed" | "already_being_sold">> {
  const seen = await db.execute(sql`SELECT status, user_id FROM positions WHERE id = ${positionId}`);
  const row = seen.rows[0];
  if (!row || (userId !== undefined && Number(row.user_id) !== userId)) return "position_not_found";
  return row.status === "closed" ? "position_closed" : "already_being_sold";
}

/** Gives a claim back (nothing was sent). Only the holder of the claim can. */
export async function releaseClaim(db: Db, positionId: number, claimId: string): Promise<boolean> {
  const res = await db.execute(sql`
    UPDATE positions SET status = 'active', claim_id = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = now()
    WHERE id = ${positionId} AND claim_id = ${claimId} AND status = 'closing' RETURNING id`);
  return res.rows.length > 0;
}

/**
 * Releases a claim left behind by a crash between the claim and the order insert — only after
 * checking, under the position's row lock, that no order was recorded for it (an order is always
 * recorded before the venue is called, so no order means nothing was sent).
 */
export async function releaseOrphanClaim(db: Db, positionId: number, claimId: string, clientOrderId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`SELECT id FROM positions WHERE id = ${positionId} AND claim_id = ${claimId} AND status = 'closing' FOR UPDATE`);
    if (locked.rows.length === 0) return false;
    const order = await tx.execute(sql`SELECT id FROM orders WHERE client_order_id = ${clientOrderId}`);
    if (order.rows.length > 0) return false;
    await tx.execute(sql`UPDATE positions SET status = 'active', claim_id = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = now() WHERE id = ${positionId}`);
    return true;
  });
}

export interface BuyFill {
  orderId: number;
  userId: number;
  mode: TradingMode;
  market: MarketInfo;
  shares: Micros;
  usdc: Micros;
  fees: Micros;
  complete: boolean;
  venueStatus: string;
  /** The best bid seen when buying and where it came from: the position's price and P&L start there. */
  mark?: { price: Micros; source: string } | null;
}

export type BuySettlement = { ok: true; position: PositionView } | { ok: false; reason: "insufficient_balance" | "already_settled" };

/**
 * One statement: the order (still open, locked) becomes filled, paper cash pays usdc + fees
 * (only if enough is left), and the open position for (user, token, mode) is created or grows.
 * The average entry is recomputed exactly in SQL: div() is integer division, so
 * div(2·cost·10^12 + shares·10^6, 2·shares·10^6) = round_half_up(cost ÷ shares · 10^6).
 * A paper position takes the epoch from the row that paid for it (a reset between pricing and
 * settling cannot leave it in an archived epoch).
 */
export async function settleBuy(db: Db, f: BuyFill): Promise<BuySettlement> {
  const paper = f.mode === "paper";
  const cost = f.usdc + f.fees;
  const avg = avgPrice({ shares: f.shares, costBasis: cost });
  const status = f.complete ? "filled" : "partially_filled";
  const mark = f.mark ? n(f.mark.price) : null;
  const markSource = f.mark ? f.mark.source : null;
  const res = await db.execute(sql`
    WITH o AS (
      SELECT id FROM orders WHERE id = ${f.orderId} AND status IN ('pending', 'submitted', 'unknown') FOR UPDATE
    ), cash AS (
      UPDATE users SET paper_cash = paper_cash - ${n(cost)}::numeric, updated_at = now()
      WHERE id = ${f.userId} AND ${paper}::boolean AND paper_cash >= ${n(cost)}::numeric AND EXISTS (SELECT 1 FROM o)
      RETURNING paper_epoch
    ), go AS (
      SELECT (SELECT paper_epoch FROM cash) AS epoch
      WHERE EXISTS (SELECT 1 FROM o) AND (NOT ${paper}::boolean OR EXISTS (SELECT 1 FROM cash))
    ), pos AS (
      INSERT INTO positions (user_id, market_id, token_id, outcome, mode, paper_epoch, status, shares, cost_basis, avg_price,
        current_price, pnl_amount, price_source, price_at)
      SELECT ${f.userId}, ${f.market.marketId}, ${f.market.tokenId}, ${f.market.outcome}, ${f.mode}, COALESCE(go.epoch, 0), 'active',
        ${n(f.shares)}::numeric, ${n(cost)}::numeric, ${n(avg)}::numeric, ${mark}::numeric,
        round(${n(f.shares)}::numeric * ${mark}::numeric - ${n(cost)}::numeric, 6),
        ${markSource}, CASE WHEN ${mark}::numeric IS NULL THEN NULL ELSE now() END FROM go
      ON CONFLICT (user_id, token_id, mode) WHERE status <> 'closed' DO UPDATE SET
        shares = positions.shares + EXCLUDED.shares,
        cost_basis = positions.cost_basis + EXCLUDED.cost_basis,
        avg_price = div((positions.cost_basis + EXCLUDED.cost_basis) * 2000000000000 + (positions.shares + EXCLUDED.shares) * 1000000,
                        (positions.shares + EXCLUDED.shares) * 2000000) * 0.000001,
        current_price = COALESCE(EXCLUDED.current_price, positions.current_price),
        pnl_amount = round((positions.shares + EXCLUDED.shares) * COALESCE(EXCLUDED.current_price, positions.current_price)
                           - (positions.cost_basis + EXCLUDED.cost_basis), 6),
        price_source = COALESCE(EXCLUDED.price_source, positions.price_source),
        price_at = COALESCE(EXCLUDED.price_at, positions.price_at),
        updated_at = now()
      RETURNING *
    ), ord AS (
      UPDATE orders SET status = ${status}, position_id = pos.id, filled_shares = ${n(f.shares)}::numeric,
        filled_amount = ${n(f.usdc)}::numeric, avg_price = ${n(avgPrice({ shares: f.shares, costBasis: f.usdc }))}::numeric,
        fees = ${n(f.fees)}::numeric, venue_status = ${f.venueStatus}, settled_at = now(), updated_at = now()
      FROM pos WHERE orders.id = ${f.orderId} RETURNING orders.id
    )
    SELECT pos.*, (SELECT count(*) FROM o) AS open_orders, (SELECT count(*) FROM ord) AS settled FROM pos`);
  const row = res.rows[0];
  if (row) return { ok: true, position: positionFromRow(row) };
  const still = await db.execute(sql`SELECT 1 FROM orders WHERE id = ${f.orderId} AND status IN ('pending', 'submitted', 'unknown')`);
  return { ok: false, reason: still.rows.length > 0 ? "insufficient_balance" : "already_settled" };
}

export interface SellFill {
  orderId: number;
  positionId: number;
  claimId: string;
  mode: TradingMode;
  reason: string;
  shares: Micros;
  usdc: Micros;
  fees: Micros;
  complete: boolean;
  venueStatus: string;
}

export type SellSettlement =
  | { ok: true; position: PositionView; realized: Micros }
  | { ok: false; reason: "already_settled" | "claim_lost" };

/**
 * One statement: the order (still open, locked) is filled, the position (locked) shrinks by the
 * sold shares with a pro-rata cost portion and realised P&L, or closes when less than 0.01 share
 * is left (the dust's cost is written off: position-math.ts applySell is the same rule in
 * TypeScript and the tests hold the two together), its claim is released, and paper cash
 * receives the proceeds. The portion is exact: div() is integer division, so
 * div(2·cost·sold·10^12 + shares·10^6, 2·shares·10^6) = round_half_up(cost·sold ÷ shares · 10^6).
 * A paper position whose claim is gone (an account reset took it) is not touched: the simulated
 * fill is void. A live fill happened on the venue, so it is applied regardless.
 */
export async function settleSell(db: Db, f: SellFill): Promise<SellSettlement> {
  const paper = f.mode === "paper";
  const proceeds = n(f.usdc > f.fees ? f.usdc - f.fees : 0n);
  const sold = n(f.shares);
  const res = await db.execute(sql`
    WITH o AS (
      SELECT id FROM orders WHERE id = ${f.orderId} AND status IN ('pending', 'submitted', 'unknown') FOR UPDATE
    ), p AS (
      SELECT id, user_id, shares, cost_basis, status, (claim_id IS NOT DISTINCT FROM ${f.claimId} AND status = 'closing') AS held
      FROM positions WHERE id = ${f.positionId} AND EXISTS (SELECT 1 FROM o) FOR UPDATE
    ), calc AS (
      SELECT p.id, p.user_id, p.held, p.shares - ${sold}::numeric AS left_shares, p.shares - ${sold}::numeric < ${n(DUST_SHARES)}::numeric AS closes,
        CASE WHEN p.shares - ${sold}::numeric < ${n(DUST_SHARES)}::numeric THEN p.cost_basis
          ELSE div(p.cost_basis * ${sold}::numeric * 2000000000000 + p.shares * 1000000, p.shares * 2000000) * 0.000001 END AS portion
      FROM p WHERE p.shares >= ${sold}::numeric AND p.status <> 'closed' AND (p.held OR NOT ${paper}::boolean)
    ), up AS (
      UPDATE positions SET
        shares = CASE WHEN calc.closes THEN 0 ELSE calc.left_shares END,
        cost_basis = positions.cost_basis - calc.portion,
        realized_pnl = positions.realized_pnl + ${proceeds}::numeric - calc.portion,
        status = CASE WHEN calc.closes THEN 'closed' WHEN calc.held THEN 'active' ELSE positions.status END,
        claim_id = CASE WHEN calc.held THEN NULL ELSE positions.claim_id END,
        claimed_by = CASE WHEN calc.held THEN NULL ELSE positions.claimed_by END,
        claimed_at = CASE WHEN calc.held THEN NULL ELSE positions.claimed_at END,
        pnl_amount = CASE WHEN calc.closes THEN 0 WHEN positions.current_price IS NULL THEN NULL
          ELSE round(calc.left_shares * positions.current_price - (positions.cost_basis - calc.portion), 6) END,
        closed_at = CASE WHEN calc.closes THEN now() ELSE NULL END,
        close_reason = CASE WHEN calc.closes THEN ${f.reason} ELSE positions.close_reason END,
        updated_at = now()
      FROM calc WHERE positions.id = calc.id
      RETURNING positions.*, calc.portion AS cost_portion
    ), ord AS (
      UPDATE orders SET status = ${f.complete ? "filled" : "partially_filled"}, filled_shares = ${sold}::numeric,
        filled_amount = ${n(f.usdc)}::numeric, avg_price = ${n(avgPrice({ shares: f.shares, costBasis: f.usdc }))}::numeric,
        fees = ${n(f.fees)}::numeric, realized_pnl = ${proceeds}::numeric - up.cost_portion,
        venue_status = ${f.venueStatus}, settled_at = now(), updated_at = now()
      FROM up WHERE orders.id = ${f.orderId} RETURNING orders.id
    ), cash AS (
      UPDATE users SET paper_cash = paper_cash + ${proceeds}::numeric, updated_at = now()
      FROM up WHERE users.id = up.user_id AND ${paper}::boolean RETURNING users.id
    )
    SELECT up.*, (SELECT count(*) FROM ord) AS settled, (SELECT count(*) FROM cash) AS paid FROM up`);
  const row = res.rows[0];
  if (row) return { ok: true, position: positionFromRow(row), realized: toMicros(proceeds) - toMicros(String(row.cost_portion)) };
  const failed = await db.execute(sql`
    UPDATE orders SET status = 'failed', error_code = 'claim_lost', settled_at = now(), updated_at = now()
    WHERE id = ${f.orderId} AND status IN ('pending', 'submitted', 'unknown') RETURNING id`);
  if (failed.rows.length > 0 && !paper) log.error("trading_live_fill_unapplied", { order_id: f.orderId, position_id: f.positionId, shares: sold });
  return { ok: false, reason: failed.rows.length > 0 ? "claim_lost" : "already_settled" };
}
