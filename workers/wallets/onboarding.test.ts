// Deposit-wallet onboarding against the local Polymarket's relayer and real Postgres: the whole run, then
// what makes it resumable: a transaction stuck then failed, a submit whose answer was lost, two runs at once.
import { sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { clobClientFor } from "../polymarket/clob-client";
import { PolymarketError } from "../polymarket/errors";
import { PolygonRpc } from "../polymarket/polygon-rpc";
import { RelayerClient } from "../polymarket/relayer-client";
import { loadKeyring } from "./envelope";
import { markSetUpOutside, nextStep, onboardingState, type OnboardingEvent, type OnboardingPorts, runOnboarding } from "./onboarding";
import { generateWallet, getWallet, importWallet } from "./wallet-store";

interface Tx {
  type: string;
  from: string;
  state: string;
  history: string[];
}
/** The part of the local Polymarket's handle used here (tools/ is type-checked with Node types). */
interface LocalPolymarket {
  relayerUrl: string;
  rpcUrl: string;
  clobUrl: string;
  builderApiKey(label?: string): { key: string; secret: string; passphrase: string };
  allowance(owner: string, spender: string): bigint;
  relayerFault(f: { mode: "fail" | "stuck"; count?: number; state?: string; ms?: number; errorMsg?: string }): void;
  relayerTransactions(): Tx[];
  stop(): Promise<void>;
}

const handle = openTestDb();
const { db } = handle;
let lp: LocalPolymarket;
beforeAll(async () => {
  const path = "../../tools/local-polymarket/server.ts";
  const mod = (await import(/* @vite-ignore */ path)) as { startLocalPolymarket(o?: { seed?: string; relayerStepMs?: number }): Promise<LocalPolymarket> };
  lp = await mod.startLocalPolymarket({ seed: "onboarding", relayerStepMs: 5 });
});
afterAll(async () => {
  await lp?.stop();
  await handle.close();
});

const KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i + 11)));
const deps = async () => ({ db, keyring: await loadKeyring(KEY) });

function ports(over: Partial<OnboardingPorts["relayer"]> = {}): OnboardingPorts {
  const relayer = new RelayerClient({ baseUrl: lp.relayerUrl, credentials: { kind: "builder", ...lp.builderApiKey() } });
  return {
    relayer: {
      isDeployed: (w) => relayer.isDeployed(w),
      walletNonce: (o) => relayer.walletNonce(o),
      deployWallet: (o) => relayer.deployWallet(o),
      submitBatch: (b) => relayer.submitBatch(b),
      waitFor: (id, w) => relayer.waitFor(id, w),
      ...over,
    },
    clob: clobClientFor(lp.clobUrl),
    now: Date.now,
    wait: { pollMs: 5, maxPolls: 100 },
  };
}

async function newDepositWallet(): Promise<{ userId: number; owner: string; wallet: string }> {
  const userId = await seedUser(db);
  const r = await generateWallet(await deps(), userId, { depositWallet: true });
  if (!r.ok) throw new Error(r.message);
  return { userId, owner: r.wallet.address, wallet: r.wallet.funderAddress! };
}

const txsOf = (owner: string) => lp.relayerTransactions().filter((t) => t.from.toLowerCase() === owner.toLowerCase()).map((t) => `${t.type} ${t.state}`);
const EXCHANGE_V2 = "0xE111180000d2663C0091e4f400237545B87B996B";

