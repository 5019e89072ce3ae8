// Deposit-wallet onboarding (signature type 3): deploy the wallet through the relayer, set the trading
// approvals in one owner-signed batch, then get the CLOB API key of the owner EOA (the key a type-3
// order carries, polymarket-2026-accounts.md §2.1, §9). Every step is stored per wallet in Postgres, so
// a run that dies resumes where it stopped; a relayer transaction is recorded before it is waited for
// and followed to its end, never sent a second time blindly.
import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { errorText, log } from "../lib/log";
import type { ApiCreds } from "../polymarket/auth-l2";
import type { BalanceAllowanceQuery, L2Auth } from "../polymarket/clob-client";
import { signWalletBatch, tradingApprovalCalls } from "../polymarket/deposit-wallet";
import { isPolymarketError } from "../polymarket/errors";
import type { RelayerTransaction } from "../polymarket/relayer-client";
import { ensureApiCreds, type ApiKeySource } from "./api-creds";
import { isOnboardable, withSigner, type WalletDeps, type WalletSigner } from "./wallet-store";

export type OnboardingStep = "deploy" | "approve" | "api_key";
export const ONBOARDING_STEPS: readonly OnboardingStep[] = ["deploy", "approve", "api_key"];

/** What Postgres holds of a wallet's onboarding. */
export interface OnboardingState {
  deployedAt: Date | null;
  approvedAt: Date | null;
  apiKeyBoundAt: Date | null;
  /** The step a relayer transaction was started for, its id once the relayer answered, and the batch nonce. */
  pending: { step: "deploy" | "approve"; txId: string | null; nonce: bigint | null } | null;
  error: string | null;
}

/** The next step to run, or null when the wallet is ready to trade (pure). */
export function nextStep(s: Pick<OnboardingState, "deployedAt" | "approvedAt" | "apiKeyBoundAt">): OnboardingStep | null {
  if (!s.deployedAt) return "deploy";
  if (!s.approvedAt) return "approve";
  if (!s.apiKeyBoundAt) return "api_key";
  return null;
}

/** The relayer calls onboarding makes (RelayerClient). */
export interface OnboardingRelayer {
  isDeployed(wallet: string): Promise<boolean>;
  walletNonce(owner: string): Promise<bigint>;
  deployWallet(owner: string): Promise<string>;
  submitBatch(b: { owner: string; wallet: string; nonce: bigint; deadline: bigint; calls: ReturnType<typeof tradingApprovalCalls>; signature: string }): Promise<string>;
  waitFor(id: string, opts: { pollMs: number; maxPolls: number }): Promise<RelayerTransaction>;
}

export interface OnboardingPorts {
  relayer: OnboardingRelayer;
  /** Chain reads (POLYGON_RPC_URL): code at the wallet's address is the truth when the relayer says "not deployed". */
  chain?: { hasCode(address: string): Promise<boolean> } | undefined;
  clob: ApiKeySource & { updateBalanceAllowance(auth: L2Auth, q: BalanceAllowanceQuery): Promise<void> };
  now(): number;
  /** How long one run follows a relayer transaction before leaving it pending (resumed by the next run). */
  wait: { pollMs: number; maxPolls: number };
}

/** The relayer's batch deadline: the official example says its maximum is 300 s (§1.6, open question 2), so stay under. */
const BATCH_DEADLINE_S = 240;
/** A run holds the wallet this long at most; a run that died frees it when the lease runs out. */
const LEASE_MS = 120_000;

export type OnboardingEvent = { step: OnboardingStep; phase: "start" | "waiting" | "done" };

export type OnboardingResult =
  | { ok: true }
  /** busy: another run holds the wallet; pending: a transaction is still on its way (run again later). */
  | { ok: false; step: OnboardingStep; reason: "busy" | "pending" | "failed" | "not_deposit_wallet"; message: string };

function stateOf(r: Record<string, unknown>): OnboardingState {
  const d = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const step = r.relayer_tx_step === "deploy" || r.relayer_tx_step === "approve" ? r.relayer_tx_step : null;
  return {
    deployedAt: d(r.deployed_at),
    approvedAt: d(r.approved_at),
    apiKeyBoundAt: d(r.api_key_bound_at),
    pending: step ? { step, txId: r.relayer_tx_id ? String(r.relayer_tx_id) : null, nonce: r.relayer_tx_nonce ? BigInt(String(r.relayer_tx_nonce)) : null } : null,
    error: r.onboarding_error ? String(r.onboarding_error) : null,
  };
}

