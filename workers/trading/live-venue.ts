// The live venue: signed FOK/FAK orders on Polymarket's CLOB V2, answers read as the venue means them.
import type { Hex } from "viem";
import { fromMicros } from "../money/micros";
import type { ClobClient, L2Auth } from "../polymarket/clob-client";
import { isPolymarketError } from "../polymarket/errors";
import { marketOrderAmounts } from "../polymarket/order-amounts";
import { buildOrder, newSalt, orderHash, orderPayload, signOrder } from "../polymarket/order-signing";
import { clearApiCreds, ensureApiCreds, loadApiCreds } from "../wallets/api-creds";
import { type SealedWallet, type WalletDeps, type WalletSigner, withSealedSigner, withSigner } from "../wallets/wallet-store";
import { log } from "../lib/log";
import { hasFee } from "../money/fees";
import { feeOnLevels } from "./buy-fees";
import { answerFromError, answerFromPost, feeFromTrades, fillFromTrades, lookupFromVenue } from "./live-answers";
import { paperVenue } from "./paper-venue";
import { forgetCash, spendable, venueCash } from "./venue-cash";
import { buyRefusal } from "./venue-access";
import type { TradingAccess } from "../placement";
import type { PreparedOrder, RecordedOrder, Venue, VenueAnswer, VenueLookup, VenueOrder, VenueUser } from "./ports";

/** The CLOB calls the live venue makes (ClobClient, or a test double). */
export type LiveClob = Pick<ClobClient, "postOrder" | "getOrder" | "getTrades" | "getOrCreateApiKey" | "getBalanceAllowance" | "getClosedOnlyMode" | "updateBalanceAllowance">;

export interface LiveVenueOptions {
  clob: LiveClob;
  wallets: WalletDeps;
  now(): number;
  /** Randomness for the order salt (the official Math.random()). */
  rand01(): number;
  chainId?: number;
  /** POST /order timeout; after it the order is in flight (reconciled, never re-sent). */
  postTimeoutMs?: number;
  /** A recorded order the venue still does not know after this long was never accepted. */
  lookupGraceMs?: number;
  /** A match whose trades stay invisible this long is settled at the order's price. */
  tradesWaitMs?: number;
  /** Where this Worker trades from as Polymarket sees it (placementInfo); a blocked or close-only region refuses buys. */
  access?: () => Promise<TradingAccess>;
}

export const DEFAULT_LOOKUP_GRACE_MS = 60_000;
export const DEFAULT_TRADES_WAIT_MS = 10 * 60_000;

type Refusal = VenueAnswer & { kind: "rejected" };

/** Maker and signer by signature type: 0 EOA; 1/2 the funder proxy makes, the EOA signs; 3 the deposit wallet is both. */
function parties(s: WalletSigner): { maker: string; signer: string } {
  if (s.signatureType === 0 || !s.funderAddress) return { maker: s.address, signer: s.address };
  return s.signatureType === 3 ? { maker: s.funderAddress, signer: s.funderAddress } : { maker: s.funderAddress, signer: s.address };
}

async function credsFor(o: LiveVenueOptions, signer: WalletSigner): Promise<L2Auth | Refusal> {
  try {
    return { address: signer.address, creds: await ensureApiCreds(o.wallets, signer, o.clob) };
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    const a = answerFromError(e);
    return a.kind === "rejected" ? a : { kind: "rejected", reason: "venue_rejected", code: e.code, message: "could not get API credentials; try again" };
  }
}

