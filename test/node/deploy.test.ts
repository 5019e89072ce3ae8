// npm run deploy, exercised as far as it goes without Cloudflare: migrations and the bundle.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("npm run deploy -- --dry-run", () => {
  it("applies migrations to DATABASE_URL and builds the Worker bundle", () => {
    const res = spawnSync(process.execPath, ["--import", "tsx", "tools/deploy.ts", "--dry-run"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(res.stderr).not.toMatch(/deploy: .*failed/);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("deploy: migrations applied");
    expect(res.stdout).toContain("deploy: dry run complete");
    const bundle = fs.readFileSync(path.join(ROOT, "dist/index.js"), "utf8");
    expect(bundle).toMatch(/Streamer = class extends DurableObject/);
    expect(fs.statSync(path.join(ROOT, "dist/index.js")).size).toBeLessThan(10 * 1024 * 1024);
  }, 150_000);

  it("stops with one line naming DATABASE_URL when it is missing", () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const res = spawnSync(process.execPath, ["--import", "tsx", "tools/deploy.ts", "--dry-run"], { cwd: ROOT, env, encoding: "utf8" });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toMatch(/^deploy: DATABASE_URL is missing/);
  });
});