export async function onboardingState(deps: WalletDeps, userId: number): Promise<OnboardingState | null> {
  const res = await deps.db.execute(sql`
    SELECT deployed_at, approved_at, api_key_bound_at, relayer_tx_step, relayer_tx_id, relayer_tx_nonce, onboarding_error
    FROM wallets WHERE user_id = ${userId} AND signature_type = 3`);
  return res.rows[0] ? stateOf(res.rows[0]) : null;
}

const column = { deploy: sql.raw("deployed_at"), approve: sql.raw("approved_at"), api_key: sql.raw("api_key_bound_at") } as const;

async function markDone(deps: WalletDeps, userId: number, step: OnboardingStep): Promise<void> {
  await deps.db.execute(sql`
    UPDATE wallets SET ${column[step]} = now(), onboarding_error = NULL, updated_at = now(),
      relayer_tx_step = CASE WHEN relayer_tx_step = ${step} THEN NULL ELSE relayer_tx_step END,
      relayer_tx_id = CASE WHEN relayer_tx_step = ${step} THEN NULL ELSE relayer_tx_id END,
      relayer_tx_nonce = CASE WHEN relayer_tx_step = ${step} THEN NULL ELSE relayer_tx_nonce END
    WHERE user_id = ${userId}`);
  log.info("wallet_onboarding_step_done", { user_id: userId, step });
}

async function recordPending(deps: WalletDeps, userId: number, step: "deploy" | "approve", txId: string | null, nonce: bigint | null): Promise<void> {
  await deps.db.execute(sql`
    UPDATE wallets SET relayer_tx_step = ${step}, relayer_tx_id = ${txId}, relayer_tx_nonce = ${nonce === null ? null : nonce.toString()}, updated_at = now()
    WHERE user_id = ${userId}`);
}

async function recordFailure(deps: WalletDeps, userId: number, step: OnboardingStep, message: string, clearTx: boolean): Promise<void> {
  await deps.db.execute(sql`
    UPDATE wallets SET onboarding_error = ${message.slice(0, 500)}, updated_at = now(),
      relayer_tx_step = CASE WHEN ${clearTx}::boolean THEN NULL ELSE relayer_tx_step END,
      relayer_tx_id = CASE WHEN ${clearTx}::boolean THEN NULL ELSE relayer_tx_id END,
      relayer_tx_nonce = CASE WHEN ${clearTx}::boolean THEN NULL ELSE relayer_tx_nonce END
    WHERE user_id = ${userId}`);
  log.warn("wallet_onboarding_step_failed", { user_id: userId, step, error: message.slice(0, 200), cleared: clearTx });
}

type StepOutcome = { ok: true } | { ok: false; reason: "pending" | "failed"; message: string };

const STEP_WORDS: Record<OnboardingStep, string> = { deploy: "deploying the wallet", approve: "setting the trading approvals", api_key: "creating the trading API key" };

/** Follows a recorded transaction: confirmed → the step is done; failed → cleared (a later run starts it afresh). */
async function follow(deps: WalletDeps, ports: OnboardingPorts, userId: number, step: "deploy" | "approve", txId: string, emit: (e: OnboardingEvent) => Promise<void>): Promise<StepOutcome> {
  await emit({ step, phase: "waiting" });
  const t = await ports.relayer.waitFor(txId, ports.wait);
  if (t.state === "STATE_CONFIRMED") return (await markDone(deps, userId, step), { ok: true });
  if (t.state === "STATE_FAILED" || t.state === "STATE_INVALID") {
    const message = `Polymarket's relayer could not finish ${STEP_WORDS[step]} (${t.error ?? t.state}).`;
    await recordFailure(deps, userId, step, message, true);
    return { ok: false, reason: "failed", message };
  }
  return { ok: false, reason: "pending", message: `Polymarket's relayer is still ${STEP_WORDS[step]} (transaction ${t.state.replace("STATE_", "").toLowerCase()}).` };
}

