// executeSell: claim the position (one winner), sell at a bounded price, settle or give the claim back.
import type { BookQuote, MarketOrderType } from "../polymarket/types";
import type { Micros } from "../money/micros";
import { log } from "../lib/log";
import { fillResult, notify, placeOrder, sellClientOrderId } from "./order-flow";
import { anyPriceBound, MIN_MARKETABLE_USDC, orderBound, orderNotional, type SellSize, sharesToSell, venueAmount } from "./pricing";
import { claimForSale, loadMarket, loadPosition, loadUser, type SaleContext, unsettledLiveOrder } from "./store-read";
import { failSellAndRelease } from "./store-orders";
import { releaseClaim, releaseOrphanClaim, settleSell, whyNotClaimable } from "./store-settle";
import { reconcileOrder, settleInFlight } from "./reconcile";
import type { TradingDeps, VenueAnswer, VenueOrder } from "./ports";
import { type Rejected, reject, type SellReason, type TradeResult } from "./results";

export interface SellRequest {
  userId: number;
  positionId: number;
  /** Exact shares, "all", or a fraction in basis points ({ fractionBps: 5000 } = half). */
  shares: SellSize;
  reason: SellReason;
  /** Default FAK: sell what the book takes within the bound; the rest stays open. */
  orderType?: MarketOrderType;
  slippageBps?: number;
  limitPrice?: Micros;
  /** The price that triggered the sale or that the user was shown; default: the best bid now. */
  referencePrice?: Micros;
  /** No floor but the venue's $1 minimum (a stop the trader set to sell at any price). */
  anyPrice?: boolean;
  /** A claim the caller already holds (claimPosition); otherwise executeSell claims the position itself. */
  claim?: { claimId: string };
  /**
   * Looks at the book the sale would use, with the shares to sell and the order's worst price, before
   * anything is sent: answers the book to sell against (the same, or one confirmed over REST) or a refusal.
   */
  checkBook?: (book: BookQuote, shares: Micros, worstPrice: Micros) => Promise<BookQuote | { refused: string }>;
}

export async function executeSell(deps: TradingDeps, req: SellRequest): Promise<TradeResult> {
  let claimId: string;
  let ctx: SaleContext;
  if (req.claim) {
    const held = await heldClaim(deps, req.positionId, req.userId, req.claim.claimId);
    if ("status" in held) return held;
    ({ claimId, ctx } = held);
  } else {
    claimId = deps.newId();
    const claimed = await claimForSale(deps.db, { positionId: req.positionId, userId: req.userId, claimId, claimedBy: req.reason });
    if (!claimed) return reject(await whyNotClaimable(deps.db, req.positionId, req.userId));
    ctx = claimed;
  }
  const position = ctx.position;
  try {
    const outcome = await sellClaimed(deps, req, claimId, ctx);
    if (outcome.release) await releaseClaim(deps.db, position.id, claimId);
    return outcome.result;
  } catch (err) {
    // Without an order row nothing was sent: give the claim back (checked under lock). With one,
    // the order's outcome decides, through reconciliation.
    log.error("trading_sell_failed", { position_id: position.id, claim_id: claimId, error: err });
    await releaseOrphanClaim(deps.db, position.id, claimId, sellClientOrderId(claimId)).catch(() => false);
    throw err;
  }
}

/** A claim the caller took earlier (claimPosition): it must still be this caller's. */
async function heldClaim(deps: TradingDeps, positionId: number, userId: number, claimId: string) {
  const position = await loadPosition(deps.db, positionId);
  if (!position || position.userId !== userId) return reject("position_not_found");
  if (position.status === "closed") return reject("position_closed");
  if (position.status !== "closing" || position.claimId !== claimId) return reject("already_being_sold");
  const [market, user, unsettledOrderId] = await Promise.all([
    loadMarket(deps.db, position.tokenId),
    loadUser(deps.db, userId),
    position.mode === "live" ? unsettledLiveOrder(deps.db, userId, position.tokenId) : null,
  ]);
  if (!user) return reject("position_not_found");
  return { claimId, ctx: { position, market, user, unsettledOrderId } };
}

type SellOutcome = { result: TradeResult; release: boolean };
const refuse = (r: Rejected): SellOutcome => ({ result: r, release: true });

