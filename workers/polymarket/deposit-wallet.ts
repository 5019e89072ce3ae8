// Deposit wallets (signature type 3): the address the DepositWalletFactory gives an owner EOA, the trading
// approvals a new wallet needs, and the owner-signed WALLET batch that sets them through the relayer.
// Facts: polymarket-2026-accounts.md §1.2, §1.3, §1.6, §3.1 (the official SDK's wallet.ts, gasless.ts, approvals.ts).
import { concatHex, encodeAbiParameters, encodeFunctionData, getAddress, keccak256, numberToHex, padHex, parseAbi, slice, type Address, type Hex } from "viem";
import { accountFromPrivateKey } from "./auth-l1";
import { POLYGON_CHAIN_ID } from "./contracts";

export const DEPOSIT_WALLET_FACTORY: Address = "0x00000000000Fb5C9ADea0298D729A0CB3823Cc07";
const BEACON: Address = "0x7A18EDfe055488A3128f01F563e5B479D92ffc3a";
const UUPS_IMPLEMENTATION: Address = "0x58CA52ebe0DadfdF531Cde7062e76746de4Db1eB";

/** beacon: every wallet deployed since the 2026-06-29 factory upgrade; uups: wallets deployed before it. */
export type DepositWalletKind = "beacon" | "uups";

/** Solady proxy templates with immutable args: the 10-byte prefix (before adding len(args) << 56), then the code after the target. */
const PROXY = {
  beacon: { prefix: 0x6100523d8160233d3973n, target: BEACON, code: "0x60195155f3363d3d373d3d363d602036600436635c60da1b60e01b36527fa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50545afa5036515af43d6000803e604d573d6000fd5b3d6000f3" },
  uups: { prefix: 0x61003d3d8160233d3973n, target: UUPS_IMPLEMENTATION, code: "0x60095155f3363d3d373d3d363d7f360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc545af43d6000803e6038573d6000fd5b3d6000f3" },
} as const;

/** CREATE2(factory, keccak(args), keccak(initCode)) with args = abi.encode(factory, bytes32(owner)). */
export function depositWalletAddress(owner: string, kind: DepositWalletKind = "beacon"): Address {
  const args = encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [DEPOSIT_WALLET_FACTORY, padHex(getAddress(owner), { size: 32 })]);
  const p = PROXY[kind];
  const initCode = concatHex([numberToHex(p.prefix + (BigInt((args.length - 2) / 2) << 56n), { size: 10 }), p.target, p.code as Hex, args]);
  const digest = keccak256(concatHex(["0xff", DEPOSIT_WALLET_FACTORY, keccak256(args), keccak256(initCode)]));
  return getAddress(slice(digest, 12));
}

const TOKENS = {
  pusd: "0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB",
  ctf: "0x4D97DCd97eC945f40cF65F87097ACe5EA0476045",
  positionManager: "0x006F54F7f9A22e0000CC2AB60031000000ae9fEF",
} as const;
const SPENDERS = {
  exchangeV2: "0xE111180000d2663C0091e4f400237545B87B996B",
  negRiskExchangeV2: "0xe2222d279d744050d28e00520010520000310F59",
  collateralAdapter: "0xAdA100Db00Ca00073811820692005400218FcE1f",
  negRiskCollateralAdapter: "0xadA2005600Dec949baf300f4C6120000bDB6eAab",
  protocolV2Router: "0x12121212006e4CD160D18e3f00711DA5c3372600",
  exchangeV3: "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa",
  perpsDeposit: "0xDCa4af75705dbB50f62437045afF9921947917d2",
  autoRedeemOperator: "0xa1200000d0002264C9a1698e001292D00E1b00af",
} as const;

const APPROVAL_ABI = parseAbi(["function approve(address spender, uint256 amount) returns (bool)", "function setApprovalForAll(address operator, bool approved)"]);
const MAX_UINT256 = 2n ** 256n - 1n;

export interface WalletCall {
  target: Address;
  value: bigint;
  data: Hex;
}

/** The official trading approvals (§3.1): pUSD to seven spenders, CTF to five operators, PositionManager to three. */
export function tradingApprovalCalls(): WalletCall[] {
  const s = SPENDERS;
  const erc20 = [s.exchangeV2, s.negRiskExchangeV2, s.collateralAdapter, s.negRiskCollateralAdapter, s.protocolV2Router, s.exchangeV3, s.perpsDeposit];
  const ctf = [s.exchangeV2, s.negRiskExchangeV2, s.collateralAdapter, s.negRiskCollateralAdapter, s.autoRedeemOperator];
  const positions = [s.protocolV2Router, s.exchangeV3, s.autoRedeemOperator];
  const approve = (spender: Address): WalletCall => ({ target: TOKENS.pusd, value: 0n, data: encodeFunctionData({ abi: APPROVAL_ABI, functionName: "approve", args: [spender, MAX_UINT256] }) });
  const operator = (token: Address) => (op: Address): WalletCall => ({ target: token, value: 0n, data: encodeFunctionData({ abi: APPROVAL_ABI, functionName: "setApprovalForAll", args: [op, true] }) });
  return [...erc20.map(approve), ...ctf.map(operator(TOKENS.ctf)), ...positions.map(operator(TOKENS.positionManager))];
}

/** EIP-712 types of a deposit wallet batch (the local Polymarket verifies with the same; the SDK oracle test checks both). */
export const BATCH_TYPES = {
  Call: [
    { name: "target", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
  ],
  Batch: [
    { name: "wallet", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "calls", type: "Call[]" },
  ],
} as const;

/** The owner's EIP-712 signature over Batch{wallet, nonce, deadline, calls} in the wallet's own domain (DepositWallet/1). */
export function signWalletBatch(privateKey: Hex, batch: { wallet: Address; nonce: bigint; deadline: bigint; calls: readonly WalletCall[] }, chainId = POLYGON_CHAIN_ID): Promise<Hex> {
  return accountFromPrivateKey(privateKey).signTypedData({
    domain: { name: "DepositWallet", version: "1", chainId, verifyingContract: batch.wallet },
    types: BATCH_TYPES,
    primaryType: "Batch",
    message: { wallet: batch.wallet, nonce: batch.nonce, deadline: batch.deadline, calls: [...batch.calls] },
  });
}
