// Order submission on the local venue: checks in the real exchange's order, then matching, settlement and records.
import type { ApiKeyRecord, DepositWallets } from "./auth";
import type { Outcome } from "./book";
import { SHARE_TOKEN, type Chain } from "./chain";
import { NO_BOOK } from "./clob-public";
import { fromMicros, ONE, ratioText, roundToTick } from "./decimal";
import type { Exchange } from "./exchange";
import type { Faults } from "./faults";
import type { Ledger, VenueOrder } from "./ledger";
import { applyTake, planTake, type FillPlan } from "./match";
import { feeRateBps, fillFee } from "./fees";
import { exchangeDomain, orderHash, postOrderSchema, recoverOrderSigner, type PostOrderBody } from "./order-verify";
import { closedOnlyError, type VenueRules } from "./rules";
import { diagnose1271 } from "./signature-diagnosis";
import type { SimMarket } from "./types";

export const ERR = {
  payload: "Invalid order payload",
  owner: "the order owner has to be the owner of the API KEY",
  signature: "invalid signature",
  signerNotKey: "the order signer address has to be the address of the API KEY",
  depositWallet: "maker address not allowed, please use the deposit wallet flow",
  disabled: "Trading is currently disabled",
  balance: "not enough balance / allowance",
  fok: "order couldn't be fully filled. FOK orders are fully filled or killed.",
  fak: "no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.",
  postOnly: "invalid post-only order: order crosses book",
} as const;

export interface FlowContext {
  ex: Exchange;
  ledger: Ledger;
  faults: Faults;
  wallets: DepositWallets;
  chain: Chain;
  rules: VenueRules;
  now: () => number;
  method: string;
  path: string;
}

export interface LegResult {
  status: number;
  body: Record<string, unknown>;
  parsed?: PostOrderBody;
  orderId?: string;
  signer?: string;
  signatureValid?: boolean;
  /** Why a POLY_1271 signature failed, for the order record (the venue answers only "invalid signature"). */
  diagnosis?: string;
  outcome: string;
}

interface Checked {
  body: PostOrderBody;
  market: SimMarket;
  outcome: Outcome;
  orderId: string;
  signer: string;
  maker: bigint;
  taker: bigint;
  /** Limit price on the tick (rounded for market orders, whose amounts are not an exact tick ratio). */
  price: bigint;
  shares: bigint;
}

const failLeg = (status: number, error: string, extra: Partial<LegResult> = {}): LegResult => ({ status, body: { error }, outcome: error, ...extra });

/** Parses and verifies one order; the checks run in the order the real venue reports them. */
async function check(ctx: FlowContext, key: ApiKeyRecord, leg: unknown): Promise<Checked | LegResult> {
  if (ctx.faults.take(["trading-disabled"], ctx.method, ctx.path)) return failLeg(503, ERR.disabled);
  const parsed = postOrderSchema.safeParse(leg);
  if (!parsed.success) return failLeg(400, ERR.payload);
  const body = parsed.data;
  const o = body.order;
  if (body.owner !== key.apiKey) return failLeg(400, ERR.owner, { parsed: body });
  const ref = ctx.ex.token(o.tokenId);
  if (!ref || ref.market.closed) return failLeg(400, NO_BOOK, { parsed: body });
  const m = ref.market;
  const orderId = orderHash(o, exchangeDomain(m));
  const base = { parsed: body, orderId };
  const signer = await recoverOrderSigner(o, exchangeDomain(m), ctx.wallets);
  const makerIsSigner = o.maker.toLowerCase() === o.signer.toLowerCase();
  if (!signer || ((o.signatureType === 0 || o.signatureType === 3) && !makerIsSigner)) {
    const diagnosis = !signer && o.signatureType === 3 ? await diagnose1271(o, exchangeDomain(m), ctx.wallets) : undefined;
    return failLeg(400, ERR.signature, { ...base, signatureValid: false, ...(diagnosis ? { diagnosis } : {}) });
  }
  const signed = { ...base, signer, signatureValid: true };
  if (!signerMatchesKey(ctx, o.signer, o.signatureType, key)) return failLeg(400, ERR.signerNotKey, signed);
  const newAccount = ctx.rules.newAccounts || ctx.rules.newAccountOwners.includes(o.signer.toLowerCase());
  if (o.signatureType !== 3 && (newAccount || ctx.faults.take(["reject-eoa"], ctx.method, ctx.path))) return failLeg(400, ERR.depositWallet, signed);
  if (o.side === "BUY" && ctx.rules.region.mode === "close-only") return failLeg(400, closedOnlyError(o.maker), signed);
  if (ctx.ledger.orders.has(orderId)) return failLeg(400, `order ${orderId} is invalid. Duplicated.`, signed);
  const maker = BigInt(o.makerAmount);
  const taker = BigInt(o.takerAmount);
  if (maker <= 0n || taker <= 0n) return failLeg(400, `order ${orderId} is invalid. Amounts must be positive.`, signed);
  const [num, den] = o.side === "BUY" ? [maker, taker] : [taker, maker];
  const price = roundToTick((num * ONE) / den, m.tick);
  const resting = body.orderType === "GTC" || body.orderType === "GTD";
  if (resting && (num * ONE) % den !== 0n) return failLeg(400, `Price (${ratioText(num, den)}) breaks minimum tick size rule: ${m.tickSize}`, signed);
  if (resting && ((num * ONE) / den) % m.tick !== 0n) return failLeg(400, `Price (${ratioText(num, den)}) breaks minimum tick size rule: ${m.tickSize}`, signed);
  if (price < m.tick || price > ONE - m.tick) {
    return failLeg(400, `order ${orderId} is invalid. Price (${ratioText(num, den)}), min: ${m.tickSize} - max: ${fromMicros(ONE - m.tick)}`, signed);
  }
  const shares = o.side === "BUY" ? taker : maker;
  if (resting && shares < BigInt(m.minOrderSize) * ONE) {
    return failLeg(400, `order ${orderId} is invalid. Size (${fromMicros(shares)}) lower than the minimum: ${m.minOrderSize}`, signed);
  }
  const funds = o.side === "BUY" ? ctx.ledger.balance(o.maker) : ctx.ledger.shareBalance(o.maker, o.tokenId);
  if (funds < maker || !approved(ctx, o.maker, m, o.side, maker)) return failLeg(400, ERR.balance, signed);
  return { body, market: m, outcome: ref.outcome, orderId, signer, maker, taker, price, shares };
}

