// npm start's generated secrets: strong enough for the Worker's minimums, stable across restarts, and
// a file from an older version upgraded in place without touching the wallet key.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../workers/env";
import { loadLocalSecrets } from "../../tools/start/local-secrets";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "polycool-secrets-"));

describe("local secrets", () => {
  it("are generated once, pass the Worker's settings check, and are reused", () => {
    const dir = tmp();
    const a = loadLocalSecrets(dir);
    expect(() => parseSettings({ ...a, DATABASE_URL: "postgres://x@127.0.0.1:5432/x", TELEGRAM_BOT_USERNAME: "polycool_local_bot" })).not.toThrow();
    expect(a.ADMIN_WEBHOOK_TOKEN).not.toBe(a.ADMIN_TOKEN);
    expect(loadLocalSecrets(dir)).toEqual(a);
    expect(fs.statSync(path.join(dir, "local-secrets.json")).mode & 0o777).toBe(0o600);
  });

  it("upgrades an older file: short secrets replaced, the second admin token added, the wallet key kept", () => {
    const dir = tmp();
    const old = { ADMIN_TOKEN: "x".repeat(24), WALLET_ENCRYPTION_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", TELEGRAM_WEBHOOK_SECRET: "y".repeat(24), TELEGRAM_BOT_TOKEN: "7000000001:abc" };
    fs.writeFileSync(path.join(dir, "local-secrets.json"), JSON.stringify(old));
    const now = loadLocalSecrets(dir);
    expect(now.WALLET_ENCRYPTION_KEY).toBe(old.WALLET_ENCRYPTION_KEY);
    expect(now.TELEGRAM_BOT_TOKEN).toBe(old.TELEGRAM_BOT_TOKEN);
    expect(now.ADMIN_TOKEN).not.toBe(old.ADMIN_TOKEN);
    expect(now.TELEGRAM_WEBHOOK_SECRET).not.toBe(old.TELEGRAM_WEBHOOK_SECRET);
    expect(() => parseSettings({ ...now, DATABASE_URL: "postgres://x@127.0.0.1:5432/x", TELEGRAM_BOT_USERNAME: "polycool_local_bot" })).not.toThrow();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "local-secrets.json"), "utf8"))).toEqual(now);
  });
});
