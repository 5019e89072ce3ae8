// The operator dashboard (GET /admin) in a browser: the token form, then the live figures of a
// product with an open position, a stream carrying frames and a take profit that fired.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseAmount, confirm, journeyMarket, type JourneyMarket, openMarket, preview, setTakeProfit, setYesTop, start } from "./bot-journeys";
import { type BrowserStack, screenshot, startBrowserStack } from "./browser-stack";
import { PlaygroundDriver } from "./playground-driver";

/** The page refreshes every 2 s; a figure that depends on two refreshes (the rate) needs a few. */
const FIGURE_WAIT = { timeout: 20_000, interval: 250 };
/** price_change frames per second on the subscribed market while the dashboard is read: a visible rate. */
const BURST_PER_SECOND = 20;
const BURST_MS = 60_000;
const DASHBOARD_VIEWPORT = { width: 1200, height: 900 };

/** In the playground: Yes with a take profit at 50¢ and No (kept open), then the take profit fires. */
async function tradeAndFire(env: BrowserStack, m: JourneyMarket): Promise<void> {
  const chat = new PlaygroundDriver(await env.newPage());
  await chat.open(env.playground.url);
  await start(chat);
  await openMarket(chat, "menu");
  await chooseAmount(chat, "Yes");
  await preview(chat, "$10");
  expect(await confirm(chat)).toContain("Bought 25 Yes shares");
  expect(await setTakeProfit(chat, "50¢")).toContain("Take profit set: 50¢");
  await openMarket(chat, "command");
  await chooseAmount(chat, "No");
  await preview(chat, "$5");
  expect(await confirm(chat)).toContain("Bought");
  // Up in two steps: a bid that jumps more than TRIGGER_JUMP_CONFIRM_BPS (30%) in one frame is
  // confirmed over REST first, and this test is about a fire from the stream.
  setYesTop(env.polymarket, m, "0.45", "0.46");
  setYesTop(env.polymarket, m, "0.51", "0.52");
  expect(await chat.botText("Take profit hit")).toContain("Sold 25 shares at avg 51¢");
  await chat.page.close();
}

// The steps run in order on one dashboard tab: refused token, then the figures once signed in.
describe("operator dashboard", () => {
  let env: BrowserStack;
  let admin: Page;

  beforeAll(async () => {
    env = await startBrowserStack();
    const m = journeyMarket(env.polymarket);
    setYesTop(env.polymarket, m, "0.38", "0.40");
    await tradeAndFire(env, m);
    env.polymarket.faults.burst(BURST_PER_SECOND, BURST_MS);
    admin = await env.newPage(DASHBOARD_VIEWPORT);
    await admin.goto(`${env.stack.workerUrl}/admin`);
  });

  afterAll(async () => {
    env?.polymarket.scenario.stop();
    await env?.stop();
  });

  const text = (testId: string) => admin.getByTestId(testId).innerText();
  const sub = (id: string) => admin.locator(`#${id}`).innerText();
  const signIn = async (token: string) => {
    await admin.getByLabel("Admin token").fill(token);
    await admin.getByRole("button", { name: "Open dashboard" }).click();
  };

  it("asks for the token and refuses a wrong one without showing any figure", async () => {
    await signIn(`${env.stack.adminToken}-wrong`);
    await admin.getByText("That token was refused.").waitFor();
    // The page itself holds no data: every figure is still its placeholder.
    for (const id of ["connected", "subscriptions", "rate", "last-message", "reconnects", "poll", "flush", "positions"]) expect(await text(id)).toBe("–");
    expect(await admin.getByTestId("fires").locator("tbody tr").count()).toBe(0);
    expect(await text("health")).toBe("…");
  });

  it("with the token: the stream is connected and healthy, with its subscriptions and message rate", async () => {
    await signIn(env.stack.adminToken);
    await expect.poll(() => text("health"), FIGURE_WAIT).toBe("healthy");
    await expect.poll(() => text("connected"), FIGURE_WAIT).toBe("connected");
    expect(await sub("shards")).toBe("1 connection(s)");
    // The open No position wants its market's tokens; the closed Yes position adds nothing.
    await expect.poll(async () => Number(await text("subscriptions")), FIGURE_WAIT).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => Number.parseFloat(await text("rate")), FIGURE_WAIT).toBeGreaterThan(0);
    expect(await text("rate")).toMatch(/^\d+\.\d\/s$/);
    expect(await sub("msgtypes")).toMatch(/price_change \d+/);
    expect(await text("last-message")).toMatch(/^\d+ ms$|^\d+\.\d s$/);
    const shard = await admin.getByTestId("shards").locator("tbody tr").first().locator("td").allInnerTexts();
    expect(shard[1]).toBe("open");
    expect(Number(shard[2])).toBeGreaterThanOrEqual(1);
  });

  it("shows reconnects, parse errors, polling, flush timings and positions", async () => {
    expect(await text("reconnects")).toBe("0");
    expect(await sub("parse")).toMatch(/^0 frames failed to parse of [1-9]\d*$/);
    expect(await text("poll")).toMatch(/^(idle|active)$/);
    expect(await sub("pollsub")).toMatch(/^\d+ requests?, 0 errors, last /);
    await expect.poll(() => text("flush"), FIGURE_WAIT).toMatch(/^\d+ ms p50$/);
    expect(await sub("flushsub")).toMatch(/^p99 \d+ ms · ok [1-9]\d* · errors 0 · pending \d+$/);
    expect(await text("positions")).toBe("1");
    expect(await sub("possub")).toBe("0 being sold · 0 armed triggers");
    // The streamer object's uptime and its restarts (counted in its own storage), times in the page's one format.
    expect(await text("uptime")).toMatch(/^up \d/);
    expect(await sub("restarts")).toMatch(/^started \d\d:\d\d:\d\d · (no restart|\d+ restarts?)/);
    // Where Polymarket lets this Worker trade from (its geoblock answer).
    expect(await text("region")).toBe("trading allowed");
    expect(await sub("regionsub")).toMatch(/^country IE · checked \d\d:\d\d:\d\d$/);
  });

  it("shows the take profit on the latency chart and in recent fires", async () => {
    expect(await admin.getByTestId("latency-chart").locator("circle").count()).toBe(1);
    expect(await sub("latsub")).toMatch(/^p50 \d+ ms · p99 \d+ ms$/);
    const fires = admin.getByTestId("fires").locator("tbody tr");
    expect(await fires.count()).toBe(1);
    const fire = await fires.first().locator("td").allInnerTexts();
    // Read from trigger_events (Postgres), so it survives a restart of the streamer object.
    expect(await sub("firesrc")).toBe("from trigger_events, newest first");
    expect(fire[0]).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(fire.slice(2, 6)).toEqual(["take_profit", "sold", "0.510000", "ws"]);
    expect(fire[6]).toMatch(/^\d+ ms$/);
    expect(fire[7]).toMatch(/^\d+\.\d{3} ms$/);
    expect(fire[8]).toBe("position closed");
    await screenshot(admin, "admin-dashboard", { fullPage: true });
  });
});
