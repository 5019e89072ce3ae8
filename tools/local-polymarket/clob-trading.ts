// Authenticated CLOB routes of the local Polymarket: API keys, orders, cancels, order/trade queries, balances.
import { setTimeout as sleep } from "node:timers/promises";
import type { ApiKeyRecord, ApiKeys } from "./auth";
import { decodeOffset, encodeOffset, END_CURSOR } from "./clob-public";
import { fromMicros } from "./decimal";
import { fail, json, parseJson, Router, type Answer, type Req } from "./http-util";
import type { ReceivedOrder, VenueOrder, VenueTrade } from "./ledger";
import { submitLeg, type FlowContext } from "./order-flow";
import { MAX_UINT256, SHARE_TOKEN } from "./chain";
import { EXCHANGES } from "./order-verify";
import { REGION_BLOCKED } from "./rules";

/** POST /orders takes at most 15 orders (NautilusTrader BATCH_ORDER_LIMIT). */
export const BATCH_ORDER_LIMIT = 15;
/** Page size of /data/orders and /data/trades. */
const PAGE = 100;

/** Answer meaning "hold the response open and never write it" (accept-then-hang). */
export const HANG: Answer = { status: 0, body: null };

export interface TradingDeps {
  keys: ApiKeys;
  flow: (req: Req) => FlowContext;
}

export function orderJson(o: VenueOrder): Record<string, unknown> {
  return {
    id: o.id,
    status: o.status,
    owner: o.owner,
    maker_address: o.makerAddress,
    market: o.market,
    asset_id: o.assetId,
    side: o.side,
    original_size: fromMicros(o.originalSize),
    size_matched: fromMicros(o.sizeMatched),
    price: fromMicros(o.price),
    associate_trades: [...o.tradeIds],
    outcome: o.outcomeName,
    created_at: o.createdAt,
    expiration: o.expiration,
    order_type: o.orderType,
  };
}

export function tradeJson(t: VenueTrade): Record<string, unknown> {
  return {
    id: t.id,
    taker_order_id: t.takerOrderId,
    market: t.market,
    asset_id: t.assetId,
    side: t.side,
    size: fromMicros(t.size),
    // Trades carry the rate only, never the fee amount (CCv2 Trade; §5): compute it from fd.
    fee_rate_bps: t.feeRateBps,
    price: fromMicros(t.price),
    status: "CONFIRMED",
    match_time: String(t.matchTime),
    last_update: String(t.matchTime),
    outcome: t.outcome,
    bucket_index: 0,
    owner: t.owner,
    maker_address: t.makerAddress,
    transaction_hash: t.transactionHash,
    maker_orders: t.makerOrders.map((m) => ({
      order_id: m.orderId,
      owner: m.owner,
      maker_address: m.makerAddress,
      matched_amount: fromMicros(m.matchedAmount),
      price: fromMicros(m.price),
      fee_rate_bps: "0",
      asset_id: t.assetId,
      outcome: m.outcome,
      side: m.side,
    })),
    trader_side: "TAKER",
  };
}

function page<T>(req: Req, items: T[], render: (t: T) => unknown): Answer {
  const start = decodeOffset(req.query.get("next_cursor"));
  if (start === undefined) return fail(400, "invalid next_cursor");
  const slice = items.slice(start, start + PAGE);
  const next = start + slice.length;
  return json(200, { limit: PAGE, count: slice.length, next_cursor: next >= items.length ? END_CURSOR : encodeOffset(next), data: slice.map(render) });
}

function headersOf(req: Req): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v ?? "")]));
}

