import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { addressSchema, describeIssues, importWalletSchema, privateKeySchema } from "./wallet-input";
import { depositWalletAddress } from "../polymarket/deposit-wallet";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae1a40cf83f4a2f9c";
const EOA = privateKeyToAccount(KEY).address;
const FUNDER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";

describe("private keys", () => {
  it.each([
    [KEY, KEY],
    [KEY.slice(2), KEY],
    [`  ${KEY.toUpperCase().replace("0X", "0x")}  `, KEY],
  ])("accepts %s", (input, want) => {
    expect(privateKeySchema.parse(input)).toBe(want);
  });

  it.each([
    ["too short", KEY.slice(0, 60)],
    ["not hex", `0x${"g".repeat(64)}`],
    ["zero", `0x${"0".repeat(64)}`],
    ["above the curve order", `0x${"f".repeat(64)}`],
    ["a number", 12345],
  ])("refuses %s without repeating it", (_why, input) => {
    const r = privateKeySchema.safeParse(input);
    expect(r.success).toBe(false);
    const text = describeIssues(r.error!);
    expect(text).not.toContain("ffffffff");
    expect(text).not.toContain(KEY.slice(2, 20));
  });
});

describe("addresses", () => {
  it.each([
    [FUNDER, FUNDER],
    [FUNDER.toLowerCase(), FUNDER],
  ])("accepts %s as checksummed", (input, want) => {
    expect(addressSchema.parse(input)).toBe(want);
  });

  it.each([["0x123"], [FUNDER.replace("b", "B")], ["8ba1f109551bD432803012645Ac136ddd64DBA72"]])("refuses %s", (input) => {
    expect(addressSchema.safeParse(input).success).toBe(false);
  });
});

describe("wallet import", () => {
  it.each([
    [{ privateKey: KEY }, { signatureType: 0, funderAddress: null }],
    [{ privateKey: KEY, signatureType: 0, funderAddress: EOA }, { signatureType: 0, funderAddress: null }],
    [{ privateKey: KEY, signatureType: 3, funderAddress: FUNDER.toLowerCase() }, { signatureType: 3, funderAddress: FUNDER }],
    [{ privateKey: KEY, signatureType: 1, funderAddress: FUNDER }, { signatureType: 1, funderAddress: FUNDER }],
    // No funder for a deposit wallet: the factory's address of this owner (beacon), which the bot then deploys.
    [{ privateKey: KEY, signatureType: 3 }, { signatureType: 3, funderAddress: depositWalletAddress(EOA) }],
  ])("accepts %o", (input, want) => {
    expect(importWalletSchema.parse(input)).toMatchObject({ ...want, address: EOA, privateKey: KEY });
  });

  it.each([
    ["a funder for type 0 that is not the key's address", { privateKey: KEY, signatureType: 0, funderAddress: FUNDER }, "funderAddress"],
    ["no funder for a Safe", { privateKey: KEY, signatureType: 2 }, "funderAddress"],
    ["the key's own address as proxy", { privateKey: KEY, signatureType: 2, funderAddress: EOA }, "funderAddress"],
    ["signature type 4", { privateKey: KEY, signatureType: 4, funderAddress: FUNDER }, "signatureType"],
    ["a bad key", { privateKey: "0xdeadbeef", signatureType: 0 }, "privateKey"],
  ])("refuses %s", (_why, input, field) => {
    const r = importWalletSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(describeIssues(r.error!)).toContain(field);
    expect(describeIssues(r.error!)).not.toContain(KEY.slice(2, 20));
  });
});
