// The local relayer (relayer-v2): gasless WALLET-CREATE and WALLET batches for deposit wallets, their states, and its fault modes.
import { createHash } from "node:crypto";
import { getAddress, isAddress, isAddressEqual, recoverTypedDataAddress, type Hex } from "viem";
import { z } from "zod";
import { POLYGON_CHAIN_ID } from "./auth";
import { CONTRACTS, type Chain } from "./chain";
import { fail, json, parseJson, Router, type Answer, type Req } from "./http-util";
import { RelayerAuth } from "./relayer-auth";
import { DEPOSIT_WALLET_FACTORY, type DepositWallets } from "./wallets";
import { BATCH_TYPES } from "../../workers/polymarket/deposit-wallet";

/** STATE_NEW → STATE_EXECUTED → STATE_MINED → STATE_CONFIRMED, or STATE_FAILED / STATE_INVALID (§1.4). */
export type TxState = "STATE_NEW" | "STATE_EXECUTED" | "STATE_MINED" | "STATE_CONFIRMED" | "STATE_FAILED" | "STATE_INVALID";
const PROGRESS: TxState[] = ["STATE_NEW", "STATE_EXECUTED", "STATE_MINED", "STATE_CONFIRMED"];

/** What the next submitted transactions do instead of confirming: fail after executing, or stop in a pending state. */
export interface RelayerFault {
  mode: "fail" | "stuck";
  /** How many transactions it applies to (default 1). */
  count?: number;
  /** stuck: the state it stays in (default STATE_MINED); then STATE_FAILED after `ms`, or never. */
  state?: "STATE_NEW" | "STATE_EXECUTED" | "STATE_MINED";
  ms?: number;
  errorMsg?: string;
  /** Only transactions from this owner EOA (tests sharing one venue do not hit each other's); any owner when absent. */
  owner?: string;
}

export interface RelayerTx {
  id: string;
  type: "WALLET-CREATE" | "WALLET";
  from: string;
  to: string;
  wallet: string;
  nonce: string;
  /** WALLET batches: the signed deadline (unix seconds). */
  deadline: string;
  signature: string;
  metadata: string;
  calls: Array<{ target: string; value: string; data: string }>;
  state: TxState;
  /** Every state it went through, in order. */
  history: TxState[];
  hash: string;
  errorMsg: string;
  createdAt: number;
  updatedAt: number;
}

const address = z.string().refine((a) => isAddress(a, { strict: false }), "address");
const submitSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("WALLET-CREATE"), from: address, to: address, metadata: z.string().optional() }),
  z.object({
    type: z.literal("WALLET"),
    from: address,
    to: address,
    nonce: z.string().regex(/^\d+$/),
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
    metadata: z.string().optional(),
    depositWalletParams: z.object({
      depositWallet: address,
      deadline: z.string().regex(/^\d+$/),
      calls: z.array(z.object({ target: address, value: z.string().regex(/^\d+$/), data: z.string().regex(/^0x[0-9a-fA-F]*$/) })).min(1),
    }),
  }),
]);

/** Spenders and operators the relayer relays approvals to (the official SDK's trading approvals, §3.1). */
const ALLOWED_SPENDERS = new Set(Object.values(CONTRACTS).map((a) => a.toLowerCase()));

export interface RelayerDeps {
  wallets: DepositWallets;
  chain: Chain;
  now: () => number;
  /** Time between state steps (ms). */
  stepMs: number;
  serverSecret: string;
}

