import { describe, expect, it } from "vitest";
import { databaseUrlCheck, placementCheck, secretStrengthCheck, workerUrlCheck } from "./deploy-checks";

describe("databaseUrlCheck", () => {
  it.each([
    ["Neon pooled", "postgresql://u:p@ep-cool-name-123456-pooler.eu-west-2.aws.neon.tech/neondb?sslmode=require", "ok", "neon-pooled", "postgresql://u:p@ep-cool-name-123456.eu-west-2.aws.neon.tech/neondb?sslmode=require"],
    ["Neon direct", "postgresql://u:p@ep-cool-name-123456.eu-west-2.aws.neon.tech/neondb?sslmode=require", "ok", "neon-direct", "postgresql://u:p@ep-cool-name-123456.eu-west-2.aws.neon.tech/neondb?sslmode=require"],
    ["Neon without TLS", "postgresql://u:p@ep-x-pooler.eu-west-2.aws.neon.tech/neondb", "failed", undefined, undefined],
    ["another Postgres", "postgres://postgres@127.0.0.1:5432/app", "ok", "postgres", "postgres://postgres@127.0.0.1:5432/app"],
    ["not Postgres", "mysql://x@y/z", "failed", undefined, undefined],
    ["missing", undefined, "failed", undefined, undefined],
  ] as const)("%s", (_name, url, status, kind, migrationUrl) => {
    const c = databaseUrlCheck(url);
    expect(c.status).toBe(status);
    expect(c.kind).toBe(kind);
    expect(c.migrationUrl).toBe(migrationUrl);
    expect(c.detail).not.toContain(":p@"); // never the password
  });
});

describe("secretStrengthCheck", () => {
  const strong = "a".repeat(32);
  it.each([
    ["all strong", { TELEGRAM_WEBHOOK_SECRET: strong, ADMIN_TOKEN: strong, ADMIN_WEBHOOK_TOKEN: strong, WALLET_ENCRYPTION_KEY: btoa("k".repeat(32)) }, "ok"],
    ["one short", { TELEGRAM_WEBHOOK_SECRET: strong, ADMIN_TOKEN: "a".repeat(31) }, "failed"],
    ["a key of 31 bytes", { WALLET_ENCRYPTION_KEY: btoa("k".repeat(31)) }, "failed"],
    ["none given", {}, "skipped"],
  ] as const)("%s", (_name, env, status) => {
    expect(secretStrengthCheck(env).status).toBe(status);
  });
});

describe("workerUrlCheck", () => {
  it.each([
    ["https", "https://polycool.me.workers.dev/", true, "ok"],
    ["http", "http://polycool.me.workers.dev", true, "failed"],
    ["missing, required", undefined, true, "failed"],
    ["missing, dry run", undefined, false, "skipped"],
  ] as const)("%s", (_name, url, required, status) => {
    expect(workerUrlCheck(url, required).status).toBe(status);
  });
});

describe("placementCheck", () => {
  it("reads [placement] and the streamer's hint", () => {
    expect(placementCheck('[vars]\nSTREAMER_LOCATION_HINT = "weur"\n\n[placement]\nregion = "aws:eu-west-1"\n').detail).toBe("Worker placed at aws:eu-west-1; streamer location hint weur");
  });
  it("says when nothing is pinned", () => {
    const c = placementCheck('[vars]\nTRADING_MODE = "paper"\n');
    expect(c.status).toBe("skipped");
    expect(c.detail).toMatch(/not placed .*no location hint/);
  });
});