/**
 * The key's address signs its own orders; a type-3 order may also be signed by the deposit wallet
 * of the key's EOA (the official SDK's flow, §2.1), once the factory has deployed it (unless the
 * rule is off: the live venue's handling of counterfactual wallets is an open question, §10.1).
 */
function signerMatchesKey(ctx: FlowContext, signer: string, signatureType: number, key: ApiKeyRecord): boolean {
  if (signer.toLowerCase() === key.address.toLowerCase()) return true;
  if (signatureType !== 3 || ctx.wallets.ownerOf(signer)?.toLowerCase() !== key.address.toLowerCase()) return false;
  return ctx.wallets.isDeployed(signer) || !ctx.rules.requireDeployedWallet;
}

/** The exchange that settles this market: V2 (neg-risk or not) or ExchangeV3 for Protocol V2 markets. */
function exchangeOf(m: SimMarket): string {
  return String(exchangeDomain(m).verifyingContract);
}

/** BUY: pUSD allowance to the market's exchange covers the amount; SELL: the exchange is an operator of the shares. */
function approved(ctx: FlowContext, maker: string, m: SimMarket, side: "BUY" | "SELL", amount: bigint): boolean {
  const exchange = exchangeOf(m);
  return side === "BUY" ? ctx.chain.allowance(maker, exchange) >= amount : ctx.chain.isApprovedForAll(maker, exchange, SHARE_TOKEN[m.version]);
}

/** Taker fee of a plan on a fee-enabled market, fill by fill (micros). */
function planFee(m: SimMarket, p: FillPlan): bigint {
  return p.fills.reduce((acc, f) => acc + fillFee(f.shares, f.price, m.fees), 0n);
}

/** The fill a checked order would get now (pure). */
function plan(ctx: FlowContext, c: Checked): FillPlan {
  const side = c.body.order.side;
  const levels = ctx.ex.book(c.market).takeable(c.outcome, side);
  // Exact limit from the signed amounts: BUY accepts x ≤ maker/taker, SELL accepts x ≥ taker/maker.
  const limit = side === "BUY" ? (x: bigint) => x * c.taker <= c.maker * ONE : (x: bigint) => x * c.maker >= c.taker * ONE;
  const market = c.body.orderType === "FOK" || c.body.orderType === "FAK";
  if (side === "BUY" && market) return planTake(levels, { outcome: c.outcome, side, budget: c.maker, limit });
  return planTake(levels, { outcome: c.outcome, side, shares: c.shares, limit });
}

/** Checks, matches and records one order leg; returns the HTTP status and body the venue answers. */
export async function submitLeg(ctx: FlowContext, key: ApiKeyRecord, leg: unknown): Promise<LegResult> {
  const c = await check(ctx, key, leg);
  if ("status" in c) return c;
  const { body, orderId, signer } = c;
  const o = body.order;
  const signed = { parsed: body, orderId, signer, signatureValid: true };
  const p = plan(ctx, c);
  const marketable = p.fills.length > 0;
  const notional = o.side === "BUY" ? c.maker : c.taker;
  if (marketable && notional < ONE) return failLeg(400, `invalid amount for a marketable ${o.side} order ($${fromMicros(notional)}), min size: $1`, signed);
  if (body.postOnly && marketable) return failLeg(400, ERR.postOnly, signed);
  if (body.orderType === "FOK" && !p.complete) return failLeg(400, ERR.fok, signed);
  if (body.orderType === "FAK" && !marketable) return failLeg(400, ERR.fak, signed);
  // A taker BUY pays notional + fee from the same balance and allowance: a buy of exactly the balance fails on a fee-enabled market.
  const fee = planFee(c.market, p);
  if (o.side === "BUY" && fee > 0n && (ctx.ledger.balance(o.maker) < p.usdc + fee || !approved(ctx, o.maker, c.market, "BUY", p.usdc + fee))) {
    return failLeg(400, ERR.balance, signed);
  }
  const order = recordOrder(ctx, c, key);
  const fill = execute(ctx, order, c.market, c.outcome, p, true);
  const resting = body.orderType === "GTC" || body.orderType === "GTD";
  // Only now may the remainder rest: while it executes, the sweep of resting orders must not see it.
  order.status = resting && order.sizeMatched < order.originalSize ? "LIVE" : marketable ? "MATCHED" : "CANCELED";
  const status = marketable ? "matched" : resting ? "live" : "unmatched";
  const answer: Record<string, unknown> = {
    errorMsg: "",
    orderID: orderId,
    takingAmount: fill ? fromMicros(o.side === "BUY" ? fill.shares : fill.usdc) : "",
    makingAmount: fill ? fromMicros(o.side === "BUY" ? fill.usdc : fill.shares) : "",
    status,
    success: true,
  };
  if (fill) Object.assign(answer, { transactionsHashes: [fill.transactionHash], tradeIDs: fill.tradeIds });
  return { status: 200, body: answer, ...signed, outcome: "accepted" };
}

