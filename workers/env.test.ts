import { describe, expect, it } from "vitest";
import { parseSettings, SettingsError } from "./env";

const base = {
  TELEGRAM_BOT_TOKEN: "123:abc",
  TELEGRAM_BOT_USERNAME: "polycool_bot",
  TELEGRAM_WEBHOOK_SECRET: "s3cret-s3cret-s3cret-s3cret-s3cret",
  DATABASE_URL: "postgres://u@h:5432/db",
  ADMIN_TOKEN: "0123456789abcdef0123456789abcdef",
  WALLET_ENCRYPTION_KEY: btoa(String.fromCharCode(...new Uint8Array(32))),
};

describe("parseSettings", () => {
  it("applies contract defaults", () => {
    const s = parseSettings(base);
    expect(s.STREAMER_ENABLED).toBe(true);
    expect(s.TRADING_MODE).toBe("paper");
    expect(s.CLOB_WSS_URL).toBe("wss://ws-subscriptions-clob.polymarket.com/ws/market");
    expect(s.STREAMER_SHARD_SIZE).toBe(200);
    expect(s.WORKER_URL).toBeUndefined();
    expect(s.ADMIN_WEBHOOK_TOKEN).toBeUndefined();
    expect(s.RELAYER_URL).toBe("https://relayer-v2.polymarket.com");
    expect(s.POLY_BUILDER_API_KEY).toBeUndefined();
  });

  it("takes the builder credentials together", () => {
    const builder = { POLY_BUILDER_API_KEY: "k", POLY_BUILDER_SECRET: "s", POLY_BUILDER_PASSPHRASE: "p" };
    expect(parseSettings({ ...base, ...builder })).toMatchObject(builder);
    expect(() => parseSettings({ ...base, POLY_BUILDER_API_KEY: "k" })).toThrow("setting POLY_BUILDER_API_KEY is malformed: POLY_BUILDER_API_KEY, POLY_BUILDER_SECRET and POLY_BUILDER_PASSPHRASE go together");
    expect(() => parseSettings({ ...base, RELAYER_URL: "ftp://x" })).toThrow("setting RELAYER_URL is malformed");
  });

  it("keeps the Worker's origin without a trailing slash", () => {
    expect(parseSettings({ ...base, WORKER_URL: "https://polycool.example.workers.dev/" }).WORKER_URL).toBe("https://polycool.example.workers.dev");
  });

  it.each([
    [{ ...base, ADMIN_TOKEN: undefined }, "setting ADMIN_TOKEN is missing"],
    // Never guessed (issue #24): deploy stores it from getMe.
    [{ ...base, TELEGRAM_BOT_USERNAME: undefined }, "setting TELEGRAM_BOT_USERNAME is missing"],
    [{ ...base, STREAMER_LOCATION_HINT: "mars" }, "setting STREAMER_LOCATION_HINT is malformed"],
    [{ ...base, ADMIN_TOKEN: "" }, "setting ADMIN_TOKEN is missing"],
    [{ ...base, STREAMER_ENABLED: "yes" }, "setting STREAMER_ENABLED is malformed"],
    [{ ...base, CLOB_WSS_URL: "https://x" }, "setting CLOB_WSS_URL is malformed"],
    [{ ...base, WALLET_ENCRYPTION_KEY: "short" }, "setting WALLET_ENCRYPTION_KEY is malformed"],
    [{ ...base, TRADING_MODE: "real" }, "setting TRADING_MODE is malformed"],
    [{ ...base, TELEGRAM_WEBHOOK_SECRET: "s".repeat(31) }, "setting TELEGRAM_WEBHOOK_SECRET is malformed: must be 32-256 characters"],
    [{ ...base, ADMIN_TOKEN: "a".repeat(31) }, "setting ADMIN_TOKEN is malformed: must be at least 32 characters"],
    [{ ...base, ADMIN_WEBHOOK_TOKEN: "b".repeat(31) }, "setting ADMIN_WEBHOOK_TOKEN is malformed: must be at least 32 characters"],
    [{ ...base, ADMIN_WEBHOOK_TOKEN: base.ADMIN_TOKEN }, "setting ADMIN_WEBHOOK_TOKEN is malformed: must differ from ADMIN_TOKEN"],
    [{ ...base, WORKER_URL: "https://polycool.example/telegram/webhook" }, "setting WORKER_URL is malformed: must be the Worker's origin only"],
    [{ ...base, WORKER_URL: "ftp://polycool.example" }, "setting WORKER_URL is malformed"],
  ])("names the bad setting in one line (%#)", (raw, message) => {
    expect(() => parseSettings(raw)).toThrow(SettingsError);
    try {
      parseSettings(raw);
    } catch (e) {
      expect((e as Error).message.startsWith(message)).toBe(true);
      expect((e as Error).message).not.toContain("\n");
    }
  });
});
