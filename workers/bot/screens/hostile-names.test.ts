// Every screen and notification rendered with hostile market, outcome, event and user names: each must
// be valid Telegram HTML (the Bot API stand-in's parser), within 4,096 characters, and show the name
// as text (escaped, never dropped, never turned into markup).
import { describe, expect, it } from "vitest";
import { card, checkScreen, filled, market, NOW, position, target } from "../../../test/support/screen-fixtures";
import { prng } from "../../../test/support/prng";
import { toMicros } from "../../money/micros";
import { renderNotification } from "../../notify/messages";
import { clip } from "../../telegram/html";
import type { Screen } from "../../telegram/screen";
import type { TradeResult } from "../../trading/results";
import { readPrefs } from "../store/user-prefs";
import { menuScreen, settingsScreen, walletScreen } from "./account";
import { marketCard, marketListScreen, marketMissing } from "./markets";
import { anyPriceWarningScreen, closedScreen, positionCardScreen, positionsScreen, triggerMenuScreen } from "./positions";
import { exitLogScreen } from "./exit-log";
import { depositButtons, depositLines } from "./onboarding";
import { amountScreen, buyResultScreen, customAmountPrompt, placingScreen, previewScreen, sellMovedScreen, sellPreviewScreen, sellResultScreen } from "./trade";
import { screen } from "../../telegram/screen";

const m = (s: string) => toMicros(s);

/** Pieces real attackers and real data use: tags, entities, unbalanced markup, links, bidi and invisible characters, emoji, huge text. */
const PIECES = [
  "<b>", "</b>", "<i>", "</i>", "<a href=\"https://evil.example\">", "</a>", "<tg-spoiler>", "<code>", "<pre>", "<script>alert(1)</script>",
  "&", "&amp;", "&lt;", "&#60;", "&#x3C;", "&nbsp;", "<2.5 goals", ">", "\"", "'", "`", "*bold*", "_it_", "[x](https://evil.example)",
  "\u202eoN", "\u2066", "\u200b", "\u200d", "\ufeff", "\u0000", "\n", "\t", "  ", "مرحبا", "שלום", "🇺🇸", "👨‍👩‍👧", "é", "Yes", "No",
];

function hostile(rand: () => number): string {
  if (rand() < 0.1) return `${"<b>".repeat(700)}${"x".repeat(2_000)}`; // ~4 KB of unbalanced markup
  let s = "";
  const n = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)]!;
  return s;
}

