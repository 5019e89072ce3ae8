// Signed orders: byte-for-byte oracle against the official client for every signature type, market
// kind and domain; signer recovery; the POLY_1271 envelope taken apart; input validation.
import { Wallet } from "@ethersproject/wallet";
import { OrderBuilder, orderToJsonV2 } from "@polymarket/clob-client-v2";
import { concat, createWalletClient, custom, hashDomain, hashStruct, keccak256, recoverAddress, recoverTypedDataAddress, size, slice, toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AMOY_CHAIN_ID, POLYGON_CHAIN_ID, type MarketRef } from "./contracts";
import { limitOrderAmounts, marketOrderAmounts } from "./order-amounts";
import {
  BYTES32_ZERO, MAX_BATCH_ORDERS, buildOrder, newSalt, orderHash, orderPayload, orderToJson, ordersToJson, signOrder,
  type BuildOrderInput, type OrderType, type SignatureType, type UnsignedOrder,
} from "./order-signing";
import type { Side, TickSize } from "./types";

const UINT256_MAX = 2n ** 256n - 1n;
const TICKS: TickSize[] = ["0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001"];

function randomBytes32(): Hex {
  return `0x${Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A random token id of 77 or 78 digits, below 2^256 (real ids look like this). */
function randomTokenId(): string {
  for (;;) {
    const digits = 77 + Math.floor(Math.random() * 2);
    const text = `${1 + Math.floor(Math.random() * 9)}${Array.from({ length: digits - 1 }, () => Math.floor(Math.random() * 10)).join("")}`;
    if (BigInt(text) <= UINT256_MAX) return text;
  }
}

/** Alternates the official client's two signer kinds: an ethers Wallet and a viem wallet client. */
function officialSigner(privateKey: Hex, i: number) {
  if (i % 2 === 0) return new Wallet(privateKey);
  const refuse = async () => {
    throw new Error("no network in tests");
  };
  return createWalletClient({ account: privateKeyToAccount(privateKey), transport: custom({ request: refuse }) });
}

interface Scenario {
  signatureType: SignatureType;
  market: MarketRef;
  kind: "limit" | "market";
  chainId: number;
}

const scenarios: Scenario[] = [];
for (const signatureType of [0, 1, 2, 3] as const)
  for (const negRisk of [false, true])
    for (const version of ["v1", "v2"] as const)
      for (const kind of ["limit", "market"] as const)
        scenarios.push({ signatureType, market: { negRisk, version }, kind, chainId: scenarios.length % 5 === 0 ? AMOY_CHAIN_ID : POLYGON_CHAIN_ID });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Builds the same order with the official client and with ours; returns both bodies. */
async function bothBodies(s: Scenario, i: number) {
  const privateKey = generatePrivateKey();
  const eoa = privateKeyToAddress(privateKey);
  const funder = s.signatureType === 0 ? undefined : privateKeyToAddress(generatePrivateKey());
  const tickSize = TICKS[i % TICKS.length]!;
  const side: Side = i % 3 === 0 ? "SELL" : "BUY";
  const tokenId = randomTokenId();
  const tickUnits = Math.round(Number(tickSize) * 1e4);
  const price = ((1 + Math.floor(Math.random() * (1e4 / tickUnits - 1))) * tickUnits / 1e4).toFixed(4).replace(/\.?0+$/, "");
  // At least 1 (share or pUSD): below that, rounding can leave a zero amount, which the official
  // client signs and ours refuses on purpose (order-amounts.test.ts), so the bodies cannot be compared.
  const quantity = (1 + Math.random() * 5000).toFixed(Math.floor(Math.random() * 5));
  const extras = i % 4 === 0 ? { metadata: randomBytes32(), builder: randomBytes32() } : {};
  const orderType: OrderType = s.kind === "market" ? (i % 2 ? "FOK" : "FAK") : i % 2 ? "GTC" : "GTD";
  const expiration = orderType === "GTD" ? 1_780_000_000 + Math.floor(Math.random() * 1e7) : 0;
  const options = { postOnly: s.kind === "limit" && i % 3 === 1, deferExec: i % 5 === 2 };
  const owner = crypto.randomUUID();
  const timestamp = 1_780_449_126_930 + Math.floor(Math.random() * 1e9);
  const rand01 = Math.random();

  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(timestamp);
  vi.spyOn(Math, "random").mockReturnValue(rand01);
  const builder = new OrderBuilder(officialSigner(privateKey, i) as never, s.chainId, s.signatureType, funder);
  const user = { tokenID: tokenId, price: Number(price), side: side as never, metadata: extras.metadata, builderCode: extras.builder };
  const version = s.market.version === "v1" ? 2 : 3;
  const officialOrder =
    s.kind === "limit"
      ? await builder.buildOrder({ ...user, size: Number(quantity), ...(expiration ? { expiration } : {}) }, { tickSize, negRisk: s.market.negRisk }, version)
      : await builder.buildMarketOrder({ ...user, amount: Number(quantity) }, { tickSize, negRisk: s.market.negRisk }, version);
  vi.restoreAllMocks();
  vi.useRealTimers();
  const official = JSON.stringify(orderToJsonV2(officialOrder as never, owner, orderType as never, options.postOnly, options.deferExec));

  const amounts =
    s.kind === "limit" ? limitOrderAmounts({ side, size: quantity, price, tickSize }) : marketOrderAmounts({ side, amount: quantity, price, tickSize });
  const signer = s.signatureType === 3 ? funder! : eoa;
  const order = buildOrder({
    tokenId, side, ...amounts, signer, maker: funder ?? eoa, signatureType: s.signatureType,
    salt: newSalt(rand01, timestamp), timestamp, expiration, ...extras, market: s.market, chainId: s.chainId,
  });
  const ours = orderToJson(await signOrder(order, privateKey), owner, orderType, options);
  return { ours, official, privateKey, eoa, order };
}

describe("oracle: byte-identical POST /order bodies", () => {
  it.each(scenarios.map((s) => [`type ${s.signatureType}, negRisk ${s.market.negRisk}, ${s.market.version}, ${s.kind}, chain ${s.chainId}`, s] as const))(
    "%s (6 random orders)",
    async (_name, s) => {
      for (let i = 0; i < 6; i++) {
        const { ours, official, privateKey } = await bothBodies(s, i);
        expect(ours, `case ${i}, key ${privateKey}`).toBe(official);
      }
    },
  );

  it("carries the salt as a JSON number and the amounts, timestamp and expiration as strings", async () => {
    const { ours } = await bothBodies(scenarios[0]!, 1);
    expect(ours).toMatch(/^\{"deferExec":(true|false),"postOnly":(true|false),"order":\{"salt":\d+,"maker":"0x/);
    expect(ours).toMatch(/"makerAmount":"\d+","takerAmount":"\d+","side":"(BUY|SELL)","signatureType":0,"timestamp":"\d{13}","expiration":"\d+"/);
    expect(ours).toMatch(/"owner":"[0-9a-f-]{36}","orderType":"(GTC|GTD)"\}$/);
  });
});

const ORDER_TYPES = {
  Order: [
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
  ],
} as const;

function typedMessage(order: UnsignedOrder) {
  return {
    salt: BigInt(order.salt), maker: order.maker, signer: order.signer, tokenId: BigInt(order.tokenId),
    makerAmount: order.makerAmount, takerAmount: order.takerAmount, side: order.side === "BUY" ? 0 : 1,
    signatureType: order.signatureType, timestamp: BigInt(order.timestamp), metadata: order.metadata, builder: order.builder,
  };
}

describe("signatures recover to the EOA, and orderHash is what was signed", () => {
  it.each([0, 1, 2] as const)("signature type %d", async (signatureType) => {
    for (const market of [{ negRisk: false, version: "v1" }, { negRisk: true, version: "v1" }, { negRisk: true, version: "v2" }] as const) {
      const { order, privateKey, eoa } = await bothBodies({ signatureType, market, kind: "limit", chainId: POLYGON_CHAIN_ID }, 1);
      const signed = await signOrder(order, privateKey);
      const viaTypedData = await recoverTypedDataAddress({ domain: order.domain, types: ORDER_TYPES, primaryType: "Order", message: typedMessage(order), signature: signed.signature });
      expect(viaTypedData).toBe(eoa);
      expect(await recoverAddress({ hash: orderHash(order), signature: signed.signature })).toBe(eoa);
    }
  });

  it("orderHash equals the official ExchangeOrderBuilderV2/V3 buildOrderHash", async () => {
    // Not exported by the package: read the file itself (a variable specifier skips the exports map).
    const file = "../../node_modules/@polymarket/clob-client-v2/dist/order-utils/exchangeOrderBuilderV2.js";
    const official = (await import(/* @vite-ignore */ file)) as Record<string, new (exchange: string, chainId: number, signer: unknown) => {
      buildOrderTypedData(order: unknown): unknown;
      buildOrderHash(typedData: unknown): Hex;
    }>;
    for (const s of scenarios) {
      const { order } = await bothBodies(s, 2);
      const Builder = order.domain.version === "2" ? official.ExchangeOrderBuilderV2! : official.ExchangeOrderBuilderV3!;
      const builder = new Builder(order.domain.verifyingContract, order.domain.chainId, undefined);
      const plain = { ...order, salt: `${order.salt}`, makerAmount: `${order.makerAmount}`, takerAmount: `${order.takerAmount}`, timestamp: `${order.timestamp}` };
      expect(orderHash(order)).toBe(builder.buildOrderHash(builder.buildOrderTypedData(plain)));
    }
  });
});

describe("POLY_1271 (deposit wallet) signature, taken apart", () => {
  it.each([{ negRisk: false, version: "v1" }, { negRisk: true, version: "v1" }, { negRisk: false, version: "v2" }] as const)(
    "%o: EOA-signed TypedDataSign ‖ domain separator ‖ Order struct hash ‖ type string ‖ uint16 length",
    async (market) => {
      const { order, privateKey, eoa } = await bothBodies({ signatureType: 3, market, kind: "market", chainId: POLYGON_CHAIN_ID }, 0);
      expect(order.maker).toBe(order.signer);
      const { signature } = await signOrder(order, privateKey);
      const typeString = "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";
      expect(size(signature)).toBe(65 + 32 + 32 + typeString.length + 2);
      const [inner, separator, contents] = [slice(signature, 0, 65), slice(signature, 65, 97), slice(signature, 97, 129)];
      const domainTypes = { EIP712Domain: [{ name: "name", type: "string" }, { name: "version", type: "string" }, { name: "chainId", type: "uint256" }, { name: "verifyingContract", type: "address" }] } as const;
      expect(separator).toBe(hashDomain({ domain: { ...order.domain, chainId: BigInt(order.domain.chainId) }, types: domainTypes }));
      expect(contents).toBe(hashStruct({ data: typedMessage(order), primaryType: "Order", types: ORDER_TYPES }));
      // The order id is still the plain EIP-712 hash of the same struct in the same domain.
      expect(keccak256(concat(["0x1901", separator, contents]))).toBe(orderHash(order));
      expect(slice(signature, 129, 129 + typeString.length)).toBe(toHex(typeString));
      expect(slice(signature, 129 + typeString.length)).toBe("0x00ba");
      const signerOfEnvelope = await recoverTypedDataAddress({
        domain: order.domain,
        types: { TypedDataSign: [{ name: "contents", type: "Order" }, { name: "name", type: "string" }, { name: "version", type: "string" }, { name: "chainId", type: "uint256" }, { name: "verifyingContract", type: "address" }, { name: "salt", type: "bytes32" }], ...ORDER_TYPES },
        primaryType: "TypedDataSign",
        message: { contents: typedMessage(order), name: "DepositWallet", version: "1", chainId: BigInt(order.domain.chainId), verifyingContract: order.signer, salt: BYTES32_ZERO },
        signature: inner,
      });
      expect(signerOfEnvelope).toBe(eoa);
    },
  );
});

const HARDHAT_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const OTHER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const validInput: BuildOrderInput = {
  tokenId: "71321045679252212594626385532706912750332728571942532289631379312455583992563",
  side: "BUY", makerAmount: 50_000_000n, takerAmount: 100_000_000n, signer: HARDHAT, maker: HARDHAT, signatureType: 0,
  salt: 479249096354, timestamp: 1_780_449_126_930, market: { negRisk: false, version: "v1" },
};

describe("buildOrder", () => {
  it("fills defaults: zero metadata/builder, no expiration, Polygon V2 exchange", () => {
    const order = buildOrder({ ...validInput, maker: HARDHAT.toLowerCase(), signer: HARDHAT.toLowerCase() });
    expect(order).toMatchObject({ metadata: BYTES32_ZERO, builder: BYTES32_ZERO, expiration: 0, maker: HARDHAT, signer: HARDHAT });
    expect(order.domain).toEqual({ name: "Polymarket CTF Exchange", version: "2", chainId: 137, verifyingContract: "0xE111180000d2663C0091e4f400237545B87B996B" });
  });

  it.each<[string, Partial<BuildOrderInput>, RegExp]>([
    ["a non-numeric token id", { tokenId: "0xabc" }, /tokenId/],
    ["a token id above 2^256", { tokenId: (2n ** 256n).toString() }, /tokenId/],
    ["a zero maker amount", { makerAmount: 0n }, /makerAmount/],
    ["a negative taker amount", { takerAmount: -1n }, /takerAmount/],
    ["a bad signer address", { signer: "0x1234" }, /signer/],
    ["a bad checksum", { maker: HARDHAT.replace("F", "f"), signer: HARDHAT.replace("F", "f") }, /not a valid address/],
    ["an EOA order whose maker is not the signer", { maker: OTHER }, /maker == signer/],
    ["a deposit-wallet order whose maker is not the signer", { signatureType: 3, maker: OTHER }, /maker == signer/],
    ["signature type 4", { signatureType: 4 as SignatureType }, /signatureType/],
    ["a timestamp in seconds", { timestamp: 1_780_449_126 }, /milliseconds/],
    ["an expiration in milliseconds", { expiration: 1_780_449_126_930 }, /unix seconds/],
    ["a salt beyond 2^53", { salt: 2 ** 53 }, /salt/],
    ["a fractional salt", { salt: 1.5 }, /salt/],
    ["short metadata", { metadata: "0x00" }, /metadata/],
    ["side HOLD", { side: "HOLD" as Side }, /side/],
    ["market version v3", { market: { negRisk: false, version: "v3" as "v1" } }, /market/],
  ])("rejects %s", (_name, override, message) => {
    expect(() => buildOrder({ ...validInput, ...override })).toThrow(message);
  });

  it("rejects an unsupported chain", () => {
    expect(() => buildOrder({ ...validInput, chainId: 1 })).toThrow(/unsupported chainId/);
  });

  it("allows a proxy maker for signature types 1 and 2", () => {
    for (const signatureType of [1, 2] as const) expect(buildOrder({ ...validInput, signatureType, maker: OTHER }).maker).toBe(OTHER);
  });
});

describe("signOrder", () => {
  it("refuses a key that is not the order's signer, without revealing the key", async () => {
    const error = await signOrder(buildOrder({ ...validInput, signer: OTHER, maker: OTHER }), HARDHAT_KEY).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/does not belong to order signer/);
    expect(error?.message).not.toContain(HARDHAT_KEY.slice(2));
  });

  it("refuses a malformed key without revealing it", async () => {
    const bad = `0x${"f".repeat(64)}` as Hex;
    const error = await signOrder(buildOrder(validInput), bad).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(RangeError);
    expect(error!.message).not.toContain("f".repeat(16));
    expect(error!.message).not.toContain(BigInt(bad).toString().slice(0, 16));
  });
});

describe("orderPayload / orderToJson / ordersToJson", () => {
  const signedGtc = async () => signOrder(buildOrder(validInput), HARDHAT_KEY);

  it.each<[string, OrderType, number, boolean, RegExp]>([
    ["postOnly with FOK", "FOK", 0, true, /postOnly/],
    ["postOnly with FAK", "FAK", 0, true, /postOnly/],
    ["GTD without expiration", "GTD", 0, false, /expiration/],
    ["GTC with an expiration", "GTC", 1_780_000_000, false, /expiration/],
    ["FOK with an expiration", "FOK", 1_780_000_000, false, /expiration/],
  ])("rejects %s", async (_name, orderType, expiration, postOnly, message) => {
    const signed = await signOrder(buildOrder({ ...validInput, expiration }), HARDHAT_KEY);
    expect(() => orderPayload(signed, "owner", orderType, { postOnly })).toThrow(message);
  });

  it("orderToJson is JSON.stringify of orderPayload", async () => {
    const signed = await signedGtc();
    expect(orderToJson(signed, "k", "GTC")).toBe(JSON.stringify(orderPayload(signed, "k", "GTC")));
    expect(orderPayload(signed, "k", "GTC")).toMatchObject({ deferExec: false, postOnly: false, owner: "k", orderType: "GTC" });
  });

  it("a batch body equals what the official postOrders sends", async () => {
    const entries = await Promise.all(
      (["GTC", "FOK", "FAK"] as const).map(async (orderType, i) => ({ order: await signOrder(buildOrder({ ...validInput, salt: i }), HARDHAT_KEY), orderType })),
    );
    const official = entries.map(({ order, orderType }) =>
      orderToJsonV2({ ...order, salt: `${order.salt}`, makerAmount: `${order.makerAmount}`, takerAmount: `${order.takerAmount}`, timestamp: `${order.timestamp}`, expiration: `${order.expiration}` } as never, "key", orderType as never, false, true),
    );
    expect(ordersToJson(entries, "key", { deferExec: true })).toBe(JSON.stringify(official));
  });

  it.each([0, MAX_BATCH_ORDERS + 1])("rejects a batch of %d", async (count) => {
    const order = await signedGtc();
    expect(() => ordersToJson(Array.from({ length: count }, () => ({ order, orderType: "GTC" as const })), "k")).toThrow(/batch/);
  });
});

describe("newSalt", () => {
  it.each([
    [0, 1_780_449_126_930, 0],
    [0.5, 3, 2],
    [0.25, 1_780_449_126_930, 445_112_281_733],
    [0.999999, 1_780_449_126_930, 1_780_447_346_481],
  ])("newSalt(%d, %d) = %d, Math.round(rand × now)", (rand, now, salt) => {
    expect(newSalt(rand, now)).toBe(salt);
  });
  it.each([1, -0.1, Number.NaN])("rejects rand01 = %d", (rand) => {
    expect(() => newSalt(rand, 1)).toThrow(RangeError);
  });
});
