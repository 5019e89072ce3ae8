import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { seedMarket, seedPosition, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { setLogSink } from "../lib/log";
import { clearApiCreds, ensureApiCreds, loadApiCreds } from "./api-creds";
import { loadKeyring } from "./envelope";
import { rotateWalletKeys } from "./rotation";
import { exportPrivateKey, generateWallet, getWallet, importWallet, withSigner } from "./wallet-store";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const KEY_A = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i + 7)));
const KEY_B = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 250 - i)));
const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae1a40cf83f4a2f9c";
const FUNDER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const CREDS = { key: "11111111-2222-3333-4444-555555555555", secret: "c2VjcmV0LXNlY3JldC1zZWNyZXQ=", passphrase: "pass-phrase-value" };

const lines: string[] = [];
const prevSink = setLogSink((line) => lines.push(line));
afterEach(() => {
  for (const l of lines) {
    expect(l).not.toContain(KEY.slice(2));
    expect(l).not.toContain(CREDS.secret);
    expect(l).not.toContain(CREDS.passphrase);
  }
  lines.length = 0;
});
afterAll(() => setLogSink(prevSink));

async function deps(current = KEY_A, previous?: string) {
  return { db, keyring: await loadKeyring(current, previous) };
}

const rawRow = async (userId: number) => (await db.execute(sql`SELECT * FROM wallets WHERE user_id = ${userId}`)).rows[0]!;

describe("wallets at rest", () => {
  it("imports a key: validated, stored encrypted (no plain text anywhere in the row), decrypted only to sign", async () => {
    const d = await deps();
    const userId = await seedUser(db);
    const r = await importWallet(d, userId, { privateKey: KEY.slice(2), signatureType: 3, funderAddress: FUNDER });
    expect(r).toMatchObject({ ok: true, wallet: { signatureType: 3, funderAddress: FUNDER, tradingAddress: FUNDER, origin: "imported" } });
    expect(r.ok && r.note).toContain("deposit-wallet");
    const row = await rawRow(userId);
    expect(JSON.stringify(row).toLowerCase()).not.toContain(KEY.slice(2));
    expect(String(row.encrypted_private_key)).toMatch(/^v2\./);
    const seen = await withSigner(d, userId, async (s) => s && { pk: s.privateKey, address: s.address });
    expect(seen).toEqual({ pk: KEY, address: privateKeyToAccount(KEY).address });
    // Bound to this user: moving the ciphertext to another user's row makes it unreadable.
    const other = await seedUser(db);
    await generateWallet(d, other);
    await db.execute(sql`UPDATE wallets SET encrypted_private_key = ${String(row.encrypted_private_key)} WHERE user_id = ${other}`);
    await expect(withSigner(d, other, async () => 1)).rejects.toMatchObject({ code: "decrypt_failed" });
  });

  it("refuses invalid input with a readable message that never repeats the key", async () => {
    const d = await deps();
    const userId = await seedUser(db);
    const r = await importWallet(d, userId, { privateKey: `${KEY}ab`, signatureType: 0 });
    expect(r).toMatchObject({ ok: false, reason: "invalid_input" });
    expect(!r.ok && r.message).not.toContain(KEY.slice(2, 30));
    expect(await getWallet(d, userId)).toBeNull();
  });

  it("generates an EOA, refuses a silent replacement, and exports only on request", async () => {
    const d = await deps();
    const userId = await seedUser(db);
    const g = await generateWallet(d, userId);
    if (!g.ok) throw new Error("generate failed");
    expect(g.wallet).toMatchObject({ signatureType: 0, funderAddress: null, origin: "generated" });
    expect(g.note).toContain("pUSD on Polygon");
    expect(await generateWallet(d, userId)).toMatchObject({ ok: false, reason: "wallet_exists" });
    const exported = await exportPrivateKey(d, userId);
    expect(privateKeyToAccount(exported!.privateKey).address).toBe(g.wallet.address);
    expect((await rawRow(userId)).exported_at).not.toBeNull();
    const replaced = await importWallet(d, userId, { privateKey: KEY }, { replace: true });
    expect(replaced).toMatchObject({ ok: true, wallet: { address: privateKeyToAccount(KEY).address } });
    expect(await exportPrivateKey(d, await seedUser(db))).toBeNull();
  });

  it("will not replace a wallet under open live positions", async () => {
    const d = await deps();
    const market = await seedMarket(db);
    const userId = await seedUser(db, { mode: "live" });
    await generateWallet(d, userId);
    await seedPosition(db, { userId, market, shares: "10", costBasis: "5", mode: "live" });
    expect(await importWallet(d, userId, { privateKey: KEY }, { replace: true })).toMatchObject({ ok: false, reason: "live_activity" });
  });

  it("derives API credentials once (derive first), stores them encrypted, forgets them on demand", async () => {
    const d = await deps();
    const userId = await seedUser(db);
    await importWallet(d, userId, { privateKey: KEY });
    let calls = 0;
    const source = { getOrCreateApiKey: async () => (calls++, CREDS) };
    const creds = await withSigner(d, userId, (s) => ensureApiCreds(d, s!, source));
    expect(creds).toEqual(CREDS);
    expect(await withSigner(d, userId, (s) => ensureApiCreds(d, s!, source))).toEqual(CREDS);
    expect(calls).toBe(1);
    const row = await rawRow(userId);
    expect(row.api_key).toBe(CREDS.key);
    expect(JSON.stringify(row)).not.toContain(CREDS.secret);
    expect(JSON.stringify(row)).not.toContain(CREDS.passphrase);
    expect(await loadApiCreds(d, userId)).toEqual({ address: privateKeyToAccount(KEY).address, creds: CREDS });
    await clearApiCreds(d, userId);
    expect(await loadApiCreds(d, userId)).toBeNull();
  });

  it("rotates every envelope to the new key; the old key is then no longer needed", async () => {
    const oldDeps = await deps(KEY_A);
    const userId = await seedUser(db);
    await importWallet(oldDeps, userId, { privateKey: KEY });
    await withSigner(oldDeps, userId, (s) => ensureApiCreds(oldDeps, s!, { getOrCreateApiKey: async () => CREDS }));
    const rotating = await deps(KEY_B, KEY_A);
    const report = await rotateWalletKeys(rotating, { batch: 100_000 });
    expect(report.rotated).toBeGreaterThanOrEqual(1);
    // Envelopes no key opens (e.g. the one moved to another user above) are reported by user id and left alone.
    expect(report.failed).not.toContain(userId);
    const row = await rawRow(userId);
    for (const col of ["encrypted_private_key", "encrypted_api_secret", "encrypted_api_passphrase"]) {
      expect(String(row[col]).split(".")[1]).toBe(rotating.keyring.current.id);
    }
    const newOnly = await deps(KEY_B);
    expect(await withSigner(newOnly, userId, async (s) => s?.privateKey)).toBe(KEY);
    expect((await loadApiCreds(newOnly, userId))?.creds).toEqual(CREDS);
    await expect(withSigner(oldDeps, userId, async () => 1)).rejects.toMatchObject({ code: "unknown_key" });
  });
});
