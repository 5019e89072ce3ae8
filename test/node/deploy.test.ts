// npm run deploy, exercised as far as it goes without Cloudflare: migrations and the bundle.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { nodeRequire } from "../../tools/dev/node-require";
import { loadKeyring } from "../../workers/wallets/envelope";
import { sealV1 } from "../support/legacy-envelope";
import { startTestDatabase, type TestDatabase } from "../setup/database";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Async on purpose: an embedded Postgres is served by THIS process's event loop. */
function runDeploy(env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/deploy.ts", "--dry-run"], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npm run deploy -- --dry-run", () => {
  // Its own database: migrations run as the owner, apart from the shared test database.
  let db: TestDatabase;
  // An embedded Postgres can take more than the default 10 s to start on a loaded 2-core machine.
  beforeAll(async () => {
    db = await startTestDatabase();
  }, 60_000);
  afterAll(() => db?.stop());

  it("prints its checklist, applies migrations to DATABASE_URL and builds the Worker bundle", async () => {
    const strong = "x".repeat(32);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, ADMIN_TOKEN: strong, TELEGRAM_WEBHOOK_SECRET: strong };
    delete env.TELEGRAM_BOT_TOKEN;
    delete env.WORKER_URL;
    delete env.WALLET_ENCRYPTION_KEY;
    const res = await runDeploy(env);
    expect(res.stderr).not.toMatch(/deploy: .*(failed|refused)/);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("deploy: checklist (dry run");
    expect(res.stdout).toMatch(/✓ database URL +Postgres at /);
    expect(res.stdout).toMatch(/✓ secrets strong +TELEGRAM_WEBHOOK_SECRET, ADMIN_TOKEN at least 32 characters/);
    expect(res.stdout).toMatch(/– worker URL +WORKER_URL is not set/);
    expect(res.stdout).toMatch(/✓ placement +Worker placed at aws:eu-west-1; streamer location hint weur/);
    expect(res.stdout).toMatch(/– bot username +TELEGRAM_BOT_TOKEN is not in this environment/);
    expect(res.stdout).toMatch(/✓ migrations +applied \((\d+) of \1 in drizzle.__drizzle_migrations\)/);
    expect(res.stdout).toContain("deploy: migrations applied");
    expect(res.stdout).toMatch(/– envelopes +WALLET_ENCRYPTION_KEY is not in this environment: run `npm run rotate-keys`/);
    expect(res.stdout).toContain("deploy: dry run complete");
    const bundle = fs.readFileSync(path.join(ROOT, "dist/index.js"), "utf8");
    expect(bundle).toMatch(/Streamer = class extends DurableObject/);
    expect(fs.statSync(path.join(ROOT, "dist/index.js")).size).toBeLessThan(10 * 1024 * 1024);
  }, 150_000);

  it("re-seals wallet secrets sealed before envelopes bound the Telegram id, when it holds the key", async () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 17 + 5) % 256)).toString("base64");
    const pg = nodeRequire("pg") as typeof import("pg");
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const u = await client.query<{ id: string }>("INSERT INTO users (telegram_id) VALUES ($1) RETURNING id", [9_300_000_001]);
      const userId = Number(u.rows[0]!.id);
      const pk = generatePrivateKey();
      const sealed = await sealV1(await loadKeyring(key), { userId, field: "private_key" }, pk);
      await client.query("INSERT INTO wallets (user_id, address, signature_type, origin, encrypted_private_key, key_version) VALUES ($1, $2, 0, 'generated', $3, 1)", [userId, privateKeyToAccount(pk).address, sealed]);
      const res = await runDeploy({ ...process.env, DATABASE_URL: db.url, WALLET_ENCRYPTION_KEY: key });
      expect(res.stdout).toMatch(/✓ envelopes +1 re-sealed \(bound to the users row and its Telegram id\), 0 left/);
      const after = await client.query<{ e: string }>("SELECT encrypted_private_key AS e FROM wallets WHERE user_id = $1", [userId]);
      expect(after.rows[0]!.e).not.toBe(sealed);
      // A second deploy has nothing left to do.
      expect((await runDeploy({ ...process.env, DATABASE_URL: db.url, WALLET_ENCRYPTION_KEY: key })).stdout).toMatch(/✓ envelopes +0 re-sealed/);
    } finally {
      await client.end();
    }
  }, 150_000);

  it("refuses with one line naming DATABASE_URL when it is missing", async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const res = await runDeploy(env);
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/✗ database URL +DATABASE_URL is missing/);
    expect(res.stderr.trim()).toMatch(/^deploy: refused before migrating: database URL: DATABASE_URL is missing/);
  });

  it("refuses a weak secret before touching the database, naming it and never printing it", async () => {
    const res = await runDeploy({ ...process.env, DATABASE_URL: db.url, ADMIN_TOKEN: "short-admin-token-value" });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/✗ secrets strong +ADMIN_TOKEN has 23 characters/);
    expect(res.stderr).toMatch(/^deploy: refused before migrating: secrets strong/);
    expect(res.stdout + res.stderr).not.toContain("short-admin-token-value");
    expect(res.stdout).not.toContain("deploy: migrations applied");
  });
});
