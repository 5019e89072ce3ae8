// CLOB L1 auth: the ClobAuth EIP-712 signature headers used to create or derive an API key.
// Mirrors @polymarket/clob-client-v2 signing/eip712.ts and headers createL1Headers (polymarket.md §4.2).
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { POLYGON_CHAIN_ID, contractsFor } from "./contracts";
import { assertUnixSeconds } from "./auth-l2";

export const CLOB_AUTH_MESSAGE = "This message attests that I control the given wallet";

const CLOB_AUTH_TYPES = {
  ClobAuth: [
    { name: "address", type: "address" },
    { name: "timestamp", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "message", type: "string" },
  ],
} as const;

export interface L1Headers {
  POLY_ADDRESS: string;
  POLY_SIGNATURE: string;
  POLY_TIMESTAMP: string;
  POLY_NONCE: string;
}

export interface L1HeadersInput {
  privateKey: Hex;
  /** Unix seconds (use the venue's GET /time when the clock may drift). */
  timestamp: number;
  nonce?: number;
  chainId?: number;
  /**
   * Overrides POLY_ADDRESS and the signed ClobAuth.address while the EOA still signs, exactly as
   * the official createL1Headers' fifth argument does. Its own createApiKey never passes it: API
   * keys are bound to the EOA. Leave unset unless the venue has enabled this for the account.
   */
  address?: string;
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/**
 * Turns a private key into a viem account. Every error is replaced by one that never contains the
 * key: viem's own range error prints the key as a decimal number.
 */
export function accountFromPrivateKey(privateKey: string): PrivateKeyAccount {
  if (typeof privateKey !== "string" || !PRIVATE_KEY.test(privateKey)) {
    throw new RangeError("invalid private key: expected 0x followed by 64 hex digits");
  }
  try {
    return privateKeyToAccount(privateKey as Hex);
  } catch {
    throw new RangeError("invalid private key: not a valid secp256k1 scalar");
  }
}

/** Validates and checksums an address; the message names the field, not a secret. */
export function checksumAddress(value: string, field: string): Address {
  if (typeof value !== "string" || !isAddress(value)) throw new RangeError(`${field}: not a valid address`);
  return getAddress(value);
}

/** The ClobAuth signature and the four L1 headers for POST /auth/api-key and GET /auth/derive-api-key. */
export async function l1Headers(input: L1HeadersInput): Promise<L1Headers> {
  const { timestamp, nonce = 0, chainId = POLYGON_CHAIN_ID } = input;
  assertUnixSeconds(timestamp, "L1 auth");
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new RangeError(`L1 auth: nonce must be a non-negative integer`);
  contractsFor(chainId); // only Polygon and Amoy have a CLOB
  const account = accountFromPrivateKey(input.privateKey);
  const address = input.address === undefined ? account.address : checksumAddress(input.address, "L1 auth address");
  const signature = await account.signTypedData({
    domain: { name: "ClobAuthDomain", version: "1", chainId },
    types: CLOB_AUTH_TYPES,
    primaryType: "ClobAuth",
    message: { address, timestamp: `${timestamp}`, nonce: BigInt(nonce), message: CLOB_AUTH_MESSAGE },
  });
  return {
    POLY_ADDRESS: address,
    POLY_SIGNATURE: signature,
    POLY_TIMESTAMP: `${timestamp}`,
    POLY_NONCE: `${nonce}`,
  };
}
