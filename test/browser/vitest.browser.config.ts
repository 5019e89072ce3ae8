// `npm run test:browser`: the playground journey and the operator dashboard in headless Chromium,
// each file against its own whole product (tools/start/stack.ts) on free ports.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default defineConfig({
  root: ROOT,
  test: {
    name: "browser",
    environment: "node",
    include: ["test/browser/**/*.test.ts"],
    // Checks for Chromium once, before any stack starts, and fails with the install command.
    globalSetup: ["test/browser/global-setup.ts"],
    // Each file runs a Worker, Postgres, Polymarket and Chromium: one file at a time on a small machine.
    fileParallelism: false,
    testTimeout: 60_000,
    // Starting the stack (wrangler compiles the Worker) and Chromium takes a few seconds, more on a busy CI.
    hookTimeout: 120_000,
  },
});
