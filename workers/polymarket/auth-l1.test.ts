// L1 ClobAuth headers: the official test vector, oracle comparison with the official client, key hygiene.
import { Wallet } from "@ethersproject/wallet";
import { createL1Headers } from "@polymarket/clob-client-v2";
import { recoverTypedDataAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { CLOB_AUTH_MESSAGE, accountFromPrivateKey, checksumAddress, l1Headers } from "./auth-l1";
import { AMOY_CHAIN_ID, POLYGON_CHAIN_ID } from "./contracts";

const HARDHAT_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
/** CCv2 tests/signing/eip712.test.ts (also rs-clob-client-v2 tests/auth.rs): Amoy, ts 10000000, nonce 23. */
const VECTOR_SIGNATURE =
  "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b";

describe("l1Headers", () => {
  it("matches the official test vector", async () => {
    const headers = await l1Headers({ privateKey: HARDHAT_KEY, timestamp: 10000000, nonce: 23, chainId: AMOY_CHAIN_ID });
    expect(headers).toEqual({
      POLY_ADDRESS: HARDHAT_ADDRESS,
      POLY_SIGNATURE: VECTOR_SIGNATURE,
      POLY_TIMESTAMP: "10000000",
      POLY_NONCE: "23",
    });
  });

  it("defaults to nonce 0 on Polygon, and the signature recovers to the signer", async () => {
    const headers = await l1Headers({ privateKey: HARDHAT_KEY, timestamp: 1_780_000_000 });
    expect(headers.POLY_NONCE).toBe("0");
    const recovered = await recoverTypedDataAddress({
      domain: { name: "ClobAuthDomain", version: "1", chainId: POLYGON_CHAIN_ID },
      types: {
        ClobAuth: [
          { name: "address", type: "address" },
          { name: "timestamp", type: "string" },
          { name: "nonce", type: "uint256" },
          { name: "message", type: "string" },
        ],
      },
      primaryType: "ClobAuth",
      message: { address: HARDHAT_ADDRESS, timestamp: "1780000000", nonce: 0n, message: CLOB_AUTH_MESSAGE },
      signature: headers.POLY_SIGNATURE as Hex,
    });
    expect(recovered).toBe(HARDHAT_ADDRESS);
  });

  it("equals the official createL1Headers (ethers signer) for 60 random keys, times, nonces and chains", async () => {
    for (let i = 0; i < 60; i++) {
      const privateKey = generatePrivateKey();
      const chainId = i % 2 === 0 ? POLYGON_CHAIN_ID : AMOY_CHAIN_ID;
      const timestamp = Math.floor(Math.random() * 4e9);
      const nonce = i % 3 === 0 ? 0 : Math.floor(Math.random() * 1e9);
      const ours = await l1Headers({ privateKey, timestamp, nonce, chainId });
      const official = await createL1Headers(new Wallet(privateKey), chainId, nonce, timestamp);
      expect(ours, `case ${i} key ${privateKey}`).toEqual(official);
    }
  });

  it("with an address override signs that address with the EOA key, as the official fifth argument does", async () => {
    for (let i = 0; i < 10; i++) {
      const privateKey = generatePrivateKey();
      const depositWallet = privateKeyToAddress(generatePrivateKey());
      const ours = await l1Headers({ privateKey, timestamp: 1_780_000_000 + i, nonce: i, address: depositWallet });
      const official = await createL1Headers(new Wallet(privateKey), POLYGON_CHAIN_ID, i, 1_780_000_000 + i, depositWallet);
      expect(ours).toEqual(official);
      expect(ours.POLY_ADDRESS).toBe(depositWallet);
    }
  });

  it("checksums a lower-case address override", async () => {
    const headers = await l1Headers({ privateKey: HARDHAT_KEY, timestamp: 1, address: HARDHAT_ADDRESS.toLowerCase() });
    expect(headers.POLY_ADDRESS).toBe(HARDHAT_ADDRESS);
  });

  it.each([
    ["millisecond timestamp", { timestamp: 1_780_449_126_930 }],
    ["negative nonce", { nonce: -1 }],
    ["fractional nonce", { nonce: 0.5 }],
    ["unknown chain", { chainId: 1 }],
    ["bad address override", { address: "0x1234" }],
  ])("rejects a %s", async (_name, override) => {
    const error = await l1Headers({ privateKey: HARDHAT_KEY, timestamp: 1, ...override }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
  });
});

describe("accountFromPrivateKey", () => {
  // The curve order n and values around it: viem's own error prints the key as a decimal.
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const hex = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}` as const;

  it.each([
    ["zero", hex(0n)],
    ["the curve order", hex(N)],
    ["all ones", hex(2n ** 256n - 1n)],
    ["too short", "0x1234abcd"],
    ["no 0x prefix", HARDHAT_KEY.slice(2)],
    ["65 hex digits", `${HARDHAT_KEY}0`],
    ["not hex", `0x${"zz".repeat(32)}`],
  ])("rejects %s without putting the key in the message", (_name, key) => {
    let error: Error | undefined;
    try {
      accountFromPrivateKey(key);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(RangeError);
    const body = key.replace(/^0x/, "");
    expect(error!.message).not.toContain(body);
    if (/^0x[0-9a-f]+$/i.test(key)) expect(error!.message).not.toContain(BigInt(key).toString());
    expect(error!.cause).toBeUndefined();
  });

  it("accepts n - 1 and upper-case hex", () => {
    expect(accountFromPrivateKey(hex(N - 1n)).address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(accountFromPrivateKey(`0x${HARDHAT_KEY.slice(2).toUpperCase()}`).address).toBe(HARDHAT_ADDRESS);
  });
});

describe("checksumAddress", () => {
  it.each([
    [HARDHAT_ADDRESS.toLowerCase(), HARDHAT_ADDRESS],
    [HARDHAT_ADDRESS, HARDHAT_ADDRESS],
  ])("normalises %s", (input, expected) => {
    expect(checksumAddress(input, "maker")).toBe(expected);
  });
  it.each(["", "0x", "0x1234", HARDHAT_ADDRESS.replace("F", "f"), `${HARDHAT_ADDRESS}00`])("rejects %j", (input) => {
    expect(() => checksumAddress(input, "maker")).toThrow(/maker: not a valid address/);
  });
});
