// What Polymarket's answers mean for an order, as pure functions: POST /order results, errors, and lookups.
import { type FeeSchedule, NO_FEE, takerFee } from "../money/fees";
import { type Micros, ONE, toMicros } from "../money/micros";
import type { PostOrderResult, VenueOrder as ClobOrder, VenueTrade } from "../polymarket/clob-client";
import type { PolymarketError } from "../polymarket/errors";
import type { RecordedOrder, VenueAnswer, VenueLookup, VenueOrder } from "./ports";
import type { RejectReason } from "./results";

/** The venue keeps 2 decimals of an amount: a fill within one cent (or 0.01 share) of it is complete. */
const COMPLETE_WITHIN: Micros = 10_000n;
/** A 0.01-share or $0.01 rounding on the venue's side is not a discrepancy. */
const TOLERANCE: Micros = 10_000n;

const decimal = (s: string): Micros | null => {
  try {
    return toMicros(s.trim(), "half-up");
  } catch {
    return null;
  }
};

/**
 * POST /order answered. `matched`: takingAmount/makingAmount are the fill (BUY: making = pUSD
 * paid, taking = shares received; SELL the other way round), decimal strings. `delayed` and
 * `live` are still undecided; `unmatched` filled nothing. Amounts that do not fit the order
 * (unparseable, more than it allowed) are not trusted: the order is reconciled instead.
 */
export function answerFromPost(order: VenueOrder, r: PostOrderResult): VenueAnswer {
  if (r.status === "unmatched") return { kind: "rejected", reason: "not_filled", venueStatus: "unmatched" };
  if (r.status !== "matched") return { kind: "in_flight", venueStatus: r.status };
  const making = decimal(r.makingAmount);
  const taking = decimal(r.takingAmount);
  if (making === null || taking === null) return { kind: "in_flight", venueStatus: "matched", code: "unreadable_amounts" };
  const shares = order.side === "BUY" ? taking : making;
  const usdc = order.side === "BUY" ? making : taking;
  const given = order.side === "BUY" ? usdc : shares;
  if (shares <= 0n || given > order.amount + TOLERANCE) return { kind: "in_flight", venueStatus: "matched", code: "implausible_amounts" };
  const complete = order.orderType === "FOK" || order.amount - given < COMPLETE_WITHIN;
  return { kind: "filled", shares, usdc, fees: 0n, complete, venueStatus: "matched" };
}

const ERROR_REASONS: Partial<Record<PolymarketError["code"], RejectReason>> = {
  not_enough_balance: "insufficient_balance",
  fok_not_filled: "fok_not_filled",
  fak_no_match: "not_filled",
  no_match: "not_filled",
  min_size: "below_minimum",
  deposit_wallet_required: "deposit_wallet_required",
  trading_disabled: "trading_disabled",
  cancel_only: "trading_disabled",
  closed_only: "market_closed",
  market_not_ready: "market_closed",
  market_not_found: "market_closed",
  rate_limited: "rate_limited",
};

/**
 * A failed POST /order. Whatever may have executed (timeout, network, 5xx, a lost answer,
 * "delayed") is in flight and will be reconciled; everything else is a rejection with the
 * venue's own words kept for the user.
 */
export function answerFromError(e: PolymarketError): VenueAnswer {
  if (e.outcomeUnknown) return { kind: "in_flight", venueStatus: e.code === "delayed" ? "delayed" : "unknown", code: e.code, message: e.venueMessage || e.message };
  const reason = ERROR_REASONS[e.code] ?? "venue_rejected";
  return {
    kind: "rejected",
    reason,
    venueStatus: "error",
    code: e.code,
    message: e.venueMessage || e.code,
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
  };
}

/**
 * Our fill from the trades of our (taker) order: shares = Σ matched amounts; USDC = Σ matched ×
 * price, where a maker on the other outcome (neg-risk/complement matching) trades at 1 − price.
 * Exact products, rounded once: up for what a BUY paid, down for what a SELL received.
 */
export function fillFromTrades(trades: readonly VenueTrade[], venueOrderId: string, tokenId: string, side: "BUY" | "SELL"): { shares: Micros; usdc: Micros } | null {
  let shares = 0n;
  let pico = 0n;
  const id = venueOrderId.toLowerCase();
  for (const t of trades) {
    if (t.taker_order_id.toLowerCase() !== id || t.status === "FAILED") continue;
    const makers = t.maker_orders.length > 0 ? t.maker_orders : [{ matched_amount: t.size, price: t.price, asset_id: t.asset_id }];
    for (const mo of makers) {
      const q = decimal(mo.matched_amount);
      const p = decimal(mo.price);
      if (q === null || p === null) return null;
      const same = mo.asset_id === null || mo.asset_id === undefined || mo.asset_id === tokenId;
      shares += q;
      pico += q * (same ? p : ONE - p);
    }
  }
  if (shares === 0n) return null;
  const usdc = side === "BUY" ? (pico + ONE - 1n) / ONE : pico / ONE;
  return { shares, usdc };
}

