// Issue #23: `npm start` stopped and started again in the middle of a journey. The bot answers the very
// next message (the playground's update counter survives, so nothing is dropped as a duplicate of the
// previous run's ids) and the chat history is still on the page.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type Stack, startStack } from "../../tools/start/stack";
import { start } from "./bot-journeys";
import { launchChromium } from "./browser-launch";
import { ROOT } from "./browser-stack";
import { PlaygroundDriver } from "./playground-driver";

/** A restarted product must answer the first message as fast as a running one does, give or take a busy CI. */
const FIRST_ANSWER_MS = 10_000;

describe("npm start restarted mid-journey", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-restart-"));
  let ports: { port: number; playgroundPort: number };
  let stack: Stack | undefined;
  let browser: Browser;
  let page: Page;
  let chat: PlaygroundDriver;
  // As npm start runs it: the database and the playground's state kept in the data folder.
  const up = () => startStack({ root: ROOT, ...ports, dataDir, env: {}, scenario: "quiet", persistDatabase: true, quiet: true });

  beforeAll(async () => {
    ports = { port: await freePort(), playgroundPort: await freePort() };
    browser = await launchChromium();
    stack = await up();
    page = await browser.newPage({ viewport: { width: 760, height: 900 } });
    page.setDefaultTimeout(20_000);
    chat = new PlaygroundDriver(page);
    await chat.open(stack.playground!.url);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("before: a few exchanges with the bot", async () => {
    expect(await start(chat)).toContain("Paper trading · cash $1,000.00");
    for (let i = 0; i < 3; i++) await chat.send("/positions", "Your positions");
    await chat.send("/help", "How Polycool works");
  });

  it("after a restart the chat is still there and the bot answers at once", async () => {
    await stack!.stop();
    stack = await up();
    await page.goto(`${stack.playground!.url}/`);
    // The history came back with the playground's state.
    expect(await chat.botMessages("Welcome to Polycool").count()).toBeGreaterThanOrEqual(1);
    expect(await chat.botMessages("Your positions").count()).toBe(3);
    const sent = Date.now();
    const answer = await chat.send("/positions", "Your positions");
    expect(Date.now() - sent).toBeLessThan(FIRST_ANSWER_MS);
    expect(await answer.getByTestId("message-text").innerText()).toContain("No open positions.");
    expect(await chat.botMessages("Your positions").count()).toBe(4);
  });
});
