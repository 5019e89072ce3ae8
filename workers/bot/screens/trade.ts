// Pure renderers for buying: amount choice, custom amount prompt, the preview, progress and the result.
import { type Micros, roundTo } from "../../money/micros";
import type { TradeResult } from "../../trading/results";
import type { SellEstimate } from "../../trading/sell-estimate";
import { cents, shares, signedUsd, usd } from "../../telegram/format";
import { button, type Button, type Line, type Screen, screen } from "../../telegram/screen";
import { clip, html } from "../../telegram/html";

export interface BuyTarget {
  marketId: string;
  question: string;
  outcomeIndex: number;
  outcome: string;
  mode: "paper" | "live";
  /** Paper cash; null for live. */
  cash: Micros | null;
}

const modeLine = (t: Pick<BuyTarget, "mode">) => (t.mode === "live" ? html`🔴 <b>LIVE</b>: real money on Polymarket.` : "🧪 Paper trading: simulated money, live prices.");
const head = (t: BuyTarget) => html`Buy <b>${clip(t.outcome, 40)}</b> · ${clip(t.question, 200)}`;

export function amountScreen(t: BuyTarget, presets: Micros[], bestAsk: Micros | null): Screen {
  const lines = [
    head(t),
    bestAsk === null ? "Nobody is selling this outcome right now." : `Best ask now: ${cents(bestAsk)}`,
    t.cash === null ? null : `Cash: ${usd(t.cash)}`,
    modeLine(t),
    "",
    "How much do you want to spend?",
  ];
  const amounts = presets.map((p) => button(usd(p).replace(/\.00$/, ""), { a: "amount", market: t.marketId, outcome: t.outcomeIndex, cents: Number(p / 10_000n) }));
  return screen(lines, [
    amounts,
    [button("Custom amount", { a: "custom", market: t.marketId, outcome: t.outcomeIndex })],
    [button("Back", { a: "market", market: t.marketId })],
  ]);
}

export function customAmountPrompt(t: BuyTarget): Screen {
  return screen(
    [head(t), t.cash === null ? null : `Cash: ${usd(t.cash)}`, "", html`Type the amount in dollars, like <code>15</code> or <code>12.50</code>.`],
    [[button("Cancel", { a: "market", market: t.marketId })]],
  );
}

export type Estimate =
  | {
      ok: true; shares: Micros; avgPrice: Micros; lastPrice: Micros; usdc: Micros;
      /** The taker fee on top of the spend (fee-enabled markets); absent or 0: none. */
      fee?: Micros;
      /** The amount the buy shrank to so that it and its fee fit the cash. */
      shrunkTo?: Micros;
    }
  | { ok: false; reason: "empty_book" | "no_liquidity_within_limit" | "fok_not_filled" }
  /** The amount (with its fee) does not fit the cash: paper cash, or the pUSD Polymarket holds for a live user. */
  | { ok: false; reason: "insufficient_balance"; cash: Micros };

export interface BuyPreview {
  target: BuyTarget;
  amount: Micros;
  bestAsk: Micros;
  /** The order's worst acceptable price (the slippage bound on the tick). */
  bound: Micros;
  slippageBps: number;
  estimate: Estimate;
  /** Set when the preview can be confirmed. */
  intentId: string | null;
  expiresInS: number;
}

const pct = (bps: number) => `${bps / 100}%`;

function estimateLines(p: BuyPreview): Line[] {
  const e = p.estimate;
  if (e.ok) {
    const fee = e.fee ?? 0n;
    return [
      e.shrunkTo === undefined ? null : `Your cash covers ${usd(e.shrunkTo)} plus its fee: the buy is sized to fit.`,
      fee > 0n ? `Polymarket fee: ${usd(fee)} · total ${usd(e.usdc + fee)}` : null,
      html`Estimated shares: <b>${shares(e.shares)}</b>${fee > 0n ? " (the fee is paid in cash, not in shares)" : ""}`,
      `Average price: ${cents(e.avgPrice)} · worst level ${cents(e.lastPrice)}`,
      `Max price (slippage bound ${pct(p.slippageBps)}): ${cents(p.bound)}`,
      // The payout of the shares as shown (2 decimals, rounded down), so the two figures agree.
      html`If it resolves <b>${clip(p.target.outcome, 40)}</b> you get ${usd(roundTo(e.shares, 2, "down"))}.`,
    ];
  }
  if (e.reason === "empty_book") return ["❌ Nobody is selling this outcome right now."];
  if (e.reason === "insufficient_balance") {
    const where = p.target.mode === "live" ? "Your Polymarket balance" : "Your cash";
    return [`❌ ${where} is ${usd(e.cash)}: it does not cover ${usd(p.amount)}${e.cash >= p.amount ? " plus Polymarket's fee" : ""}. Try a smaller amount.`];
  }
  if (e.reason === "no_liquidity_within_limit") {
    return [`❌ Nothing is offered within your slippage bound: max price ${cents(p.bound)}, best ask ${cents(p.bestAsk)}.`];
  }
  return [`❌ The book cannot fill ${usd(p.amount)} at or below ${cents(p.bound)} (slippage bound ${pct(p.slippageBps)}). Try a smaller amount.`];
}

