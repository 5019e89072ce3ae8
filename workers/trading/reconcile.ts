// Reconciliation: orders whose outcome is unknown are looked up on the venue and settled from what it says.
import { sql } from "drizzle-orm";
import { log } from "../lib/log";
import { claimIdOfSell, fillResult, notify, resultFromOrder, sellClientOrderId } from "./order-flow";
import { loadMarket, loadOrder, loadUser, type OrderRow } from "./store-read";
import { failSellAndRelease, markOrder, openOrdersOlderThan } from "./store-orders";
import { releaseOrphanClaim, settleBuy, settleSell } from "./store-settle";
import type { TradingDeps, VenueAnswer, VenueLookup } from "./ports";
import { IN_FLIGHT_MESSAGE, reject, type TradeResult } from "./results";

export type ReconcileOutcome = "settled" | "not_filled" | "still_in_flight" | "already_final" | "not_found";

export interface Reconciled {
  orderId: number;
  outcome: ReconcileOutcome;
  result: TradeResult | null;
}

/**
 * Asks the venue what became of one recorded order and settles it: filled → the ledger as for a
 * fresh fill; not filled → rejected (a sell's claim is released); undecided → left as it is.
 * Safe to call any number of times and concurrently: settlement happens once (the order row is
 * locked and must still be open).
 */
export async function reconcileOrder(deps: TradingDeps, orderId: number): Promise<Reconciled> {
  const order = await loadOrder(deps.db, orderId);
  if (!order) return { orderId, outcome: "not_found", result: null };
  if (!["pending", "submitted", "unknown"].includes(order.status)) {
    return { orderId, outcome: "already_final", result: await resultFromOrder(deps.db, order) };
  }
  const user = await loadUser(deps.db, order.userId);
  if (!user) return { orderId, outcome: "not_found", result: null };
  let seen: VenueLookup;
  try {
    const venue = await deps.venueFor({ ...user, mode: order.mode });
    const fees = order.mode === "live" ? (await loadMarket(deps.db, order.tokenId))?.fees : undefined;
    seen = await venue.lookup(fees ? { ...order, feeSchedule: fees } : order, deps.now());
  } catch (err) {
    log.warn("trading_reconcile_lookup_failed", { order_id: orderId, error: err });
    return { orderId, outcome: "still_in_flight", result: inFlight(order) };
  }
  if (seen.kind === "in_flight") {
    await markOrder(deps.db, orderId, { status: order.status === "pending" ? "unknown" : (order.status as "submitted" | "unknown"), venueStatus: seen.venueStatus });
    return { orderId, outcome: "still_in_flight", result: inFlight(order) };
  }
  if (seen.kind === "not_filled") return notFilled(deps, order, seen.venueStatus);
  return filled(deps, order, seen);
}

const inFlight = (o: OrderRow): TradeResult => ({ status: "in_flight", orderId: o.id, clientOrderId: o.clientOrderId, message: IN_FLIGHT_MESSAGE });

async function notFilled(deps: TradingDeps, order: OrderRow, venueStatus: string): Promise<Reconciled> {
  const claimId = claimIdOfSell(order.clientOrderId);
  const out = { status: "rejected" as const, venueStatus, errorCode: "not_filled" };
  const changed =
    order.side === "SELL" && claimId !== null && order.positionId !== null
      ? await failSellAndRelease(deps.db, order.id, order.positionId, claimId, out)
      : await markOrder(deps.db, order.id, out);
  log.info("trading_reconciled", { order_id: order.id, outcome: "not_filled", venue_status: venueStatus, changed });
  return { orderId: order.id, outcome: changed ? "not_filled" : "already_final", result: changed ? reject("not_filled", {}, order.id) : await reread(deps, order.id) };
}

