// Orders on the local Polymarket, built and signed by the official @polymarket/clob-client-v2 (the oracle).
import { ClobClient, OrderType, Side, SignatureTypeV2, createL1Headers, createL2Headers, isV2Order, orderToJsonV2, type SignedOrder } from "@polymarket/clob-client-v2";
import type { WalletClient } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import { officialClient, testWallet } from "./official-client";
import { openSocket } from "./test-support";
import type { MarketInfo } from "./types";
import { deriveDepositWallet } from "./wallets";

let lp: LocalPolymarket;
let binary: MarketInfo;
let negRisk: MarketInfo;
let v2: MarketInfo;

const wallet = testWallet;
const client = (w = wallet(), opts: { signatureType?: SignatureTypeV2; funder?: string } = {}) => officialClient(lp.clobUrl, w, opts);

/** The POST /order body exactly as the official client builds it. */
function bodyOf(order: SignedOrder, key: string, type: OrderType): string {
  if (!isV2Order(order)) throw new Error("expected a V2 order");
  return JSON.stringify(orderToJsonV2(order, key, type));
}

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "orders-test", noNewAssetsMs: 0 });
  binary = lp.markets().find((m) => !m.negRisk && m.tickSize === "0.01" && m.version === "v1")!;
  negRisk = lp.markets().find((m) => m.negRisk && m.tickSize === "0.001")!;
  v2 = lp.markets().find((m) => m.version === "v2")!;
});
afterAll(() => lp.stop());
beforeEach(() => lp.reset());

/** A clean book: asks 0.52 × 100 and 0.55 × 200 (token terms), bid 0.50 × 100. */
function shapeBook(m: MarketInfo, tick = m.tickSize): void {
  const p = (x: string) => (tick === "0.001" ? `${x}0` : x);
  lp.setBook(m.tokenIds[0], { bids: [{ price: p("0.50"), size: "100" }], asks: [{ price: p("0.55"), size: "200" }, { price: p("0.52"), size: "100" }] });
}