export function previewScreen(p: BuyPreview, note?: Line): Screen {
  const ask = p.estimate.ok || p.estimate.reason !== "empty_book" ? ` (best ask ${cents(p.bestAsk)})` : "";
  const spend = p.estimate.ok && p.estimate.shrunkTo !== undefined ? p.estimate.shrunkTo : p.amount;
  const lines: Line[] = [note ?? null, html`<b>Preview</b> · ${head(p.target)}`, "", html`Spend: <b>${usd(spend)}</b>${ask}`, ...estimateLines(p), "", modeLine(p.target)];
  const keyboard: Button[][] = [];
  if (p.intentId && p.estimate.ok) {
    lines.push(`Prices move: this preview can be confirmed for ${p.expiresInS} s.`);
    keyboard.push([button("Confirm", { a: "confirm", intent: p.intentId }), button("Cancel", { a: "market", market: p.target.marketId })]);
  } else {
    keyboard.push([button("Change amount", { a: "buy", market: p.target.marketId, outcome: p.target.outcomeIndex }), button("Back", { a: "market", market: p.target.marketId })]);
  }
  return screen(lines, keyboard);
}

export function placingScreen(what: Line): Screen {
  return screen([html`⏳ ${what}… This message will show the result.`]);
}

/** Which default levels were applied after a fill, and which could not be. */
export interface AppliedTriggers {
  set: string[];
  failed: string[];
}

export function buyResultScreen(t: BuyTarget, r: TradeResult, applied: AppliedTriggers): Screen {
  const back = [button("Back to market", { a: "market", market: t.marketId }), button("Menu", { a: "menu" })];
  if (r.status === "rejected") return screen([html`❌ <b>Not bought.</b> ${clip(r.message, 300)}`, head(t)], [back]);
  if (r.status === "in_flight") {
    return screen([html`⏳ <b>Sent to Polymarket, not confirmed yet.</b> ${clip(r.message, 300)}`, head(t), "Check Positions in a minute."], [[button("Positions", { a: "positions", page: 0 })], back]);
  }
  const partial = r.status === "partially_filled";
  const pos = r.position;
  const lines = [
    html`${partial ? html`⚠️ <b>Partly filled</b>` : html`✅ <b>Bought</b>`} ${shares(r.shares)} <b>${clip(t.outcome, 40)}</b> shares at avg ${cents(r.avgPrice)} for ${usd(r.usdc)}`,
    partial ? `Only part of ${usd(r.requested)} could be bought within your max price ${cents(r.worstPrice)}; the rest was not spent.` : null,
    r.fees > 0n ? `Fees: ${usd(r.fees)}` : null,
    clip(t.question, 200),
    `Position: ${shares(pos.shares)} shares · entry ${cents(pos.avgPrice)} · cost ${usd(pos.costBasis)}`,
    // 🎯 is a target: a take profit; a stop loss is a stop.
    ...applied.set.map((s) => html`${s.startsWith("Stop") ? "🛑" : "🎯"} ${clip(s, 200)}`),
    ...applied.failed.map((s) => html`⚠️ ${clip(s, 300)}`),
    "",
    "Protect it with a take profit or a stop loss:",
  ];
  return screen(lines, [
    [button("Take profit", { a: "trigger", position: pos.id, kind: "tp" }), button("Stop loss", { a: "trigger", position: pos.id, kind: "sl" })],
    [button("View position", { a: "position", position: pos.id }), button("Markets", { a: "trending", page: 0 })],
  ]);
}

