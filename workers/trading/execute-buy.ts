// executeBuy: one market buy, paper or live, from checks to the settled position.
import { marketBuyPrice } from "../polymarket/market-price";
import type { MarketOrderType } from "../polymarket/types";
import type { Micros } from "../money/micros";
import { fillResult, notify, placeOrder, resultFromOrder } from "./order-flow";
import { log } from "../lib/log";
import { sizeBuy } from "./buy-fees";
import { MIN_MARKETABLE_USDC, orderBound, venueAmount } from "./pricing";
import { type BuyContext, ensurePaperAccount, loadBuyContext, loadOrder } from "./store-read";
import { markOrder } from "./store-orders";
import { settleBuy } from "./store-settle";
import { reconcileOrder, settleInFlight } from "./reconcile";
import { DEFAULT_PAPER_START } from "./paper-account";
import type { TradingDeps, VenueAnswer, VenueOrder } from "./ports";
import { reject, type TradeResult } from "./results";

export interface BuyRequest {
  userId: number;
  tokenId: string;
  /** USDC to spend; the venue keeps 2 decimals (rounded down). */
  amountUsdc: Micros;
  orderType: MarketOrderType;
  /** Slippage bound in basis points of the reference price; default: the user's setting, else 5 %. */
  slippageBps?: number;
  /** A hard worst price instead of a slippage bound (put on the tick, rounded down). */
  limitPrice?: Micros;
  /** The price the user was shown (the preview); default: the best ask now. */
  referencePrice?: Micros;
  /** The confirmed preview: the client order id derives from it, so a double tap cannot buy twice. */
  intentId?: string;
  reason?: string;
}

export async function executeBuy(deps: TradingDeps, req: BuyRequest): Promise<TradeResult> {
  if (req.amountUsdc <= 0n) return reject("invalid_request");
  const amount = venueAmount(req.amountUsdc);
  if (amount < MIN_MARKETABLE_USDC) return reject("below_minimum", { amount: req.amountUsdc });
  const clientOrderId = `buy:${req.intentId ?? deps.newId()}`;
  const ctx = await loadBuyContext(deps.db, req.userId, req.tokenId, clientOrderId);
  if (ctx.existingOrderId !== null) {
    const existing = await loadOrder(deps.db, ctx.existingOrderId);
    if (existing && existing.userId === req.userId) return resultFromOrder(deps.db, existing);
    return reject("invalid_request");
  }
  const checked = await checkBuy(deps, ctx, amount);
  if ("status" in checked) return checked;
  const { user, market } = checked;
  const book = await deps.books.getBook(req.tokenId);
  const asks = book?.asks ?? [];
  if (!book || asks.length === 0) return reject("no_liquidity");
  const tick = book.tickSize ?? market.tickSize;
  const best = BigInt(asks[0]!.price);
  const bound = orderBound("BUY", req, user.slippageBps, best, tick);
  if (best > bound) return reject("slippage_exceeded", { worstPrice: bound, bestPrice: best });
  const venue = await deps.venueFor(user);
  // The fill plus its taker fee must fit the cash (paper, or the venue's pUSD, asked before signing): a buy of the whole balance shrinks to fit.
  const cash = user.mode === "paper" ? user.paperCash : venue.cash ? await venue.cash() : null;
  const sized = sizeBuy({ asks, amount, bound, orderType: req.orderType, fees: market.fees, cash });
  if (!sized.ok && sized.reason === "insufficient_balance") return reject("insufficient_balance", { balance: cash ?? 0n });
  const send = sized.ok ? sized.amount : amount;
  if (send !== amount) log.info("trading_buy_shrunk_to_fit", { user_id: user.id, requested: String(amount), amount: String(send), fee: String(sized.ok ? sized.fee : 0n) });
  // As the official client does before sending: a FOK the book cannot fill within the bound is not sent.
  const walk = marketBuyPrice(asks, send, req.orderType);
  if (req.orderType === "FOK" && (!walk.ok || BigInt(walk.price) > bound)) return reject("fok_not_filled");
  const order: VenueOrder = { clientOrderId, userId: user.id, side: "BUY", market, amount: send, worstPrice: bound, orderType: req.orderType, book };
  const placed = await placeOrder(deps, { venue, order, positionId: null, reason: req.reason ?? "manual" });
  if (placed.kind === "refused") return placed.result;
  if (placed.kind === "not_recorded") {
    const again = await loadBuyContext(deps.db, req.userId, req.tokenId, clientOrderId);
    const existing = again.existingOrderId === null ? null : await loadOrder(deps.db, again.existingOrderId);
    return existing ? resultFromOrder(deps.db, existing) : reject("invalid_request");
  }
  return settleBuyAnswer(deps, { order, orderId: placed.orderId, mode: venue.mode }, placed.answer);
}

type Checked = { user: NonNullable<BuyContext["user"]>; market: NonNullable<BuyContext["market"]> } | TradeResult;

async function checkBuy(deps: TradingDeps, ctx: BuyContext, amount: Micros): Promise<Checked> {
  if (!ctx.user) return reject("invalid_request");
  if (!ctx.market) return reject("market_unknown");
  if (!ctx.market.tradeable) return reject("market_closed");
  if (ctx.unsettledOrderId !== null) {
    // The outcome of an earlier order on this token must be known before anything else happens to it.
    const r = await reconcileOrder(deps, ctx.unsettledOrderId);
    if (r.outcome === "still_in_flight") return reject("order_in_flight");
  }
  let user = ctx.user;
  if (user.mode === "paper") {
    user = await ensurePaperAccount(deps.db, user, deps.paperStartBalance ?? DEFAULT_PAPER_START);
    if (user.paperCash < amount) return reject("insufficient_balance", { balance: user.paperCash });
  }
  return { user, market: ctx.market };
}

export interface PlacedBuy {
  order: VenueOrder;
  orderId: number;
  mode: "paper" | "live";
}

/** Turns the venue's answer to a recorded buy into the ledger's state and the caller's result. */
export async function settleBuyAnswer(deps: TradingDeps, p: PlacedBuy, answer: VenueAnswer): Promise<TradeResult> {
  const { order, orderId } = p;
  if (answer.kind === "rejected") {
    await markOrder(deps.db, orderId, { status: "rejected", venueStatus: answer.venueStatus, errorCode: answer.reason, errorMessage: answer.message });
    return reject(answer.reason, { venueMessage: answer.message, retryAfterMs: answer.retryAfterMs }, orderId);
  }
  if (answer.kind === "in_flight") return settleInFlight(deps, orderId, answer);
  const settled = await settleBuy(deps.db, {
    orderId,
    userId: order.userId,
    mode: p.mode,
    market: order.market,
    shares: answer.shares,
    usdc: answer.usdc,
    fees: answer.fees,
    complete: answer.complete,
    venueStatus: answer.venueStatus,
    mark: order.book.bids[0] ? { price: BigInt(order.book.bids[0].price), source: order.book.source } : null,
  });
  if (!settled.ok) {
    if (settled.reason === "insufficient_balance") {
      await markOrder(deps.db, orderId, { status: "rejected", venueStatus: answer.venueStatus, errorCode: "insufficient_balance" });
      return reject("insufficient_balance", {}, orderId);
    }
    const row = await loadOrder(deps.db, orderId);
    return row ? resultFromOrder(deps.db, row) : reject("invalid_request");
  }
  await notify("opened", deps, order.market.tokenId, settled.position.id);
  return fillResult(
    { orderId, clientOrderId: order.clientOrderId, side: "BUY", requested: order.amount, worstPrice: order.worstPrice },
    answer,
    settled.position,
    0n,
  );
}
