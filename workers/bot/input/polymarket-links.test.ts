import { describe, expect, it } from "vitest";
import { parsePolymarketLink } from "./polymarket-links";

describe("parsePolymarketLink", () => {
  it.each([
    ["https://polymarket.com/event/fed-decision-in-december", { kind: "event", eventSlug: "fed-decision-in-december" }],
    ["https://polymarket.com/event/fed-decision-in-december/", { kind: "event", eventSlug: "fed-decision-in-december" }],
    ["polymarket.com/event/fed-decision-in-december?tid=1733", { kind: "event", eventSlug: "fed-decision-in-december" }],
    ["http://www.polymarket.com/event/abc#comments", { kind: "event", eventSlug: "abc" }],
    [
      "look https://polymarket.com/event/fed-decision/fed-cuts-25-bps?tid=9 nice",
      { kind: "event", eventSlug: "fed-decision", marketSlug: "fed-cuts-25-bps" },
    ],
    ["https://polymarket.com/event/fed-decision/fed-cuts-25-bps/", { kind: "event", eventSlug: "fed-decision", marketSlug: "fed-cuts-25-bps" }],
    ["https://polymarket.com/market/will-it-rain", { kind: "market", marketSlug: "will-it-rain" }],
    ["https://polymarket.com/es/event/abc", { kind: "event", eventSlug: "abc" }],
    ["HTTPS://POLYMARKET.COM/event/ABC-Def", { kind: "event", eventSlug: "abc-def" }],
  ])("%s", (text, want) => expect(parsePolymarketLink(text)).toEqual(want));

  it.each([
    ["no link", "hello world"],
    ["home page", "https://polymarket.com/"],
    ["other site", "https://notpolymarket.org/event/abc"],
    ["other path", "https://polymarket.com/leaderboard"],
    ["event without slug", "https://polymarket.com/event/"],
    ["hostile slug", "https://polymarket.com/event/<script>"],
    ["broken escape", "https://polymarket.com/event/%E0%A4%A"],
    ["sql in slug", "https://polymarket.com/event/a;drop%20table"],
  ])("%s → null", (_name, text) => expect(parsePolymarketLink(text)).toBeNull());
});