/** A submit whose answer is lost may have reached the relayer: leave the step pending and re-check state next run. */
async function submitted(deps: WalletDeps, userId: number, step: OnboardingStep, err: unknown): Promise<StepOutcome> {
  const unknown = isPolymarketError(err) && err.outcomeUnknown;
  const message = unknown
    ? `No answer from Polymarket's relayer while ${STEP_WORDS[step]}: it may still go through. Press Finish setup in a minute.`
    : `Polymarket's relayer refused ${STEP_WORDS[step]}: ${isPolymarketError(err) ? err.venueMessage || err.code : errorText(err)}`;
  await recordFailure(deps, userId, step, message, false);
  return { ok: false, reason: unknown ? "pending" : "failed", message };
}

/** The relayer's "deployed?" has false negatives (§10.4): the chain decides; an RPC that fails decides nothing. */
async function onChain(ports: OnboardingPorts, wallet: string): Promise<boolean> {
  if (!ports.chain) return false;
  try {
    return await ports.chain.hasCode(wallet);
  } catch (err) {
    log.warn("onboarding_chain_check_failed", { error: errorText(err) });
    return false;
  }
}

async function deploy(deps: WalletDeps, ports: OnboardingPorts, s: WalletSigner, st: OnboardingState, emit: (e: OnboardingEvent) => Promise<void>): Promise<StepOutcome> {
  const wallet = s.funderAddress as Address;
  if (st.pending?.step === "deploy" && st.pending.txId) return follow(deps, ports, s.userId, "deploy", st.pending.txId, emit);
  // Already deployed (elsewhere, or by a submit whose answer was lost): nothing to send.
  if ((await ports.relayer.isDeployed(wallet)) || (await onChain(ports, wallet))) return (await markDone(deps, s.userId, "deploy"), { ok: true });
  await emit({ step: "deploy", phase: "start" });
  // A second WALLET-CREATE for one owner deploys nothing more (the factory's address is fixed), so a lost answer may be retried.
  await recordPending(deps, s.userId, "deploy", null, null);
  let id: string;
  try {
    id = await ports.relayer.deployWallet(s.address);
  } catch (err) {
    return submitted(deps, s.userId, "deploy", err);
  }
  await recordPending(deps, s.userId, "deploy", id, null);
  return follow(deps, ports, s.userId, "deploy", id, emit);
}

async function approve(deps: WalletDeps, ports: OnboardingPorts, s: WalletSigner, st: OnboardingState, emit: (e: OnboardingEvent) => Promise<void>): Promise<StepOutcome> {
  const wallet = s.funderAddress as Address;
  if (st.pending?.step === "approve" && st.pending.txId) return follow(deps, ports, s.userId, "approve", st.pending.txId, emit);
  const nonce = await ports.relayer.walletNonce(s.address);
  // A batch signed for an earlier nonce whose answer was lost: the nonce moves only when a batch confirms, and only
  // the bot signs for this wallet, so a moved nonce means the approvals went through; otherwise the same nonce is reused.
  if (st.pending?.step === "approve" && st.pending.nonce !== null && nonce > st.pending.nonce) return (await markDone(deps, s.userId, "approve"), { ok: true });
  await emit({ step: "approve", phase: "start" });
  const calls = tradingApprovalCalls();
  const deadline = BigInt(Math.floor(ports.now() / 1000) + BATCH_DEADLINE_S);
  const signature = await signWalletBatch(s.privateKey as Hex, { wallet, nonce, deadline, calls });
  await recordPending(deps, s.userId, "approve", null, nonce);
  let id: string;
  try {
    id = await ports.relayer.submitBatch({ owner: s.address, wallet, nonce, deadline, calls, signature });
  } catch (err) {
    return submitted(deps, s.userId, "approve", err);
  }
  await recordPending(deps, s.userId, "approve", id, nonce);
  return follow(deps, ports, s.userId, "approve", id, emit);
}

