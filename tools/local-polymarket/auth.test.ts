// CLOB auth on the local Polymarket: L1 derive/create with ClobAuth signatures, L2 HMAC checks.
import { ClobClient, createL1Headers, createL2Headers } from "@polymarket/clob-client-v2";
import { createWalletClient, http, type WalletClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { l2Signature } from "./auth";
import { startLocalPolymarket, type LocalPolymarket } from "./server";

let lp: LocalPolymarket;
const wallet = (): WalletClient => createWalletClient({ account: privateKeyToAccount(generatePrivateKey()), transport: http("http://127.0.0.1:9") });
const call = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${lp.clobUrl}${path}`, init);
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "auth-test", noNewAssetsMs: 0 });
});
afterAll(() => lp.stop());

describe("L1", () => {
  it("derive answers 404 until a key is created, then returns the same key; a second create is refused", async () => {
    const w = wallet();
    const l1 = async (nonce = 0) => (await createL1Headers(w as never, 137, nonce)) as unknown as Record<string, string>;
    expect(await call("/auth/derive-api-key", { headers: await l1() })).toEqual({ status: 404, body: { error: "Could not derive api key!" } });
    const created = await call("/auth/api-key", { method: "POST", headers: await l1() });
    expect(created.status).toBe(200);
    expect(created.body.apiKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.body.secret).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(created.body.passphrase).toMatch(/^[0-9a-f]{64}$/);
    expect((await call("/auth/derive-api-key", { headers: await l1() })).body).toEqual(created.body);
    expect((await call("/auth/api-key", { method: "POST", headers: await l1() })).status).toBe(400);
    expect((await call("/auth/derive-api-key", { headers: await l1(1) })).status).toBe(404);
    const official = await new ClobClient({ host: lp.clobUrl, chain: 137, signer: w }).createOrDeriveApiKey();
    expect(official).toEqual({ key: created.body.apiKey, secret: created.body.secret, passphrase: created.body.passphrase });
  });

  it.each([
    ["a signature by another key", async (h: Record<string, string>) => ({ ...h, POLY_SIGNATURE: (await createL1Headers(wallet() as never, 137, 0, Number(h.POLY_TIMESTAMP))).POLY_SIGNATURE })],
    ["a stale timestamp", async (h: Record<string, string>) => ({ ...h, POLY_TIMESTAMP: String(Number(h.POLY_TIMESTAMP) - 3600) })],
    ["another nonce than signed", async (h: Record<string, string>) => ({ ...h, POLY_NONCE: "7" })],
    ["a malformed address", async (h: Record<string, string>) => ({ ...h, POLY_ADDRESS: "0x1234" })],
  ])("refuses L1 headers with %s", async (_name, tamper) => {
    const h = (await createL1Headers(wallet() as never, 137, 0)) as unknown as Record<string, string>;
    expect(await call("/auth/api-key", { method: "POST", headers: await tamper(h) })).toEqual({ status: 401, body: { error: "Invalid L1 Request headers" } });
  });
});

describe("L2", () => {
  it("matches the official HMAC test vector (base64url with '=' padding)", () => {
    expect(l2Signature("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "1000000", "test-sign", "/orders", '{"hash": "0x123"}')).toBe("ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=");
  });

  it("accepts the official headers and refuses every broken one with 401 Unauthorized/Invalid api key", async () => {
    const w = wallet();
    const creds = await new ClobClient({ host: lp.clobUrl, chain: 137, signer: w }).createOrDeriveApiKey();
    const sign = async (method: string, path: string, body?: string, ts?: number) =>
      (await createL2Headers(w as never, creds, { method, requestPath: path, ...(body !== undefined ? { body } : {}) }, ts)) as unknown as Record<string, string>;
    const ok = await sign("GET", "/data/orders");
    expect((await call("/data/orders?next_cursor=MA==", { headers: ok })).body).toEqual({ limit: 100, count: 0, next_cursor: "LTE=", data: [] });
    const body = JSON.stringify({ orderID: "0x01" });
    const del = await sign("DELETE", "/order", body);
    expect((await call("/order", { method: "DELETE", headers: del, body })).status).toBe(200);
    const broken: Array<[string, Record<string, string>, string?]> = [
      ["wrong passphrase", { ...ok, POLY_PASSPHRASE: "0".repeat(64) }],
      ["another address", { ...ok, POLY_ADDRESS: privateKeyToAccount(generatePrivateKey()).address }],
      ["unknown key", { ...ok, POLY_API_KEY: "00000000-0000-4000-8000-000000000000" }],
      ["stale timestamp", await sign("GET", "/data/orders", undefined, Math.floor(Date.now() / 1000) - 3600)],
      ["padding stripped", { ...ok, POLY_SIGNATURE: ok.POLY_SIGNATURE!.replace(/=+$/, "") }],
      ["signed for another path", await sign("GET", "/data/trades")],
    ];
    for (const [name, headers] of broken) {
      expect({ name, ...(await call("/data/orders", { headers })) }).toEqual({ name, status: 401, body: { error: "Unauthorized/Invalid api key" } });
    }
    expect((await call("/order", { method: "DELETE", headers: del, body: JSON.stringify({ orderID: "0x02" }) })).status).toBe(401);
  });
});
