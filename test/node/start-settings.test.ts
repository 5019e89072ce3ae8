// `npm start` with a missing or malformed setting stops at once with one clear line naming it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/start/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "polycool-start-")), ...env },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

describe("npm start refuses bad settings with one line", () => {
  it.each([
    [{ TRADING_MODE: "real" }, /^polycool: setting TRADING_MODE is malformed/],
    [{ PORT: "eighty" }, /^polycool: setting PORT is malformed/],
    [{ CLOB_WSS_URL: "https://not-a-socket" }, /^polycool: setting CLOB_WSS_URL is malformed/],
    [{ ADMIN_TOKEN: "short" }, /^polycool: setting ADMIN_TOKEN is malformed/],
    [{ DATABASE_URL: "mysql://x@y/z" }, /^polycool: setting DATABASE_URL is malformed/],
    [{ POLYMARKET: "staging" }, /^polycool: setting POLYMARKET is malformed/],
    [{ POLYMARKET_NEW_ACCOUNTS: "maybe" }, /^polycool: setting POLYMARKET_NEW_ACCOUNTS is malformed: use 1 or 0/],
    [{ PLAYGROUND_PORT: "99999" }, /^polycool: setting PLAYGROUND_PORT is malformed/],
    [{ POLYMARKET_SCENARIO: "wild" }, /^polycool: setting POLYMARKET_SCENARIO is malformed: use one of calm, lively, quiet, burst/],
  ])("%j", async (env, line) => {
    const r = await start(env);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  }, 60_000);

  it("a second npm start on the same data folder stops before it opens the database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-start-"));
    const first = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    fs.writeFileSync(path.join(dir, "npm-start.lock"), String(first.pid));
    try {
      const r = await start({ DATA_DIR: dir, PORT: "18999" });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`polycool: ${dir} is in use by another npm start (pid ${first.pid}): stop it first, or give this one its own DATA_DIR (and PORT, PLAYGROUND_PORT)`);
      expect(fs.existsSync(path.join(dir, "pglite"))).toBe(false);
    } finally {
      first.kill();
    }
  }, 60_000);
});
