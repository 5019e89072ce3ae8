// Realistic screen inputs for the screen tests (a market card, a position card, a fill, a buy target).
import { expect } from "vitest";
import { parseTelegramHtml } from "../../tools/telegram/telegram-html";
import { decodeAction } from "../../workers/telegram/callback-data";
import { type Screen, toMarkup } from "../../workers/telegram/screen";
import { NO_FEE } from "../../workers/money/fees";
import { toMicros } from "../../workers/money/micros";
import type { MarketView, PositionCard } from "../../workers/bot/screens/view-data";
import type { PositionView, TradeResult } from "../../workers/trading/results";

const m = (s: string) => toMicros(s);
export const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
export const HOSTILE = `<script>alert("x")</script> & <b>bold</b> ${"very long ".repeat(80)}`;

export const market = (over: Partial<MarketView> = {}): MarketView => ({
  id: "540816",
  question: "Will the Fed cut rates in December?",
  eventTitle: "Fed decision in December",
  slug: "fed-cut",
  eventSlug: "fed-decision",
  outcomes: [
    { index: 0, name: "Yes", tokenId: "1", price: m("0.635"), bestBid: m("0.63"), bestAsk: m("0.64") },
    { index: 1, name: "No", tokenId: "2", price: m("0.365"), bestBid: m("0.36"), bestAsk: m("0.37") },
  ],
  volume: "1234567.89",
  volume24hr: "34567",
  endDate: new Date(Date.UTC(2026, 11, 10)),
  tradeable: true,
  closed: false,
  resolvedOutcome: null,
  priceSource: "ws",
  priceAt: NOW - 3_000,
  tickSize: "0.01",
  fees: NO_FEE,
  ...over,
});

export const card = (over: Partial<PositionCard> = {}): PositionCard => ({
  id: 42,
  marketId: "540816",
  question: "Will the Fed cut rates in December?",
  outcome: "Yes",
  mode: "paper",
  status: "active",
  shares: m("15.625"),
  costBasis: m("10"),
  avgPrice: m("0.64"),
  currentPrice: m("0.7"),
  priceSource: "ws",
  priceAt: NOW - 5_000,
  realizedPnl: 0n,
  closeReason: null,
  closedAt: null,
  triggers: [{ kind: "take_profit", price: m("0.8"), trail: null, spec: "+25%" }],
  marketTradeable: true,
  tickSize: "0.01",
  ...over,
});

export const position: PositionView = {
  id: 42, userId: 1, marketId: "540816", tokenId: "1", outcome: "Yes", mode: "paper", status: "active",
  shares: m("15.625"), costBasis: m("10"), avgPrice: m("0.64"), realizedPnl: 0n, closeReason: null, claimId: null,
} as PositionView;
export const filled: Extract<TradeResult, { status: "filled" }> = {
  status: "filled", orderId: 1, clientOrderId: "buy:x", side: "BUY", mode: "paper", tokenId: "1", requested: m("10"),
  shares: m("15.625"), usdc: m("10"), avgPrice: m("0.64"), fees: 0n, worstPrice: m("0.67"), realizedPnl: 0n, position,
};
export const target = { marketId: "540816", question: "Will the Fed cut rates in December?", outcomeIndex: 0, outcome: "Yes", mode: "paper" as const, cash: m("1000") };

/** Every screen must be valid Telegram HTML within 4096 characters, with decodable buttons. */
export function checkScreen(s: Screen): string {
  const parsed = parseTelegramHtml(s.text);
  if (!parsed.ok) throw new Error(`${parsed.error}\n${s.text}`);
  expect(parsed.text.length).toBeLessThanOrEqual(4096);
  for (const b of toMarkup(s.keyboard).inline_keyboard.flat()) {
    // A copy button (copy_text) carries no callback data; every other button's data must decode.
    const data = (b as { callback_data?: string }).callback_data;
    if (data !== undefined || !("copy_text" in b)) expect(decodeAction(data ?? "").ok).toBe(true);
  }
  return parsed.text;
}
