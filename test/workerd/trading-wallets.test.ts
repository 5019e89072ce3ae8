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
    const a = await seal(ring, { userId: 1, telegramId: 11, field: "api_secret" }, "s3cret");
    const b = await seal(ring, { userId: 1, telegramId: 11, field: "api_secret" }, "s3cret");
    expect(a).not.toBe(b);
    expect(await open(ring, { userId: 1, telegramId: 11, field: "api_secret" }, a)).toBe("s3cret");
    await expect(open(ring, { userId: 2, telegramId: 11, field: "api_secret" }, a)).rejects.toMatchObject({ code: "decrypt_failed" });
    await expect(open(ring, { userId: 1, telegramId: 11, field: "api_passphrase" }, a)).rejects.toMatchObject({ code: "decrypt_failed" });
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

  it("a database writer who moves a victim's telegram_id to their own account cannot open the victim's key", async () => {
    const deps = { db: handle.db, keyring: await loadKeyring(env.WALLET_ENCRYPTION_KEY) };
    const victim = await seedUser(handle.db, { mode: "live" });
    const attacker = await seedUser(handle.db, { mode: "live" });
    expect((await generateWallet(deps, victim)).ok).toBe(true);
    const ids = await handle.db.execute<{ id: string; telegram_id: string }>(sql`SELECT id, telegram_id FROM users WHERE id IN (${victim}, ${attacker})`);
    const tgOf = (id: number) => Number(ids.rows.find((r) => Number(r.id) === id)!.telegram_id);
    // The attacker's Telegram account now loads the victim's row (and its wallet).
    await handle.db.execute(sql`UPDATE users SET telegram_id = -telegram_id WHERE id = ${attacker}`);
    await handle.db.execute(sql`UPDATE users SET telegram_id = ${tgOf(attacker)} WHERE id = ${victim}`);
    await expect(exportPrivateKey(deps, victim)).rejects.toMatchObject({ code: "decrypt_failed" });
    await expect(withSigner(deps, victim, async (s) => s?.privateKey)).rejects.toMatchObject({ code: "decrypt_failed" });
    // Put back, it opens again: the binding is to the Telegram account, nothing else broke.
    await handle.db.execute(sql`UPDATE users SET telegram_id = ${tgOf(victim)} WHERE id = ${victim}`);
    expect((await exportPrivateKey(deps, victim))?.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