async function filled(deps: TradingDeps, order: OrderRow, f: Extract<VenueLookup, { kind: "filled" }>): Promise<Reconciled> {
  const head = { orderId: order.id, clientOrderId: order.clientOrderId, side: order.side, requested: order.requestedAmount, worstPrice: order.worstPrice ?? 0n };
  if (order.side === "BUY") {
    const market = await loadMarket(deps.db, order.tokenId);
    if (!market) return { orderId: order.id, outcome: "still_in_flight", result: inFlight(order) };
    const s = await settleBuy(deps.db, { orderId: order.id, userId: order.userId, mode: order.mode, market, ...fillOf(f) });
    if (!s.ok) return { orderId: order.id, outcome: "already_final", result: await reread(deps, order.id) };
    await notify("opened", deps, order.tokenId, s.position.id);
    log.info("trading_reconciled", { order_id: order.id, outcome: "filled", side: "BUY" });
    return { orderId: order.id, outcome: "settled", result: fillResult(head, f, s.position, 0n) };
  }
  const claimId = claimIdOfSell(order.clientOrderId);
  if (claimId === null || order.positionId === null) return { orderId: order.id, outcome: "still_in_flight", result: inFlight(order) };
  const s = await settleSell(deps.db, { orderId: order.id, positionId: order.positionId, claimId, mode: order.mode, reason: order.reason, ...fillOf(f) });
  if (!s.ok) return { orderId: order.id, outcome: "already_final", result: await reread(deps, order.id) };
  if (s.position.status === "closed") await notify("closed", deps, s.position.tokenId, s.position.id);
  log.info("trading_reconciled", { order_id: order.id, outcome: "filled", side: "SELL" });
  return { orderId: order.id, outcome: "settled", result: fillResult(head, f, s.position, s.realized) };
}

const fillOf = (f: { shares: bigint; usdc: bigint; fees: bigint; complete: boolean; venueStatus: string }) => ({
  shares: f.shares,
  usdc: f.usdc,
  fees: f.fees,
  complete: f.complete,
  venueStatus: f.venueStatus,
});

async function reread(deps: TradingDeps, orderId: number): Promise<TradeResult | null> {
  const o = await loadOrder(deps.db, orderId);
  return o ? resultFromOrder(deps.db, o) : null;
}

/**
 * The venue answered "maybe" (timeout, 5xx, network, or "delayed"): the order is marked and one
 * immediate lookup is tried; if that does not decide it, the caller hears "in flight" and
 * reconcileStale settles it later. The order is never sent again.
 */
export async function settleInFlight(deps: TradingDeps, orderId: number, a: Extract<VenueAnswer, { kind: "in_flight" }>): Promise<TradeResult> {
  const status = a.venueStatus === "delayed" ? "submitted" : "unknown";
  await markOrder(deps.db, orderId, { status, venueStatus: a.venueStatus, errorCode: a.code, errorMessage: a.message });
  log.warn("trading_order_in_flight", { order_id: orderId, venue_status: a.venueStatus, code: a.code });
  const r = await reconcileOrder(deps, orderId);
  if (r.result) return r.result;
  return { status: "in_flight", orderId, clientOrderId: "", message: IN_FLIGHT_MESSAGE };
}

export interface StaleReport {
  checked: number;
  settled: number;
  notFilled: number;
  stillInFlight: number;
  claimsReleased: number;
}

/**
 * For the cron/alarm: reconciles open orders older than `olderThanMs`, then releases claims older
 * than that which never got an order row (a crash between claim and record: nothing was sent).
 */
export async function reconcileStale(deps: TradingDeps, opts: { olderThanMs: number; limit?: number }): Promise<StaleReport> {
  const cutoff = new Date(deps.now() - opts.olderThanMs);
  const limit = opts.limit ?? 50;
  const report: StaleReport = { checked: 0, settled: 0, notFilled: 0, stillInFlight: 0, claimsReleased: 0 };
  for (const id of await openOrdersOlderThan(deps.db, cutoff, limit)) {
    const r = await reconcileOrder(deps, id);
    report.checked++;
    if (r.outcome === "settled") report.settled++;
    else if (r.outcome === "not_filled") report.notFilled++;
    else if (r.outcome === "still_in_flight") report.stillInFlight++;
  }
  const orphans = await deps.db.execute(sql`
    SELECT p.id, p.claim_id FROM positions p
    WHERE p.status = 'closing' AND p.claimed_at < ${cutoff.toISOString()}::timestamptz
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.client_order_id = 'sell:' || p.claim_id)
    ORDER BY p.id LIMIT ${limit}`);
  for (const row of orphans.rows) {
    const claimId = String(row.claim_id);
    if (await releaseOrphanClaim(deps.db, Number(row.id), claimId, sellClientOrderId(claimId))) report.claimsReleased++;
  }
  if (report.checked || report.claimsReleased) log.info("trading_reconcile_stale", { ...report });
  return report;
}
