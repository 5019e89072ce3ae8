// Deposit-wallet onboarding through our relayer client, against the local Polymarket's relayer: address
// derivation (official vectors), deployment, the trading approvals batch, refusals, relayer and builder keys.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { depositWalletAddress, signWalletBatch, tradingApprovalCalls } from "./deposit-wallet";
import { isPolymarketError } from "./errors";
import { RelayerClient, type RelayerCredentials } from "./relayer-client";

/** The part of the local Polymarket's handle used here (tools/ is type-checked with Node types, this file with Workers types). */
interface LocalPolymarket {
  relayerUrl: string;
  relayerApiKey(owner: string): string;
  builderApiKey(label?: string): { key: string; secret: string; passphrase: string };
  allowance(owner: string, spender: string): bigint;
  relayerFault(f: { mode: "fail" | "stuck"; errorMsg?: string }): void;
  stop(): Promise<void>;
}

let lp: LocalPolymarket;
beforeAll(async () => {
  const path = "../../tools/local-polymarket/server.ts";
  const mod = (await import(/* @vite-ignore */ path)) as { startLocalPolymarket(o?: { seed?: string; relayerStepMs?: number }): Promise<LocalPolymarket> };
  lp = await mod.startLocalPolymarket({ seed: "relayer-client", relayerStepMs: 5 });
});
afterAll(() => lp?.stop());

const wait = { pollMs: 5, maxPolls: 400 };
const relayer = (credentials: RelayerCredentials) => new RelayerClient({ baseUrl: lp.relayerUrl, credentials });

describe("deposit wallet addresses", () => {
  it.each([
    ["0xA60601A4d903af91855C52BFB3814f6bA342f201", "uups", "0x8b60BF0f650Bf7a0d93F10D72375b37De18F8c40"],
    ["0x0000000000000000000000000000000000000001", "beacon", "0x94bF330955A0b957662fEaF878dE77bf25f76cD9"],
    ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "beacon", "0xBc0fF067b7740Eff76C1ca93c875Ba6B890d6B50"],
    ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "uups", "0xdf8b9E8f9AB23f261F6e1B171B7454ae6E46Ba76"],
    ["0x33e4aD5A1367fbf7004c637F628A5b78c44Fa76C", "uups", "0x21999a074344610057c9b2B362332388a44502D4"],
  ] as const)("%s (%s) → %s", (owner, kind, wallet) => expect(depositWalletAddress(owner, kind)).toBe(wallet));
});

describe("onboarding through the relayer", () => {
  it.each([
    ["a relayer API key", (owner: string): RelayerCredentials => ({ kind: "relayer-key", key: lp.relayerApiKey(owner), address: owner })],
    ["a builder API key", (): RelayerCredentials => ({ kind: "builder", ...lp.builderApiKey("relayer-client") })],
  ])("with %s: deploys the wallet, then sets the 15 trading approvals in one signed batch", async (_name, creds) => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    const wallet = depositWalletAddress(owner);
    const r = relayer(creds(owner));
    expect(await r.isDeployed(wallet)).toBe(false);
    const deploy = await r.waitFor(await r.deployWallet(owner), wait);
    expect(deploy).toMatchObject({ state: "STATE_CONFIRMED", error: null });
    expect(deploy.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await r.isDeployed(wallet)).toBe(true);
    const calls = tradingApprovalCalls();
    expect(calls).toHaveLength(15);
    const nonce = await r.walletNonce(owner);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 240);
    const signature = await signWalletBatch(key, { wallet, nonce, deadline, calls });
    expect(await r.waitFor(await r.submitBatch({ owner, wallet, nonce, deadline, calls, signature }), wait)).toMatchObject({ state: "STATE_CONFIRMED" });
    expect(lp.allowance(wallet, "0xE111180000d2663C0091e4f400237545B87B996B")).toBe(2n ** 256n - 1n);
    expect(await r.walletNonce(owner)).toBe(nonce + 1n);
  });

  it("surfaces the relayer's refusals and failures: another owner's key, a stale nonce, a failed deployment", async () => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    const wrong = relayer({ kind: "relayer-key", key: lp.relayerApiKey(stranger), address: stranger });
    const refused = await wrong.deployWallet(owner).catch((e: unknown) => e);
    expect(isPolymarketError(refused) && refused.status).toBe(400);
    expect(String((refused as Error).message)).toContain(`does not match auth ${stranger}`);
    const r = relayer({ kind: "relayer-key", key: lp.relayerApiKey(owner), address: owner });
    lp.relayerFault({ mode: "fail", errorMsg: "execution reverted" });
    expect(await r.waitFor(await r.deployWallet(owner), wait)).toMatchObject({ state: "STATE_FAILED", error: "execution reverted" });
    await r.waitFor(await r.deployWallet(owner), wait);
    const wallet = depositWalletAddress(owner);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 240);
    const calls = tradingApprovalCalls().slice(0, 1);
    const signature = await signWalletBatch(key, { wallet, nonce: 5n, deadline, calls });
    const stale = await r.submitBatch({ owner, wallet, nonce: 5n, deadline, calls, signature }).catch((e: unknown) => e);
    expect(String((stale as Error).message)).toContain("batch nonce 5 does not match on-chain nonce 0");
  });
});