describe("deposit-wallet onboarding", () => {
  it("deploys, approves and keys the wallet in order, reporting each step; a second run sends nothing", async () => {
    const { userId, owner, wallet } = await newDepositWallet();
    const events: OnboardingEvent[] = [];
    expect(await runOnboarding(await deps(), userId, ports(), async (e) => void events.push(e))).toEqual({ ok: true });
    expect(events.filter((e) => e.phase !== "waiting")).toEqual([
      { step: "deploy", phase: "start" },
      { step: "deploy", phase: "done" },
      { step: "approve", phase: "start" },
      { step: "approve", phase: "done" },
      { step: "api_key", phase: "start" },
      { step: "api_key", phase: "done" },
    ]);
    const st = (await onboardingState(await deps(), userId))!;
    expect(nextStep(st)).toBeNull();
    expect(st.pending).toBeNull();
    expect(lp.allowance(wallet, EXCHANGE_V2)).toBe(2n ** 256n - 1n);
    const row = (await db.execute(sql`SELECT api_key FROM wallets WHERE user_id = ${userId}`)).rows[0]!;
    expect(row.api_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(txsOf(owner)).toEqual(["WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
    expect(await runOnboarding(await deps(), userId, ports())).toEqual({ ok: true });
    expect(txsOf(owner)).toHaveLength(2);
  });

  it("a relayer that says 'not deployed' of a wallet the chain has code for (its false negative): the chain decides, nothing is re-sent", async () => {
    const { userId, owner, wallet } = await newDepositWallet();
    const relayer = new RelayerClient({ baseUrl: lp.relayerUrl, credentials: { kind: "builder", ...lp.builderApiKey() } });
    await relayer.waitFor(await relayer.deployWallet(owner), { pollMs: 5, maxPolls: 100 }); // deployed before the bot looked
    const chain = new PolygonRpc({ url: lp.rpcUrl });
    expect(await chain.hasCode(wallet)).toBe(true);
    expect(await chain.hasCode(owner)).toBe(false); // an EOA has no code
    const events: OnboardingEvent[] = [];
    const r = await runOnboarding(await deps(), userId, { ...ports({ isDeployed: async () => false }), chain }, async (e) => void events.push(e));
    expect(r).toEqual({ ok: true });
    expect(events.some((e) => e.step === "deploy" && e.phase === "start")).toBe(false);
    expect(txsOf(owner)).toEqual(["WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
    expect((await onboardingState(await deps(), userId))!.deployedAt).not.toBeNull();
  });

  it("a transaction stuck in a pending state is followed, not re-sent; once it fails, the next run starts the step again", async () => {
    const { userId, owner } = await newDepositWallet();
    lp.relayerFault({ mode: "stuck", count: 1, state: "STATE_MINED", ms: 300, errorMsg: "transaction dropped" });
    const short = { ...ports(), wait: { pollMs: 5, maxPolls: 3 } };
    const first = await runOnboarding(await deps(), userId, short);
    expect(first).toMatchObject({ ok: false, step: "deploy", reason: "pending" });
    const pending = (await onboardingState(await deps(), userId))!.pending;
    expect(pending).toMatchObject({ step: "deploy", txId: expect.any(String) });
    // Again while it is still pending: the same transaction is followed; nothing new is submitted.
    expect(await runOnboarding(await deps(), userId, short)).toMatchObject({ ok: false, reason: "pending" });
    expect(txsOf(owner)).toEqual(["WALLET-CREATE STATE_MINED"]);
    expect((await onboardingState(await deps(), userId))!.pending?.txId).toBe(pending!.txId);
    // It fails: the user is told why, and the transaction is forgotten.
    const failed = await runOnboarding(await deps(), userId, ports());
    expect(failed).toMatchObject({ ok: false, step: "deploy", reason: "failed", message: expect.stringContaining("transaction dropped") });
    expect((await onboardingState(await deps(), userId))!).toMatchObject({ pending: null, error: expect.stringContaining("transaction dropped") });
    // The next run deploys afresh and finishes; the error is cleared.
    expect(await runOnboarding(await deps(), userId, ports())).toEqual({ ok: true });
    expect(txsOf(owner)).toEqual(["WALLET-CREATE STATE_FAILED", "WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
    expect((await onboardingState(await deps(), userId))!.error).toBeNull();
  });

  it("an approval batch whose submit answer was lost is not signed twice once the wallet's nonce moved", async () => {
    const { userId, owner } = await newDepositWallet();
    const real = ports();
    const lost = ports({
      submitBatch: async (b) => {
        await real.relayer.submitBatch(b); // reaches the relayer…
        throw new PolymarketError({ code: "timeout", status: 0, venueMessage: "", retryable: true, outcomeUnknown: true }); // …the answer does not
      },
    });
    const r = await runOnboarding(await deps(), userId, lost);
    expect(r).toMatchObject({ ok: false, step: "approve", reason: "pending", message: expect.stringContaining("may still go through") });
    expect((await onboardingState(await deps(), userId))!.pending).toMatchObject({ step: "approve", txId: null, nonce: 0n });
    await expect.poll(() => txsOf(owner).at(-1), { timeout: 5_000 }).toBe("WALLET STATE_CONFIRMED");
    expect(await runOnboarding(await deps(), userId, real)).toEqual({ ok: true });
    expect(txsOf(owner)).toEqual(["WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
  });

  it("two runs at once: one runs, the other is told it is busy; one deployment", async () => {
    const { userId, owner } = await newDepositWallet();
    const [a, b] = await Promise.all([runOnboarding(await deps(), userId, ports()), runOnboarding(await deps(), userId, ports())]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ reason: "busy" });
    expect(txsOf(owner).filter((t) => t.startsWith("WALLET-CREATE"))).toHaveLength(1);
  });

  it("a relayer that refuses a batch: the step fails with its words and nothing is marked done", async () => {
    const { userId } = await newDepositWallet();
    lp.relayerFault({ mode: "fail", count: 1, errorMsg: "execution reverted" });
    const r = await runOnboarding(await deps(), userId, ports());
    expect(r).toMatchObject({ ok: false, step: "deploy", reason: "failed", message: expect.stringContaining("execution reverted") });
    expect((await onboardingState(await deps(), userId))!.deployedAt).toBeNull();
  });

  it("setupPending holds a generated deposit wallet's buys until its steps are done, or its owner set it up outside the bot", async () => {
    const a = await newDepositWallet();
    expect((await getWallet(await deps(), a.userId))!.setupPending).toBe(true);
    expect(await runOnboarding(await deps(), a.userId, ports())).toEqual({ ok: true });
    expect((await getWallet(await deps(), a.userId))!.setupPending).toBe(false);
    const b = await newDepositWallet();
    await markSetUpOutside(await deps(), b.userId);
    expect((await getWallet(await deps(), b.userId))!.setupPending).toBe(false);
    expect(txsOf(b.owner)).toEqual([]);
  });

  it("does nothing for a wallet that is not the factory's address of its key", async () => {
    const userId = await seedUser(db);
    const r = await importWallet(await deps(), userId, { privateKey: generatePrivateKey(), signatureType: 3, funderAddress: privateKeyToAccount(generatePrivateKey()).address });
    expect(r.ok).toBe(true);
    expect(await runOnboarding(await deps(), userId, ports())).toMatchObject({ ok: false, reason: "not_deposit_wallet" });
    expect((await getWallet(await deps(), userId))!.setupPending).toBe(false); // set up elsewhere: its orders go as before
  });
});
