// The Polymarket relayer (relayer-v2): gasless deposit-wallet deployment and owner-signed WALLET batches.
// Endpoints and payloads: polymarket-2026-accounts.md §1.4–§1.6 (the official SDK's gasless.ts uses the /v1 reads).
import { z } from "zod";
import { l2Signature } from "./auth-l2";
import { DEPOSIT_WALLET_FACTORY, type WalletCall } from "./deposit-wallet";
import { PolymarketHttp, type HttpOptions } from "./http";

/** A Relayer API key is bound to one owner EOA; a Builder API key signs each request (CLOB L2 HMAC scheme). */
export type RelayerCredentials = { kind: "relayer-key"; key: string; address: string } | { kind: "builder"; key: string; secret: string; passphrase: string };

export type RelayerState = "STATE_NEW" | "STATE_EXECUTED" | "STATE_MINED" | "STATE_CONFIRMED" | "STATE_FAILED" | "STATE_INVALID";
/** Wait for STATE_CONFIRMED before the next batch: the wallet's nonce moves on confirmation (§1.4). */
export const isFinal = (s: RelayerState): boolean => s === "STATE_CONFIRMED" || s === "STATE_FAILED" || s === "STATE_INVALID";

const state = z.enum(["STATE_NEW", "STATE_EXECUTED", "STATE_MINED", "STATE_CONFIRMED", "STATE_FAILED", "STATE_INVALID"]);
const submitted = z.object({ transactionID: z.string().min(1), state });
const transaction = z.object({ transaction_id: z.string(), state, transaction_hash: z.string().nullish(), error_msg: z.string().nullish() });
const deployed = z.object({ deployed: z.boolean() });
const nonce = z.object({ nonce: z.string().regex(/^\d+$/) });

export interface RelayerTransaction {
  id: string;
  state: RelayerState;
  /** Set once mined. */
  hash: string | null;
  error: string | null;
}

export interface RelayerClientOptions extends HttpOptions {
  credentials: RelayerCredentials;
}

export class RelayerClient {
  private readonly http: PolymarketHttp;
  private readonly credentials: RelayerCredentials;

  constructor(opts: RelayerClientOptions) {
    this.http = new PolymarketHttp(opts);
    this.credentials = opts.credentials;
  }

  private async authHeaders(method: string, path: string, body?: string): Promise<Record<string, string>> {
    const c = this.credentials;
    if (c.kind === "relayer-key") return { RELAYER_API_KEY: c.key, RELAYER_API_KEY_ADDRESS: c.address };
    const ts = Math.floor(this.http.now() / 1000);
    return { POLY_BUILDER_API_KEY: c.key, POLY_BUILDER_PASSPHRASE: c.passphrase, POLY_BUILDER_TIMESTAMP: `${ts}`, POLY_BUILDER_SIGNATURE: await l2Signature(c.secret, ts, method, path, body) };
  }

  /** GET /deployed?address=&type=WALLET. On-chain code is the truth when this disagrees (false negatives, §10.4). */
  async isDeployed(wallet: string): Promise<boolean> {
    return (await this.http.request({ method: "GET", path: "/deployed", query: { address: wallet, type: "WALLET" }, schema: deployed })).deployed;
  }

  /** The nonce the owner's next WALLET batch must carry. */
  async walletNonce(owner: string): Promise<bigint> {
    return BigInt((await this.http.request({ method: "GET", path: "/v1/account/transactions/params", query: { address: owner, type: "WALLET" }, schema: nonce })).nonce);
  }

  private async submit(payload: unknown): Promise<string> {
    const body = JSON.stringify(payload);
    const headers = { ...(await this.authHeaders("POST", "/submit", body)), "content-type": "application/json" };
    // A lost answer may still have created the transaction: the caller re-checks deployment / nonce, never blindly re-sends.
    return (await this.http.request({ method: "POST", path: "/submit", body, headers, kind: "submit", schema: submitted })).transactionID;
  }

  /** WALLET-CREATE: the factory deploys the owner's deposit wallet (no signature needed). Returns the transaction id. */
  deployWallet(owner: string): Promise<string> {
    return this.submit({ type: "WALLET-CREATE", from: owner, to: DEPOSIT_WALLET_FACTORY });
  }

  /** A WALLET batch the owner signed (signWalletBatch) for this nonce and deadline (unix seconds). */
  submitBatch(b: { owner: string; wallet: string; nonce: bigint; deadline: bigint; calls: readonly WalletCall[]; signature: string }): Promise<string> {
    return this.submit({
      type: "WALLET",
      from: b.owner,
      to: DEPOSIT_WALLET_FACTORY,
      nonce: b.nonce.toString(),
      signature: b.signature,
      depositWalletParams: { depositWallet: b.wallet, deadline: b.deadline.toString(), calls: b.calls.map((c) => ({ target: c.target, value: c.value.toString(), data: c.data })) },
    });
  }

  async transaction(id: string): Promise<RelayerTransaction> {
    const t = await this.http.request({ method: "GET", path: `/v1/account/transactions/${encodeURIComponent(id)}`, schema: transaction });
    return { id: t.transaction_id, state: t.state, hash: t.transaction_hash || null, error: t.error_msg ?? null };
  }

  /** Polls until a final state or `maxPolls` polls; the last state seen otherwise (still pending: resume later). */
  async waitFor(id: string, opts: { pollMs: number; maxPolls: number; sleep?: (ms: number) => Promise<void> }): Promise<RelayerTransaction> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let t = await this.transaction(id);
    for (let i = 1; i < opts.maxPolls && !isFinal(t.state); i++) {
      await sleep(opts.pollMs);
      t = await this.transaction(id);
    }
    return t;
  }
}
