// Wallet secrets inside workerd: WebCrypto AES-GCM under the Worker's WALLET_ENCRYPTION_KEY, bound to the user.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../workers/db/client";
import { loadKeyring, open, seal } from "../../workers/wallets/envelope";
import { exportPrivateKey, generateWallet, withSigner } from "../../workers/wallets/wallet-store";
import { seedUser } from "../support/db-seed";

const handle = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY });
afterAll(() => handle.close());

describe("wallet secrets in workerd", () => {
  it("seals with fresh nonces and opens only for the same user and field", async () => {
    const ring = await loadKeyring(env.WALLET_ENCRYPTION_KEY);
    const a = await seal(ring, { userId: 1, field: "api_secret" }, "s3cret");
    const b = await seal(ring, { userId: 1, field: "api_secret" }, "s3cret");
    expect(a).not.toBe(b);
    expect(await open(ring, { userId: 1, field: "api_secret" }, a)).toBe("s3cret");
    await expect(open(ring, { userId: 2, field: "api_secret" }, a)).rejects.toMatchObject({ code: "decrypt_failed" });
    await expect(open(ring, { userId: 1, field: "api_passphrase" }, a)).rejects.toMatchObject({ code: "decrypt_failed" });
  });

  it("generates a wallet whose stored row holds no plain key, and exports it on request", async () => {
    const deps = { db: handle.db, keyring: await loadKeyring(env.WALLET_ENCRYPTION_KEY) };
    const userId = await seedUser(handle.db, { mode: "live" });
    const g = await generateWallet(deps, userId);
    expect(g.ok).toBe(true);
    const key = await withSigner(deps, userId, async (s) => s!.privateKey);
    const row = await handle.db.execute(sql`SELECT * FROM wallets WHERE user_id = ${userId}`);
    expect(JSON.stringify(row.rows[0])).not.toContain(key.slice(2));
    expect((await exportPrivateKey(deps, userId))?.privateKey).toBe(key);
  });
});
