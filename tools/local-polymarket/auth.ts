// CLOB auth of the local Polymarket: L1 (ClobAuth EIP-712) for API keys, L2 (HMAC) for trading, deposit-wallet owners.
import { createHmac, timingSafeEqual } from "node:crypto";
import { getAddress, isAddress, recoverTypedDataAddress, type Hex } from "viem";
import { fail, header, type Answer, type Req } from "./http-util";
import type { DepositWallets } from "./wallets";

export { DepositWallets } from "./wallets";

export const CLOB_AUTH_MESSAGE = "This message attests that I control the given wallet";
export const POLYGON_CHAIN_ID = 137;
export const UNAUTHORIZED = "Unauthorized/Invalid api key";
const INVALID_L1 = "Invalid L1 Request headers";

const CLOB_AUTH_TYPES = {
  ClobAuth: [
    { name: "address", type: "address" },
    { name: "timestamp", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "message", type: "string" },
  ],
} as const;

export interface ApiKeyRecord {
  apiKey: string;
  secret: string;
  passphrase: string;
  /** Checksummed address the key belongs to (the EOA, or a deposit wallet). */
  address: string;
  nonce: string;
}

/** base64url → bytes, accepting missing padding, as clob-client-v2 decodeBase64Secret does. */
function decodeSecret(secret: string): Buffer {
  return Buffer.from(secret.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** base64url(HMAC-SHA256(secret, ts + METHOD + path + body)) keeping "=" padding (polymarket.md §4.3). */
export function l2Signature(secret: string, timestamp: string, method: string, path: string, body: string): string {
  return createHmac("sha256", decodeSecret(secret)).update(`${timestamp}${method}${path}${body}`).digest("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ApiKeysOptions {
  serverSecret: string;
  now: () => number;
  /** Accepted clock skew of POLY_TIMESTAMP, in seconds. */
  windowSeconds: number;
  wallets: DepositWallets;
}

export class ApiKeys {
  private readonly byKey = new Map<string, ApiKeyRecord>();
  private readonly byOwner = new Map<string, ApiKeyRecord>();

  constructor(private readonly opts: ApiKeysOptions) {}

  private fresh(ts: string | undefined): boolean {
    if (!ts || !/^\d{1,12}$/.test(ts)) return false;
    return Math.abs(Math.floor(this.opts.now() / 1000) - Number(ts)) <= this.opts.windowSeconds;
  }

  /** Checks the L1 headers; the signer must be POLY_ADDRESS itself or the owner of that deposit wallet. */
  async verifyL1(req: Req): Promise<{ address: string; nonce: string } | Answer> {
    const address = header(req, "POLY_ADDRESS");
    const signature = header(req, "POLY_SIGNATURE");
    const timestamp = header(req, "POLY_TIMESTAMP");
    const nonce = header(req, "POLY_NONCE") ?? "0";
    if (!address || !isAddress(address) || !signature || !/^0x[0-9a-fA-F]+$/.test(signature) || !/^\d{1,78}$/.test(nonce) || !this.fresh(timestamp)) {
      return fail(401, INVALID_L1);
    }
    let signer: string;
    try {
      signer = await recoverTypedDataAddress({
        domain: { name: "ClobAuthDomain", version: "1", chainId: POLYGON_CHAIN_ID },
        types: CLOB_AUTH_TYPES,
        primaryType: "ClobAuth",
        message: { address: getAddress(address), timestamp: timestamp!, nonce: BigInt(nonce), message: CLOB_AUTH_MESSAGE },
        signature: signature as Hex,
      });
    } catch {
      return fail(401, INVALID_L1);
    }
    const owner = this.opts.wallets.ownerOf(address);
    if (signer.toLowerCase() !== address.toLowerCase() && owner?.toLowerCase() !== signer.toLowerCase()) return fail(401, INVALID_L1);
    return { address: getAddress(address), nonce };
  }

  private mint(address: string, nonce: string): ApiKeyRecord {
    const mac = (label: string) => createHmac("sha256", this.opts.serverSecret).update(`${label}:${address.toLowerCase()}:${nonce}`).digest();
    const k = mac("key").toString("hex");
    // A v4-looking uuid, like the real keys.
    const apiKey = `${k.slice(0, 8)}-${k.slice(8, 12)}-4${k.slice(13, 16)}-a${k.slice(17, 20)}-${k.slice(20, 32)}`;
    return { apiKey, secret: mac("secret").toString("base64url") + "=", passphrase: mac("passphrase").toString("hex"), address, nonce };
  }

  /** POST /auth/api-key: a new key for (address, nonce); undefined when one exists already. */
  create(address: string, nonce: string): ApiKeyRecord | undefined {
    const owner = `${address.toLowerCase()}:${nonce}`;
    if (this.byOwner.has(owner)) return undefined;
    // The owner EOA's key also trades for its deposit wallet (§2.1): the CLOB links the two server side.
    if (!this.opts.wallets.ownerOf(address)) this.opts.wallets.link(address);
    const rec = this.mint(address, nonce);
    this.byOwner.set(owner, rec);
    this.byKey.set(rec.apiKey, rec);
    return rec;
  }

  /** GET /auth/derive-api-key: the existing key for (address, nonce). */
  derive(address: string, nonce: string): ApiKeyRecord | undefined {
    return this.byOwner.get(`${address.toLowerCase()}:${nonce}`);
  }

  /** Checks the five L2 headers against the key and the HMAC over the request; 401 otherwise. */
  verifyL2(req: Req): ApiKeyRecord | Answer {
    const rec = this.byKey.get(header(req, "POLY_API_KEY") ?? "");
    const address = header(req, "POLY_ADDRESS") ?? "";
    const timestamp = header(req, "POLY_TIMESTAMP");
    const signature = header(req, "POLY_SIGNATURE") ?? "";
    if (!rec || header(req, "POLY_PASSPHRASE") !== rec.passphrase || address.toLowerCase() !== rec.address.toLowerCase() || !this.fresh(timestamp)) {
      return fail(401, UNAUTHORIZED);
    }
    const expected = l2Signature(rec.secret, timestamp!, req.method, req.path, req.body);
    return safeEqual(expected, signature) ? rec : fail(401, UNAUTHORIZED);
  }

  list(): ApiKeyRecord[] {
    return [...this.byKey.values()];
  }

  clear(): void {
    this.byKey.clear();
    this.byOwner.clear();
  }
}