/** Every screen that shows a name the bot does not control, given one hostile name `h`. */
function screensWith(h: string): Array<[string, Screen]> {
  const note = clip(h, 300); // a note line is built by its caller from clipped data, as every caller does
  const mk = market({ question: h, eventTitle: h, outcomes: [{ index: 0, name: h, tokenId: "1", price: m("0.5"), bestBid: m("0.49"), bestAsk: m("0.51") }] });
  const pos = card({ question: h, outcome: h, triggers: [{ kind: "stop_loss", price: m("0.4"), trail: null, spec: h }] });
  const t = { ...target, question: h, outcome: h };
  const rejected: TradeResult = { status: "rejected", reason: "venue_rejected", message: h };
  const sold: TradeResult = { ...filled, side: "SELL", position: { ...position, outcome: h, status: "closed", shares: 0n } };
  const portfolio = { mode: "paper" as const, cash: m("990"), deposits: m("1000"), positionsValue: m("10"), unrealizedPnl: m("0"), unpriced: 0, otherModeOpen: 2 };
  const preview = { target: t, amount: m("10"), bestAsk: m("0.51"), bound: m("0.53"), slippageBps: 500, estimate: { ok: true as const, shares: m("19.6"), avgPrice: m("0.51"), lastPrice: m("0.51"), usdc: m("10") }, intentId: "abcdefghijkl", expiresInS: 60 };
  return [
    ["menu", menuScreen({ firstName: h, mode: "paper", paperCash: m("1000") }, true)],
    ["wallet", walletScreen({ mode: "live", paperCash: 0n, pinSet: true, wallet: { address: "0xabc", tradingAddress: "0xdef", signatureType: 0, origin: h } }, note)],
    ["settings", settingsScreen(readPrefs({ defaultTp: h }), "paper", note)],
    ["market list", marketListScreen({ title: h, items: [{ id: "1", question: h, outcomes: [{ name: h, price: null }], volume24hr: h, priceSource: "ws", priceAt: NOW }], page: 0, hasNext: false, pageAction: (page) => ({ a: "trending", page }), empty: h }, NOW)],
    ["market card", marketCard(mk, NOW)],
    ["market missing", marketMissing(h)],
    ["positions", positionsScreen(portfolio, [pos, pos, pos, pos, pos], 0, true, NOW)],
    ["closed", closedScreen([{ ...pos, status: "closed", closeReason: h }], 0, false)],
    ["position card", positionCardScreen(pos, NOW, note)],
    ["trigger menu", triggerMenuScreen(pos, "sl", NOW, h)],
    ["any-price warning", anyPriceWarningScreen(pos, "sl")],
    ["exit log", exitLogScreen(pos, [{ at: NOW - 5_000, kind: "stop_loss", outcome: h, reason: h, price: m("0.4"), source: h, priceAgeMs: 120, latencyMs: "12.500" }], NOW)],
    ["amount", amountScreen(t, [m("10")], m("0.51"))],
    ["custom amount", customAmountPrompt(t)],
    ["preview", previewScreen(preview, note)],
    ["placing", placingScreen(note)],
    ["bought", buyResultScreen(t, { ...filled, position: { ...position, outcome: h } }, { set: [h], failed: [h] })],
    ["not bought", buyResultScreen(t, rejected, { set: [], failed: [] })],
    ["sold", sellResultScreen(h, h, sold, 1)],
    ["sell preview", sellPreviewScreen({ positionId: 1, question: h, outcome: h, mode: "live", bps: 5_000, held: m("20"), slippageBps: 500, intentId: "abcdefghijkl", expiresInS: 60,
      estimate: { ok: true, shares: m("10"), filled: m("10"), bestBid: m("0.5"), floor: m("0.47"), avgPrice: m("0.49"), worstLevel: m("0.48"), usdc: m("4.9"), fee: m("0.1"), receive: m("4.8") } }, note)],
    ["sell moved", sellMovedScreen({ positionId: 1, question: h, outcome: h, bps: 10_000 }, m("0.4"), m("0.46"))],
    // The relayer's own words for a failed setup step are shown as stored.
    ["deposit wallet", screen(depositLines({ address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72", ready: false, canSetUp: true, problem: h }), depositButtons({ address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72", ready: false, canSetUp: true, problem: h }))],
    ["fired", renderNotification({ kind: "trigger_fired", trigger: "stop_loss", positionId: 1, question: h, outcome: h, bid: m("0.4"), source: h, result: sold })],
    ["fire failed", renderNotification({ kind: "trigger_fired", trigger: "stop_loss", positionId: 1, question: h, outcome: h, bid: m("0.4"), source: "ws", result: rejected })],
    ["resolved", renderNotification({ kind: "market_resolved", positionId: 1, question: h, outcome: h, winningOutcome: h, shares: m("10"), payout: m("10"), realizedPnl: m("5"), mode: "live" })],
  ];
}

describe("every screen with hostile names", () => {
  it("is valid Telegram HTML within 4,096 characters and shows the name as text", () => {
    const rand = prng(18);
    let checked = 0;
    for (let run = 0; run < 150; run++) {
      const h = hostile(rand);
      const shown = [...clip(h, 400)].slice(0, 12).join("");
      for (const [name, s] of screensWith(h)) {
        let text: string;
        try {
          text = checkScreen(s);
        } catch (err) {
          throw new Error(`${name} with ${JSON.stringify(h.slice(0, 80))}: ${(err as Error).message.slice(0, 300)}`);
        }
        // The message body, as the user reads it, carries the name's characters, not markup made of them.
        if (s.text.includes("<a ")) throw new Error(`${name}: a link appeared for ${JSON.stringify(h.slice(0, 80))}`);
        if (["market card", "position card", "preview", "fired", "sold", "sell preview", "sell moved"].includes(name)) expect(text.includes(shown), `${name} shows ${JSON.stringify(shown)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(150 * 25);
  });

  it.each([
    ['<2.5 goals & "Sons">', "&lt;2.5 goals &amp;"],
    // A French-speaking user's name and a French market: accents, guillemets, a typographic apostrophe.
    ["Élodie « Pâques » d’Été — Ligue 1 : PSG–OM ?", "Élodie « Pâques » d’Été — Ligue 1 : PSG–OM ?"],
  ])("%s renders on every screen, escaped and whole", (h, escaped) => {
    for (const [name, s] of screensWith(h)) {
      const text = checkScreen(s);
      if (["market card", "position card", "preview", "fired", "sold", "menu", "sell preview", "sell moved", "deposit wallet"].includes(name)) expect(text, name).toContain(h);
      if (["market card", "menu"].includes(name)) expect(s.text, name).toContain(escaped);
      expect(s.text, name).not.toContain("<2.5");
    }
  });
});
