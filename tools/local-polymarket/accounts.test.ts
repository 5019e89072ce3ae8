// The local Polymarket's 2026 account flows over HTTP: wallet derivation, relayer states and refusals, JSON-RPC, fees, region, positions.
import { createL2Headers, OrderType, Side, SignatureTypeV2, orderToJsonV2 } from "@polymarket/clob-client-v2";
import { encodeFunctionData, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONTRACTS, TOKEN_ABI } from "./chain";
import { exchangeDomain, ORDER_FIELDS } from "./order-verify";
import { fillFee } from "./fees";
import { officialClient, testWallet } from "./official-client";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import { DEPOSIT_WALLET_FACTORY, deriveDepositWallet } from "./wallets";

let lp: LocalPolymarket;
beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "accounts-test", relayerStepMs: 10, noNewAssetsMs: 0 });
});
afterAll(() => lp.stop());
beforeEach(() => lp.reset());

const owner = () => privateKeyToAccount(generatePrivateKey());
type Json = Record<string, unknown>;
const post = async <T = Json>(url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
  return { status: res.status, body: (await res.json()) as T };
};
const get = async <T = Json>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;
const auth = (address: string) => ({ RELAYER_API_KEY: lp.relayerApiKey(address), RELAYER_API_KEY_ADDRESS: address });
const until = async (id: string, state: string) => {
  for (let i = 0; i < 200; i++) {
    const t = await get<{ state: string; error_msg: string | null; transaction_hash: string }>(`${lp.relayerUrl}/v1/account/transactions/${id}`);
    if (t.state === state) return t;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`transaction ${id} never reached ${state}`);
};
const deploy = async (address: string) => (await post(`${lp.relayerUrl}/submit`, { type: "WALLET-CREATE", from: address, to: DEPOSIT_WALLET_FACTORY }, auth(address))).body.transactionID as string;

describe("deposit wallet addresses", () => {
  it.each([
    ["0xA60601A4d903af91855C52BFB3814f6bA342f201", "uups", "0x8b60BF0f650Bf7a0d93F10D72375b37De18F8c40"],
    ["0x0000000000000000000000000000000000000001", "beacon", "0x94bF330955A0b957662fEaF878dE77bf25f76cD9"],
    ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "beacon", "0xBc0fF067b7740Eff76C1ca93c875Ba6B890d6B50"],
    ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "uups", "0xdf8b9E8f9AB23f261F6e1B171B7454ae6E46Ba76"],
    ["0x33e4aD5A1367fbf7004c637F628A5b78c44Fa76C", "uups", "0x21999a074344610057c9b2B362332388a44502D4"],
  ] as const)("%s (%s) → %s, the official test vector", (o, variant, wallet) => {
    expect(deriveDepositWallet(o, variant)).toBe(wallet);
  });
});

