// One product stack and one Chromium per test file: started in beforeAll, stopped in afterAll.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { freePort, type Stack, startStack } from "../../tools/start/stack";
import type { LocalPolymarket } from "../../tools/local-polymarket/handle";
import type { Playground } from "../../tools/telegram/playground";
import { launchChromium } from "./browser-launch";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Committed for the README: every run rewrites them. */
export const SCREENSHOTS_DIR = path.join(ROOT, "docs/screenshots");
/** The playground page is at most 760 px wide; 900 px tall shows a few screens of chat. */
export const CHAT_VIEWPORT = { width: 760, height: 900 };
/** Waits for a condition on the page; generous because a busy CI machine runs wrangler too. */
const PAGE_TIMEOUT_MS = 20_000;
/** The playground drops a toast after 4 s; a screenshot waits for them to go rather than show stale ones. */
const TOAST_GONE_MS = 6_000;

export interface BrowserStack {
  stack: Stack;
  polymarket: LocalPolymarket;
  playground: Playground;
  browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  stop(): Promise<void>;
}

/** Brings the product up as `npm start` does, in memory, on free ports, with a quiet local Polymarket. */
export async function startBrowserStack(): Promise<BrowserStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-browser-"));
  const browser = await launchChromium();
  let stack: Stack;
  try {
    stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: {}, scenario: "quiet", playgroundPort: 0, quiet: true });
  } catch (err) {
    await browser.close();
    throw err;
  }
  const { polymarket, playground } = stack;
  if (!polymarket || !playground) throw new Error("the stack started without the local Polymarket or the playground");
  return {
    stack,
    polymarket,
    playground,
    browser,
    async newPage(viewport = CHAT_VIEWPORT) {
      const page = await browser.newPage({ viewport });
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      return page;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes docs/screenshots/<name>.png (the viewport, or the whole page) once no toast covers the chat. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  await page.getByTestId("toast").first().waitFor({ state: "detached", timeout: TOAST_GONE_MS });
  // The pointer rests where the last press was; keep its hover shade off whatever moved under it.
  await page.mouse.move(0, 0);
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}