export function sellResultScreen(question: string, outcome: string, r: TradeResult, positionId: number): Screen {
  const nav = [button("View position", { a: "position", position: positionId }), button("Positions", { a: "positions", page: 0 })];
  const what = html`<b>${clip(outcome, 40)}</b> · ${clip(question, 200)}`;
  if (r.status === "rejected") return screen([html`❌ <b>Not sold.</b> ${clip(r.message, 300)}`, what], [nav]);
  if (r.status === "in_flight") return screen([html`⏳ <b>Sent to Polymarket, not confirmed yet.</b> ${clip(r.message, 300)}`, what], [nav]);
  const partial = r.status === "partially_filled";
  const closed = r.position.status === "closed";
  return screen(
    [
      html`${partial ? html`⚠️ <b>Partly sold</b>` : html`✅ <b>Sold</b>`} ${shares(r.shares)} shares at avg ${cents(r.avgPrice)} for ${usd(r.usdc)}`,
      what,
      r.fees > 0n ? `Polymarket fee: ${usd(r.fees)} · you receive ${usd(r.usdc - r.fees)}` : null,
      r.realizedPnl === null ? null : html`Realised P&amp;L: ${signedUsd(r.realizedPnl)}`,
      partial ? `The book took only part of the order within your min price ${cents(r.worstPrice)}.` : null,
      closed ? "The position is closed." : `Still held: ${shares(r.position.shares)} shares.`,
    ],
    [nav],
  );
}

/** A sale to confirm: what the book gives now (walking its bids), the fee, what you get, the floor. */
export interface SellPreview {
  positionId: number;
  question: string;
  outcome: string;
  mode: "paper" | "live";
  bps: number;
  held: Micros;
  slippageBps: number;
  estimate: SellEstimate;
  /** Set when the preview can be confirmed. */
  intentId: string | null;
  expiresInS: number;
}

const sellWhat = (bps: number) => (bps === 10_000 ? "all" : `${bps / 100}%`);

export function sellPreviewScreen(p: SellPreview, note?: Line): Screen {
  const e = p.estimate;
  const lines: Line[] = [note ?? null, html`<b>Preview</b> · Sell ${sellWhat(p.bps)} of <b>${clip(p.outcome, 40)}</b> · ${clip(p.question, 200)}`, ""];
  const back = button("Back", { a: "position", position: p.positionId });
  if (!e.ok) {
    if (e.reason === "below_floor") lines.push(`❌ The book is at ${cents(e.bestBid)}, below your floor of ${cents(e.floor)}.`);
    else lines.push(e.reason === "nothing_to_sell" ? "❌ Nothing to sell: that part rounds to less than 0.01 share." : "❌ Nobody is buying this outcome right now: the book has no bids.");
    return screen(lines, [[back]]);
  }
  lines.push(
    html`Shares: <b>${shares(e.shares)}</b> of ${shares(p.held)}`,
    `Best bid now: ${cents(e.bestBid)} · the book gives avg ${cents(e.avgPrice)} (worst level ${cents(e.worstLevel)})`,
    e.filled < e.shares ? `Only ${shares(e.filled)} shares find bids at or above your floor now: the rest stays open.` : null,
    e.fee > 0n ? `Polymarket fee: ${usd(e.fee)}` : null,
    html`You get: <b>${usd(e.receive)}</b>`,
    `Min price (slippage bound ${pct(p.slippageBps)}): ${cents(e.floor)}: it never sells below that.`,
    "",
    modeLine(p),
  );
  if (!p.intentId) return screen(lines, [[back]]);
  lines.push(`Prices move: this preview can be confirmed for ${p.expiresInS} s.`);
  return screen(lines, [[button("Confirm", { a: "sellConfirm", intent: p.intentId }), button("Cancel", { a: "position", position: p.positionId })]]);
}

/** The book fell below the previewed floor before Confirm: say so in ¢ and offer a new preview at the new price. */
export function sellMovedScreen(t: { positionId: number; question: string; outcome: string; bps: number }, bestBid: Micros | null, floor: Micros): Screen {
  const now = bestBid === null ? "the book has no bids now" : `the book is at ${cents(bestBid)}`;
  const retry = bestBid === null ? [] : [button(`Retry at ${cents(bestBid)}`, { a: "sell", position: t.positionId, bps: t.bps })];
  return screen(
    [html`❌ <b>Not sold.</b> The price moved: ${now}, your floor was ${cents(floor)}.`, html`<b>${clip(t.outcome, 40)}</b> · ${clip(t.question, 200)}`],
    [[...retry, button("View position", { a: "position", position: t.positionId })]],
  );
}