async function sign(o: LiveVenueOptions, order: VenueOrder, signer: WalletSigner, auth: L2Auth): Promise<PreparedOrder> {
  const tickSize = order.book.tickSize ?? order.market.tickSize;
  const amounts = marketOrderAmounts({ side: order.side, amount: fromMicros(order.amount), price: fromMicros(order.worstPrice), tickSize });
  const now = o.now();
  const unsigned = buildOrder({
    tokenId: order.market.tokenId,
    side: order.side,
    ...amounts,
    ...parties(signer),
    signatureType: signer.signatureType,
    salt: newSalt(o.rand01(), now),
    timestamp: now,
    market: { negRisk: order.market.negRisk, version: order.market.version },
    ...(o.chainId !== undefined ? { chainId: o.chainId } : {}),
  });
  const signed = await signOrder(unsigned, signer.privateKey as Hex);
  const venueOrderId = orderHash(unsigned);
  const payload = orderPayload(signed, auth.creds.key, order.orderType);
  const post = (a: L2Auth) => o.clob.postOrder(a, JSON.stringify(orderPayload(signed, a.creds.key, order.orderType)), o.postTimeoutMs !== undefined ? { timeoutMs: o.postTimeoutMs } : {});
  return {
    venueOrderId,
    // Stored for audit: the signed order and its type, without the API key (owner).
    signedOrder: { order: payload.order, orderType: payload.orderType },
    submit: async () => {
      try {
        return await withFee(o, order, auth, venueOrderId, answerFromPost(order, await post(auth)));
      } catch (e) {
        if (!isPolymarketError(e)) throw e;
        log.warn("trading_live_order_error", { client_order_id: order.clientOrderId, code: e.code, status: e.status, outcome_unknown: e.outcomeUnknown });
        if (e.code !== "unauthorized") return answerFromError(e);
        return retryWithNewKey(o, order, venueOrderId, post, e);
      }
    },
  };
}

/**
 * A match on a fee-enabled market: the fee is what the venue charged for our fills, read from our
 * order's trades (one GET /data/trades); when they are not all visible yet, the fee of that fill on
 * the book it was priced on (as the paper venue charges it).
 */
async function withFee(o: LiveVenueOptions, order: VenueOrder, auth: L2Auth, venueOrderId: string, a: VenueAnswer): Promise<VenueAnswer> {
  if (a.kind !== "filled" || !hasFee(order.market.fees)) return a;
  const hash = venueOrderId.toLowerCase();
  const estimate = () => feeOnLevels(order.side === "BUY" ? order.book.asks : order.book.bids, order.side, a.shares, order.market.fees);
  try {
    const after = (BigInt(o.now()) / 1000n - 120n).toString();
    const ours = (await o.clob.getTrades(auth, { asset_id: order.market.tokenId, after })).filter((t) => t.taker_order_id.toLowerCase() === hash);
    // Only when every fill of the answer is visible: a fee from some of them would be short.
    const seen = fillFromTrades(ours, hash, order.market.tokenId, order.side);
    if (seen && seen.shares >= a.shares) return { ...a, fees: feeFromTrades(ours, hash, order.market.fees) };
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    log.warn("trading_live_fee_trades_failed", { client_order_id: order.clientOrderId, code: e.code });
  }
  const fees = estimate();
  log.info("trading_live_fee_estimated", { client_order_id: order.clientOrderId, fees: String(fees) });
  return { ...a, fees };
}

/** A balance refusal may be the CLOB's stale view of the chain (after a funding): ask it to look again. */
async function refreshVenueBalance(o: LiveVenueOptions, auth: L2Auth, signatureType: number, clientOrderId: string): Promise<void> {
  try {
    await o.clob.updateBalanceAllowance(auth, { assetType: "COLLATERAL", signatureType });
    log.info("trading_balance_refreshed", { client_order_id: clientOrderId });
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    log.warn("trading_balance_refresh_failed", { client_order_id: clientOrderId, code: e.code });
  }
}

/**
 * A 401 means the venue did not take the order (its API key is unknown there: revoked, or a venue
 * that forgot its keys). The same signed order goes again once, under a key derived afresh.
 */
async function retryWithNewKey(o: LiveVenueOptions, order: VenueOrder, venueOrderId: string, post: (a: L2Auth) => ReturnType<LiveClob["postOrder"]>, first: unknown): Promise<VenueAnswer> {
  await clearApiCreds(o.wallets, order.userId).catch(() => undefined);
  let fresh: L2Auth | null;
  try {
    fresh = await withSigner(o.wallets, order.userId, async (s) => (s ? { address: s.address, creds: await ensureApiCreds(o.wallets, s, o.clob) } : null));
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    return answerFromError(e);
  }
  if (!fresh) return answerFromError(first as Parameters<typeof answerFromError>[0]);
  log.info("trading_live_reauth", { client_order_id: order.clientOrderId });
  try {
    return await withFee(o, order, fresh, venueOrderId, answerFromPost(order, await post(fresh)));
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    log.warn("trading_live_order_error", { client_order_id: order.clientOrderId, code: e.code, status: e.status, outcome_unknown: e.outcomeUnknown, retry: true });
    if (e.code === "unauthorized") await clearApiCreds(o.wallets, order.userId).catch(() => undefined);
    return answerFromError(e);
  }
}

