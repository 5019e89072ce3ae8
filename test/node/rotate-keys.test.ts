// npm run rotate-keys on its own database: v1 envelopes under an old key become v2 under the new key,
// batch by batch; an interrupted run loses nothing and the next one finishes; trading keys still sign.
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeRequire } from "../../tools/dev/node-require";
import { rotateKeys } from "../../tools/rotate-keys";
import type { Db } from "../../workers/db/client";
import { loadKeyring } from "../../workers/wallets/envelope";
import { withSigner } from "../../workers/wallets/wallet-store";
import { sealV1 } from "../support/legacy-envelope";
import { startTestDatabase, type TestDatabase } from "../setup/database";

const b64key = (seed: number) => Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 31 + seed) % 256)).toString("base64");
const OLD = b64key(3);
const NEW = b64key(101);

let database: TestDatabase;
let client: import("pg").Client;
const keys = new Map<number, string>();

beforeAll(async () => {
  database = await startTestDatabase();
  const pg = nodeRequire("pg") as typeof import("pg");
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const ring = await loadKeyring(OLD);
  for (let i = 0; i < 5; i++) {
    const u = await client.query<{ id: string }>("INSERT INTO users (telegram_id) VALUES ($1) RETURNING id", [9_100_000_000 + i]);
    const userId = Number(u.rows[0]!.id);
    const key = generatePrivateKey();
    keys.set(userId, key);
    const sealed = await sealV1(ring, { userId, field: "private_key" }, key);
    await client.query("INSERT INTO wallets (user_id, address, signature_type, origin, encrypted_private_key, key_version) VALUES ($1, $2, 0, 'generated', $3, 1)", [userId, privateKeyToAccount(key).address, sealed]);
  }
}, 60_000);
afterAll(async () => {
  await client?.end();
  await database?.stop();
}, 60_000);

describe("npm run rotate-keys", () => {
  it("re-seals in batches, resumes after an interruption, and leaves every key signing under the new key only", async () => {
    const env = { DATABASE_URL: database.url, WALLET_ENCRYPTION_KEY: NEW, WALLET_ENCRYPTION_KEY_PREVIOUS: OLD };
    const lines: string[] = [];
    // Interrupted after one batch of two.
    const first = await rotateKeys(env, (l) => lines.push(l), { batch: 2, maxBatches: 1 });
    expect([first.rotated, first.remaining]).toEqual([2, 3]);
    const second = await rotateKeys(env, (l) => lines.push(l), { batch: 2 });
    expect([second.rotated, second.remaining, second.failed]).toEqual([3, 0, []]);
    expect(lines.at(-1)).toMatch(/^rotate-keys: 3 wallets re-sealed under key [0-9a-f]{16}, 0 left$/);

    const ring = await loadKeyring(NEW);
    const rows = await client.query<{ encrypted_private_key: string }>("SELECT encrypted_private_key FROM wallets");
    for (const r of rows.rows) expect(r.encrypted_private_key.startsWith(`v2.${ring.current.id}.`)).toBe(true);
    const { drizzle } = nodeRequire("drizzle-orm/node-postgres") as typeof import("drizzle-orm/node-postgres");
    const db = drizzle({ client }) as unknown as Db;
    for (const [userId, key] of keys) expect(await withSigner({ db, keyring: ring }, userId, async (s) => s?.privateKey)).toBe(key);
    // Nothing is left to do: a third run changes nothing.
    expect(await rotateKeys(env, () => undefined)).toMatchObject({ rotated: 0, remaining: 0 });
  }, 60_000);

  it("refuses to start without the key or the database, naming what is missing", async () => {
    await expect(rotateKeys({ DATABASE_URL: database.url }, () => undefined)).rejects.toThrow(/WALLET_ENCRYPTION_KEY/);
  });
});
