// Order rows: recorded before the venue is called (unique client id), then given their outcome exactly once.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type Micros, toNumericString } from "../money/micros";
import type { MarketOrderType, Side } from "../polymarket/types";
import type { TradingMode } from "./results";

export interface NewOrder {
  clientOrderId: string;
  userId: number;
  positionId: number | null;
  marketId: string;
  tokenId: string;
  mode: TradingMode;
  side: Side;
  orderType: MarketOrderType;
  reason: string;
  requestedAmount: Micros;
  worstPrice: Micros;
  venueOrderId: string | null;
  signedOrder: unknown;
  /** A sell is recorded only while its claim on the position still holds. */
  claimId?: string;
}

/**
 * Inserts the attempt; null when the client id exists already (a repeated confirm) or, for a
 * sell, when the claim is no longer held. Locking the claimed position row here serialises this
 * insert with the release of orphaned claims (see releaseOrphanClaim).
 */
export async function insertOrder(db: Db, o: NewOrder): Promise<number | null> {
  const signed = o.signedOrder === null || o.signedOrder === undefined ? null : JSON.stringify(o.signedOrder);
  const values = sql`${o.clientOrderId}, ${o.userId}, ${o.positionId}, ${o.marketId}, ${o.tokenId}, ${o.mode}, ${o.side},
    ${o.orderType}, ${o.reason}, ${toNumericString(o.requestedAmount)}::numeric, ${toNumericString(o.worstPrice)}::numeric,
    'pending', ${o.venueOrderId}, ${signed}::jsonb, 1`;
  const columns = sql`(client_order_id, user_id, position_id, market_id, token_id, mode, side, order_type, reason,
    requested_amount, worst_price, status, venue_order_id, signed_order, attempts)`;
  const res =
    o.claimId === undefined
      ? await db.execute(sql`INSERT INTO orders ${columns} VALUES (${values})
          ON CONFLICT (client_order_id) DO NOTHING RETURNING id`)
      : await db.execute(sql`
          WITH p AS (SELECT id FROM positions WHERE id = ${o.positionId} AND claim_id = ${o.claimId} AND status = 'closing' FOR UPDATE)
          INSERT INTO orders ${columns} SELECT ${values} FROM p
          ON CONFLICT (client_order_id) DO NOTHING RETURNING id`);
  const row = res.rows[0];
  return row ? Number(row.id) : null;
}

export interface OrderOutcome {
  status: "submitted" | "rejected" | "unknown" | "failed";
  venueStatus?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
}

const FINAL = new Set(["rejected", "failed"]);

/** Records an outcome without a fill; only while the order is still open. True when it changed. */
export async function markOrder(db: Db, orderId: number, out: OrderOutcome): Promise<boolean> {
  const final = FINAL.has(out.status);
  const res = await db.execute(sql`
    UPDATE orders SET status = ${out.status}, venue_status = COALESCE(${out.venueStatus ?? null}, venue_status),
      error_code = COALESCE(${out.errorCode ?? null}, error_code), error_message = COALESCE(${out.errorMessage ?? null}, error_message),
      settled_at = CASE WHEN ${final}::boolean THEN now() ELSE NULL END, updated_at = now()
    WHERE id = ${orderId} AND status IN ('pending', 'submitted', 'unknown') RETURNING id`);
  return res.rows.length > 0;
}

/**
 * A sell that did not fill: the order gets its final outcome and the position goes back to
 * 'active', in one statement, and only if the order was still open (a concurrent settlement of
 * the same order wins and keeps the position as it left it).
 */
export async function failSellAndRelease(
  db: Db,
  orderId: number,
  positionId: number,
  claimId: string,
  out: OrderOutcome & { status: "rejected" | "failed" },
): Promise<boolean> {
  const res = await db.execute(sql`
    WITH o AS (
      UPDATE orders SET status = ${out.status}, venue_status = COALESCE(${out.venueStatus ?? null}, venue_status),
        error_code = ${out.errorCode ?? null}, error_message = ${out.errorMessage ?? null}, settled_at = now(), updated_at = now()
      WHERE id = ${orderId} AND status IN ('pending', 'submitted', 'unknown') RETURNING id
    ), r AS (
      UPDATE positions SET status = 'active', claim_id = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = now()
      WHERE id = ${positionId} AND claim_id = ${claimId} AND status = 'closing' AND EXISTS (SELECT 1 FROM o) RETURNING id
    )
    SELECT (SELECT count(*) FROM o) AS orders`);
  return Number(res.rows[0]?.orders ?? 0) > 0;
}

/** Live orders whose outcome is still open and that are older than the cutoff (oldest first). */
export async function openOrdersOlderThan(db: Db, cutoff: Date, limit: number): Promise<number[]> {
  const res = await db.execute(sql`
    SELECT id FROM orders WHERE status IN ('pending', 'submitted', 'unknown') AND created_at < ${cutoff.toISOString()}::timestamptz
    ORDER BY id LIMIT ${limit}`);
  return res.rows.map((r) => Number(r.id));
}
