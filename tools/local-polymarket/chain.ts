// The on-chain state the local Polymarket simulates: ERC-20 allowances and ERC-1155 operator approvals, and the Polygon JSON-RPC reads of it.
import { decodeFunctionData, encodeFunctionResult, getAddress, isAddress, pad, parseAbi, type Hex } from "viem";
import { json, parseJson, Router, type Answer } from "./http-util";
import type { Ledger } from "./ledger";
import { EXCHANGES } from "./order-verify";
import { DEPOSIT_WALLET_BEACON, DEPOSIT_WALLET_FACTORY, type DepositWallets } from "./wallets";

/** Polygon contracts (polymarket-2026-accounts.md §3.1; the official SDK's production environment). */
export const CONTRACTS = {
  pusd: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB",
  ctf: "0x4D97DCd97eC945f40cF65F87097ACe5EA0476045",
  positionManager: "0x006F54F7f9A22e0000CC2AB60031000000ae9fEF",
  collateralAdapter: "0xAdA100Db00Ca00073811820692005400218FcE1f",
  negRiskCollateralAdapter: "0xadA2005600Dec949baf300f4C6120000bDB6eAab",
  protocolV2Router: "0x12121212006e4CD160D18e3f00711DA5c3372600",
  autoRedeemOperator: "0xa1200000d0002264C9a1698e001292D00E1b00af",
  perpsDeposit: "0xDCa4af75705dbB50f62437045afF9921947917d2",
  ...EXCHANGES,
} as const;

export const MAX_UINT256 = 2n ** 256n - 1n;

export const TOKEN_ABI = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address owner) view returns (uint256)",
  "function setApprovalForAll(address operator, bool approved)",
  "function isApprovedForAll(address owner, address operator) view returns (bool)",
  "function transfer(address recipient, uint256 amount) returns (bool)",
  "function redeemPositions(address collateralToken, bytes32 parentCollectionId, bytes32 conditionId, uint256[] indexSets)",
]);

/** Effects on balances the chain cannot apply itself (the ledger owns them); each returns an error text or undefined. */
export interface ChainHooks {
  /** pUSD transfer(to, amount) by `from`. */
  transfer(from: string, to: string, amount: bigint): string | undefined;
  /** Collateral adapter redeemPositions: pays `from` 1 pUSD per winning share of the condition, burns both outcomes. */
  redeem(from: string, conditionId: string): string | undefined;
}
const FACTORY_ABI = parseAbi(["function BEACON() view returns (address)"]);

/** The token (and operator) a trade on this market's exchange needs approved. */
export const SHARE_TOKEN = { v1: CONTRACTS.ctf, v2: CONTRACTS.positionManager } as const;

/**
 * Approvals on the simulated chain. Addresses the venue never saw created (test EOAs, wallets
 * registered through the control API) count as fully approved, so older flows keep working;
 * a wallet deployed through the relayer starts with none, as a real new deposit wallet does.
 */
export class Chain {
  private readonly fresh = new Set<string>();
  private readonly allowances = new Map<string, bigint>();
  private readonly operators = new Map<string, boolean>();
  /** Set by the venue, which owns balances and resolutions. */
  hooks: ChainHooks | undefined;

  /** A newly deployed account: no approvals (its balances start at zero in the ledger). */
  markFresh(address: string): void {
    this.fresh.add(address.toLowerCase());
  }

  isFresh(address: string): boolean {
    return this.fresh.has(address.toLowerCase());
  }

  allowance(owner: string, spender: string, token: string = CONTRACTS.pusd): bigint {
    const k = `${token}:${owner}:${spender}`.toLowerCase();
    return this.allowances.get(k) ?? (this.isFresh(owner) ? 0n : MAX_UINT256);
  }

  setAllowance(owner: string, spender: string, amount: bigint, token: string = CONTRACTS.pusd): void {
    this.allowances.set(`${token}:${owner}:${spender}`.toLowerCase(), amount);
  }

  /** Spends allowance as transferFrom does; an unlimited (MAX) allowance is not decreased (OpenZeppelin ERC20). */
  spend(owner: string, spender: string, amount: bigint): void {
    const a = this.allowance(owner, spender);
    if (a !== MAX_UINT256) this.setAllowance(owner, spender, a > amount ? a - amount : 0n);
  }

  isApprovedForAll(owner: string, operator: string, token: string = CONTRACTS.ctf): boolean {
    return this.operators.get(`${token}:${owner}:${operator}`.toLowerCase()) ?? !this.isFresh(owner);
  }

  setApprovalForAll(owner: string, operator: string, approved: boolean, token: string = CONTRACTS.ctf): void {
    this.operators.set(`${token}:${owner}:${operator}`.toLowerCase(), approved);
  }

