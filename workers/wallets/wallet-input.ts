// What a user may give us for a wallet, validated with zod; messages never repeat the input (it may be a key).
import { getAddress, type Hex, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { depositWalletAddress } from "../polymarket/deposit-wallet";

/** 0 EOA, 1 POLY_PROXY (email/Magic), 2 POLY_GNOSIS_SAFE (browser wallet), 3 POLY_1271 (deposit wallet). */
export type SignatureType = 0 | 1 | 2 | 3;

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * A private key: 0x + 64 hex characters (the 0x may be left out, as wallet apps export it),
 * and a valid secp256k1 scalar. Becomes lower-case 0x-prefixed.
 */
export const privateKeySchema = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => HEX_KEY.test(s), { message: "must be 0x followed by 64 hex characters" })
  .transform((s) => `0x${s.replace(/^0x/, "").toLowerCase()}` as Hex)
  .refine(
    (k) => {
      try {
        privateKeyToAccount(k);
        return true;
      } catch {
        return false;
      }
    },
    { message: "is not a valid secp256k1 private key" },
  );

/** An address, all lower-case or correctly checksummed (a mis-typed mixed-case one is refused). Becomes checksummed. */
export const addressSchema = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => /^0x[0-9a-fA-F]{40}$/.test(s), { message: "must be 0x followed by 40 hex characters" })
  .refine((s) => s === s.toLowerCase() || isAddress(s, { strict: true }), { message: "has a wrong checksum (mixed case does not match)" })
  .transform((s) => getAddress(s));

export const signatureTypeSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

/**
 * Types 1-3 trade from a second address (proxy, Safe, deposit wallet) that the key controls:
 * the funder is required (for type 3 it is derived when left out) and must differ from the key's own address. Type 0 has none.
 */
export const importWalletSchema = z
  .object({
    privateKey: privateKeySchema,
    signatureType: signatureTypeSchema.default(0),
    funderAddress: addressSchema.optional(),
  })
  .transform((v, ctx) => {
    const address = privateKeyToAccount(v.privateKey).address;
    if (v.signatureType === 0) {
      if (v.funderAddress && v.funderAddress !== address) {
        ctx.addIssue({ code: "custom", path: ["funderAddress"], message: "an EOA wallet (type 0) trades from its own address: leave the funder out" });
        return z.NEVER;
      }
      return { privateKey: v.privateKey, address, signatureType: 0 as SignatureType, funderAddress: null };
    }
    // A deposit wallet's address follows from its owner (the factory's CREATE2): the bot derives it and deploys it.
    if (v.signatureType === 3 && !v.funderAddress) return { privateKey: v.privateKey, address, signatureType: 3 as SignatureType, funderAddress: depositWalletAddress(address) };
    if (!v.funderAddress) {
      ctx.addIssue({ code: "custom", path: ["funderAddress"], message: "is required for signature types 1 and 2 (the proxy or Safe address)" });
      return z.NEVER;
    }
    if (v.funderAddress === address) {
      ctx.addIssue({ code: "custom", path: ["funderAddress"], message: "must be the proxy/Safe/deposit wallet, not the key's own address" });
      return z.NEVER;
    }
    return { privateKey: v.privateKey, address, signatureType: v.signatureType as SignatureType, funderAddress: v.funderAddress };
  });

/** A readable problem list ("privateKey must be …"), built from paths and our messages only. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "input"} ${i.message}`).join("; ");
}