export class Relayer {
  readonly txs = new Map<string, RelayerTx>();
  private faults: RelayerFault[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private seq = 0;

  readonly auth: RelayerAuth;

  constructor(private readonly d: RelayerDeps) {
    this.auth = new RelayerAuth({ serverSecret: d.serverSecret, now: d.now, windowSeconds: 120 });
  }

  addFault(f: RelayerFault): void {
    this.faults.push({ count: 1, ...f });
  }


  private schedule(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  private set(tx: RelayerTx, state: TxState, errorMsg = ""): void {
    tx.state = state;
    tx.history.push(state);
    tx.errorMsg = errorMsg;
    tx.updatedAt = this.d.now();
    if (state === "STATE_MINED" || state === "STATE_CONFIRMED") tx.hash ||= `0x${createHash("sha256").update(`tx:${tx.id}`).digest("hex")}`;
  }

  /** Applies the transaction's effects, once, when it confirms. */
  private confirm(tx: RelayerTx): void {
    if (tx.type === "WALLET-CREATE") {
      const { wallet, created } = this.d.wallets.deploy(tx.from);
      if (created) this.d.chain.markFresh(wallet);
      tx.wallet = wallet;
    } else {
      for (const c of tx.calls) {
        const err = this.d.chain.execute(tx.wallet, c.target, c.data as Hex);
        if (err) return this.set(tx, "STATE_FAILED", err);
      }
      this.d.wallets.bumpNonce(tx.wallet);
    }
    this.set(tx, "STATE_CONFIRMED");
  }

  private run(tx: RelayerTx): void {
    const fault = this.faults.find((f) => (f.count ?? 1) > 0 && (f.owner === undefined || f.owner.toLowerCase() === tx.from.toLowerCase()));
    if (fault) fault.count = (fault.count ?? 1) - 1;
    this.faults = this.faults.filter((f) => (f.count ?? 1) > 0);
    const steps = PROGRESS.slice(1);
    const stopAt = fault?.mode === "stuck" ? PROGRESS.indexOf(fault.state ?? "STATE_MINED") : fault?.mode === "fail" ? 1 : 3;
    steps.slice(0, stopAt).forEach((state, i) => this.schedule((i + 1) * this.d.stepMs, () => (state === "STATE_CONFIRMED" ? this.confirm(tx) : this.set(tx, state))));
    if (fault?.mode === "fail") this.schedule(2 * this.d.stepMs, () => this.set(tx, "STATE_FAILED", fault.errorMsg ?? "transaction reverted"));
    if (fault?.mode === "stuck" && fault.ms !== undefined) this.schedule(fault.ms, () => this.set(tx, "STATE_FAILED", fault.errorMsg ?? "transaction dropped"));
  }

  private pending(wallet: string): boolean {
    return [...this.txs.values()].some((t) => isAddressEqual(t.wallet as Hex, wallet as Hex) && !["STATE_CONFIRMED", "STATE_FAILED", "STATE_INVALID"].includes(t.state));
  }

  async submit(req: Req): Promise<Answer> {
    const who = this.auth.check(req);
    if ("status" in who) return who;
    const parsed = submitSchema.safeParse(parseJson(req.body));
    if (!parsed.success) return fail(400, "invalid transaction request payload");
    const b = parsed.data;
    if (who.owner && !isAddressEqual(b.from as Hex, who.owner as Hex)) return fail(400, `from ${b.from} does not match auth ${who.owner}`);
    if (!isAddressEqual(b.to as Hex, DEPOSIT_WALLET_FACTORY)) return fail(400, "invalid 'to' field: must be deposit wallet factory");
    const now = this.d.now();
    const base = { id: this.newId(), from: getAddress(b.from), to: getAddress(b.to), metadata: b.metadata ?? "", state: "STATE_NEW" as TxState, history: ["STATE_NEW" as TxState], hash: "", errorMsg: "", createdAt: now, updatedAt: now };
    let tx: RelayerTx;
    if (b.type === "WALLET-CREATE") {
      tx = { ...base, type: b.type, wallet: this.d.wallets.walletOf(b.from), nonce: "", deadline: "", signature: "", calls: [] };
    } else {
      const p = b.depositWalletParams;
      const wallet = getAddress(p.depositWallet);
      const owner = this.d.wallets.ownerOf(wallet);
      if (!this.d.wallets.isDeployed(wallet) || !owner) return fail(400, `deposit wallet ${wallet} is not deployed`);
      if (!isAddressEqual(owner as Hex, b.from as Hex)) return fail(400, `from ${b.from} is not the owner of deposit wallet ${wallet}`);
      if (this.pending(wallet)) return fail(400, "wallet has in-flight action");
      const onChain = this.d.wallets.nonce(wallet);
      if (BigInt(b.nonce) !== onChain) return fail(400, `batch nonce ${b.nonce} does not match on-chain nonce ${onChain}`);
      if (Number(p.deadline) <= Math.floor(now / 1000)) return fail(400, "batch deadline has passed");
      for (const c of p.calls) {
        if (!ALLOWED_SPENDERS.has(c.target.toLowerCase())) return fail(400, `calls to ${c.target} are not permitted`);
        // approve(spender, …) / setApprovalForAll(operator, …): only to the trading contracts.
        const approval = /^0x(095ea7b3|a22cb465)/i.test(c.data);
        const spender = `0x${c.data.slice(34, 74)}`.toLowerCase();
        if (approval && !ALLOWED_SPENDERS.has(spender)) return fail(400, `setApprovalForAll operator ${getAddress(spender)} is not in the allowed list`);
      }
      const signer = await recoverTypedDataAddress({
        domain: { name: "DepositWallet", version: "1", chainId: POLYGON_CHAIN_ID, verifyingContract: wallet },
        types: BATCH_TYPES,
        primaryType: "Batch",
        message: { wallet, nonce: BigInt(b.nonce), deadline: BigInt(p.deadline), calls: p.calls.map((c) => ({ target: getAddress(c.target), value: BigInt(c.value), data: c.data as Hex })) },
        signature: b.signature as Hex,
      }).catch(() => undefined);
      if (!signer || !isAddressEqual(signer, owner as Hex)) return fail(400, "invalid signature");
      tx = { ...base, type: b.type, wallet, nonce: b.nonce, deadline: p.deadline, signature: b.signature, calls: p.calls };
    }
    this.txs.set(tx.id, tx);
    this.run(tx);
    return json(200, { transactionID: tx.id, state: tx.state });
  }

  private newId(): string {
    const h = createHash("sha256").update(`${this.d.serverSecret}:tx:${++this.seq}:${this.d.now()}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.txs.clear();
    this.faults = [];
    this.auth.clear();
  }
}

function fullJson(t: RelayerTx): Record<string, unknown> {
  return {
    transactionID: t.id,
    transactionHash: t.hash,
    from: t.from,
    to: t.to,
    proxyAddress: t.wallet,
    data: "0x",
    nonce: t.nonce,
    value: "",
    signature: t.signature,
    state: t.state,
    type: t.type,
    owner: t.from,
    metadata: t.metadata,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

/** The relayer's HTTP routes (mounted at /relayer). */
export function relayerRouter(r: Relayer, wallets: DepositWallets): Router {
  const nonceOf = (req: Req): Answer => {
    const owner = req.query.get("address") ?? "";
    if (!isAddress(owner, { strict: false })) return fail(400, "invalid address");
    const wallet = wallets.walletOf(owner);
    return json(200, { address: "0x0000000000000000000000000000000000000000", nonce: wallets.nonce(wallet).toString() });
  };
  const find = (id: string | undefined) => (id ? r.txs.get(id) : undefined);
  return new Router()
    .on("POST", "/submit", (req) => r.submit(req))
    .on("GET", "/deployed", (req) => {
      const a = req.query.get("address") ?? "";
      return isAddress(a, { strict: false }) ? json(200, { deployed: wallets.isDeployed(a) }) : fail(400, "invalid address");
    })
    .on("GET", "/nonce", (req) => {
      const a = nonceOf(req);
      return a.status === 200 ? json(200, { nonce: (a.body as { nonce: string }).nonce }) : a;
    })
    .on("GET", "/v1/account/transactions/params", nonceOf)
    .on("GET", "/transaction", (req) => {
      const id = req.query.get("id");
      if (!id) return fail(400, "invalid id");
      const t = find(id);
      return t ? json(200, [fullJson(t)]) : fail(404, "transaction not found");
    })
    .on("GET", "/v1/account/transactions/:id", (req) => {
      const t = find(req.params.id);
      return t ? json(200, { transaction_id: t.id, transaction_hash: t.hash, state: t.state, error_msg: t.errorMsg || null }) : fail(404, "transaction not found");
    });
}