async function apiKey(deps: WalletDeps, ports: OnboardingPorts, s: WalletSigner, emit: (e: OnboardingEvent) => Promise<void>): Promise<StepOutcome> {
  await emit({ step: "api_key", phase: "start" });
  let creds: ApiCreds;
  try {
    creds = await ensureApiCreds(deps, s, ports.clob);
  } catch (err) {
    const message = `Polymarket did not give a trading API key: ${isPolymarketError(err) ? err.venueMessage || err.code : errorText(err)}`;
    await recordFailure(deps, s.userId, "api_key", message, false);
    return { ok: false, reason: "failed", message };
  }
  // The venue caches balances and allowances: ask it to read the new approvals (best effort, §9 step 3).
  await ports.clob.updateBalanceAllowance({ address: s.address, creds }, { assetType: "COLLATERAL", signatureType: 3 }).catch((err) => log.warn("wallet_onboarding_balance_refresh_failed", { user_id: s.userId, error: errorText(err) }));
  await markDone(deps, s.userId, "api_key");
  return { ok: true };
}

async function takeLease(deps: WalletDeps, userId: number, now: number): Promise<boolean> {
  const res = await deps.db.execute(sql`
    UPDATE wallets SET onboarding_lease_until = ${new Date(now + LEASE_MS).toISOString()}::timestamptz
    WHERE user_id = ${userId} AND (onboarding_lease_until IS NULL OR onboarding_lease_until < ${new Date(now).toISOString()}::timestamptz)
    RETURNING user_id`);
  return res.rows.length > 0;
}

/**
 * Runs the remaining steps in order; `emit` reports progress (the bot edits its message). Safe to call
 * again at any time: completed steps are skipped, a recorded transaction is followed, not re-sent.
 */
export async function runOnboarding(deps: WalletDeps, userId: number, ports: OnboardingPorts, emit: (e: OnboardingEvent) => Promise<void> = async () => {}): Promise<OnboardingResult> {
  const first = await onboardingState(deps, userId);
  if (!first) return { ok: false, step: "deploy", reason: "not_deposit_wallet", message: "This wallet is not a Polymarket deposit wallet." };
  const firstStep = nextStep(first);
  if (!firstStep) return { ok: true };
  if (!(await takeLease(deps, userId, ports.now()))) return { ok: false, step: firstStep, reason: "busy", message: "Your wallet setup is already running." };
  try {
    return await withSigner(deps, userId, async (s) => {
      // Only the factory's own address of this owner can be deployed by the relayer; another funder was set up elsewhere.
      if (s && !isOnboardable(s)) return { ok: false, step: firstStep, reason: "not_deposit_wallet", message: "This is not the deposit wallet Polymarket's factory gives this key." } as const;
      for (;;) {
        const st = await onboardingState(deps, userId);
        const step = st ? nextStep(st) : null;
        if (!st || !step || !s) return { ok: true } as const;
        let out: StepOutcome;
        try {
          out = step === "deploy" ? await deploy(deps, ports, s, st, emit) : step === "approve" ? await approve(deps, ports, s, st, emit) : await apiKey(deps, ports, s, emit);
        } catch (err) {
          // A read that failed (relayer down, timeout): nothing was sent that is not recorded; try again later.
          const message = `Polymarket's relayer did not answer while ${STEP_WORDS[step]}: ${isPolymarketError(err) ? err.venueMessage || err.code : errorText(err)}`;
          await recordFailure(deps, userId, step, message, false);
          return { ok: false, step, reason: "pending", message };
        }
        if (!out.ok) return { ...out, step };
        await emit({ step, phase: "done" });
      }
    });
  } finally {
    await deps.db.execute(sql`UPDATE wallets SET onboarding_lease_until = NULL WHERE user_id = ${userId}`);
  }
}

/**
 * Without a relayer the bot cannot set a deposit wallet up: its owner does it outside the bot (as before
 * onboarding existed), so its steps count as done and its orders are not held back.
 */
export async function markSetUpOutside(deps: WalletDeps, userId: number): Promise<void> {
  await deps.db.execute(sql`
    UPDATE wallets SET deployed_at = coalesce(deployed_at, now()), approved_at = coalesce(approved_at, now()), api_key_bound_at = coalesce(api_key_bound_at, now()), updated_at = now()
    WHERE user_id = ${userId} AND signature_type = 3`);
  log.info("wallet_onboarding_outside", { user_id: userId });
}