describe("official client orders", () => {
  it.each([
    ["a normal market", () => binary],
    ["a neg-risk market", () => negRisk],
  ])("accepts and matches a FOK market BUY on %s, consuming the book", async (_name, pick) => {
    const m = pick();
    shapeBook(m);
    const { c, w } = await client();
    const ws = await openSocket(lp.wsUrl);
    ws.send({ assets_ids: [...m.tokenIds], type: "market" });
    await ws.waitFor((o) => o.event_type === "book");
    const res = await c.createAndPostMarketOrder({ tokenID: m.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: m.tickSize as "0.01", negRisk: m.negRisk }, OrderType.FOK);
    expect(res).toMatchObject({ success: true, status: "matched", errorMsg: "" });
    // $10 at 0.52: 19.230769 shares, rounded down to the micro-share.
    expect(res.takingAmount).toBe("19.230769");
    expect(res.makingAmount).toBe("10");
    expect(res.transactionsHashes).toHaveLength(1);
    const rec = lp.lastOrder()!;
    expect(rec).toMatchObject({ outcome: "accepted", signatureValid: true, authOk: true, orderId: res.orderID, answered: true });
    expect(rec.signer!.toLowerCase()).toBe(w.account!.address.toLowerCase());
    expect(lp.book(m.tokenIds[0]).asks).toEqual([
      { price: m.tickSize === "0.001" ? "0.55" : "0.55", size: "200" },
      { price: "0.52", size: "80.769231" },
    ]);
    await ws.waitFor((o) => o.event_type === "last_trade_price" && o.asset_id === m.tokenIds[0]);
    const order = await c.getOrder(res.orderID);
    expect(order).toMatchObject({ id: res.orderID, status: "MATCHED", side: "BUY", size_matched: "19.230769", owner: (await c.createOrDeriveApiKey()).key });
    ws.close();
  });

  it("buys the second outcome against the mirrored book (its asks are 1 − the first outcome's bids)", async () => {
    shapeBook(binary);
    const { c } = await client();
    const res = await c.createAndPostMarketOrder({ tokenID: binary.tokenIds[1], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.FOK);
    expect(res).toMatchObject({ success: true, status: "matched", takingAmount: "20", makingAmount: "10" });
    expect(lp.book(binary.tokenIds[0]).bids).toEqual([{ price: "0.5", size: "80" }]);
  });

  it("accepts a SELL FAK that fills partly and settles balances", async () => {
    shapeBook(binary);
    const { c, w } = await client();
    const addr = w.account!.address;
    lp.setBalance(addr, { tokenId: binary.tokenIds[0], shares: "150" });
    const res = await c.createAndPostMarketOrder({ tokenID: binary.tokenIds[0], amount: 150, side: Side.SELL, price: 0.5 }, { tickSize: "0.01", negRisk: false }, OrderType.FAK);
    expect(res).toMatchObject({ success: true, status: "matched", makingAmount: "100", takingAmount: "50" });
    expect(lp.balance(addr, binary.tokenIds[0])).toEqual({ pusd: "1000050", shares: "50" });
  });

  it("accepts an order for a Protocol V2 market signed against ExchangeV3 (domain version 3)", async () => {
    lp.setBook(v2.tokenIds[0], { bids: [{ price: "0.30", size: "100" }], asks: [{ price: "0.40", size: "100" }] });
    const { c } = await client();
    const order = await c.createMarketOrder({ tokenID: v2.tokenIds[0], amount: 4, side: Side.BUY, price: 0.4 }, { tickSize: v2.tickSize as "0.01", negRisk: false, version: 3 });
    const res = await c.postOrder(order, OrderType.FOK);
    expect(res).toMatchObject({ success: true, status: "matched", takingAmount: "10" });
    const asV2 = await c.createMarketOrder({ tokenID: v2.tokenIds[0], amount: 4, side: Side.BUY, price: 0.4 }, { tickSize: v2.tickSize as "0.01", negRisk: false, version: 2 });
    expect(await c.postOrder(asV2, OrderType.FOK)).toMatchObject({ error: "invalid signature", status: 400 });
  });

  it("takes a deposit wallet's (POLY_1271) order under its owner EOA's key once deployed; refuses it before, unless the rule is off", async () => {
    shapeBook(binary);
    const [deployed, counterfactual] = [wallet(), wallet()];
    const buy = async (w: WalletClient, funder: string) =>
      (await client(w, { signatureType: SignatureTypeV2.POLY_1271, funder })).c.createAndPostMarketOrder({ tokenID: binary.tokenIds[0], amount: 5, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.FOK);
    const [dw, cf] = [lp.depositWallet(deployed.account!.address), deriveDepositWallet(counterfactual.account!.address, "beacon")];
    expect(await buy(deployed, dw)).toMatchObject({ success: true, status: "matched", makingAmount: "5" });
    expect(lp.balance(dw).pusd).toBe("999995");
    expect(await buy(counterfactual, cf)).toMatchObject({ error: "the order signer address has to be the address of the API KEY", status: 400 });
    expect(lp.lastOrder()!.signatureValid).toBe(true);
    lp.rules({ requireDeployedWallet: false });
    expect(await buy(counterfactual, cf)).toMatchObject({ success: true, status: "matched" });
  });

  it("verifies the ERC-7739 wrapped signature of a deposit-wallet order posted with the wallet's own key", async () => {
    shapeBook(binary);
    const owner = wallet();
    const depositWallet = lp.depositWallet(owner.account!.address);
    const l1 = await createL1Headers(owner as never, 137, 0, undefined, depositWallet);
    const keyRes = await fetch(`${lp.clobUrl}/auth/api-key`, { method: "POST", headers: l1 as unknown as Record<string, string> });
    const raw = (await keyRes.json()) as { apiKey: string; secret: string; passphrase: string };
    const creds = { key: raw.apiKey, secret: raw.secret, passphrase: raw.passphrase };
    const c = new ClobClient({ host: lp.clobUrl, chain: 137, signer: owner, creds, signatureType: SignatureTypeV2.POLY_1271, funderAddress: depositWallet });
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 5, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    expect(order.signature.length).toBeGreaterThan(132);
    const post = async (o: typeof order) => {
      const body = bodyOf(o, creds.key, OrderType.FOK);
      // The wallet's key: POLY_ADDRESS is the deposit wallet, as the Rust SDK sends it (polymarket.md §8).
      const headers = { ...(await createL2Headers(owner as never, creds, { method: "POST", requestPath: "/order", body })), POLY_ADDRESS: depositWallet };
      const res = await fetch(`${lp.clobUrl}/order`, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await post({ ...order, makerAmount: "6000000" })).toEqual({ status: 400, body: { error: "invalid signature" } });
    expect(await post(order)).toMatchObject({ status: 200, body: { success: true, status: "matched", makingAmount: "5" } });
    expect(lp.balance(depositWallet, binary.tokenIds[0]).pusd).toBe("999995");
  });
});

describe("refusals", () => {
  it.each([
    ["amount changed after signing", async (c: ClobClient) => {
      const o = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
      return { ...o, makerAmount: "20000000" };
    }],
    ["signed for the neg-risk exchange on a normal market", (c: ClobClient) => c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: true })],
    ["signed for the normal exchange on a neg-risk market", (c: ClobClient) => c.createMarketOrder({ tokenID: negRisk.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.001", negRisk: false })],
    ["signer field swapped to another address", async (c: ClobClient, other: ClobClient) => {
      const o = await other.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
      const self = (await (c as unknown as { signer: WalletClient }).signer.account!.address) as string;
      return { ...o, signer: self, maker: self };
    }],
  ])("refuses an order %s with 400 invalid signature", async (_name, build) => {
    shapeBook(binary);
    shapeBook(negRisk);
    const { c } = await client();
    const { c: other } = await client();
    const res = await c.postOrder(await build(c, other), OrderType.FOK);
    expect(res).toMatchObject({ error: "invalid signature", status: 400 });
    expect(lp.lastOrder()).toMatchObject({ outcome: "invalid signature", signatureValid: false, httpStatus: 400 });
    expect(lp.book(binary.tokenIds[0]).asks).toContainEqual({ price: "0.52", size: "100" });
  });

  it("refuses a valid order signed by someone else's key", async () => {
    shapeBook(binary);
    const { c } = await client();
    const { c: other } = await client();
    const order = await other.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: "the order signer address has to be the address of the API KEY", status: 400 });
  });

  it.each([
    ["FOK not fully fillable", { amount: 500, orderType: OrderType.FOK }, "order couldn't be fully filled. FOK orders are fully filled or killed."],
    ["marketable below $1", { amount: 0.5, orderType: OrderType.FOK }, "invalid amount for a marketable BUY order ($0.5), min size: $1"],
  ])("refuses %s with the venue's text", async (_name, { amount, orderType }, text) => {
    shapeBook(binary);
    const { c } = await client();
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount, side: Side.BUY, price: 0.55 }, { tickSize: "0.01", negRisk: false });
    expect(await c.postOrder(order, orderType)).toMatchObject({ error: text, status: 400 });
    expect(lp.book(binary.tokenIds[0]).asks).toHaveLength(2);
  });

  it("refuses EOA makers while the reject-eoa switch is on, a short balance, and a duplicate", async () => {
    shapeBook(binary);
    const { c, w } = await client();
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    lp.faults.add({ kind: "reject-eoa", count: 1 });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: "maker address not allowed, please use the deposit wallet flow", status: 400 });
    lp.setBalance(w.account!.address, { pusd: "9.99" });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: "not enough balance / allowance", status: 400 });
    lp.setBalance(w.account!.address, { pusd: "100" });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ status: "matched" });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: expect.stringMatching(/is invalid\. Duplicated\.$/), status: 400 });
  });

  it("the new-account rule for one owner refuses that owner's EOA orders only", async () => {
    shapeBook(binary);
    const { c, w } = await client();
    const { c: older } = await client();
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    const olderOrder = await older.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    lp.rules({ addNewAccountOwner: w.account!.address });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: "maker address not allowed, please use the deposit wallet flow", status: 400 });
    expect(await older.postOrder(olderOrder, OrderType.FOK)).toMatchObject({ status: "matched" });
    expect(lp.rules().newAccountOwners).toEqual([w.account!.address.toLowerCase()]);
  });

  it("answers 503 while trading is disabled and 401 to a wrong HMAC", async () => {
    shapeBook(binary);
    const { c, creds } = await client();
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    lp.faults.add({ kind: "trading-disabled", count: 1 });
    expect(await c.postOrder(order, OrderType.FOK)).toMatchObject({ error: "Trading is currently disabled", status: 503 });
    const forged = new ClobClient({ host: lp.clobUrl, chain: 137, signer: (c as unknown as { signer: WalletClient }).signer, creds: { ...creds, secret: Buffer.alloc(32, 7).toString("base64url") + "=" } });
    expect(await forged.postOrder(order, OrderType.FOK)).toMatchObject({ error: "Unauthorized/Invalid api key", status: 401 });
  });
});