describe("relayer", () => {
  it("deploys through NEW → EXECUTED → MINED → CONFIRMED; the wallet then has code, and no funds or approvals", async () => {
    const o = owner().address;
    const wallet = deriveDepositWallet(o, "beacon");
    expect(await get(`${lp.relayerUrl}/deployed?address=${wallet}&type=WALLET`)).toEqual({ deployed: false });
    const id = await deploy(o);
    expect((await get<Array<{ state: string }>>(`${lp.relayerUrl}/transaction?id=${id}`))[0]).toMatchObject({ transactionID: id, type: "WALLET-CREATE", from: o });
    await until(id, "STATE_CONFIRMED");
    expect(lp.relayerTransactions().find((t) => t.id === id)!.history).toEqual(["STATE_NEW", "STATE_EXECUTED", "STATE_MINED", "STATE_CONFIRMED"]);
    expect(await get(`${lp.relayerUrl}/deployed?address=${wallet}&type=WALLET`)).toEqual({ deployed: true });
    const code = await post(lp.rpcUrl, { jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [wallet, "latest"] });
    expect(code.body.result).not.toBe("0x");
    expect(lp.balance(wallet, lp.markets()[0]!.tokenIds[0])).toEqual({ pusd: "0", shares: "0" });
    expect(lp.allowance(wallet, CONTRACTS.ctfExchangeV2)).toBe(0n);
  });

  it("refuses bad auth, a `from` that is not the key's, and a wrong factory, with the relayer's texts", async () => {
    const o = owner().address;
    const other = owner().address;
    const body = { type: "WALLET-CREATE", from: o, to: DEPOSIT_WALLET_FACTORY };
    expect(await post(`${lp.relayerUrl}/submit`, body, { RELAYER_API_KEY: "nope", RELAYER_API_KEY_ADDRESS: o })).toEqual({ status: 401, body: { error: "invalid authorization" } });
    expect((await post(`${lp.relayerUrl}/submit`, body, auth(other))).body.error).toBe(`from ${o} does not match auth ${other}`);
    expect((await post(`${lp.relayerUrl}/submit`, { ...body, to: CONTRACTS.pusd }, auth(o))).body.error).toBe("invalid 'to' field: must be deposit wallet factory");
  });

  it("fault modes: a failed deployment leaves no wallet; a stuck one stays pending, then fails", async () => {
    const o = owner().address;
    lp.relayerFault({ mode: "fail", errorMsg: "execution reverted" });
    expect(await until(await deploy(o), "STATE_FAILED")).toMatchObject({ error_msg: "execution reverted" });
    expect(await get(`${lp.relayerUrl}/deployed?address=${deriveDepositWallet(o, "beacon")}`)).toEqual({ deployed: false });
    lp.relayerFault({ mode: "stuck", state: "STATE_MINED", ms: 120 });
    const id = await deploy(o);
    expect((await until(id, "STATE_MINED")).transaction_hash).toMatch(/^0x[0-9a-f]{64}$/);
    await until(id, "STATE_FAILED");
    await until(await deploy(o), "STATE_CONFIRMED");
  });

  it("runs a signed WALLET batch of approvals; refuses a stale nonce, a foreign call and a forged signature", async () => {
    const acct = owner();
    const o = acct.address;
    await until(await deploy(o), "STATE_CONFIRMED");
    const wallet = deriveDepositWallet(o, "beacon");
    const approve = encodeFunctionData({ abi: TOKEN_ABI, functionName: "approve", args: [CONTRACTS.ctfExchangeV2, 2n ** 256n - 1n] });
    const batch = async (nonce: string, calls: { target: Hex; value: string; data: Hex }[], signer = acct) => {
      const deadline = String(Math.floor(Date.now() / 1000) + 240);
      const signature = await signer.signTypedData({
        domain: { name: "DepositWallet", version: "1", chainId: 137, verifyingContract: wallet as Hex },
        types: { Call: [{ name: "target", type: "address" }, { name: "value", type: "uint256" }, { name: "data", type: "bytes" }], Batch: [{ name: "wallet", type: "address" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }, { name: "calls", type: "Call[]" }] },
        primaryType: "Batch",
        message: { wallet: wallet as Hex, nonce: BigInt(nonce), deadline: BigInt(deadline), calls: calls.map((c) => ({ ...c, value: BigInt(c.value) })) },
      });
      return post(`${lp.relayerUrl}/submit`, { type: "WALLET", from: o, to: DEPOSIT_WALLET_FACTORY, nonce, signature, depositWalletParams: { depositWallet: wallet, deadline, calls } }, auth(o));
    };
    expect((await batch("0", [{ target: CONTRACTS.pusd, value: "0", data: approve }], owner())).body.error).toBe("invalid signature");
    expect((await batch("0", [{ target: "0x000000000000000000000000000000000000dEaD", value: "0", data: approve }])).body.error).toBe("calls to 0x000000000000000000000000000000000000dEaD are not permitted");
    const ok = await batch("0", [{ target: CONTRACTS.pusd, value: "0", data: approve }]);
    await until(ok.body.transactionID as string, "STATE_CONFIRMED");
    expect(lp.allowance(wallet, CONTRACTS.ctfExchangeV2)).toBe(2n ** 256n - 1n);
    expect((await batch("0", [{ target: CONTRACTS.pusd, value: "0", data: approve }])).body.error).toBe("batch nonce 0 does not match on-chain nonce 1");
    expect(await get(`${lp.relayerUrl}/nonce?address=${o}&type=WALLET`)).toEqual({ nonce: "1" });
    // Redeeming before the market resolved: accepted by the relayer, reverted on chain.
    const unresolved = lp.markets().find((x) => !x.closed)!;
    const redeem = encodeFunctionData({ abi: TOKEN_ABI, functionName: "redeemPositions", args: [CONTRACTS.pusd, `0x${"0".repeat(64)}`, unresolved.conditionId as Hex, [1n, 2n]] });
    const early = await batch("1", [{ target: CONTRACTS.collateralAdapter, value: "0", data: redeem }]);
    expect(await until(early.body.transactionID as string, "STATE_FAILED")).toMatchObject({ error_msg: "execution reverted: result for condition not received yet" });
    const rpc = await post<Array<{ result: string }>>(lp.rpcUrl, [
      { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: DEPOSIT_WALLET_FACTORY, data: "0x49493a4d" }, "latest"] },
      { jsonrpc: "2.0", id: 2, method: "eth_call", params: [{ to: CONTRACTS.pusd, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: "allowance", args: [wallet, CONTRACTS.negRiskExchangeV2] }) }, "latest"] },
    ]);
    expect(rpc.body.map((r) => r.result)).toEqual([`0x${"0".repeat(24)}7a18edfe055488a3128f01f563e5b479d92ffc3a`, `0x${"0".repeat(64)}`]);
  });
});