async function lookup(o: LiveVenueOptions, userId: number, order: RecordedOrder, now: number): Promise<VenueLookup> {
  if (!order.venueOrderId) return { kind: "not_filled", venueStatus: "never_signed" };
  let stored = await loadApiCreds(o.wallets, userId);
  if (!stored) {
    await withSigner(o.wallets, userId, async (s) => (s ? ensureApiCreds(o.wallets, s, o.clob) : null));
    stored = await loadApiCreds(o.wallets, userId);
    if (!stored) return { kind: "in_flight", venueStatus: "no_credentials" };
  }
  const auth: L2Auth = { address: stored.address, creds: stored.creds };
  const venueOrder = await o.clob.getOrder(auth, order.venueOrderId);
  const needTrades = venueOrder === null || venueOrder.size_matched.trim() !== "0";
  const after = (BigInt(order.createdAt.getTime()) / 1000n - 60n).toString();
  const trades = needTrades ? await o.clob.getTrades(auth, { asset_id: order.tokenId, after }) : [];
  return lookupFromVenue({
    order,
    venueOrder,
    trades,
    now,
    graceMs: o.lookupGraceMs ?? DEFAULT_LOOKUP_GRACE_MS,
    tradesWaitMs: o.tradesWaitMs ?? DEFAULT_TRADES_WAIT_MS,
  });
}

/**
 * The live venue for one user. Keys are decrypted inside prepare, only to sign, and not kept.
 * `sealed`: the wallet row the caller read already (a sale reads it with its claim); else read here.
 */
export function liveVenue(o: LiveVenueOptions, userId: number, sealed?: SealedWallet | null): Venue {
  const signing = <T>(use: (signer: WalletSigner | null) => Promise<T>) =>
    sealed !== undefined ? withSealedSigner(o.wallets, userId, sealed, use) : withSigner(o.wallets, userId, use);
  return {
    mode: "live",
    prepare: (order) =>
      signing(async (signer): Promise<PreparedOrder | Refusal> => {
        if (!signer) return { kind: "rejected", reason: "no_wallet" };
        // An undeployed or unapproved deposit wallet: the venue would refuse it with a cryptic text (signer not the API key's).
        if (order.side === "BUY" && signer.setupPending) return { kind: "rejected", reason: "wallet_setup_pending" };
        const auth = await credsFor(o, signer);
        if ("kind" in auth) return auth;
        if (order.side === "BUY") {
          const refused = await buyRefusal(o, auth);
          if (refused) {
            log.info("trading_live_buy_refused", { user_id: userId, reason: refused.reason });
            return refused;
          }
        }
        const prepared = await sign(o, order, signer, auth);
        const signatureType = signer.signatureType;
        // Whatever the venue answers, the balance it reports changes: the next read asks again.
        const submit = async () => {
          const a = await prepared.submit().finally(() => forgetCash(userId));
          if (a.kind === "rejected" && a.reason === "insufficient_balance") await refreshVenueBalance(o, auth, signatureType, order.clientOrderId);
          return a;
        };
        return { ...prepared, submit };
      }),
    lookup: (order, now) => lookup(o, userId, order, now).finally(() => forgetCash(userId)),
    cash: async () => {
      const c = await venueCash(o, userId);
      return c ? spendable(c) : null;
    },
  };
}

/** A live user while live trading is not configured: refused, never silently paper-filled. */
const liveUnavailable: Venue = {
  mode: "live",
  prepare: async () => ({ kind: "rejected", reason: "trading_disabled", message: "live trading is not configured" }),
  lookup: async () => ({ kind: "in_flight", venueStatus: "live_not_configured" }),
};

/** TradingDeps.venueFor: paper users on the paper venue, live users on Polymarket. */
export function venueFor(live: LiveVenueOptions | null): (user: VenueUser) => Venue {
  const paper = paperVenue();
  return (user) => (user.mode !== "live" ? paper : live ? liveVenue(live, user.id, user.sealedWallet) : liveUnavailable);
}
