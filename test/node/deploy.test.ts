// npm run deploy, exercised as far as it goes without Cloudflare: migrations and the bundle.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("applies migrations to DATABASE_URL and builds the Worker bundle", async () => {
    const res = await runDeploy({ ...process.env, DATABASE_URL: db.url });
    expect(res.stderr).not.toMatch(/deploy: .*failed/);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("deploy: migrations applied");
    expect(res.stdout).toContain("deploy: dry run complete");
    const bundle = fs.readFileSync(path.join(ROOT, "dist/index.js"), "utf8");
    expect(bundle).toMatch(/Streamer = class extends DurableObject/);
    expect(fs.statSync(path.join(ROOT, "dist/index.js")).size).toBeLessThan(10 * 1024 * 1024);
  }, 150_000);

  it("stops with one line naming DATABASE_URL when it is missing", async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const res = await runDeploy(env);
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toMatch(/^deploy: DATABASE_URL is missing/);
  });
});
