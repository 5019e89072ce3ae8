// Pure renderers for the main menu, help, wallet and settings screens.
import type { Micros } from "../../money/micros";
import { specText } from "../../telegram/callback-data";
import { usd } from "../../telegram/format";
import { button, type Button, type Line, type Screen, screen } from "../../telegram/screen";
import { type Prefs, SLIPPAGE_CHOICES, TRIGGER_PRESETS } from "../store/user-prefs";
import { clip, html } from "../../telegram/html";
import { STOP_LIMIT_RULE } from "../../triggers/exit-rule";
import { depositButtons, depositLines, type DepositView } from "./onboarding";

export interface AccountView {
  firstName: string | null;
  mode: "paper" | "live";
  paperCash: Micros;
}

const menuKeyboard: Button[][] = [
  [button("Markets", { a: "trending", page: 0 }), button("Positions", { a: "positions", page: 0 })],
  [button("Wallet", { a: "wallet" }), button("Settings", { a: "settings" })],
  [button("Help", { a: "help" })],
];

export function menuScreen(a: AccountView, isNew: boolean): Screen {
  const hello = a.firstName ? html`, ${clip(a.firstName, 64)}` : "";
  return screen(
    [
      isNew ? html`👋 Welcome to <b>Polycool</b>${hello}!` : html`<b>Polycool</b>`,
      isNew ? "Trade Polymarket prediction markets from Telegram, with take-profit and stop-loss exits that watch the live order book for you." : null,
      "",
      a.mode === "paper" ? `🧪 Paper trading · cash ${usd(a.paperCash)} (simulated money, live prices)` : "🔴 Live trading · real money on Polymarket",
      isNew && a.mode === "paper" ? "Switch to live trading in Wallet when you are ready." : null,
    ],
    menuKeyboard,
  );
}

export function helpScreen(): Screen {
  return screen(
    [
      html`<b>How Polycool works</b>`,
      "",
      html`• <b>Markets</b>: browse the busiest markets, pick a category, /search with a few words, or paste a polymarket.com link.`,
      html`• <b>Buy</b>: pick an outcome and an amount; the preview shows the estimated shares, average price and your max price from the live order book. Nothing is bought until you press Confirm.`,
      html`• <b>Positions</b>: live price (the best bid: what selling would get now), P&amp;L, and Sell 25% / 50% / all: a preview shows what the book gives now, the fee and your min price; nothing is sold until you press Confirm.`,
      html`• <b>Take profit / Stop loss</b>: type a price (<code>0.70</code>, <code>.7</code>, <code>70¢</code>) or a change from your entry (<code>+50%</code>, <code>-20%</code>). When the best bid reaches the level, the whole position is sold at once and you get a message. A trailing stop follows the highest bid.`,
      html`• <b>Paper mode</b> trades simulated money against the real order book; <b>live mode</b> trades your own wallet (pUSD on Polygon).`,
      "",
      html`<b>Risks, honestly</b>`,
      "• Prediction markets can go to zero: a losing outcome pays nothing.",
      `• ${STOP_LIMIT_RULE} You may set a stop to sell at any price instead (its menu warns you first). Take profits sell at the bid.`,
      "• A sale that fails (the venue refuses, a connection drops) is tried again with growing pauses while the level is crossed; you are told once.",
      "• Prices come from Polymarket's live feed; if the feed stalls the bot falls back to polling, which is slower.",
      "• Live trading signs orders with your key. Keep your exported key secret; anyone who has it controls the funds.",
      "",
      "Commands: /start /markets /search /positions /wallet /settings /help",
    ],
    [[button("Menu", { a: "menu" })]],
  );
}

export interface WalletView {
  mode: "paper" | "live";
  paperCash: Micros;
  /** The second factor is set (asked before exports, live mode and withdrawals). */
  pinSet: boolean;
  wallet: { address: string; tradingAddress: string; signatureType: number; origin: string } | null;
  /** A deposit wallet (type 3): its address, setup state and buttons (onboarding.ts). */
  deposit?: DepositView;
  /** Live: pUSD at Polymarket (null: it could not be asked now); absent: not shown. */
  venue?: { balance: Micros; allowance: Micros | null } | null;
}

/** More than any wallet holds: an approval of "everything" (the usual max uint256). */
const UNLIMITED: Micros = 10n ** 18n;

function venueLines(v: WalletView["venue"]): Line[] {
  if (v === undefined) return [];
  if (v === null) return ["Polymarket balance: not available right now."];
  const allowance = v.allowance === null ? "none listed" : v.allowance >= UNLIMITED ? "unlimited" : usd(v.allowance);
  return [
    html`Polymarket cash: <b>${usd(v.balance)}</b> pUSD · allowance ${allowance}`,
    v.allowance !== null && v.allowance < v.balance ? "⚠️ The allowance is below the balance: buys can spend only the allowance. Set the trading approvals." : null,
  ];
}

