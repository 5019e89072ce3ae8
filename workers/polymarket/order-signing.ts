// CLOB V2 orders: the unsigned struct, its EIP-712 hash (the venue's orderID) and signature, and the
// exact POST /order body. Mirrors @polymarket/clob-client-v2 exchangeOrderBuilderV2.ts and ordersV2.ts.
import { concat, hashDomain, hashStruct, hashTypedData, isAddressEqual, toHex, type Address, type Hex } from "viem";
import { z } from "zod";
import { accountFromPrivateKey, checksumAddress } from "./auth-l1";
import { exchangeDomain, type ExchangeDomain, type MarketRef } from "./contracts";
import type { Side } from "./types";

/** 0 EOA, 1 POLY_PROXY (Magic/email proxy), 2 POLY_GNOSIS_SAFE, 3 POLY_1271 (deposit wallet). */
export type SignatureType = 0 | 1 | 2 | 3;
export const SIGNATURE_TYPE = { EOA: 0, POLY_PROXY: 1, POLY_GNOSIS_SAFE: 2, POLY_1271: 3 } as const;
/** GTC/GTD rest on the book; FOK/FAK are immediate (polymarket.md §4.6). */
export type OrderType = "GTC" | "GTD" | "FOK" | "FAK";
export const BYTES32_ZERO: Hex = `0x${"0".repeat(64)}`;
/** Orders per POST /orders (NautilusTrader BATCH_ORDER_LIMIT; polymarket.md §4.6). */
export const MAX_BATCH_ORDERS = 15;

const ORDER_FIELDS = [
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
const ORDER_TYPE_STRING =
  "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";
const DOMAIN_FIELDS = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
] as const;
/** ERC-7739 nested typed-data envelope the deposit wallet (Solady ERC1271) verifies. */
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

/** The V2 order as signed, plus the unsigned `expiration` and the domain it is signed against. */
export interface UnsignedOrder {
  salt: number;
  maker: Address;
  signer: Address;
  tokenId: string;
  makerAmount: bigint;
  takerAmount: bigint;
  side: Side;
  signatureType: SignatureType;
  /** Milliseconds. */
  timestamp: number;
  /** Unix seconds, 0 = none; travels in the body only (not signed in V2). */
  expiration: number;
  metadata: Hex;
  builder: Hex;
  domain: ExchangeDomain;
}

export interface SignedOrder extends UnsignedOrder {
  signature: Hex;
}

/** Milliseconds below this are really seconds (1973-03-03): a classic mix-up. */
const MIN_MILLIS = 1e11;
const UINT256_MAX = 2n ** 256n - 1n;

const address = (field: string) =>
  z.string().transform((value, ctx) => {
    try {
      return checksumAddress(value, field);
    } catch {
      ctx.addIssue({ code: "custom", message: `${field}: not a valid address` });
      return z.NEVER;
    }
  });
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected bytes32 hex");
const positiveAmount = z.bigint().positive().max(UINT256_MAX);

const BuildOrderInput = z
  .object({
    tokenId: z.string().regex(/^\d{1,78}$/, "expected a decimal uint256").refine((t) => BigInt(t) <= UINT256_MAX, "exceeds uint256"),
    side: z.enum(["BUY", "SELL"]),
    makerAmount: positiveAmount,
    takerAmount: positiveAmount,
    signer: address("signer"),
    maker: address("maker"),
    signatureType: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    salt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    timestamp: z.number().int().min(MIN_MILLIS, "timestamp must be milliseconds").max(Number.MAX_SAFE_INTEGER),
    expiration: z.number().int().nonnegative().lt(MIN_MILLIS, "expiration must be unix seconds").default(0),
    metadata: bytes32.default(BYTES32_ZERO),
    builder: bytes32.default(BYTES32_ZERO),
    market: z.object({ negRisk: z.boolean(), version: z.enum(["v1", "v2"]) }),
    chainId: z.number().int().optional(),
  })
  // The exchange checks signer == maker for EOA orders; a deposit wallet signs as itself (ERC-1271).
  .refine((o) => (o.signatureType !== 0 && o.signatureType !== 3) || isAddressEqual(o.maker, o.signer), {
    message: "signature types 0 (EOA) and 3 (POLY_1271) need maker == signer",
    path: ["maker"],
  });

export type BuildOrderInput = z.input<typeof BuildOrderInput> & { market: MarketRef };

/**
 * The unsigned order. `signer` is the EOA for types 0–2 (`maker` = the EOA, or the funder proxy
 * for 1/2); for type 3 both are the deposit wallet. Amounts come from order-amounts.ts; salt from
 * newSalt; timestamp is Date.now() at the caller.
 */
export function buildOrder(input: BuildOrderInput): UnsignedOrder {
  const parsed = BuildOrderInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`invalid order: ${issue.path.join(".") || "input"}: ${issue.message}`);
  }
  const { market, chainId, ...fields } = parsed.data;
  return { ...fields, metadata: fields.metadata as Hex, builder: fields.builder as Hex, domain: exchangeDomain(market, chainId) };
}