async function sellClaimed(deps: TradingDeps, req: SellRequest, claimId: string, ctx: SaleContext): Promise<SellOutcome> {
  const { position, market, user } = ctx;
  const wanted = sharesToSell(position.shares, req.shares);
  if (wanted === null) return refuse(reject("invalid_request"));
  const amount = venueAmount(wanted);
  if (amount <= 0n) return refuse(reject("nothing_to_sell"));
  if (!market) return refuse(reject("market_unknown"));
  // An earlier live order on this token (e.g. a buy timing out) must be known before selling.
  if (ctx.unsettledOrderId !== null && (await reconcileOrder(deps, ctx.unsettledOrderId)).outcome === "still_in_flight") {
    return refuse(reject("order_in_flight"));
  }
  if (!market.tradeable) return refuse(reject("market_closed"));
  let book = await deps.books.getBook(position.tokenId);
  if (!book || book.bids.length === 0) return refuse(reject("no_liquidity"));
  const tick = book.tickSize ?? market.tickSize;
  const bound = req.anyPrice ? anyPriceBound(amount, tick) : orderBound("SELL", req, user.slippageBps, BigInt(book.bids[0]!.price), tick);
  if (req.checkBook) {
    const checked = await req.checkBook(book, amount, bound);
    if ("refused" in checked) return refuse(reject("price_unconfirmed", { venueMessage: checked.refused }));
    book = checked;
    if (book.bids.length === 0) return refuse(reject("no_liquidity"));
  }
  const best = BigInt(book.bids[0]!.price);
  const notional = orderNotional("SELL", amount, bound);
  if (notional < MIN_MARKETABLE_USDC) return refuse(reject("below_minimum", { amount: notional }));
  if (best < bound) return refuse(reject("slippage_exceeded", { worstPrice: bound, bestPrice: best }));
  const orderType = req.orderType ?? "FAK";
  const venue = await deps.venueFor({ ...user, mode: position.mode, ...(ctx.sealedWallet !== undefined ? { sealedWallet: ctx.sealedWallet } : {}) });
  const order: VenueOrder = { clientOrderId: sellClientOrderId(claimId), userId: user.id, side: "SELL", market, amount, worstPrice: bound, orderType, book };
  const placed = await placeOrder(deps, { venue, order, positionId: position.id, reason: req.reason, claimId });
  if (placed.kind === "refused") return refuse(placed.result);
  if (placed.kind === "not_recorded") return { result: reject("already_being_sold"), release: false };
  const result = await settleSellAnswer(deps, { order, orderId: placed.orderId, positionId: position.id, claimId, mode: venue.mode, reason: req.reason }, placed.answer);
  return { result, release: false };
}

export interface PlacedSell {
  order: VenueOrder;
  orderId: number;
  positionId: number;
  claimId: string;
  mode: "paper" | "live";
  reason: string;
}

/** Turns the venue's answer to a recorded sell into the ledger's state and the caller's result. */
export async function settleSellAnswer(deps: TradingDeps, p: PlacedSell, answer: VenueAnswer): Promise<TradeResult> {
  if (answer.kind === "rejected") {
    await failSellAndRelease(deps.db, p.orderId, p.positionId, p.claimId, {
      status: "rejected",
      venueStatus: answer.venueStatus,
      errorCode: answer.reason,
      errorMessage: answer.message,
    });
    return reject(answer.reason, { venueMessage: answer.message, retryAfterMs: answer.retryAfterMs }, p.orderId);
  }
  if (answer.kind === "in_flight") return settleInFlight(deps, p.orderId, answer);
  const settled = await settleSell(deps.db, {
    orderId: p.orderId,
    positionId: p.positionId,
    claimId: p.claimId,
    mode: p.mode,
    reason: p.reason,
    shares: answer.shares,
    usdc: answer.usdc,
    fees: answer.fees,
    complete: answer.complete,
    venueStatus: answer.venueStatus,
  });
  if (!settled.ok) return reject(settled.reason === "claim_lost" ? "position_closed" : "already_being_sold", {}, p.orderId);
  if (settled.position.status === "closed") await notify("closed", deps, settled.position.tokenId, settled.position.id);
  return fillResult(
    { orderId: p.orderId, clientOrderId: p.order.clientOrderId, side: "SELL", requested: p.order.amount, worstPrice: p.order.worstPrice },
    answer,
    settled.position,
    settled.realized,
  );
}