function recordOrder(ctx: FlowContext, c: Checked, key: ApiKeyRecord): VenueOrder {
  const o = c.body.order;
  const order: VenueOrder = {
    id: c.orderId,
    status: "MATCHED",
    owner: key.apiKey,
    makerAddress: o.maker,
    market: c.market.conditionId,
    assetId: o.tokenId,
    outcome: c.outcome,
    outcomeName: c.market.outcomes[c.outcome],
    side: o.side,
    originalSize: c.shares,
    sizeMatched: 0n,
    price: c.price,
    makerAmount: c.maker,
    takerAmount: c.taker,
    orderType: c.body.orderType,
    expiration: o.expiration,
    createdAt: Math.floor(ctx.now() / 1000),
    tradeIds: [],
  };
  ctx.ledger.orders.set(order.id, order);
  return order;
}

/** Applies a plan for a venue order: book, feed, balances, trades. Only a taker pays the fee (resting orders fill as makers). */
export function execute(ctx: FlowContext, order: VenueOrder, m: SimMarket, outcome: Outcome, p: FillPlan, taker = false): { shares: bigint; usdc: bigint; fee: bigint; transactionHash: string; tradeIds: string[] } | undefined {
  const applied = applyTake(ctx.ex, m, outcome, order.side, p);
  if (!applied) return undefined;
  const fees = p.fills.map((f) => (taker ? fillFee(f.shares, f.price, m.fees) : 0n));
  const fee = fees.reduce((a, b) => a + b, 0n);
  ctx.ledger.settle(order.makerAddress, order.assetId, order.side, applied.shares, applied.usdc, fee);
  if (order.side === "BUY") ctx.chain.spend(order.makerAddress, exchangeOf(m), applied.usdc + fee);
  order.sizeMatched += applied.shares;
  const rng = ctx.ex.rng;
  const uuid = (): string => {
    const h = rng.hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const tradeIds: string[] = [];
  for (const [i, f] of p.fills.entries()) {
    const id = uuid();
    tradeIds.push(id);
    ctx.ledger.trades.push({
      id,
      takerOrderId: order.id,
      market: m.conditionId,
      assetId: order.assetId,
      side: order.side,
      size: f.shares,
      price: f.price,
      outcome: order.outcomeName,
      owner: order.owner,
      makerAddress: order.makerAddress,
      fee: fees[i]!,
      feeRateBps: feeRateBps(m.fees),
      matchTime: Math.floor(ctx.now() / 1000),
      transactionHash: applied.transactionHash,
      makerOrders: [{ orderId: `0x${rng.hex(32)}`, owner: uuid(), makerAddress: `0x${rng.hex(20)}`, matchedAmount: f.shares, price: f.price, outcome: order.outcomeName, side: order.side === "BUY" ? "SELL" : "BUY" }],
    });
  }
  order.tradeIds.push(...tradeIds);
  return { shares: applied.shares, usdc: applied.usdc, fee, transactionHash: applied.transactionHash, tradeIds };
}

/**
 * Resting (GTC/GTD) orders are not shown in the simulated book; they fill when the market comes to
 * them: after a move, a live BUY at p takes asks ≤ p (a SELL takes bids ≥ p) for what it still needs.
 */
export function sweepResting(ctx: FlowContext, m: SimMarket): void {
  for (const order of ctx.ledger.orders.values()) {
    if (order.status !== "LIVE" || order.market !== m.conditionId) continue;
    const outcome = order.outcome;
    const wanted = order.originalSize - order.sizeMatched;
    const levels = ctx.ex.book(m).takeable(outcome, order.side);
    const limit = order.side === "BUY" ? (x: bigint) => x <= order.price : (x: bigint) => x >= order.price;
    const p = planTake(levels, { outcome, side: order.side, shares: wanted, limit });
    if (p.fills.length === 0) continue;
    execute(ctx, order, m, outcome, p);
    if (order.sizeMatched >= order.originalSize) order.status = "MATCHED";
  }
}