export function walletScreen(w: WalletView, note?: Line): Screen {
  const lines: Line[] = [note ?? null, html`<b>👛 Wallet</b>`, "", w.mode === "paper" ? `Mode: 🧪 paper · cash ${usd(w.paperCash)}` : html`Mode: 🔴 <b>live</b> (real money)`];
  if (w.wallet) {
    lines.push(
      html`Live wallet (${clip(w.wallet.origin, 20)}, signature type ${w.wallet.signatureType}):`,
      html`<code>${w.wallet.address}</code>`,
      ...(w.deposit ? depositLines(w.deposit) : [html`Fund it with <b>pUSD on Polygon</b> at <code>${w.wallet.tradingAddress}</code>, plus a little POL for approvals.`]),
      ...venueLines(w.venue),
    );
  } else {
    lines.push("No live wallet yet. Import a key you own, or generate a new one.");
  }
  lines.push("", w.pinSet ? "🔐 PIN: set (asked before a key export, live trading and withdrawals)" : "🔐 PIN: not set. You need one to export a key or to trade live.");
  const keyboard: Button[][] = [];
  keyboard.push([w.mode === "paper" ? button("Switch to live", { a: "mode", mode: "live" }) : button("Switch to paper", { a: "mode", mode: "paper" })]);
  keyboard.push([button(w.pinSet ? "Change PIN" : "Set PIN", { a: "pinSet" })]);
  if (w.deposit) keyboard.push(...depositButtons(w.deposit));
  if (w.wallet) keyboard.push([button("Export key", { a: "walletExport", confirmed: false })]);
  else keyboard.push([button("Import key", { a: "walletImport" }), button("Generate wallet", { a: "walletGenerate", confirmed: false })]);
  keyboard.push([button("Menu", { a: "menu" })]);
  return screen(lines, keyboard);
}

export function importPrompt(): Screen {
  return screen(
    [
      html`<b>Import a key</b>`,
      html`Send the private key (<code>0x</code> + 64 hex characters). Your message is deleted as soon as it arrives and the key is stored encrypted.`,
      html`For a Polymarket proxy or Safe send: <code>KEY TYPE FUNDER</code>, e.g. <code>0xabc… 2 0xSafe…</code> (type 1 proxy, 2 Safe).`,
      html`For a deposit wallet (every account Polymarket creates today) send <code>KEY 3</code>: the bot finds its address, deploys it and sets its approvals if needed.`,
    ],
    [[button("Cancel", { a: "wallet" })]],
  );
}

export function generateConfirm(): Screen {
  return screen(
    [html`<b>Generate a new wallet?</b>`, "The bot creates a fresh key and stores it encrypted. You can export it later. Where Polymarket's relayer is set up, the key gets a deposit wallet that the bot deploys and approves for you. Fund it with pUSD on Polygon before trading live."],
    [[button("Generate", { a: "walletGenerate", confirmed: true }), button("Cancel", { a: "wallet" })]],
  );
}

export function exportConfirm(): Screen {
  return screen(
    [
      html`⚠️ <b>Export your private key?</b>`,
      "Anyone who sees it controls your funds. For your safety the bot asks your PIN, then sends the key here 10 minutes later (you are told at once and can cancel), shows it behind a spoiler, protects it from forwarding and deletes it 60 seconds after.",
    ],
    [[button("Continue", { a: "walletExport", confirmed: true }), button("Cancel", { a: "wallet" })]],
  );
}

const slip = (bps: number) => `${bps / 100}%`;

export function settingsScreen(p: Prefs, mode: "paper" | "live", note?: Line): Screen {
  return screen(
    [
      note ?? null,
      html`<b>⚙️ Settings</b>`,
      "",
      `Buy amounts: ${p.buyPresets.map((a) => `$${a}`).join(" · ")}`,
      `Slippage bound: ${slip(p.slippageBps)} (the worst price a market order accepts, from the price you saw)`,
      `Take profit after each buy: ${p.defaultTp ?? "off"}`,
      `Stop loss after each buy: ${p.defaultSl ?? "off"}`,
      `Mode: ${mode}`,
    ],
    [
      [button("Buy amounts", { a: "setPresets" }), button("Slippage", { a: "setSlippage", bps: null })],
      [button("Default take profit", { a: "setDefault", kind: "tp", spec: null }), button("Default stop loss", { a: "setDefault", kind: "sl", spec: null })],
      [button("Reset paper balance", { a: "reset", confirmed: false })],
      [button("Menu", { a: "menu" })],
    ],
  );
}

export function presetsPrompt(p: Prefs): Screen {
  return screen(
    [`Your buy amounts: ${p.buyPresets.map((a) => `$${a}`).join(" · ")}`, html`Send up to 4 amounts separated by spaces, like <code>5 10 25 50</code>.`],
    [[button("Cancel", { a: "settings" })]],
  );
}

export function slippagePicker(p: Prefs): Screen {
  return screen(
    [`Slippage bound now: ${slip(p.slippageBps)}.`, "A tighter bound protects the price but fails more often in thin markets. Pick one, or type your own, like 3%."],
    [SLIPPAGE_CHOICES.map((b) => button(slip(b), { a: "setSlippage", bps: b })), [button("Back", { a: "settings" })]],
  );
}

/** Pick the default level applied after every buy (or "Off"); "tp" → take profit, "sl" → stop loss. */
export function defaultPicker(p: Prefs, kind: "tp" | "sl"): Screen {
  const name = kind === "tp" ? "take profit" : "stop loss";
  const current = kind === "tp" ? p.defaultTp : p.defaultSl;
  return screen(
    [`Default ${name} after each buy: ${current ?? "off"}.`, `It is set on the position right after the fill, relative to your entry price. Pick one, or type your own, like ${kind === "tp" ? "+30%" : "-15%"}.`],
    [
      [...TRIGGER_PRESETS[kind].map((s) => button(specText(s), { a: "setDefault", kind, spec: s })), button("Off", { a: "setDefault", kind, spec: "off" })],
      [button("Back", { a: "settings" })],
    ],
  );
}

export function resetConfirm(start: string): Screen {
  return screen(
    [html`<b>Reset the paper account?</b>`, html`Open paper positions are closed as they are (nothing is sold) and cash goes back to $${start}. Live positions are not touched.`],
    [[button("Yes, reset", { a: "reset", confirmed: true }), button("Cancel", { a: "settings" })]],
  );
}
