// L2 HMAC auth: the official test vector, oracle comparison with the official client, bad secrets.
import { createL2Headers } from "@polymarket/clob-client-v2";
import { describe, expect, it } from "vitest";
import { assertUnixSeconds, l2Headers, l2Signature } from "./auth-l2";
import { prng } from "../../test/support/prng";

const ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";


function randomBytes(rand: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The official client only needs getAddress from the signer to build L2 headers. */
const officialSigner = { getAddress: async () => ADDRESS, _signTypedData: async () => "0x" };

describe("l2Signature", () => {
  it("matches the official test vector (CCv2 tests/signing/hmac.test.ts)", async () => {
    const sig = await l2Signature("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1000000, "test-sign", "/orders", '{"hash": "0x123"}');
    expect(sig).toBe("ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=");
  });

  it.each([
    ["standard base64 with padding", (b: string) => b],
    ["url-safe base64", (b: string) => b.replace(/\+/g, "-").replace(/\//g, "_")],
    ["url-safe base64 without padding", (b: string) => b.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")],
  ])("decodes a secret given as %s", async (_name, encode) => {
    // 0xfb 0xff bytes produce "+" and "/" in standard base64.
    const bytes = Uint8Array.from([0xfb, 0xff, 0xfe, 0x3e, 0x3f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    const reference = await l2Signature(base64(bytes), 1, "GET", "/data/orders");
    expect(await l2Signature(encode(base64(bytes)), 1, "GET", "/data/orders")).toBe(reference);
  });

  it("keeps '=' padding and uses only url-safe characters", async () => {
    const sig = await l2Signature(base64(new Uint8Array(32).fill(7)), 1700000000, "POST", "/order", "{}");
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it("treats an undefined body and an empty body alike, but a body changes the signature", async () => {
    const secret = base64(new Uint8Array(32).fill(1));
    const none = await l2Signature(secret, 5, "DELETE", "/order");
    expect(await l2Signature(secret, 5, "DELETE", "/order", "")).toBe(none);
    expect(await l2Signature(secret, 5, "DELETE", "/order", '{"orderID":"0x1"}')).not.toBe(none);
  });

  it.each([
    ["empty", ""],
    ["not base64", "this is not base64!!"],
  ])("rejects an %s secret without echoing it", async (_name, secret) => {
    const error = await l2Signature(secret, 1, "GET", "/x").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(RangeError);
    if (secret) expect(error!.message).not.toContain(secret);
  });
});

describe("l2Headers", () => {
  it("builds the five headers", async () => {
    const creds = { key: "k-123", secret: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", passphrase: "pp" };
    const headers = await l2Headers({ address: ADDRESS, creds, timestamp: 1000000, method: "test-sign", requestPath: "/orders", body: '{"hash": "0x123"}' });
    expect(headers).toEqual({
      POLY_ADDRESS: ADDRESS,
      POLY_SIGNATURE: "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=",
      POLY_TIMESTAMP: "1000000",
      POLY_API_KEY: "k-123",
      POLY_PASSPHRASE: "pp",
    });
  });

  it.each([
    ["a query string in the path", { requestPath: "/data/orders?market=0x1" }],
    ["a millisecond timestamp", { timestamp: 1_780_449_126_930 }],
    ["a fractional timestamp", { timestamp: 1.5 }],
    ["a negative timestamp", { timestamp: -1 }],
  ])("rejects %s", async (_name, override) => {
    const input = { address: ADDRESS, creds: { key: "k", secret: "AAAA", passphrase: "p" }, timestamp: 1, method: "GET", requestPath: "/x", ...override };
    await expect(l2Headers(input)).rejects.toThrow(RangeError);
  });

  it("equals the official createL2Headers on 500 random requests", async () => {
    const rand = prng(0x12c2);
    const methods = ["GET", "POST", "DELETE", "PUT"];
    const paths = ["/order", "/orders", "/data/orders", "/cancel-all", "/balance-allowance", "/auth/api-keys", "/v1/heartbeats"];
    for (let i = 0; i < 500; i++) {
      const raw = base64(randomBytes(rand, 1 + Math.floor(rand() * 64)));
      const secret = rand() < 0.5 ? raw : raw.replace(/\+/g, "-").replace(/\//g, "_");
      const creds = { key: crypto.randomUUID(), secret, passphrase: base64(randomBytes(rand, 24)) };
      const body =
        rand() < 0.3 ? undefined : JSON.stringify({ n: i, s: "é✓ \u2028 \"q\"", x: Array.from(randomBytes(rand, 8)) });
      const args = { method: methods[i % methods.length]!, requestPath: paths[i % paths.length]!, body };
      const timestamp = Math.floor(rand() * 4e9);
      const ours = await l2Headers({ address: ADDRESS, creds, timestamp, ...args });
      const official = await createL2Headers(officialSigner as never, creds, args, timestamp);
      expect(ours, `case ${i}`).toEqual(official);
    }
  });
});

describe("assertUnixSeconds", () => {
  it.each([0, 1, 1_780_449_126, 99_999_999_999])("accepts %d", (ts) => {
    expect(() => assertUnixSeconds(ts, "t")).not.toThrow();
  });
  it.each([-1, 0.5, 1e11, 1_780_449_126_930, Number.NaN, Infinity])("rejects %d", (ts) => {
    expect(() => assertUnixSeconds(ts, "t")).toThrow(RangeError);
  });
});
