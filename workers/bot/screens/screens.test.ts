import { describe, expect, it } from "vitest";
import { card, checkScreen, filled, HOSTILE, market, NOW, position, target } from "../../../test/support/screen-fixtures";
import { parseTelegramHtml } from "../../../tools/telegram/telegram-html";
import { toMicros } from "../../money/micros";
import type { PositionView, TradeResult } from "../../trading/results";
import { helpScreen, menuScreen, settingsScreen, walletScreen } from "./account";
import { decodeAction } from "../../telegram/callback-data";
import { CATEGORIES, categoriesScreen, marketCard, marketListScreen } from "./markets";
import { keyMessage, renderNotification } from "../../notify/messages";
import { exitLogScreen } from "./exit-log";
import { anyPriceWarningScreen, portfolioLine, positionCardScreen, positionsScreen, triggerMenuScreen } from "./positions";
import { render } from "../../telegram/html";
import { type Screen, toMarkup } from "../../telegram/screen";
import { amountScreen, buyResultScreen, previewScreen, sellMovedScreen, sellPreviewScreen } from "./trade";
import { readPrefs } from "../store/user-prefs";
import { type MarketView, type PositionCard, quoteTop } from "./view-data";

const m = (s: string) => toMicros(s);

const labels = (s: Screen) => s.keyboard.flat().map((b) => b.label);

describe("market screens", () => {
  it("the card shows prices as Polymarket does, the book top, freshness and buy buttons", () => {
    const s = marketCard(market(), NOW);
    const text = checkScreen(s);
    expect(text).toContain("Yes 63.5¢ · bid 63¢ / ask 64¢ · spread 1¢");
    expect(text).toContain("Volume $1.2M (24 h $34.5K)");
    expect(text).toContain("Ends 10 Dec 2026 (in 11 d)");
    expect(text).toContain("Prices: live stream, 3 s ago");
    expect(labels(s)).toEqual(["Buy Yes", "Buy No", "Refresh", "Markets", "Menu"]);
  });

  it.each([
    ["resolved", { resolvedOutcome: "Yes", closed: true, tradeable: false }, "Resolved: Yes"],
    ["closed", { closed: true, tradeable: false }, "This market is closed"],
    ["paused", { tradeable: false }, "not accepting orders"],
  ])("a %s market offers no buy buttons", (_n, over, says) => {
    const s = marketCard(market(over), NOW);
    expect(checkScreen(s)).toContain(says);
    expect(labels(s).some((l) => l.startsWith("Buy"))).toBe(false);
  });

  it("escapes hostile market text and keeps the message short", () => {
    const s = marketCard(market({ question: HOSTILE, eventTitle: HOSTILE, outcomes: [{ index: 0, name: HOSTILE, tokenId: "1", price: null, bestBid: null, bestAsk: null }] }), NOW);
    const text = checkScreen(s);
    expect(text).toContain('<script>alert("x")</script>');
    expect(s.text).not.toContain("<script>");
    expect(labels(s)[0]!.length).toBeLessThanOrEqual(34);
  });

  it("lists markets with numbered buttons and paging", () => {
    const items = [1, 2, 3, 4, 5].map((i) => ({ id: `m${i}`, question: `Question ${i}?`, outcomes: [{ name: "Yes", price: m("0.5") }], volume24hr: "100", priceSource: "ws" as const, priceAt: NOW - i * 1000 }));
    const s = marketListScreen({ title: "Trending", items, page: 1, hasNext: true, pageAction: (page) => ({ a: "trending", page }), empty: "none" }, NOW);
    expect(checkScreen(s)).toContain("6. Question 1?");
    expect(labels(s)).toEqual(["6. Question 1?", "7. Question 2?", "8. Question 3?", "9. Question 4?", "10. Question 5?", "Prev", "Next", "Categories", "Search", "Menu"]);
    const empty = marketListScreen({ title: "Search: <x>", items: [], page: 0, hasNext: false, pageAction: (page) => ({ a: "search", intent: "abc", page }), empty: "Nothing matches." }, NOW);
    expect(checkScreen(empty)).toContain("Nothing matches.");
    // A search that found nothing offers the Trending its text suggests.
    expect(labels(empty)).toEqual(["Categories", "Search", "Trending", "Menu"]);
  });

  it("categories with no open market are not offered", () => {
    const open = CATEGORIES.map((c) => c.label === "Sports" || c.label === "Weather");
    expect(labels(categoriesScreen(open))).toEqual(["Sports", "Weather", "Trending", "Menu"]);
    expect(checkScreen(categoriesScreen(CATEGORIES.map(() => false)))).toContain("No open markets yet");
  });

  it("a list says where its prices come from and the age of the oldest, with the clock time", () => {
    const items = [3, 12].map((ageS) => ({ id: `m${ageS}`, question: "Q?", outcomes: [{ name: "Yes", price: m("0.5") }], volume24hr: "1", priceSource: "ws" as const, priceAt: NOW - ageS * 1000 }));
    const text = checkScreen(marketListScreen({ title: "T", items, page: 0, hasNext: false, pageAction: (page) => ({ a: "trending", page }), empty: "" }, NOW));
    const at = new Date(NOW - 12_000).toISOString().slice(11, 19);
    expect(text).toContain(`Prices: live stream, oldest 12 s ago at ${at} UTC`);
  });
});

