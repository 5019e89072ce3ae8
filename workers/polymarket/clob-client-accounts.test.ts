// Our CLOB client on the 2026 account reads, against the local Polymarket: per-market fee schedules,
// the deposit wallet's balance under the owner EOA's key (signature_type=3), and close-only mode.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeScheduleOf, NO_FEE } from "../money/fees";
import { ClobClient, type L2Auth } from "./clob-client";
import { fetchGeoStatus } from "./geoblock";

/** The part of the local Polymarket's handle used here (tools/ is type-checked with Node types, this file with Workers types). */
interface LocalPolymarket {
  clobUrl: string;
  geoblockUrl: string;
  markets(): Array<{ id: string; conditionId: string; negRisk: boolean; version: string; closed: boolean }>;
  setFees(marketId: string, fees: { rate: string; exponent: number } | null): void;
  depositWallet(owner: string): string;
  setBalance(address: string, b: { pusd: string }): void;
  rules(patch: { region: { mode: "allowed" | "blocked" | "close-only"; country?: string } }): unknown;
  stop(): Promise<void>;
}

let lp: LocalPolymarket;
let clob: ClobClient;
beforeAll(async () => {
  const path = "../../tools/local-polymarket/server.ts";
  const mod = (await import(/* @vite-ignore */ path)) as { startLocalPolymarket(o?: { seed?: string }): Promise<LocalPolymarket> };
  lp = await mod.startLocalPolymarket({ seed: "clob-accounts" });
  clob = new ClobClient({ baseUrl: lp.clobUrl });
});
afterAll(() => lp?.stop());

describe("2026 account reads", () => {
  it("reads each market's fee schedule from /clob-markets (fd), none on fee-free markets", async () => {
    const [a, b] = lp.markets().filter((m) => !m.closed);
    lp.setFees(a!.conditionId, { rate: "0.07", exponent: 1 });
    const fee = await clob.getClobMarket(a!.conditionId);
    expect(feeScheduleOf(fee!.feeRate, fee!.feeExponent)).toEqual({ rate: 70_000n, exponent: 1 });
    const free = await clob.getClobMarket(b!.conditionId);
    expect(feeScheduleOf(free!.feeRate, free!.feeExponent)).toEqual(NO_FEE);
  });

  it("the owner EOA's key reads its deposit wallet's balance with signature type 3, its own with 0", async () => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    const wallet = lp.depositWallet(owner);
    lp.setBalance(wallet, { pusd: "42.5" });
    lp.setBalance(owner, { pusd: "7" });
    const auth: L2Auth = { address: owner, creds: await clob.getOrCreateApiKey(key) };
    expect((await clob.getBalanceAllowance(auth, { assetType: "COLLATERAL", signatureType: 3 })).balance).toBe(42_500_000n);
    expect((await clob.getBalanceAllowance(auth, { assetType: "COLLATERAL", signatureType: 0 })).balance).toBe(7_000_000n);
  });

  it("asks whether the account is in close-only mode", async () => {
    const key = generatePrivateKey();
    const auth: L2Auth = { address: privateKeyToAccount(key).address, creds: await clob.getOrCreateApiKey(key) };
    expect(await clob.getClosedOnlyMode(auth)).toBe(false);
    lp.rules({ region: { mode: "close-only" } });
    try {
      expect(await clob.getClosedOnlyMode(auth)).toBe(true);
    } finally {
      lp.rules({ region: { mode: "allowed" } });
    }
  });

  it("reads the geoblock verdict: allowed, blocked, close-only (by country)", async () => {
    expect(await fetchGeoStatus({ url: lp.geoblockUrl })).toMatchObject({ mode: "allowed", country: "IE" });
    try {
      lp.rules({ region: { mode: "blocked", country: "US" } });
      expect(await fetchGeoStatus({ url: lp.geoblockUrl })).toEqual({ mode: "blocked", country: "US", region: null });
      lp.rules({ region: { mode: "close-only", country: "SG" } });
      expect(await fetchGeoStatus({ url: lp.geoblockUrl })).toEqual({ mode: "close-only", country: "SG", region: null });
    } finally {
      lp.rules({ region: { mode: "allowed" } });
    }
  });
});
