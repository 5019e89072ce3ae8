// The official @polymarket/client, pointed at the local Polymarket, completes a new account's flows there
// (deposit wallet, approvals, balance, a market buy on a fee-enabled market, positions); and our order
// bodies and signatures (workers/polymarket) equal the SDK's for the same inputs.
import { AssetType } from "@polymarket/bindings/clob";
import { createSecureClient, OrderSide, relayerApiKey, WalletType, type SecureClient } from "@polymarket/client";
import { fetchBalanceAllowance, isWalletDeployed, updateBalanceAllowance } from "@polymarket/client/actions";
import { builderApiKey } from "@polymarket/client/node";
import { privateKey } from "@polymarket/client/viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "../../tools/local-polymarket/server";
import type { MarketInfo } from "../../tools/local-polymarket/types";
import { deriveDepositWallet } from "../../tools/local-polymarket/wallets";
import { l2Headers } from "../../workers/polymarket/auth-l2";
import { depositWalletAddress, signWalletBatch, tradingApprovalCalls } from "../../workers/polymarket/deposit-wallet";
import { localSdkEnvironment } from "../support/sdk-environment";
import { buildOrder, orderPayload, signOrder, type SignatureType } from "../../workers/polymarket/order-signing";

let lp: LocalPolymarket;
let market: MarketInfo;

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "sdk-oracle", relayerStepMs: 15, newAccounts: true });
  market = lp.markets().find((m) => !m.negRisk && m.version === "v1" && !m.closed)!;
});
afterAll(() => lp.stop());

const environment = () => localSdkEnvironment(lp);

async function secureClient(key: `0x${string}`, wallet?: string): Promise<SecureClient> {
  const owner = privateKeyToAccount(key).address;
  return createSecureClient({ signer: privateKey(key), environment: environment(), apiKey: relayerApiKey({ key: lp.relayerApiKey(owner), address: owner }), ...(wallet ? { wallet } : {}) });
}

/** Our signer and body for the order the SDK just posted: same fields, same key, same domain. */
async function ourBodyFor(sdkBody: Record<string, unknown>, key: `0x${string}`): Promise<Record<string, unknown>> {
  const o = sdkBody.order as Record<string, string | number>;
  const unsigned = buildOrder({
    tokenId: String(o.tokenId),
    side: o.side as "BUY" | "SELL",
    makerAmount: BigInt(o.makerAmount!),
    takerAmount: BigInt(o.takerAmount!),
    signer: String(o.signer),
    maker: String(o.maker),
    signatureType: Number(o.signatureType) as SignatureType,
    salt: Number(o.salt),
    timestamp: Number(o.timestamp),
    expiration: Number(o.expiration),
    metadata: String(o.metadata),
    builder: String(o.builder),
    market: { negRisk: market.negRisk, version: market.version },
  });
  return orderPayload(await signOrder(unsigned, key), String(sdkBody.owner), sdkBody.orderType as "FAK") as unknown as Record<string, unknown>;
}

/** The SDK sends derived wallet addresses in lowercase, we send them checksummed (as clob-client-v2 does): the only byte difference. */
function lowerAddresses(order: unknown): Record<string, unknown> {
  const o = order as Record<string, unknown>;
  return { ...o, maker: String(o.maker).toLowerCase(), signer: String(o.signer).toLowerCase() };
}

