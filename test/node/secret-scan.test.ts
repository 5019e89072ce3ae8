// The secret scanner CI runs (npm run secrets): it must catch what would hurt us if committed.
/* secretlint-disable -- this file plants fake secrets on purpose, to prove the scanner catches them */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function scan(content: string): Promise<{ code: number | null; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-secrets-"));
  const file = path.join(dir, "sample.ts");
  fs.writeFileSync(file, content);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/secretlint/bin/secretlint.js"), "--secretlintrc", path.join(ROOT, ".secretlintrc.json"), file], { cwd: ROOT });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, out });
    });
  });
}

describe("secret scanner", () => {
  it.each([
    ["a Telegram bot token", 'const t = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";'],
    ["an Ethereum private key", 'const privateKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";'],
    ["the wallet encryption key", "WALLET_ENCRYPTION_KEY=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE="],
    ["a Neon URL with its password", 'const u = "postgres://app:s3cretpassw0rd@ep-cool-1234.eu-central-1.aws.neon.tech/neondb";'],
    ["a PEM private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDnKM0j5pnV1ASP9LLDk3bAkCQ1ZgQZfFh2aZQyxfYxHAAAAJBWyq6zVsqu\n-----END OPENSSH PRIVATE KEY-----"],
  ])("catches %s", async (_what, content) => {
    const r = await scan(content);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error/);
  }, 30_000);

  it("passes ordinary code: market ids, hashes, local URLs, placeholders", async () => {
    const r = await scan(
      [
        'const conditionId = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1";',
        'const url = "postgres://postgres:postgres@127.0.0.1:5432/test";',
        'WALLET_ENCRYPTION_KEY="<base64 of 32 random bytes>"',
      ].join("\n"),
    );
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
  }, 30_000);
});
