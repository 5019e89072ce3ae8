// The chaos users read a trade's outcome off the bot's own screens: every final screen the bot can
// show (whole or partial fills, refusals, in flight) must classify, and "working" must stay pending.
import { describe, expect, it } from "vitest";
import { buyResultScreen, placingScreen, sellResultScreen } from "../../workers/bot/screens/trade";
import type { TradeResult } from "../../workers/trading/results";
import type { ChatView } from "../telegram/bot-api-types";
import { BotUser } from "./bot-user";

const target = { marketId: "m1", question: "Will it rain?", outcome: "Yes", tokenId: "1" } as never;
const fill = (status: "filled" | "partially_filled", closed: boolean): TradeResult =>
  ({
    status,
    shares: 10_000_000n,
    usdc: 5_000_000n,
    avgPrice: 500_000n,
    fees: 0n,
    requested: 10_000_000n,
    worstPrice: 480_000n,
    realizedPnl: 0n,
    position: { id: 7, status: closed ? "closed" : "active", shares: closed ? 0n : 10_000_000n, avgPrice: 500_000n, costBasis: 5_000_000n },
  }) as never;
const rejected: TradeResult = { status: "rejected", reason: "no_liquidity", message: "Nobody is buying." } as never;
const inFlight: TradeResult = { status: "in_flight", orderId: 1, clientOrderId: "c", message: "Not confirmed yet." };

function userSeeing(html: string): BotUser {
  const chat = { id: 1, user: { id: 1, first_name: "T" }, messages: [{ id: 9, from: "bot", text: html, html, buttons: [] }], notices: [] } as unknown as ChatView;
  return new BotUser({ botApi: { chat: () => chat } as never }, { id: 1, first_name: "T" });
}

describe("BotUser.outcomeOf", () => {
  it.each([
    ["a whole buy", buyResultScreen(target, fill("filled", false), { set: [], failed: [] }).text, "done"],
    ["a partial buy", buyResultScreen(target, fill("partially_filled", false), { set: [], failed: [] }).text, "done"],
    ["a whole sale", sellResultScreen("Will it rain?", "Yes", fill("filled", true), 7).text, "done"],
    ["a partial sale", sellResultScreen("Will it rain?", "Yes", fill("partially_filled", false), 7).text, "done"],
    ["a refused buy", buyResultScreen(target, rejected, { set: [], failed: [] }).text, "refused"],
    ["a refused sale", sellResultScreen("Will it rain?", "Yes", rejected, 7).text, "refused"],
    ["a sale in flight", sellResultScreen("Will it rain?", "Yes", inFlight, 7).text, "in_flight"],
    ["the placing screen", placingScreen("Selling all").text, "pending"],
  ])("reads %s", (_name, html, expected) => expect(userSeeing(html).outcomeOf(9, "q")).toBe(expected));
});