describe("quoteTop", () => {
  const q = (bids: number[], asks: number[], last?: number) => ({
    tokenId: "1", bids: bids.map((price) => ({ price, size: 1 })), asks: asks.map((price) => ({ price, size: 1 })),
    tickSize: "0.01" as const, lastTradePrice: last, updatedAt: 0, source: "ws" as const,
  });
  it.each([
    ["midpoint", q([630_000], [640_000], 500_000), "0.635"],
    ["spread exactly 10¢ is still the midpoint", q([400_000], [500_000], 900_000), "0.45"],
    ["wider spread shows the last trade", q([300_000], [500_000], 420_000), "0.42"],
    ["one-sided book shows the last trade", q([], [500_000], 420_000), "0.42"],
    ["no trade and a wide spread shows nothing", q([100_000], [900_000]), null],
  ])("%s", (_n, quote, price) => expect(quoteTop(quote).price).toBe(price === null ? null : m(price)));
});

describe("trade screens", () => {
  it("offers the user's presets and a custom amount", () => {
    const s = amountScreen(target, [m("5"), m("12.5"), m("100")], m("0.64"));
    checkScreen(s);
    expect(labels(s)).toEqual(["$5", "$12.50", "$100", "Custom amount", "Back"]);
  });

  it("a preview shows estimate, bound and Confirm; an unfillable one offers no Confirm", () => {
    const base = { target, amount: m("10"), bestAsk: m("0.64"), bound: m("0.67"), slippageBps: 500, intentId: "abcdef123456", expiresInS: 60 };
    const ok = previewScreen({ ...base, estimate: { ok: true, shares: m("15.625"), avgPrice: m("0.64"), lastPrice: m("0.64"), usdc: m("10") } });
    const text = checkScreen(ok);
    expect(text).toContain("Estimated shares: 15.62");
    // The payout agrees with the shares shown (15.625 shares: 15.62 and $15.62, not $15.63).
    expect(text).toContain("you get $15.62.");
    expect(text).toContain("Max price (slippage bound 5%): 67¢");
    expect(labels(ok)).toEqual(["Confirm", "Cancel"]);
    const thin = previewScreen({ ...base, estimate: { ok: false, reason: "fok_not_filled" } });
    expect(checkScreen(thin)).toContain("cannot fill $10.00");
    expect(labels(thin)).not.toContain("Confirm");
  });

  it("a preview on a fee-enabled market shows the fee, the total and the net shares; a buy sized to the cash says so", () => {
    const base = { target, amount: m("100"), bestAsk: m("0.50"), bound: m("0.52"), slippageBps: 500, intentId: "abcdef123456", expiresInS: 60 };
    const fee = previewScreen({ ...base, estimate: { ok: true, shares: m("193.22"), avgPrice: m("0.5"), lastPrice: m("0.5"), usdc: m("96.61"), fee: m("3.38135"), shrunkTo: m("96.61") } });
    const text = checkScreen(fee);
    expect(text).toContain("Spend: $96.61");
    expect(text).toContain("Your cash covers $96.61 plus its fee: the buy is sized to fit.");
    expect(text).toContain("Polymarket fee: $3.38 · total $99.99");
    expect(text).toContain("Estimated shares: 193.22 (the fee is paid in cash, not in shares)");
    const free = checkScreen(previewScreen({ ...base, estimate: { ok: true, shares: m("200"), avgPrice: m("0.5"), lastPrice: m("0.5"), usdc: m("100"), fee: 0n } }));
    expect(free).not.toContain("fee");
    const broke = previewScreen({ ...base, estimate: { ok: false, reason: "insufficient_balance", cash: m("100") } });
    expect(checkScreen(broke)).toContain("Your cash is $100.00: it does not cover $100.00 plus Polymarket's fee.");
    const live = previewScreen({ ...base, target: { ...target, mode: "live", cash: null }, estimate: { ok: false, reason: "insufficient_balance", cash: m("25") } });
    expect(checkScreen(live)).toContain("Your Polymarket balance is $25.00: it does not cover $100.00. Try a smaller amount.");
    expect(labels(live)).not.toContain("Confirm");
    expect(labels(broke)).not.toContain("Confirm");
  });

  it("a fill offers Take profit and Stop loss; a rejection says why", () => {
    const s = buyResultScreen(target, filled, { set: ["Take profit set at 80¢ (+25%)", "Stop loss set at 51¢"], failed: [] });
    expect(checkScreen(s)).toContain("Bought 15.62 Yes shares at avg 64¢ for $10.00");
    // 🎯 marks the target (take profit); a stop loss is a stop.
    expect(checkScreen(s)).toContain("🎯 Take profit set at 80¢ (+25%)\n🛑 Stop loss set at 51¢");
    expect(labels(s)).toEqual(["Take profit", "Stop loss", "View position", "Markets"]);
    const no = buyResultScreen(target, { status: "rejected", reason: "insufficient_balance", message: "Not enough balance: you have $3.00." }, { set: [], failed: [] });
    expect(checkScreen(no)).toContain("Not bought. Not enough balance: you have $3.00.");
  });
});