describe("the official SDK against the local Polymarket (new-account rule on)", () => {
  const key = generatePrivateKey();
  const owner = privateKeyToAccount(key).address;
  let client: SecureClient;

  it("creates the client: API key from the owner EOA, deposit wallet derived as the factory does, deployed through the relayer", async () => {
    client = await secureClient(key);
    expect(client.account.walletType).toBe(WalletType.DEPOSIT_WALLET);
    // The SDK lowercases the addresses it derives; ours are checksummed: same addresses.
    expect(client.account.signer.toLowerCase()).toBe(owner.toLowerCase());
    expect(client.account.wallet).toBe(deriveDepositWallet(owner, "beacon").toLowerCase());
    expect(depositWalletAddress(owner)).toBe(deriveDepositWallet(owner, "beacon"));
    const deploys = lp.relayerTransactions().filter((t) => t.type === "WALLET-CREATE" && t.from === owner);
    expect(deploys.map((t) => t.state)).toEqual(["STATE_CONFIRMED"]);
    expect(await isWalletDeployed(client)).toBe(true);
  });

  it("sets the trading approvals in one WALLET batch, and a second setup finds nothing missing", async () => {
    const wallet = deriveDepositWallet(owner, "beacon");
    const exchange = "0xE111180000d2663C0091e4f400237545B87B996B";
    expect(lp.allowance(wallet, exchange)).toBe(0n);
    await client.setupTradingApprovals();
    const batches = lp.relayerTransactions().filter((t) => t.type === "WALLET" && t.wallet === wallet);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.state).toBe("STATE_CONFIRMED");
    expect(batches[0]!.calls.length).toBeGreaterThanOrEqual(4);
    expect(lp.allowance(wallet, exchange)).toBe(2n ** 256n - 1n);
    // Our approvals batch for the same nonce and deadline: the same calls, the same owner signature.
    const b = batches[0]!;
    const ours = tradingApprovalCalls();
    expect(b.calls.map((c) => ({ target: c.target.toLowerCase(), value: BigInt(c.value), data: c.data }))).toEqual(ours.map((c) => ({ ...c, target: c.target.toLowerCase() })));
    expect(await signWalletBatch(key, { wallet, nonce: BigInt(b.nonce), deadline: BigInt(b.deadline), calls: ours })).toBe(b.signature);
    await client.setupTradingApprovals();
    expect(lp.relayerTransactions().filter((t) => t.type === "WALLET" && t.wallet === wallet)).toHaveLength(1);
  });

  it("reads the deposit wallet's pUSD balance: zero when new, then what the control API funded", async () => {
    const before = await fetchBalanceAllowance(client, { assetType: AssetType.COLLATERAL });
    expect(String(before.balance)).toBe("0");
    lp.setBalance(client.account.wallet, { pusd: "100" });
    const after = await updateBalanceAllowance(client, { assetType: AssetType.COLLATERAL });
    expect(String(after.balance)).toBe("100000000");
    expect(Object.values(after.allowances).every((a) => a === 2n ** 256n - 1n)).toBe(true);
  });

  it("buys $10 at market on a fee-enabled market: the fill charges notional + fee, and the position is listed", async () => {
    lp.setFees(market.conditionId, { rate: "0.07", exponent: 1 });
    lp.setBook(market.tokenIds[0], { bids: [{ price: "0.48", size: "500" }], asks: [{ price: "0.5", size: "500" }] });
    const res = await client.placeMarketOrder({ tokenId: market.tokenIds[0], side: OrderSide.BUY, amount: 10 });
    expect(res).toMatchObject({ ok: true, status: "matched" });
    // 20 shares at 0.50: fee = 20 × 0.07 × 0.5 × 0.5 = 0.35, on top of the $10.
    expect(lp.balance(client.account.wallet).pusd).toBe("89.65");
    expect(lp.trades().at(-1)).toMatchObject({ size: "20", price: "0.5", fee: "0.35", fee_rate_bps: "700" });
    const page = await client.listPositions({}).firstPage();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ tokenId: market.tokenIds[0], conditionId: market.conditionId });
    expect(String(page.items[0]!.size)).toBe("20");
  });

  it("signs exactly as we do: our body, POLY_1271 signature and L2 headers for the SDK's order equal the SDK's", async () => {
    const sdkBody = JSON.parse(lp.lastOrder()!.rawBody) as Record<string, unknown>;
    const ours = await ourBodyFor(sdkBody, key);
    const sdkOrder = sdkBody.order as Record<string, unknown>;
    expect(String(sdkOrder.signature)).toHaveLength(2 + 317 * 2);
    expect(lowerAddresses(ours.order)).toEqual(lowerAddresses(sdkOrder));
    // Envelope: the SDK omits postOnly when false; every other field is the same value.
    const { postOnly, ...ourRest } = ours;
    expect(postOnly).toBe(false);
    expect({ ...ourRest, order: null }).toEqual({ ...sdkBody, order: null });
    // And the L2 headers of that POST: our HMAC over the SDK's exact body and timestamp is the SDK's.
    const h = lp.lastOrder()!.headers;
    const ourHeaders = await l2Headers({ address: h.poly_address!, creds: client.credentials, timestamp: Number(h.poly_timestamp), method: "POST", requestPath: "/order", body: lp.lastOrder()!.rawBody });
    expect(ourHeaders).toEqual({ POLY_ADDRESS: h.poly_address, POLY_SIGNATURE: h.poly_signature, POLY_TIMESTAMP: h.poly_timestamp, POLY_API_KEY: h.poly_api_key, POLY_PASSPHRASE: h.poly_passphrase });
    expect(h.poly_address!.toLowerCase()).toBe(owner.toLowerCase());
  });

  it("redeems a resolved market's winning shares and sends pUSD out, each through a WALLET batch", async () => {
    const wallet = deriveDepositWallet(owner, "beacon");
    const other = lp.markets().find((m) => !m.negRisk && m.version === "v1" && !m.closed && m.id !== market.id)!;
    lp.setBalance(wallet, { tokenId: other.tokenIds[0], shares: "7" });
    lp.resolve(other.conditionId, 0);
    const before = lp.balance(wallet).pusd;
    await (await client.redeemPositions({ conditionId: other.conditionId })).wait();
    expect(Number(lp.balance(wallet).pusd) - Number(before)).toBeCloseTo(7, 9);
    expect(lp.balance(wallet, other.tokenIds[0]).shares).toBe("0");
    const to = privateKeyToAccount(generatePrivateKey()).address;
    lp.setBalance(to, { pusd: "0" });
    await (await client.transferErc20({ tokenAddress: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB", recipientAddress: to, amount: 5_000_000n })).wait();
    expect(lp.balance(to).pusd).toBe("5");
    const batches = lp.relayerTransactions().filter((t) => t.type === "WALLET" && t.wallet === wallet);
    expect(batches.map((t) => t.state)).toEqual(["STATE_CONFIRMED", "STATE_CONFIRMED", "STATE_CONFIRMED"]);
  });

  it("picks an owner's legacy (UUPS) wallet when that one is deployed, as the factory's BEACON() rule says", async () => {
    const legacyKey = generatePrivateKey();
    const legacyOwner = privateKeyToAccount(legacyKey).address;
    const uups = lp.depositWallet(legacyOwner, undefined, true);
    expect(uups).toBe(deriveDepositWallet(legacyOwner, "uups"));
    const c = await secureClient(legacyKey);
    expect(c.account).toMatchObject({ walletType: WalletType.DEPOSIT_WALLET });
    expect(c.account.wallet.toLowerCase()).toBe(uups.toLowerCase());
    expect(lp.relayerTransactions().filter((t) => t.from === legacyOwner)).toEqual([]);
  });

  it("onboards with a Builder API key instead (HMAC headers): deploy and approvals through the relayer", async () => {
    const k = generatePrivateKey();
    const o = privateKeyToAccount(k).address;
    const c = await createSecureClient({ signer: privateKey(k), environment: environment(), apiKey: builderApiKey(lp.builderApiKey("sdk-oracle")) });
    await c.setupTradingApprovals();
    const txs = lp.relayerTransactions().filter((t) => t.from === o);
    expect(txs.map((t) => [t.type, t.state])).toEqual([["WALLET-CREATE", "STATE_CONFIRMED"], ["WALLET", "STATE_CONFIRMED"]]);
    const forged = await fetch(`${lp.relayerUrl}/submit`, { method: "POST", body: "{}", headers: { POLY_BUILDER_API_KEY: lp.builderApiKey("sdk-oracle").key, POLY_BUILDER_PASSPHRASE: "x", POLY_BUILDER_TIMESTAMP: "1", POLY_BUILDER_SIGNATURE: "x" } });
    expect(forged.status).toBe(401);
  });

  it("refuses an EOA account's order under the new-account rule, with the venue's text", async () => {
    const eoaKey = generatePrivateKey();
    const eoa = privateKeyToAccount(eoaKey).address;
    const c = await secureClient(eoaKey, eoa);
    expect(c.account.walletType).toBe(WalletType.EOA);
    await expect(c.placeMarketOrder({ tokenId: market.tokenIds[0], side: OrderSide.BUY, amount: 5 })).rejects.toThrow("maker address not allowed, please use the deposit wallet flow");
    expect(lp.lastOrder()).toMatchObject({ httpStatus: 400, signatureValid: true });
    const sdkBody = JSON.parse(lp.lastOrder()!.rawBody) as Record<string, unknown>;
    expect(lowerAddresses((await ourBodyFor(sdkBody, eoaKey)).order)).toEqual(lowerAddresses(sdkBody.order));
  });

  it("reports close-only mode to the SDK, and refuses its buy", async () => {
    lp.rules({ region: { mode: "close-only" } });
    try {
      expect(await client.fetchClosedOnlyMode()).toBe(true);
        await expect(client.placeMarketOrder({ tokenId: market.tokenIds[0], side: OrderSide.BUY, amount: 5 })).rejects.toThrow(`'${client.account.wallet}' address in closed only mode`);
      expect(lp.lastOrder()!.httpStatus).toBe(400);
    } finally {
      lp.rules({ region: { mode: "allowed" } });
    }
    expect(await client.fetchClosedOnlyMode()).toBe(false);
  });
});
