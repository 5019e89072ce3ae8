// The new user's journey in the Telegram playground: /start → a market → buy → a position with live
// P&L → the take profit fires, with prices scripted on the local Polymarket; screenshots for the README.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseAmount, confirm, journeyMarket, type JourneyMarket, openMarket, preview, setTakeProfit, setYesTop, start } from "./bot-journeys";
import { type BrowserStack, screenshot, startBrowserStack } from "./browser-stack";
import { PlaygroundDriver } from "./playground-driver";

/** The stream carries a move to the bot within a second or two; Refresh is pressed until it shows. */
const PRICE_REACHES_BOT_MS = 15_000;

// One journey of one user: the steps run in order, each from the screen the previous one left.
describe("playground journey", () => {
  let env: BrowserStack;
  let page: Page;
  let chat: PlaygroundDriver;
  let m: JourneyMarket;

  beforeAll(async () => {
    env = await startBrowserStack();
    m = journeyMarket(env.polymarket);
    // A known book before the user looks: bid 38¢ / ask 40¢, deep enough that $10 fills at 40¢.
    setYesTop(env.polymarket, m, "0.38", "0.40");
    page = await env.newPage();
    chat = new PlaygroundDriver(page);
    await chat.open(env.playground.url);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("/start in an empty chat shows the welcome menu with paper cash", async () => {
    const menu = await start(chat);
    expect(menu).toContain("Paper trading · cash $1,000.00");
    expect(await chat.buttonsOf("Welcome to Polycool")).toEqual(["Markets", "Positions", "Wallet", "Settings", "Help"]);
    await screenshot(page, "playground-start");
  });

  it("Markets → the market's card shows each outcome's book top from the venue", async () => {
    const card = await openMarket(chat, "menu");
    expect(card).toContain("Yes 39¢ · bid 38¢ / ask 40¢ · spread 2¢");
    expect(card).toContain("No 61¢ · bid 60¢ / ask 62¢ · spread 2¢");
    expect(card).toContain("Prices: order book");
    expect(await chat.buttonsOf(m.market.question)).toEqual(expect.arrayContaining(["Buy Yes", "Buy No", "Refresh"]));
    await screenshot(page, "playground-market");
  });

  it("Buy Yes → $10 previews the fill from the book, Confirm buys exactly that", async () => {
    const amounts = await chooseAmount(chat, "Yes");
    expect(amounts.text).toContain("Buy Yes · Will Bitcoin reach $150,000");
    expect(amounts.text).toContain("Cash: $1,000.00");
    expect(amounts.buttons).toEqual(["$5", "$10", "$25", "$50", "Custom amount", "Back"]);

    const quote = await preview(chat, "$10");
    expect(quote).toContain("Spend: $10.00 (best ask 40¢)");
    expect(quote).toContain("Estimated shares: 25");
    expect(quote).toContain("Average price: 40¢ · worst level 40¢");
    expect(quote).toContain("Max price (slippage bound 5%): 42¢");
    expect(quote).toContain("If it resolves Yes you get $25.00.");
    await screenshot(page, "playground-preview");

    const fill = await confirm(chat);
    expect(fill).toContain("✅ Bought 25 Yes shares at avg 40¢ for $10.00");
    expect(fill).toContain("Position: 25 shares · entry 40¢ · cost $10.00");
    await screenshot(page, "playground-bought");
  });

  it("a typed take profit arms the position; Refresh shows the live bid and P&L as the market moves", async () => {
    const armed = await setTakeProfit(chat, "50¢");
    expect(armed).toContain("✅ Take profit set: 50¢.");
    expect(armed).toContain("Now 38¢ (best bid");
    expect(armed).toContain("Value $9.50 · P&L -$0.50 (-5%)");
    expect(armed).toContain("Take profit 50¢ (+25%)");

    // Up, but not to the level.
    setYesTop(env.polymarket, m, "0.45", "0.46");
    const live = await chat.pressUntil("Refresh", /Now 45¢/, PRICE_REACHES_BOT_MS);
    const text = await live.getByTestId("message-text").innerText();
    expect(text).toContain("Now 45¢ (best bid, live stream");
    expect(text).toContain("Value $11.25 · P&L +$1.25 (+12.5%)");
    expect(text).toContain("Take profit 50¢ (+25%)");
    await screenshot(page, "playground-position");
  });

  it("the bid crosses the level: the whole position is sold at the bid and the user is told", async () => {
    setYesTop(env.polymarket, m, "0.51", "0.52");
    const fired = await chat.botText("Take profit hit");
    expect(fired).toContain("🎯 Take profit hit: sold");
    expect(fired).toContain(m.market.question);
    expect(fired).toContain("The best bid reached 51¢ (live stream).");
    expect(fired).toContain("Sold 25 shares at avg 51¢ for $12.75.");
    expect(fired).toContain("Realised P&L: +$2.75");
    expect(await chat.buttonsOf("Take profit hit")).toEqual(["View position", "Positions"]);
    await screenshot(page, "playground-take-profit");
  });

  it("it fired once: the position is closed, the cash is exact, no second sale", async () => {
    // Higher still: a trigger that fired must not fire again.
    setYesTop(env.polymarket, m, "0.55", "0.56");
    const list = await chat.send("/positions", "Your positions");
    expect(await list.getByTestId("message-text").innerText()).toContain("No open positions.");
    const closed = await chat.press("Closed positions", "Closed positions");
    const closedText = await closed.getByTestId("message-text").innerText();
    expect(closedText).toContain(`1. Yes · ${m.market.question}`);
    expect(closedText).toContain("Realised P&L +$2.75 · take profit · paper");
    expect(closedText).not.toContain("2. ");
    const menu = await chat.send("/start", /Polycool[\s\S]*Paper trading/);
    expect(await menu.getByTestId("message-text").innerText()).toContain("cash $1,002.75");
    expect(await chat.botMessages("Take profit hit").count()).toBe(1);
    const card = await chat.press("View position", /Closed( \(.*\))? · realised P&L/);
    expect(await card.getByTestId("message-text").innerText()).toContain("Closed (take profit) · realised P&L +$2.75");
  });
});