describe("sell screens (#23)", () => {
  const estimate = { ok: true as const, shares: m("10"), filled: m("10"), bestBid: m("0.27"), floor: m("0.26"), avgPrice: m("0.265"), worstLevel: m("0.26"), usdc: m("2.65"), fee: m("0.05"), receive: m("2.6") };
  const base = { positionId: 42, question: "Q?", outcome: "Yes", mode: "paper" as const, bps: 5000, held: m("20"), slippageBps: 500, estimate, intentId: "abcdef123456", expiresInS: 60 };

  it("a sell preview shows shares, the book's price, fee, what you get and the floor, with Confirm/Cancel", () => {
    const text = checkScreen(sellPreviewScreen(base));
    for (const line of ["Sell 50% of Yes", "Shares: 10 of 20", "Best bid now: 27¢ · the book gives avg 26.5¢ (worst level 26¢)", "Polymarket fee: $0.05", "You get: $2.60", "Min price (slippage bound 5%): 26¢"]) expect(text).toContain(line);
    expect(labels(sellPreviewScreen(base))).toEqual(["Confirm", "Cancel"]);
    expect(checkScreen(sellPreviewScreen({ ...base, estimate: { ...estimate, filled: m("4") } }))).toContain("Only 4 shares find bids at or above your floor now");
    const empty = sellPreviewScreen({ ...base, estimate: { ok: false, reason: "empty_book", bestBid: null }, intentId: null });
    expect(checkScreen(empty)).toContain("the book has no bids");
    expect(labels(empty)).toEqual(["Back"]);
  });

  it("a moved book is refused in ¢ with a retry at the new price (a new preview)", () => {
    const s = sellMovedScreen({ positionId: 42, question: "Q?", outcome: "Yes", bps: 5000 }, m("0.23"), m("0.25"));
    expect(checkScreen(s)).toContain("The price moved: the book is at 23¢, your floor was 25¢.");
    expect(labels(s)).toEqual(["Retry at 23¢", "View position"]);
    expect(decodeAction((toMarkup(s.keyboard).inline_keyboard[0]![0]! as { callback_data: string }).callback_data)).toEqual({ ok: true, action: { a: "sell", position: 42, bps: 5000 } });
  });
});

