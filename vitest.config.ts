// Two kinds of tests: plain unit tests in Node, and integration tests inside workerd
// (@cloudflare/vitest-plugin) against the real database and the local stand-ins.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_SECRETS } from "./test/setup/secrets.ts";

/** The workerd tests of a bot with Polymarket's relayer set up (builder credentials): generated wallets are deposit wallets. */
const DEPOSIT_WALLET_TESTS = "test/workerd/deposit-wallet/**/*.test.ts";

const workerd = (relayer = false) =>
  cloudflareTest(({ inject }) => ({
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: {
      bindings: {
        ...TEST_SECRETS,
        DATABASE_URL: inject("databaseUrl"),
        NEON_WS_PROXY: inject("pgProxy"),
        TELEGRAM_API_ROOT: inject("botApiUrl"),
        CLOB_WSS_URL: inject("polymarket").wsUrl,
        CLOB_API_URL: inject("polymarket").clobUrl,
        GAMMA_API_URL: inject("polymarket").gammaUrl,
        POLYMARKET_GEOBLOCK_URL: inject("polymarket").geoblockUrl,
        RELAYER_URL: inject("polymarket").relayerUrl,
        POLYGON_RPC_URL: inject("polymarket").rpcUrl,
        DATA_API_URL: inject("polymarket").dataUrl,
        ...(relayer
          ? { POLY_BUILDER_API_KEY: inject("builderCreds").key, POLY_BUILDER_SECRET: inject("builderCreds").secret, POLY_BUILDER_PASSPHRASE: inject("builderCreds").passphrase }
          : {}),
        // What the stand-in Bot API's getMe answers (tools/telegram/bot-api-core.ts); deploy stores the real one.
        TELEGRAM_BOT_USERNAME: "polycool_bot",
        // Tests watch staleness and polling within seconds, not minutes.
        STREAMER_STALE_MS: "4000",
        STREAMER_POLL_MS: "500",
        STREAMER_FLUSH_MS: "200",
        // The frozen-feed cross-check runs well inside the stale limit, so a test can tell them apart.
        STREAMER_CROSSCHECK_MS: "1000",
        // The local Polymarket lists ~17 pages: 3 a step makes a market sync a run of several steps.
        MARKET_SYNC_PAGES_PER_STEP: "3",
      },
    },
  }));

export default defineConfig({
  test: {
    globalSetup: ["./test/setup/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["workers/**/*.test.ts", "durable-objects/**/*.test.ts", "tools/**/*.test.ts", "test/node/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [workerd()],
        test: { name: "workerd", include: ["test/workerd/**/*.test.ts"], exclude: [DEPOSIT_WALLET_TESTS], testTimeout: 30_000 },
      },
      {
        extends: true,
        plugins: [workerd(true)],
        test: { name: "workerd-deposit", include: [DEPOSIT_WALLET_TESTS], testTimeout: 60_000 },
      },
    ],
  },
});