describe("batches and accounts", () => {
  it("answers POST /orders leg by leg (a refused leg is success:false) and refuses more than 15", async () => {
    shapeBook(binary);
    const { c } = await client();
    const good = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 5, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    const crossing = await c.createOrder({ tokenID: binary.tokenIds[0], price: 0.6, size: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    const res = await c.postOrders([{ order: good, orderType: OrderType.FOK }, { order: { ...crossing, takerAmount: "1" }, orderType: OrderType.GTC }]);
    expect(res).toEqual([
      expect.objectContaining({ success: true, status: "matched" }),
      { errorMsg: "invalid signature", orderID: expect.stringMatching(/^0x[0-9a-f]{64}$/), takingAmount: "", makingAmount: "", status: "", success: false },
    ]);
    expect(lp.orders().slice(-2).map((o) => [o.route, o.leg, o.outcome])).toEqual([
      ["/orders", 0, "accepted"],
      ["/orders", 1, "invalid signature"],
    ]);
    expect(await c.postOrder(crossing, OrderType.GTC, true)).toMatchObject({ error: "invalid post-only order: order crosses book", status: 400 });
    const many = Array.from({ length: 16 }, () => ({ order: good, orderType: OrderType.FOK as const }));
    expect(await c.postOrders(many)).toMatchObject({ error: "Too many orders in payload, max allowed: 15", status: 400 });
  });

  it("reports balances in base units and pages trades with cursors", async () => {
    shapeBook(binary);
    const { c, w } = await client();
    lp.setBalance(w.account!.address, { pusd: "20" });
    const before = await c.getBalanceAllowance({ asset_type: "COLLATERAL" as never });
    expect(before.balance).toBe("20000000");
    expect(Object.keys(before.allowances)).toHaveLength(3);
    await c.createAndPostMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.FOK);
    expect((await c.getBalanceAllowance({ asset_type: "COLLATERAL" as never })).balance).toBe("10000000");
    expect((await c.getBalanceAllowance({ asset_type: "CONDITIONAL" as never, token_id: binary.tokenIds[0] })).balance).toBe("1000019230769");
    const trades = await c.getTrades();
    expect(trades).toEqual([expect.objectContaining({ side: "BUY", price: "0.52", size: "19.230769", status: "CONFIRMED", trader_side: "TAKER", asset_id: binary.tokenIds[0] })]);
  });
});

describe("accept-then-hang", () => {
  it("matches the order, never answers, and the order is findable by its hash", async () => {
    shapeBook(binary);
    const { c, creds, w } = await client();
    const order = await c.createMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1 });
    const body = bodyOf(order, creds.key, OrderType.FOK);
    const headers = await createL2Headers(w as never, creds, { method: "POST", requestPath: "/order", body });
    await expect(
      fetch(`${lp.clobUrl}/order`, { method: "POST", body, headers: { ...headers, "content-type": "application/json" }, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/abort|timeout/i);
    const rec = lp.lastOrder()!;
    expect(rec).toMatchObject({ outcome: "accepted", answered: false });
    expect(await c.getOrder(rec.orderId!)).toMatchObject({ id: rec.orderId, status: "MATCHED", size_matched: "19.230769" });
    expect(await c.getTrades({ id: (lp.order(rec.orderId!)!.associate_trades as string[])[0]! })).toHaveLength(1);
  });

  it("answers late with ms", async () => {
    shapeBook(binary);
    const { c } = await client();
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1, ms: 50 });
    const res = await c.createAndPostMarketOrder({ tokenID: binary.tokenIds[0], amount: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.FOK);
    expect(res).toMatchObject({ status: "matched" });
    expect(lp.lastOrder()!.answered).toBe(true);
  });
});

