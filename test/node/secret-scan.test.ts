// The secret scanner CI runs (npm run secrets): it must catch what would hurt us if committed.
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
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
  // The planted secrets are made fresh on every run, so no secret-shaped text lives in the repository.
  const base64url = (n: number) => randomBytes(n).toString("base64url");
  // An OpenSSH key body starts with the format's magic, "openssh-key-v1\0", as the scanner expects.
  const pemBody = () => (Buffer.concat([Buffer.from("openssh-key-v1\0"), randomBytes(144)]).toString("base64").match(/.{1,70}/g) ?? []).join("\n");
  it.each([
    ["a Telegram bot token", () => `const t = "${randomInt(1e9, 9e9)}:AA${base64url(33).slice(0, 33)}";`],
    ["an Ethereum private key", () => `const privateKey = "0x${randomBytes(32).toString("hex")}";`],
    ["the wallet encryption key", () => `WALLET_ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`],
    ["a Neon URL with its password", () => `const u = "postgres://app:${base64url(12)}@ep-cool-1234.eu-central-1.aws.neon.tech/neondb";`],
    ["a PEM private key", () => ["-----BEGIN", "OPENSSH PRIVATE KEY-----"].join(" ") + `\n${pemBody()}\n` + ["-----END", "OPENSSH PRIVATE KEY-----"].join(" ")],
  ])("catches %s", async (_what, make) => {
    const r = await scan(make());
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
