// Deposit wallets of the local Polymarket: CREATE2 addresses as the real DepositWalletFactory derives them, owners, deployment, batch nonces.
import { concat, encodeAbiParameters, getAddress, getContractAddress, keccak256, numberToHex, pad, type Address, type Hex } from "viem";

/** Polygon addresses (polymarket-2026-accounts.md §1.2, from the official SDK's environments). */
export const DEPOSIT_WALLET_FACTORY = "0x00000000000Fb5C9ADea0298D729A0CB3823Cc07";
export const DEPOSIT_WALLET_BEACON = "0x7A18EDfe055488A3128f01F563e5B479D92ffc3a";
export const DEPOSIT_WALLET_UUPS_IMPLEMENTATION = "0x58CA52ebe0DadfdF531Cde7062e76746de4Db1eB";

export type WalletVariant = "beacon" | "uups";

/** Solady ERC-1967 (UUPS) and ERC-1967-beacon proxy templates with immutable args (§1.3). */
const TEMPLATE = {
  uups: {
    prefix: 0x61003d3d8160233d3973n,
    middle: ["0x6009", "0x5155f3363d3d373d3d363d7f360894a13ba1a3210667c828492db98dca3e2076", "0xcc3735a920a3ca505d382bbc545af43d6000803e6038573d6000fd5b3d6000f3"],
    target: DEPOSIT_WALLET_UUPS_IMPLEMENTATION,
  },
  beacon: {
    prefix: 0x6100523d8160233d3973n,
    middle: ["0x60195155f3363d3d373d3d363d602036600436635c60da", "0x1b60e01b36527fa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6c", "0xb3582b35133d50545afa5036515af43d6000803e604d573d6000fd5b3d6000f3"],
    target: DEPOSIT_WALLET_BEACON,
  },
} as const;

/**
 * wallet = CREATE2(factory, keccak(args), keccak(initCode)), args = abi.encode(factory, bytes32(owner)),
 * initCode = uint80(prefix + (len(args) << 56)) ‖ target ‖ template ‖ args.
 */
export function deriveDepositWallet(owner: string, variant: WalletVariant): Address {
  const args = encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [DEPOSIT_WALLET_FACTORY, pad(getAddress(owner), { size: 32 })]);
  const t = TEMPLATE[variant];
  const argsLength = BigInt((args.length - 2) / 2);
  const initCode = concat([numberToHex(t.prefix + (argsLength << 56n), { size: 10 }), t.target, ...(t.middle as readonly Hex[]), args]);
  return getContractAddress({ opcode: "CREATE2", from: DEPOSIT_WALLET_FACTORY, salt: keccak256(args), bytecodeHash: keccak256(initCode) });
}

interface WalletRecord {
  owner: string;
  address: string;
  variant: WalletVariant;
  deployed: boolean;
  /** Nonce of the next WALLET batch (the wallet contract's own counter). */
  nonce: bigint;
}

/** Deposit wallets (signature type 3) and the EOA that owns each: our stand-in for the factory and ERC-1271 isValidSignature. */
export class DepositWallets {
  private readonly byWallet = new Map<string, WalletRecord>();
  private readonly byOwner = new Map<string, WalletRecord>();

  private put(owner: string, address: string, variant: WalletVariant, deployed: boolean): WalletRecord {
    const key = address.toLowerCase();
    const prev = this.byWallet.get(key);
    const rec: WalletRecord = prev ?? { owner: getAddress(owner), address: getAddress(address), variant, deployed, nonce: 0n };
    rec.deployed ||= deployed;
    this.byWallet.set(key, rec);
    this.byOwner.set(rec.owner.toLowerCase(), rec);
    return rec;
  }

  /**
   * The owner's current wallet: a deployed one if there is one, else the counterfactual beacon wallet
   * (what the factory's BEACON() rule gives an owner who never deployed before the upgrade).
   */
  walletOf(owner: string): string {
    return this.byOwner.get(owner.toLowerCase())?.address ?? deriveDepositWallet(owner, "beacon");
  }

  /** Records the owner's counterfactual wallet (not deployed), e.g. when its EOA creates an API key. */
  link(owner: string): string {
    const existing = this.byOwner.get(owner.toLowerCase());
    return existing ? existing.address : this.put(owner, deriveDepositWallet(owner, "beacon"), "beacon", false).address;
  }

  /** Control API: a deployed wallet of `owner` (derived, or the given address; `legacy` = the pre-upgrade UUPS one). */
  register(owner: string, wallet?: string, legacy = false): string {
    const variant: WalletVariant = legacy ? "uups" : "beacon";
    return this.put(owner, wallet ?? deriveDepositWallet(owner, variant), variant, true).address;
  }

  /** WALLET-CREATE confirmed: the factory deploys the owner's beacon wallet. Returns it, and whether it was new. */
  deploy(owner: string): { wallet: string; created: boolean } {
    const address = deriveDepositWallet(owner, "beacon");
    const before = this.byWallet.get(address.toLowerCase())?.deployed ?? false;
    this.put(owner, address, "beacon", true);
    return { wallet: address, created: !before };
  }

  ownerOf(wallet: string): string | undefined {
    return this.byWallet.get(wallet.toLowerCase())?.owner;
  }

  isDeployed(wallet: string): boolean {
    return this.byWallet.get(wallet.toLowerCase())?.deployed ?? false;
  }

  nonce(wallet: string): bigint {
    return this.byWallet.get(wallet.toLowerCase())?.nonce ?? 0n;
  }

  bumpNonce(wallet: string): void {
    const rec = this.byWallet.get(wallet.toLowerCase());
    if (rec) rec.nonce += 1n;
  }

  clear(): void {
    this.byWallet.clear();
    this.byOwner.clear();
  }
}