describe("position screens", () => {
  it("the card shows entry, current price with age and source, P&L and the levels", () => {
    const s = positionCardScreen(card(), NOW);
    const text = checkScreen(s);
    expect(text).toContain("Shares 15.62 · entry 64¢ · cost $10.00 · paper");
    expect(text).toContain("Now 70¢ (best bid, live stream, 5 s ago at 11:59:55 UTC)");
    expect(text).toContain("Value $10.94 · P&L +$0.94 (+9.4%)");
    expect(text).toContain("Take profit 80¢ (+25%) · Stop loss — · Trailing stop —");
    expect(labels(s)).toEqual(["Sell 25%", "Sell 50%", "Sell all", "Take profit", "Stop loss", "Trailing stop", "Refresh", "Exit log", "Positions"]);
  });

  it("a closed position offers no sell buttons", () => {
    const s = positionCardScreen(card({ status: "closed", realizedPnl: m("-2.5"), shares: 0n, costBasis: 0n, closeReason: "stop_loss" }), NOW);
    expect(checkScreen(s)).toContain("Closed (stop loss) · realised P&L -$2.50");
    expect(checkScreen(s)).not.toContain("cost $0.00");
    expect(labels(s).some((l) => l.startsWith("Sell"))).toBe(false);
  });

  it("the list carries the portfolio line", () => {
    const f = { mode: "paper" as const, cash: m("990"), deposits: m("1000"), positionsValue: m("10.9375"), unrealizedPnl: m("0.9375"), unpriced: 0, otherModeOpen: 0 };
    expect(render(portfolioLine(f))).toBe("Cash $990.00 · Positions $10.94 · Total P&amp;L +$0.94 (+0.09%)");
    const s = positionsScreen(f, [card()], 0, false, NOW);
    expect(checkScreen(s)).toContain("1. Yes · Will the Fed cut rates in December?");
    expect(checkScreen(s)).not.toContain("You also have");
    expect(checkScreen(positionsScreen({ ...f, otherModeOpen: 1 }, [card()], 0, false, NOW))).toContain("You also have 1 open live position: switch mode in Wallet to see them.");
    expect(checkScreen(positionsScreen({ ...f, otherModeOpen: 3 }, [], 0, false, NOW))).toContain("You also have 3 open live positions:");
  });

  it("the trigger menu shows presets and a remove button when set", () => {
    const s = triggerMenuScreen(card(), "tp", NOW);
    checkScreen(s);
    // Entry 64¢, bid 70¢: +10% (70¢) would sell at once and +100% is off the board, so a price fills the row.
    expect(labels(s)).toEqual(["79¢", "+25% (80¢)", "+50% (96¢)", "Remove take profit", "Back"]);
    expect(labels(triggerMenuScreen(card({ avgPrice: m("0.82"), currentPrice: m("0.81"), triggers: [] }), "tp", NOW))).toEqual(["87¢", "+10% (90¢)", "93¢", "Back"]);
    expect(labels(triggerMenuScreen(card({ avgPrice: m("0.99"), currentPrice: m("0.99"), triggers: [] }), "tp", NOW))).toEqual(["Back"]);
    expect(labels(triggerMenuScreen(card(), "tr", NOW))).toEqual(["5¢", "10¢", "15¢", "Back"]);
  });

  it("a stop's menu states the stop-limit rule and offers any price only behind a warning", () => {
    const sl = { kind: "stop_loss" as const, price: m("0.40"), trail: null, spec: "0.40" };
    const s = triggerMenuScreen(card({ triggers: [sl] }), "sl", NOW);
    expect(checkScreen(s)).toContain("A stop is a stop-limit");
    expect(labels(s)).toContain("Sell at any price…");
    expect(decodeAction((toMarkup(s.keyboard).inline_keyboard.flat().find((b) => b.text === "Sell at any price…") as { callback_data: string }).callback_data)).toEqual({
      ok: true, action: { a: "anyPrice", position: card().id, kind: "sl", on: true, confirmed: false },
    });
    const w = anyPriceWarningScreen(card(), "sl");
    expect(checkScreen(w)).toContain("that can be a few cents a share");
    expect(labels(w)).toEqual(["Yes, sell at any price", "Keep the floor"]);
    const on = triggerMenuScreen(card({ triggers: [{ ...sl, anyPrice: true }] }), "sl", NOW);
    expect(checkScreen(on)).toContain("This stop sells at any price");
    expect(labels(on)).toContain("Use a floor (stop-limit)");
  });
});

describe("exit log", () => {
  it("lists fires and refusals with the price seen, its source and age, the latency and the outcome", () => {
    const s = exitLogScreen(card(), [
      { at: NOW - 5_000, kind: "stop_loss", outcome: "sold", reason: "position closed", price: m("0.39"), source: "rest", priceAgeMs: 12, latencyMs: "18.250" },
      { at: NOW - 60_000, kind: "stop_loss", outcome: "refused", reason: "the bid moved from 0.41 to 0.05 in one frame; REST shows the bid at 0.45, which does not cross the level", price: m("0.05"), source: "ws", priceAgeMs: 0, latencyMs: "3.000" },
      { at: NOW - 120_000, kind: null, outcome: "rearmed", reason: "its fire did not finish", price: null, source: null, priceAgeMs: null, latencyMs: null },
    ], NOW);
    const text = checkScreen(s);
    expect(text).toContain("5 s ago · Stop loss · ✅ sold");
    expect(text).toContain("bid 39¢ (order book, 12 ms old) · sale answered in 18.25 ms");
    expect(text).toContain("✋ not sold");
    expect(text).toContain("sale answered in 3 ms");
    expect(text).toContain("↺ armed again");
    expect(labels(s)).toEqual(["Refresh", "Back"]);
    expect(checkScreen(exitLogScreen(card(), [], NOW))).toContain("No trigger has fired on this position yet.");
  });
});