/**
 * The taker fee of our order's fills, from its trades: each maker fill owes matched × rate ×
 * (p(1−p))^exponent at its price (p(1−p) is the same on either outcome), rounded per fill as the
 * venue charges. The rate is the one the trade reports (`fee_rate_bps`); a trade that reports 0 or
 * nothing on a market whose schedule says otherwise (the real venue has printed 0 while charging,
 * polymarket-2026-accounts.md §5) owes the market's rate. The exponent is the market's.
 */
export function feeFromTrades(trades: readonly VenueTrade[], venueOrderId: string, s: FeeSchedule): Micros {
  let fee = 0n;
  const id = venueOrderId.toLowerCase();
  for (const t of trades) {
    if (t.taker_order_id.toLowerCase() !== id || t.status === "FAILED") continue;
    const bps = t.fee_rate_bps === null || t.fee_rate_bps === undefined ? null : decimal(t.fee_rate_bps);
    const rate = bps !== null && bps > 0n ? bps / 10_000n : s.rate;
    const sched: FeeSchedule = { rate, exponent: s.exponent };
    const makers = t.maker_orders.length > 0 ? t.maker_orders : [{ matched_amount: t.size, price: t.price }];
    for (const mo of makers) {
      const q = decimal(mo.matched_amount);
      const p = decimal(mo.price);
      if (q === null || p === null || p <= 0n || p >= ONE) continue;
      fee += takerFee(q, p, sched, "half-up");
    }
  }
  return fee;
}

export interface LookupInput {
  order: RecordedOrder;
  /** GET /data/order/{hash}; null when the venue does not know it (FAK/FOK orders often vanish once done). */
  venueOrder: ClobOrder | null;
  trades: readonly VenueTrade[];
  now: number;
  /** Until then a missing order may still appear (its POST could be in transit). */
  graceMs: number;
  /** After this long, a match without visible trades is settled at the order's price. */
  tradesWaitMs: number;
}

const FINAL_ORDER_STATES = new Set(["MATCHED", "CANCELED", "CANCELLED", "UNMATCHED", "INVALID", "EXPIRED"]);

/** What an earlier order became, from the venue's order record and our trades. */
export function lookupFromVenue(x: LookupInput): VenueLookup {
  const { order } = x;
  const schedule = order.feeSchedule ?? NO_FEE;
  const age = x.now - order.createdAt.getTime();
  const fromTrades = order.venueOrderId ? fillFromTrades(x.trades, order.venueOrderId, order.tokenId, order.side) : null;
  const state = x.venueOrder?.status ?? null;
  const final = state !== null && FINAL_ORDER_STATES.has(state);
  const matched = x.venueOrder ? decimal(x.venueOrder.size_matched) ?? 0n : null;
  if (x.venueOrder === null) {
    if (fromTrades) return filledLookup(order, { ...fromTrades, fees: feeFromTrades(x.trades, order.venueOrderId!, schedule) }, "trades");
    return age > x.graceMs ? { kind: "not_filled", venueStatus: "not_found" } : { kind: "in_flight", venueStatus: "not_found_yet" };
  }
  if (!final) return { kind: "in_flight", venueStatus: state ?? "unknown" };
  if (matched === null || matched === 0n) return { kind: "not_filled", venueStatus: state! };
  if (fromTrades && fromTrades.shares + TOLERANCE >= matched) return filledLookup(order, { ...fromTrades, fees: feeFromTrades(x.trades, order.venueOrderId!, schedule) }, state!);
  if (age <= x.tradesWaitMs) return { kind: "in_flight", venueStatus: `${state}_awaiting_trades` };
  // The venue says it matched but shows no trades: settle at the order's own (worst) price.
  const price = decimal(x.venueOrder.price) ?? order.worstPrice ?? 0n;
  const pico = matched * price;
  const fees = price > 0n && price < ONE ? takerFee(matched, price, schedule, "half-up") : 0n;
  return filledLookup(order, { shares: matched, usdc: order.side === "BUY" ? (pico + ONE - 1n) / ONE : pico / ONE, fees }, `${state}_estimated`);
}

function filledLookup(order: RecordedOrder, f: { shares: Micros; usdc: Micros; fees: Micros }, venueStatus: string): VenueLookup {
  const given = order.side === "BUY" ? f.usdc : f.shares;
  return { kind: "filled", shares: f.shares, usdc: f.usdc, fees: f.fees, complete: order.requestedAmount - given < COMPLETE_WITHIN, venueStatus };
}
