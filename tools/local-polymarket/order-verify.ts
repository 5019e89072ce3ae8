// Order checks of the local Polymarket: the POST /order body (zod), the V2 EIP-712 hash, and signatures of types 0–3.
import { domainSeparator, getAddress, hashStruct, hashTypedData, isAddressEqual, recoverTypedDataAddress, type Hex, type TypedDataDomain } from "viem";
import { z } from "zod";
import type { DepositWallets } from "./wallets";
import { POLYGON_CHAIN_ID } from "./auth";
import type { SimMarket } from "./types";

/** Exchange contracts on Polygon (polymarket.md §5; CCv2 config.ts MATIC_CONTRACTS). */
export const EXCHANGES = {
  ctfExchangeV2: "0xE111180000d2663C0091e4f400237545B87B996B",
  negRiskExchangeV2: "0xe2222d279d744050d28e00520010520000310F59",
  exchangeV3: "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa",
} as const;

export const ORDER_TYPE_STRING =
  "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";

export const ORDER_FIELDS = [
  { name: "salt", type: "uint256" },
  { name: "maker", type: "address" },
  { name: "signer", type: "address" },
  { name: "tokenId", type: "uint256" },
  { name: "makerAmount", type: "uint256" },
  { name: "takerAmount", type: "uint256" },
  { name: "side", type: "uint8" },
  { name: "signatureType", type: "uint8" },
  { name: "timestamp", type: "uint256" },
  { name: "metadata", type: "bytes32" },
  { name: "builder", type: "bytes32" },
] as const;

const ORDER_TYPES = { Order: ORDER_FIELDS } as const;

/** ERC-7739 nested typed data a deposit wallet (Solady ERC1271) verifies for signature type 3. */
const TYPED_DATA_SIGN_TYPES = {
  TypedDataSign: [
    { name: "contents", type: "Order" },
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "verifyingContract", type: "address" },
    { name: "salt", type: "bytes32" },
  ],
  Order: ORDER_FIELDS,
} as const;

const BYTES32_ZERO = `0x${"0".repeat(64)}` as const;
const digits = z.string().regex(/^\d{1,78}$/);
const address = z.string().refine((a) => /^0x[0-9a-fA-F]{40}$/.test(a), "address");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

export const wireOrderSchema = z.object({
  salt: z.union([z.number().int().nonnegative(), digits]),
  maker: address,
  signer: address,
  tokenId: digits,
  makerAmount: digits,
  takerAmount: digits,
  side: z.enum(["BUY", "SELL"]),
  signatureType: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  timestamp: digits,
  expiration: digits.optional().default("0"),
  metadata: bytes32,
  builder: bytes32,
  signature: z.string().regex(/^0x[0-9a-fA-F]*$/),
});

export const postOrderSchema = z.object({
  order: wireOrderSchema,
  owner: z.string(),
  orderType: z.enum(["GTC", "GTD", "FOK", "FAK"]),
  postOnly: z.boolean().optional().default(false),
  deferExec: z.boolean().optional().default(false),
});

export type WireOrder = z.infer<typeof wireOrderSchema>;
export type PostOrderBody = z.infer<typeof postOrderSchema>;

/** The signing domain the real exchange checks for this market: V2 (neg-risk or not) or ExchangeV3 for v2 markets. */
export function exchangeDomain(m: Pick<SimMarket, "negRisk" | "version">): TypedDataDomain {
  if (m.version === "v2") return { name: "Polymarket CTF Exchange", version: "3", chainId: POLYGON_CHAIN_ID, verifyingContract: EXCHANGES.exchangeV3 };
  return {
    name: "Polymarket CTF Exchange",
    version: "2",
    chainId: POLYGON_CHAIN_ID,
    verifyingContract: m.negRisk ? EXCHANGES.negRiskExchangeV2 : EXCHANGES.ctfExchangeV2,
  };
}

export function orderMessage(o: WireOrder) {
  return {
    salt: BigInt(o.salt),
    maker: getAddress(o.maker),
    signer: getAddress(o.signer),
    tokenId: BigInt(o.tokenId),
    makerAmount: BigInt(o.makerAmount),
    takerAmount: BigInt(o.takerAmount),
    side: o.side === "BUY" ? 0 : 1,
    signatureType: o.signatureType,
    timestamp: BigInt(o.timestamp),
    metadata: o.metadata as Hex,
    builder: o.builder as Hex,
  };
}

/** The order id: EIP-712 hash of the V2 Order under the market's exchange domain. */
export function orderHash(o: WireOrder, domain: TypedDataDomain): Hex {
  return hashTypedData({ domain, types: ORDER_TYPES, primaryType: "Order", message: orderMessage(o) });
}

/**
 * Splits the type-3 wrapped signature the official client builds:
 * inner (65 bytes) ‖ app domain separator ‖ contents hash ‖ contents type ‖ uint16 type length.
 */
export function unwrap1271(signature: string): { inner: Hex; appDomain: Hex; contents: Hex; contentsType: string } | undefined {
  const hex = signature.slice(2);
  if (hex.length < (65 + 32 + 32 + 2) * 2) return undefined;
  const typeLen = parseInt(hex.slice(-4), 16);
  const typeStart = hex.length - 4 - typeLen * 2;
  const innerLen = typeStart - 128;
  if (innerLen !== 130) return undefined;
  return {
    inner: `0x${hex.slice(0, 130)}`,
    appDomain: `0x${hex.slice(130, 194)}`,
    contents: `0x${hex.slice(194, 258)}`,
    contentsType: Buffer.from(hex.slice(typeStart, hex.length - 4), "hex").toString("utf8"),
  };
}

/**
 * Verifies the order signature as the exchange would. Types 0–2: the EOA signer signed the Order.
 * Type 3: the deposit wallet's owner signed the ERC-7739 envelope for this exact order and domain.
 * Returns the address that actually signed, or undefined when the signature is invalid.
 */
export async function recoverOrderSigner(o: WireOrder, domain: TypedDataDomain, wallets: DepositWallets): Promise<string | undefined> {
  try {
    if (o.signatureType !== 3) {
      if (o.signature.length !== 132) return undefined;
      const signer = await recoverTypedDataAddress({ domain, types: ORDER_TYPES, primaryType: "Order", message: orderMessage(o), signature: o.signature as Hex });
      return isAddressEqual(signer, getAddress(o.signer)) ? signer : undefined;
    }
    const parts = unwrap1271(o.signature);
    if (!parts || parts.contentsType !== ORDER_TYPE_STRING) return undefined;
    if (parts.appDomain.toLowerCase() !== domainSeparator({ domain }).toLowerCase()) return undefined;
    if (parts.contents.toLowerCase() !== hashStruct({ types: ORDER_TYPES, primaryType: "Order", data: orderMessage(o) }).toLowerCase()) return undefined;
    const owner = wallets.ownerOf(o.signer);
    if (!owner) return undefined;
    const signer = await recoverTypedDataAddress({
      domain,
      types: TYPED_DATA_SIGN_TYPES,
      primaryType: "TypedDataSign",
      message: { contents: orderMessage(o), name: "DepositWallet", version: "1", chainId: BigInt(POLYGON_CHAIN_ID), verifyingContract: getAddress(o.signer), salt: BYTES32_ZERO },
      signature: parts.inner,
    });
    return isAddressEqual(signer, getAddress(owner)) ? signer : undefined;
  } catch {
    return undefined;
  }
}