  /** Runs one call of a wallet batch as `from`: approvals, pUSD transfers, adapter redeems. Returns an error text or undefined. */
  execute(from: string, target: string, data: Hex): string | undefined {
    let call;
    try {
      call = decodeFunctionData({ abi: TOKEN_ABI, data });
    } catch {
      return `call to ${target} is not supported by the local chain`;
    }
    if (call.functionName === "approve" && target.toLowerCase() === CONTRACTS.pusd.toLowerCase()) {
      this.setAllowance(from, call.args[0], call.args[1]);
      return undefined;
    }
    if (call.functionName === "transfer" && target.toLowerCase() === CONTRACTS.pusd.toLowerCase()) {
      return this.hooks ? this.hooks.transfer(from, call.args[0], call.args[1]) : "transfers are not wired";
    }
    const adapters = [CONTRACTS.collateralAdapter, CONTRACTS.negRiskCollateralAdapter].map((a) => a.toLowerCase());
    if (call.functionName === "redeemPositions" && adapters.includes(target.toLowerCase())) {
      return this.hooks ? this.hooks.redeem(from, call.args[2]) : "redeems are not wired";
    }
    const shareTokens = [CONTRACTS.ctf, CONTRACTS.positionManager].map((a) => a.toLowerCase());
    if (call.functionName === "setApprovalForAll" && shareTokens.includes(target.toLowerCase())) {
      this.setApprovalForAll(from, call.args[0], call.args[1], target);
      return undefined;
    }
    return `calls to ${target} are not permitted`;
  }

  clear(): void {
    this.fresh.clear();
    this.allowances.clear();
    this.operators.clear();
  }
}

interface RpcDeps {
  chain: Chain;
  wallets: DepositWallets;
  ledger: Ledger;
}

type RpcCall = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };

const rpcError = (id: unknown, code: number, message: string) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

/** eth_call against the simulated contracts: the factory's BEACON(), pUSD and the share tokens' views. */
function ethCall(d: RpcDeps, to: string, data: Hex): Hex | { code: number; message: string } {
  const target = to.toLowerCase();
  if (target === DEPOSIT_WALLET_FACTORY.toLowerCase()) {
    return data.toLowerCase().startsWith("0x49493a4d") ? pad(DEPOSIT_WALLET_BEACON.toLowerCase() as Hex, { size: 32 }) : { code: 3, message: "execution reverted" };
  }
  let call;
  try {
    call = decodeFunctionData({ abi: TOKEN_ABI, data });
  } catch {
    return { code: 3, message: "execution reverted" };
  }
  const result = (value: unknown) => encodeFunctionResult({ abi: TOKEN_ABI, functionName: call.functionName, result: value } as never);
  if (target === CONTRACTS.pusd.toLowerCase()) {
    if (call.functionName === "allowance") return result(d.chain.allowance(call.args[0], call.args[1]));
    if (call.functionName === "balanceOf") return result(d.ledger.balance(call.args[0]));
  }
  if ((target === CONTRACTS.ctf.toLowerCase() || target === CONTRACTS.positionManager.toLowerCase()) && call.functionName === "isApprovedForAll") {
    return result(d.chain.isApprovedForAll(call.args[0], call.args[1], to));
  }
  return { code: 3, message: "execution reverted" };
}

function answerOne(d: RpcDeps, c: RpcCall): unknown {
  const params = Array.isArray(c.params) ? c.params : [];
  switch (c.method) {
    case "eth_chainId":
      return { jsonrpc: "2.0", id: c.id, result: "0x89" };
    case "eth_blockNumber":
      return { jsonrpc: "2.0", id: c.id, result: "0x4c4b400" };
    case "eth_getCode": {
      const addr = String(params[0] ?? "");
      const code = isAddress(addr) && (d.wallets.isDeployed(addr) || Object.values(CONTRACTS).some((a) => a.toLowerCase() === addr.toLowerCase())) ? "0x363d3d373d3d363d7f" : "0x";
      return { jsonrpc: "2.0", id: c.id, result: code };
    }
    case "eth_call": {
      const tx = (params[0] ?? {}) as { to?: unknown; data?: unknown; input?: unknown };
      const data = String(tx.data ?? tx.input ?? "0x");
      if (typeof tx.to !== "string" || !isAddress(tx.to) || !/^0x[0-9a-fA-F]*$/.test(data)) return rpcError(c.id, -32602, "invalid argument 0");
      const r = ethCall(d, getAddress(tx.to), data as Hex);
      return typeof r === "string" ? { jsonrpc: "2.0", id: c.id, result: r } : rpcError(c.id, r.code, r.message);
    }
    default:
      return rpcError(c.id, -32601, `the method ${String(c.method)} does not exist/is not available`);
  }
}

/** POST /rpc: Polygon JSON-RPC (single calls and batches), enough for the official SDK's reads. */
export function rpcRouter(d: RpcDeps): Router {
  return new Router().on("POST", "/", (req): Answer => {
    const body = parseJson(req.body);
    if (Array.isArray(body)) return json(200, body.map((c) => answerOne(d, (c ?? {}) as RpcCall)));
    if (!body || typeof body !== "object") return json(200, rpcError(null, -32700, "parse error"));
    return json(200, answerOne(d, body as RpcCall));
  });
}