/** Runs POST /order or /orders: every leg is recorded; an accept-then-hang fault holds the answer after processing. */
async function postOrders(deps: TradingDeps, req: Req, batch: boolean): Promise<Answer> {
  const ctx = deps.flow(req);
  const received = (leg: number, patch: Partial<ReceivedOrder>): ReceivedOrder => {
    const rec: ReceivedOrder = {
      seq: ctx.ledger.received.length + 1,
      receivedAt: req.arrivedAt ?? ctx.now(),
      route: batch ? "/orders" : "/order",
      leg,
      rawBody: req.body,
      headers: headersOf(req),
      authOk: false,
      outcome: "",
      httpStatus: 0,
      answer: null,
      answered: true,
      ...patch,
    };
    ctx.ledger.received.push(rec);
    return rec;
  };
  // A blocked region is refused before authentication (§6).
  if (ctx.rules.region.mode === "blocked") {
    const blocked = fail(403, REGION_BLOCKED);
    received(0, { outcome: REGION_BLOCKED, httpStatus: 403, answer: blocked.body, order: parseJson(req.body) });
    return blocked;
  }
  const key = deps.keys.verifyL2(req);
  if ("status" in key) {
    received(0, { outcome: "unauthorized", httpStatus: key.status, answer: key.body, order: parseJson(req.body) });
    return key;
  }
  const parsed = parseJson(req.body);
  const legs = batch ? parsed : [parsed];
  if (!Array.isArray(legs)) return record(received(0, { authOk: true, outcome: "Invalid order payload", httpStatus: 400 }), fail(400, "Invalid order payload"));
  if (batch && legs.length > BATCH_ORDER_LIMIT) {
    return record(received(0, { authOk: true, outcome: "too many orders", httpStatus: 400 }), fail(400, `Too many orders in payload, max allowed: ${BATCH_ORDER_LIMIT}`));
  }
  const recs: ReceivedOrder[] = [];
  const answers: unknown[] = [];
  let single: Answer | undefined;
  for (const [i, leg] of legs.entries()) {
    const r = await submitLeg(ctx, key as ApiKeyRecord, leg);
    // In a batch, a refused leg is an entry with success:false, not an HTTP error (NT docs "Submit error handling").
    const legAnswer = batch && r.status !== 200 ? { errorMsg: r.outcome, orderID: r.orderId ?? "", takingAmount: "", makingAmount: "", status: "", success: false } : r.body;
    answers.push(legAnswer);
    single = { status: r.status, body: r.body };
    recs.push(received(i, { authOk: true, order: r.parsed ?? leg, orderId: r.orderId, signer: r.signer, signatureValid: r.signatureValid, ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}), outcome: r.outcome, httpStatus: batch ? 200 : r.status, answer: legAnswer }));
  }
  const answer: Answer = batch ? json(200, answers) : single!;
  const hang = ctx.faults.take(["hang"], req.method, req.fullPath);
  if (!hang) return answer;
  for (const r of recs) r.answered = false;
  if (hang.ms === undefined) return HANG;
  await sleep(hang.ms);
  for (const r of recs) r.answered = true;
  return answer;
}

function record(rec: ReceivedOrder, answer: Answer): Answer {
  rec.answer = answer.body;
  return answer;
}

function cancel(deps: TradingDeps, req: Req, ids: string[], key: ApiKeyRecord): Answer {
  const ctx = deps.flow(req);
  const canceled: string[] = [];
  const notCanceled: Record<string, string> = {};
  for (const id of ids) {
    const o = ctx.ledger.orders.get(id);
    if (!o || o.owner !== key.apiKey) notCanceled[id] = "order not found";
    else if (o.status !== "LIVE") notCanceled[id] = "already canceled or matched";
    else {
      o.status = "CANCELED";
      canceled.push(id);
    }
  }
  return json(200, { canceled, not_canceled: notCanceled });
}