const liveWallet = { address: "0xabc", tradingAddress: "0xdef", signatureType: 3, origin: "generated" };

describe("account screens", () => {
  it.each([
    ["menu (new)", menuScreen({ firstName: "<Ann>", mode: "paper", paperCash: m("1000") }, true), "Welcome to Polycool, <Ann>!"],
    ["help", helpScreen(), "A stop is a stop-limit: when the best bid reaches the level it sells, but never below the level minus your slippage bound"],
    ["wallet", walletScreen({ mode: "paper", paperCash: m("1000"), pinSet: false, wallet: null }), "No live wallet yet"],
    ["settings", settingsScreen(readPrefs({ defaultSl: "-20%" }), "paper"), "Stop loss after each buy: -20%"],
    ["live wallet with its venue cash", walletScreen({ mode: "live", paperCash: 0n, pinSet: true, wallet: liveWallet, venue: { balance: m("22.41"), allowance: 2n ** 256n - 1n } }), "Polymarket cash: $22.41 pUSD · allowance unlimited"],
    ["live wallet, allowance short", walletScreen({ mode: "live", paperCash: 0n, pinSet: true, wallet: liveWallet, venue: { balance: m("50"), allowance: m("10") } }), "buys can spend only the allowance"],
    ["live wallet, venue not answering", walletScreen({ mode: "live", paperCash: 0n, pinSet: true, wallet: liveWallet, venue: null }), "Polymarket balance: not available right now."],
    ["exported key", keyMessage("0xabc", "0x" + "1".repeat(64), 60_000), "deleted in 60 seconds"],
  ])("%s renders", (_n, s, says) => expect(checkScreen(s)).toContain(says));
});

describe("notifications", () => {
  it("a fired take profit says the price seen, the fill and the realised P&L", () => {
    const s = renderNotification({
      kind: "trigger_fired", trigger: "take_profit", positionId: 42, question: "Q?", outcome: "Yes", bid: m("0.81"), source: "ws",
      result: { ...filled, side: "SELL", usdc: m("12.65625"), avgPrice: m("0.81"), realizedPnl: m("2.65625"), position: { ...position, status: "closed", shares: 0n } },
    });
    const text = checkScreen(s);
    expect(text).toContain("Take profit hit: sold");
    expect(text).toContain("The best bid reached 81¢ (live stream)");
    expect(text).toContain("Realised P&L: +$2.66");
  });

  it("a failed sell says why", () => {
    const s = renderNotification({ kind: "trigger_fired", trigger: "stop_loss", positionId: 42, question: "Q?", outcome: "Yes", bid: m("0.5"), source: "poll", result: { status: "rejected", reason: "no_liquidity", message: "The book is empty." } });
    expect(checkScreen(s)).toContain("Stop loss hit, but the sell failed.");
  });

  it("a stop the market gapped below offers the rest at the market in one tap", () => {
    const s = renderNotification({ kind: "trigger_fired", trigger: "stop_loss", positionId: 42, question: "Q?", outcome: "Yes", bid: m("0.05"), source: "rest", result: { status: "rejected", reason: "slippage_exceeded", message: "No liquidity within your slippage bound." }, retryInMs: 5_000 });
    expect(checkScreen(s)).toContain("below your stop's floor");
    expect(labels(s)[0]).toBe("Sell the rest at the market");
    expect(decodeAction((toMarkup(s.keyboard).inline_keyboard[0]![0]! as { callback_data: string }).callback_data)).toEqual({ ok: true, action: { a: "sell", position: 42, bps: 10_000 } });
  });

  it("a sell that could not be placed says why and when it is tried again", () => {
    const s = renderNotification({ kind: "trigger_fired", trigger: "stop_loss", positionId: 42, question: "Q?", outcome: "Yes", bid: m("0.39"), source: "ws", error: "the sell could not be placed: CLOB <b>503</b>", retryInMs: 5_000 });
    const text = checkScreen(s);
    expect(text).toContain("Why: the sell could not be placed: CLOB <b>503</b>");
    expect(text).toContain("It is tried again in 5 s");
    expect(text).toContain("The position is still open.");
  });

  it("a resolution says what the shares pay", () => {
    const s = renderNotification({ kind: "market_resolved", positionId: 42, question: "Q?", outcome: "No", winningOutcome: "Yes", shares: m("10"), payout: 0n, realizedPnl: m("-4"), mode: "paper" });
    expect(checkScreen(s)).toContain("shares pay nothing");
  });
});
