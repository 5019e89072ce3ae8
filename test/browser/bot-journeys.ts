// Polycool's screens as steps of a journey in the playground, and the venue moves the tests script.
import type { LocalPolymarket } from "../../tools/local-polymarket/handle";
import type { MarketInfo } from "../../tools/local-polymarket/types";
import type { PlaygroundDriver } from "./playground-driver";

/**
 * A seeded Yes/No market on a 0.01 tick that the quiet scenario lists on the first page of
 * Trending (by 24 h volume), so the journey reaches it the way a new user would.
 */
export const JOURNEY_QUESTION = "Will Bitcoin reach $150,000 by June 30, 2027?";
/** Depth at the new top of the book: far more than a test buys or sells, so fills are exact. */
const TOP_SIZE = "5000";

export interface JourneyMarket {
  market: MarketInfo;
  yes: string;
  no: string;
}

export function journeyMarket(polymarket: LocalPolymarket, question = JOURNEY_QUESTION): JourneyMarket {
  const market = polymarket.markets().find((m) => m.question === question);
  if (!market) throw new Error(`the local Polymarket has no market "${question}" (did its seed catalogue change?)`);
  if (market.tickSize !== "0.01" || market.outcomes.join("/") !== "Yes/No") throw new Error(`"${question}" is no longer a Yes/No market on a 0.01 tick`);
  const [yes, no] = market.tokenIds;
  return { market, yes: yes!, no: no! };
}

/** The Yes token's best bid and ask become exactly these, with deep top levels (No mirrors them). */
export function setYesTop(polymarket: LocalPolymarket, m: JourneyMarket, bid: string, ask: string): void {
  polymarket.movePrice(m.yes, { bid, ask, size: TOP_SIZE });
}

/** /start in an empty chat: the welcome menu. */
export async function start(driver: PlaygroundDriver): Promise<string> {
  await driver.page.getByTestId("start").click();
  return driver.botText("Welcome to Polycool");
}

/**
 * Trending markets (the menu's Markets button, or /markets from any screen), then the market's
 * button: its card.
 */
export async function openMarket(driver: PlaygroundDriver, via: "menu" | "command", question = JOURNEY_QUESTION): Promise<string> {
  if (via === "menu") await driver.press("Markets", "Trending markets");
  else await driver.send("/markets", "Trending markets");
  await driver.pressContaining(question.slice(0, 40), new RegExp(`${escapeRegExp(question)}[\\s\\S]*bid`));
  return driver.botText(question);
}

/** From a market card: Buy <outcome> → the amount screen's text and buttons. */
export async function chooseAmount(driver: PlaygroundDriver, outcome: string): Promise<{ text: string; buttons: string[] }> {
  await driver.press(`Buy ${outcome}`, "How much do you want to spend?");
  return { text: await driver.botText("How much do you want to spend?"), buttons: await driver.buttonsOf("How much do you want to spend?") };
}

/** From the amount screen: an amount button → the preview's text. */
export async function preview(driver: PlaygroundDriver, amountLabel: string): Promise<string> {
  await driver.press(amountLabel, "Preview");
  return driver.botText("Preview");
}

/** From a preview: Confirm → the fill's text. */
export async function confirm(driver: PlaygroundDriver): Promise<string> {
  await driver.press("Confirm", /Bought|Not bought|not confirmed/);
  return driver.botText(/Bought|Not bought|not confirmed/);
}

/** From a screen with a Take profit button: the menu, then a typed level; the position card's text. */
export async function setTakeProfit(driver: PlaygroundDriver, level: string): Promise<string> {
  await driver.press("Take profit", "Sells everything when the best bid rises");
  await driver.send(level, /Take profit set|⚠️/);
  return driver.botText(/Take profit set|⚠️/);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
