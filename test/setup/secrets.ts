// Fixed, obviously-fake secrets for tests (never used outside tests).
export const TEST_SECRETS = {
  TELEGRAM_BOT_TOKEN: "100200300:test-bot-token-not-real",
  TELEGRAM_WEBHOOK_SECRET: "test-webhook-secret-0123456789abcdef",
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123",
  ADMIN_WEBHOOK_TOKEN: "test-admin-webhook-token-0123456789abcdef",
  // base64 of 32 bytes 0x01..0x20
  WALLET_ENCRYPTION_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
} as const;
