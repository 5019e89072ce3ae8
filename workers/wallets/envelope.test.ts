import { generatePrivateKey } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { sealV1 } from "../../test/support/legacy-envelope";
import { envelopeKeyId, importWalletKey, loadKeyring, needsRotation, open, seal, WalletCryptoError } from "./envelope";

const KEY_A = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i + 1)));
const KEY_B = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 200 - i)));
/** A fresh key every run: nothing key-shaped is committed. */
const SECRET = generatePrivateKey();
const owner = { userId: 42, telegramId: 7_000_000_042, field: "private_key" as const };

async function failsWith(p: Promise<unknown>, code: string) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WalletCryptoError);
  expect((err as WalletCryptoError).code).toBe(code);
  expect(String(err)).not.toContain(SECRET.slice(2, 20));
}

describe("AES-256-GCM envelopes", () => {
  it("round-trips, and the envelope holds neither the plaintext nor the key", async () => {
    const ring = await loadKeyring(KEY_A);
    const env = await seal(ring, owner, SECRET);
    expect(env).toMatch(/^v2\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(env).not.toContain(SECRET.slice(2));
    expect(env.toLowerCase()).not.toContain(SECRET.slice(2, 18));
    expect(env).not.toContain(KEY_A.replace(/=+$/, ""));
    expect(await open(ring, owner, env)).toBe(SECRET);
  });

  it("uses a fresh 12-byte nonce every time", async () => {
    const ring = await loadKeyring(KEY_A);
    const envs = await Promise.all(Array.from({ length: 50 }, () => seal(ring, owner, SECRET)));
    const nonces = new Set(envs.map((e) => e.split(".")[2]));
    expect(nonces.size).toBe(50);
    expect(new Set(envs).size).toBe(50);
  });

  it("fails with the wrong key, another user, another field, or any tampering", async () => {
    const ringA = await loadKeyring(KEY_A);
    const env = await seal(ringA, owner, SECRET);
    await failsWith(open(await loadKeyring(KEY_B), owner, env), "unknown_key");
    // Same key id but different bytes cannot happen; a forged id pointing at B still fails to decrypt.
    const ringB = await loadKeyring(KEY_B);
    const forged = env.replace(ringA.current.id, ringB.current.id);
    await failsWith(open(ringB, owner, forged), "decrypt_failed");
    await failsWith(open(ringA, { ...owner, userId: 43 }, env), "decrypt_failed");
    // The row kept its id but its telegram_id was moved to another account: it no longer opens.
    await failsWith(open(ringA, { ...owner, telegramId: 7_000_000_043 }, env), "decrypt_failed");
    await failsWith(open(ringA, { ...owner, field: "api_secret" }, env), "decrypt_failed");
    const parts = env.split(".");
    const ct = parts[3]!;
    const flipped = `${ct.slice(0, 5)}${ct[5] === "A" ? "B" : "A"}${ct.slice(6)}`;
    await failsWith(open(ringA, owner, [parts[0], parts[1], parts[2], flipped].join(".")), "decrypt_failed");
    for (const bad of ["", "v1", "v2.x.y.z", `v1.${ringA.current.id}.short.${ct}`, `v1.${ringA.current.id}.${parts[2]}.not*base64`, SECRET]) {
      await expect(open(ringA, owner, bad)).rejects.toBeInstanceOf(WalletCryptoError);
    }
  });

  it("opens envelopes of an older key during rotation and says which need re-sealing", async () => {
    const old = await loadKeyring(KEY_A);
    const env = await seal(old, owner, SECRET);
    const rotated = await loadKeyring(KEY_B, ` ${KEY_A} ,`);
    expect(rotated.previous.map((k) => k.id)).toEqual([old.current.id]);
    expect(needsRotation(rotated, env)).toBe(true);
    expect(await open(rotated, owner, env)).toBe(SECRET);
    const fresh = await seal(rotated, owner, SECRET);
    expect(envelopeKeyId(fresh)).toBe(rotated.current.id);
    expect(needsRotation(rotated, fresh)).toBe(false);
  });

  it("opens a v1 envelope (bound to the row id only) and marks it for re-sealing as v2", async () => {
    const ring = await loadKeyring(KEY_A);
    const v1 = await sealV1(ring, owner, SECRET);
    expect(await open(ring, owner, v1)).toBe(SECRET);
    expect(needsRotation(ring, v1)).toBe(true);
    expect(needsRotation(ring, await seal(ring, owner, SECRET))).toBe(false);
  });

  it("refuses to seal for an owner without a Telegram id", async () => {
    await failsWith(seal(await loadKeyring(KEY_A), { ...owner, telegramId: 0 }, SECRET), "bad_owner");
  });

  it("refuses keys that are not base64 of 32 bytes", async () => {
    for (const bad of ["", "not base64!", btoa("short"), btoa("x".repeat(33))]) {
      await expect(importWalletKey(bad)).rejects.toMatchObject({ code: "bad_key" });
    }
    // The id is a stable fingerprint of the key.
    expect((await importWalletKey(KEY_A)).id).toBe((await importWalletKey(KEY_A)).id);
    expect((await importWalletKey(KEY_A)).id).not.toBe((await importWalletKey(KEY_B)).id);
  });
});