describe("resting orders", () => {
  it("rests a GTC BUY below the ask, then fills it when the market comes down to it", async () => {
    shapeBook(binary);
    const { c } = await client();
    const res = await c.createAndPostOrder({ tokenID: binary.tokenIds[0], price: 0.45, size: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.GTC);
    expect(res).toMatchObject({ success: true, status: "live", takingAmount: "", makingAmount: "" });
    expect(await c.getOpenOrders()).toHaveLength(1);
    lp.movePrice(binary.tokenIds[0], { bid: "0.43", ask: "0.44", size: "50" });
    expect(lp.order(res.orderID)).toMatchObject({ status: "MATCHED", size_matched: "10", price: "0.45" });
    expect(await c.getOpenOrders()).toHaveLength(0);
  });

  it("refuses off-tick and undersized GTC orders and cancels a live one", async () => {
    shapeBook(binary);
    const { c } = await client();
    const small = await c.createOrder({ tokenID: binary.tokenIds[0], price: 0.45, size: 4, side: Side.BUY }, { tickSize: "0.01", negRisk: false });
    expect(await c.postOrder(small, OrderType.GTC)).toMatchObject({ error: expect.stringMatching(/Size \(4\) lower than the minimum: 5$/) });
    // Exact base-unit amounts (ExchangeV3, so a v2 market): 4.5 / 10.2 is not on the 0.01 grid.
    const offTick = await c.createExchangeV3OrderFromAmounts({ tokenID: v2.tokenIds[0], makerAmount: "4500000", takerAmount: "10200000", side: Side.BUY });
    expect(await c.postOrder(offTick, OrderType.GTC)).toMatchObject({ error: `Price (0.4411764705882353) breaks minimum tick size rule: ${v2.tickSize}`, status: 400 });
    const live = await c.createAndPostOrder({ tokenID: binary.tokenIds[0], price: 0.4, size: 10, side: Side.BUY }, { tickSize: "0.01", negRisk: false }, OrderType.GTC);
    expect(await c.cancelOrder({ orderID: live.orderID })).toEqual({ canceled: [live.orderID], not_canceled: {} });
    expect(await c.cancelOrder({ orderID: live.orderID })).toEqual({ canceled: [], not_canceled: { [live.orderID]: "already canceled or matched" } });
  });
});