export function clobTradingRouter(deps: TradingDeps): Router {
  const authed = (f: (req: Req, key: ApiKeyRecord) => Answer | Promise<Answer>) => (req: Req) => {
    const key = deps.keys.verifyL2(req);
    return "status" in key ? key : f(req, key);
  };
  const mine = (req: Req, key: ApiKeyRecord) => [...deps.flow(req).ledger.orders.values()].filter((o) => o.owner === key.apiKey);
  return new Router()
    .on("POST", "/auth/api-key", async (req) => {
      const l1 = await deps.keys.verifyL1(req);
      if ("status" in l1) return l1;
      const rec = deps.keys.create(l1.address, l1.nonce);
      return rec ? json(200, { apiKey: rec.apiKey, secret: rec.secret, passphrase: rec.passphrase }) : fail(400, "Could not create api key");
    })
    .on("GET", "/auth/derive-api-key", async (req) => {
      const l1 = await deps.keys.verifyL1(req);
      if ("status" in l1) return l1;
      const rec = deps.keys.derive(l1.address, l1.nonce);
      return rec ? json(200, { apiKey: rec.apiKey, secret: rec.secret, passphrase: rec.passphrase }) : fail(404, "Could not derive api key!");
    })
    .on("GET", "/auth/api-keys", authed((_req, key) => json(200, { apiKeys: deps.keys.list().filter((k) => k.address === key.address).map((k) => k.apiKey) })))
    .on("POST", "/order", (req) => postOrders(deps, req, false))
    .on("POST", "/orders", (req) => postOrders(deps, req, true))
    .on("DELETE", "/order", authed((req, key) => {
      const body = parseJson(req.body) as { orderID?: unknown } | undefined;
      return typeof body?.orderID === "string" ? cancel(deps, req, [body.orderID], key) : fail(400, "Invalid order id");
    }))
    .on("DELETE", "/orders", authed((req, key) => {
      const body = parseJson(req.body);
      return Array.isArray(body) && body.every((x) => typeof x === "string") ? cancel(deps, req, body, key) : fail(400, "Invalid order ids");
    }))
    .on("DELETE", "/cancel-all", authed((req, key) => cancel(deps, req, mine(req, key).filter((o) => o.status === "LIVE").map((o) => o.id), key)))
    .on("DELETE", "/cancel-market-orders", authed((req, key) => {
      const body = (parseJson(req.body) ?? {}) as { market?: string; asset_id?: string };
      const ids = mine(req, key).filter((o) => o.status === "LIVE" && (!body.market || o.market === body.market) && (!body.asset_id || o.assetId === body.asset_id));
      return cancel(deps, req, ids.map((o) => o.id), key);
    }))
    .on("GET", "/data/order/:id", authed((req, key) => {
      const o = deps.flow(req).ledger.orders.get(req.params.id!);
      // Unknown (or someone else's) order: null with 200, not a 404 (unverified against the live venue).
      return json(200, o && o.owner === key.apiKey ? orderJson(o) : null);
    }))
    .on("GET", "/data/orders", authed((req, key) => {
      const q = req.query;
      const list = mine(req, key).filter((o) => o.status === "LIVE" && (!q.get("id") || o.id === q.get("id")) && (!q.get("market") || o.market === q.get("market")) && (!q.get("asset_id") || o.assetId === q.get("asset_id")));
      return page(req, list, orderJson);
    }))
    .on("GET", "/data/trades", authed((req, key) => {
      const q = req.query;
      const list = deps.flow(req).ledger.trades.filter((t) => t.owner === key.apiKey && (!q.get("id") || t.id === q.get("id")) && (!q.get("market") || t.market === q.get("market")) && (!q.get("asset_id") || t.assetId === q.get("asset_id")));
      return page(req, list, tradeJson);
    }))
    .on("GET", "/auth/ban-status/closed-only", authed((req) => json(200, { closed_only: deps.flow(req).rules.region.mode === "close-only" })))
    .on("GET", "/balance-allowance", authed((req, key) => balance(deps, req, key)))
    .on("GET", "/balance-allowance/update", authed((req, key) => balance(deps, req, key)));
}

/**
 * The account a key's balance query is about: with signature_type=3 the deposit wallet of the key's
 * EOA (the account's funder, §11), otherwise the key's own address.
 */
export function fundedAccount(ctx: FlowContext, key: ApiKeyRecord, signatureType: string | null): string {
  if (signatureType !== "3" || ctx.wallets.ownerOf(key.address)) return key.address;
  return ctx.wallets.walletOf(key.address);
}

/** Balances in 6-decimal base units; allowances to the V2/V3 exchanges as the simulated chain holds them. */
function balance(deps: TradingDeps, req: Req, key: ApiKeyRecord): Answer {
  const ctx = deps.flow(req);
  const type = (req.query.get("asset_type") ?? "").toUpperCase();
  const tokenId = req.query.get("token_id") ?? "";
  const account = fundedAccount(ctx, key, req.query.get("signature_type"));
  let units: bigint;
  let allowances: Array<[string, string]>;
  if (type === "COLLATERAL") {
    units = ctx.ledger.balance(account);
    allowances = Object.values(EXCHANGES).map((a) => [a, ctx.chain.allowance(account, a).toString()]);
  } else if (type === "CONDITIONAL" || type === "CONDITIONAL-V2") {
    if (!/^\d{1,78}$/.test(tokenId) || tokenId === "-1") return fail(400, "Invalid token id");
    units = ctx.ledger.shareBalance(account, tokenId);
    const token = type === "CONDITIONAL" ? SHARE_TOKEN.v1 : SHARE_TOKEN.v2;
    allowances = Object.values(EXCHANGES).map((a) => [a, ctx.chain.isApprovedForAll(account, a, token) ? MAX_UINT256.toString() : "0"]);
  } else return fail(400, "Invalid asset type");
  return json(200, { balance: units.toString(), allowances: Object.fromEntries(allowances) });
}