describe("fees, region and positions", () => {
  it("computes shares × rate × (p(1−p))^e to 5 decimals", () => {
    expect(fillFee(25_000_000n, 130_000n, { rate: "0.05", exponent: 1 })).toBe(141_380n); // 0.141375 → 0.14138 (py-clob-client-v2 #107)
    expect(fillFee(100_000_000n, 500_000n, { rate: "0.25", exponent: 2 })).toBe(1_562_500n); // 100 × 0.25 × 0.0625
    expect(fillFee(1_000n, 10_000n, { rate: "0.01", exponent: 1 })).toBe(10n); // owes a little: the least fee, 0.00001
    expect(fillFee(50_000_000n, 500_000n, undefined)).toBe(0n);
  });

  it("a taker pays the fee: a buy of exactly the balance is refused; a SELL receives proceeds − fee; fd and Gamma show the schedule", async () => {
    const m = lp.markets().find((x) => !x.negRisk && x.version === "v1" && x.tickSize === "0.01")!;
    lp.setFees(m.id, { rate: "0.04", exponent: 1 });
    expect((await get<{ fd?: unknown }>(`${lp.clobUrl}/clob-markets/${m.conditionId}`)).fd).toEqual({ r: 0.04, e: 1, to: true });
    expect(await get(`${lp.gammaUrl}/markets/${m.id}`)).toMatchObject({ feesEnabled: true, feeSchedule: { rate: 0.04, exponent: 1, takerOnly: true } });
    lp.setBook(m.tokenIds[0], { bids: [{ price: "0.6", size: "100" }], asks: [{ price: "0.62", size: "100" }] });
    const { c, w } = await officialClient(lp.clobUrl);
    const me = w.account!.address;
    lp.setBalance(me, { pusd: "10", tokenId: m.tokenIds[0], shares: "10" });
    const opts = { tickSize: "0.01" as const, negRisk: false };
    const buy = await c.createAndPostMarketOrder({ tokenID: m.tokenIds[0], amount: 10, side: Side.BUY }, opts, OrderType.FOK);
    expect(buy).toMatchObject({ error: "not enough balance / allowance", status: 400 });
    const sell = await c.createAndPostMarketOrder({ tokenID: m.tokenIds[0], amount: 10, side: Side.SELL }, opts, OrderType.FOK);
    expect(sell).toMatchObject({ success: true, status: "matched", takingAmount: "6" });
    // 10 × 0.04 × 0.6 × 0.4 = 0.096 off the $6 proceeds.
    expect(lp.balance(me, m.tokenIds[0])).toEqual({ pusd: "15.904", shares: "0" });
    expect(lp.trades().at(-1)).toMatchObject({ side: "SELL", fee: "0.096", fee_rate_bps: "400" });
  });

  it("blocked: orders refused with 403 before authentication; close-only reported; geoblock answers", async () => {
    lp.rules({ region: { mode: "blocked" } });
    const res = await post(`${lp.clobUrl}/order`, {});
    expect(res).toEqual({ status: 403, body: { error: "Trading restricted in your region, please refer to available regions - https://docs.polymarket.com/developers/CLOB/geoblock" } });
    expect(await get(lp.geoblockUrl)).toEqual({ blocked: true, ip: "127.0.0.1", country: "US", region: "" });
    lp.rules({ region: { mode: "close-only" } });
    expect(await get(lp.geoblockUrl)).toMatchObject({ blocked: false, country: "PL" });
    expect((await post(`${lp.urls().controlUrl}/rules`, { newAccounts: true })).body).toMatchObject({ newAccounts: true, region: { mode: "close-only" } });
  });

  it("lists positions of set or traded balances only, from the Data API", async () => {
    const m = lp.markets()[0]!;
    const user = owner().address;
    expect(await get(`${lp.dataUrl}/positions?user=${user}`)).toEqual([]);
    lp.setBalance(user, { tokenId: m.tokenIds[1], shares: "12.5" });
    const rows = await get<Json[]>(`${lp.dataUrl}/positions?user=${user}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ asset: m.tokenIds[1], conditionId: m.conditionId, size: 12.5, outcomeIndex: 1, outcome: m.outcomes[1], oppositeAsset: m.tokenIds[0] });
  });
});

type V2Order = Parameters<typeof orderToJsonV2>[0];

describe("POLY_1271 diagnosis", () => {
  it("answers only 'invalid signature', and the order record says which wrapping arrived instead", async () => {
    const m = lp.markets().find((x) => !x.negRisk && x.version === "v1" && x.tickSize === "0.01")!;
    lp.setBook(m.tokenIds[0], { bids: [{ price: "0.48", size: "100" }], asks: [{ price: "0.5", size: "100" }] });
    const w = testWallet();
    const dw = lp.depositWallet(w.account!.address);
    const { c, creds } = await officialClient(lp.clobUrl, w, { signatureType: SignatureTypeV2.POLY_1271, funder: dw });
    const postBody = async (o: V2Order) => {
      const body = JSON.stringify(orderToJsonV2(o, creds.key, OrderType.FOK));
      const headers = await createL2Headers(w as never, creds, { method: "POST", requestPath: "/order", body });
      const res = await fetch(`${lp.clobUrl}/order`, { method: "POST", body, headers: { ...(headers as unknown as Record<string, string>), "content-type": "application/json" } });
      return { status: res.status, body: await res.json(), diagnosis: lp.lastOrder()!.diagnosis };
    };
    const order = (await c.createMarketOrder({ tokenID: m.tokenIds[0], amount: 5, side: Side.BUY }, { tickSize: "0.01", negRisk: false })) as V2Order;
    const plain = await w.account!.signTypedData!({
      domain: exchangeDomain(m),
      types: { Order: ORDER_FIELDS },
      primaryType: "Order",
      message: { ...order, salt: BigInt(order.salt), tokenId: BigInt(order.tokenId), makerAmount: BigInt(order.makerAmount), takerAmount: BigInt(order.takerAmount), side: 0, timestamp: BigInt(order.timestamp) } as never,
    });
    expect(await postBody({ ...order, signature: plain })).toEqual({ status: 400, body: { error: "invalid signature" }, diagnosis: expect.stringContaining("a plain EIP-712 Order signature by the owner") });
    expect((await postBody({ ...order, makerAmount: "6000000" })).diagnosis).toContain("contents hash does not match");
    const negRiskWrapped = (await c.createMarketOrder({ tokenID: m.tokenIds[0], amount: 5, side: Side.BUY }, { tickSize: "0.01", negRisk: true })) as V2Order;
    expect((await postBody(negRiskWrapped)).diagnosis).toContain("wrapped for the NegRisk CTF Exchange V2 domain");
    expect(await postBody(order)).toMatchObject({ status: 200, body: { success: true } });
  });
});
