// `npm start` with a missing or malformed setting stops at once with one clear line naming it.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/start/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", ...env },
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
  ])("%j", async (env, line) => {
    const r = await start(env);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  }, 60_000);

});