/** The official salt: Math.round(Math.random() × Date.now()), a JSON-safe integer below 2^53. */
export function newSalt(rand01: number, nowMs: number): number {
  if (!(rand01 >= 0 && rand01 < 1)) throw new RangeError("rand01 must be in [0, 1)");
  return Math.round(rand01 * nowMs);
}

function message(order: UnsignedOrder) {
  return {
    salt: BigInt(order.salt),
    maker: order.maker,
    signer: order.signer,
    tokenId: BigInt(order.tokenId),
    makerAmount: order.makerAmount,
    takerAmount: order.takerAmount,
    side: order.side === "BUY" ? 0 : 1,
    signatureType: order.signatureType,
    timestamp: BigInt(order.timestamp),
    metadata: order.metadata,
    builder: order.builder,
  };
}

/** The EIP-712 hash of the order under its exchange domain: the venue's orderID. */
export function orderHash(order: UnsignedOrder): Hex {
  return hashTypedData({ domain: order.domain, types: ORDER_TYPES, primaryType: "Order", message: message(order) });
}

/**
 * Signs with the EOA key. Types 0–2: plain EIP-712 over the Order. Type 3 (deposit wallet): the
 * official ERC-7739 wrapping: EOA signature over TypedDataSign{contents: Order, "DepositWallet",
 * "1", chainId, wallet, 0x0} in the exchange domain, then the exchange domain separator, the Order
 * struct hash, the Order type string and its length (uint16) appended.
 */
export async function signOrder(order: UnsignedOrder, privateKey: Hex): Promise<SignedOrder> {
  const account = accountFromPrivateKey(privateKey);
  const msg = message(order);
  if (order.signatureType !== SIGNATURE_TYPE.POLY_1271) {
    if (!isAddressEqual(account.address, order.signer)) throw new RangeError(`private key does not belong to order signer ${order.signer}`);
    const signature = await account.signTypedData({ domain: order.domain, types: ORDER_TYPES, primaryType: "Order", message: msg });
    return { ...order, signature };
  }
  const inner = await account.signTypedData({
    domain: order.domain,
    types: TYPED_DATA_SIGN_TYPES,
    primaryType: "TypedDataSign",
    message: { contents: msg, name: "DepositWallet", version: "1", chainId: BigInt(order.domain.chainId), verifyingContract: order.signer, salt: BYTES32_ZERO },
  });
  const domainSeparator = hashDomain({ domain: { ...order.domain, chainId: BigInt(order.domain.chainId) }, types: { EIP712Domain: DOMAIN_FIELDS } });
  const contentsHash = hashStruct({ data: msg, primaryType: "Order", types: ORDER_TYPES });
  const typeString = toHex(ORDER_TYPE_STRING);
  const length = toHex(ORDER_TYPE_STRING.length, { size: 2 });
  return { ...order, signature: concat([inner, domainSeparator, contentsHash, typeString, length]) };
}

export interface PostOrderOptions {
  deferExec?: boolean;
  postOnly?: boolean;
}

/** The POST /order body object, keys in the official orderToJsonV2 order. */
export function orderPayload(order: SignedOrder, owner: string, orderType: OrderType, options: PostOrderOptions = {}) {
  const { deferExec = false, postOnly = false } = options;
  if (postOnly && (orderType === "FOK" || orderType === "FAK")) throw new RangeError("postOnly is not supported for FOK/FAK orders");
  if ((orderType === "GTD") !== order.expiration > 0) throw new RangeError("expiration is required for GTD orders and only for them");
  return {
    deferExec,
    postOnly,
    order: {
      salt: order.salt,
      maker: order.maker,
      signer: order.signer,
      tokenId: order.tokenId,
      makerAmount: order.makerAmount.toString(),
      takerAmount: order.takerAmount.toString(),
      side: order.side,
      signatureType: order.signatureType,
      timestamp: `${order.timestamp}`,
      expiration: `${order.expiration}`,
      metadata: order.metadata,
      builder: order.builder,
      signature: order.signature,
    },
    owner,
    orderType,
  };
}

/** The exact POST /order body string; sign this same string for the L2 headers. */
export function orderToJson(order: SignedOrder, owner: string, orderType: OrderType, options: PostOrderOptions = {}): string {
  return JSON.stringify(orderPayload(order, owner, orderType, options));
}

/** The exact POST /orders body string (≤ MAX_BATCH_ORDERS); the official applies one postOnly/deferExec to all. */
export function ordersToJson(
  orders: readonly { order: SignedOrder; orderType: OrderType }[],
  owner: string,
  options: PostOrderOptions = {},
): string {
  if (orders.length === 0 || orders.length > MAX_BATCH_ORDERS) throw new RangeError(`a batch holds 1 to ${MAX_BATCH_ORDERS} orders`);
  return JSON.stringify(orders.map(({ order, orderType }) => orderPayload(order, owner, orderType, options)));
}
