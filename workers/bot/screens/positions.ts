// Pure renderers for positions: the portfolio list, closed positions, a position card, the TP/SL menus.
import type { Micros } from "../../money/micros";
import type { TriggerCode } from "../../telegram/callback-data";
import { cents, priceAge, count, shares, signedPercent, signedUsd, sourceLabel, usd } from "../../telegram/format";
import { shortLabel } from "./markets";
import { button, type Button, type Line, pager, type Screen, screen } from "../../telegram/screen";
import { levelPresets, parseLevel } from "../../triggers/levels";
import { type Portfolio, type PositionCard, type TriggerView, valueOf } from "./view-data";
import { TRIGGER_LABELS } from "../../triggers/types";
import { STOP_LIMIT_RULE } from "../../triggers/exit-rule";
import { clip, type Fragment, type Html, html, join } from "../../telegram/html";

export const POSITIONS_PAGE_SIZE = 5;

const KIND_OF: Record<TriggerCode, TriggerView["kind"]> = { tp: "take_profit", sl: "stop_loss", tr: "trailing_stop" };
export const triggerKindOf = (code: TriggerCode): TriggerView["kind"] => KIND_OF[code];

/** "80¢ (+25%)" for a level, "5¢ below the best bid's high" for a trailing stop. */
export function triggerText(t: TriggerView, entry: Micros): string {
  if (t.kind === "trailing_stop") return t.trail === null ? "—" : `${cents(t.trail)} below the high`;
  if (t.price === null) return "—";
  const rel = signedPercent(t.price - entry, entry);
  return rel ? `${cents(t.price)} (${rel})` : cents(t.price);
}

function triggersLine(p: PositionCard): string {
  const of = (kind: TriggerView["kind"]) => p.triggers.find((t) => t.kind === kind);
  return (["take_profit", "stop_loss", "trailing_stop"] as const)
    .map((k) => {
      const t = of(k);
      return `${TRIGGER_LABELS[k]} ${t ? triggerText(t, p.avgPrice) : "—"}`;
    })
    .join(" · ");
}

function priceLine(p: PositionCard, now: number): string {
  if (p.currentPrice === null) return "Now: no price yet";
  const when = p.priceAt === null ? "" : `, ${priceAge(p.priceAt, now)}`;
  return `Now ${cents(p.currentPrice)} (best bid, ${sourceLabel(p.priceSource)}${when})`;
}

function pnlLine(p: PositionCard): Line {
  const { value, pnl } = valueOf(p);
  if (pnl === null) return `Value ${usd(value)} (at cost)`;
  return html`Value ${usd(value)} · P&amp;L <b>${signedUsd(pnl)}</b> (${signedPercent(pnl, p.costBasis) || "0%"})`;
}

export function portfolioLine(f: Portfolio): Html {
  const parts: Fragment[] = [];
  if (f.cash !== null) parts.push(`Cash ${usd(f.cash)}`);
  parts.push(`Positions ${usd(f.positionsValue)}`);
  const total = f.cash !== null ? f.cash + f.positionsValue - f.deposits : f.unrealizedPnl;
  const base = f.cash !== null ? f.deposits : f.positionsValue - f.unrealizedPnl;
  const rel = signedPercent(total, base);
  parts.push(`${f.cash !== null ? "Total" : "Open"} P&L ${signedUsd(total)}${rel ? ` (${rel})` : ""}`);
  return join(parts, " · ");
}

export function positionsScreen(f: Portfolio, list: PositionCard[], page: number, hasNext: boolean, now: number): Screen {
  const first = page * POSITIONS_PAGE_SIZE;
  const lines: Line[] = [html`<b>📊 Your positions</b> (${f.mode})`, portfolioLine(f), ""];
  if (list.length === 0) lines.push(page > 0 ? "No more positions." : "No open positions. Find a market to trade in Markets.");
  list.forEach((p, i) => {
    lines.push(html`<b>${first + i + 1}. ${clip(p.outcome, 30)}</b> · ${clip(p.question, 100)}`);
    lines.push(`    ${shares(p.shares)} sh · entry ${cents(p.avgPrice)} · ${priceLine(p, now).replace(/^Now /, "now ")}`);
    lines.push(html`    ${pnlLine(p)}`);
    if (p.triggers.length) lines.push(`    ${triggersLine(p)}`);
    if (p.status === "closing") lines.push("    ⏳ being sold");
  });
  const keyboard: Button[][] = list.map((p, i) => [button(`${first + i + 1}. ${shortLabel(`${p.outcome} · ${p.question}`)}`, { a: "position", position: p.id })]);
  keyboard.push(pager(page, hasNext, (pg) => ({ a: "positions", page: pg })));
  keyboard.push([button("Closed positions", { a: "closed", page: 0 }), button("Refresh", { a: "positions", page })]);
  keyboard.push([button("Markets", { a: "trending", page: 0 }), button("Menu", { a: "menu" })]);
  if (f.otherModeOpen > 0) lines.push("", `You also have ${count(f.otherModeOpen, `open ${f.mode === "paper" ? "live" : "paper"} position`)}: switch mode in Wallet to see them.`);
  return screen(lines, keyboard);
}

const CLOSE_REASONS: Record<string, string> = {
  manual: "sold",
  take_profit: "take profit",
  stop_loss: "stop loss",
  trailing_stop: "trailing stop",
  resolution: "market resolved",
  paper_reset: "paper reset",
};

export function closedScreen(list: PositionCard[], page: number, hasNext: boolean): Screen {
  const first = page * POSITIONS_PAGE_SIZE;
  const lines: Line[] = [html`<b>Closed positions</b>`, ""];
  if (list.length === 0) lines.push(page > 0 ? "No more closed positions." : "No closed positions yet.");
  list.forEach((p, i) => {
    const why = p.closeReason ? CLOSE_REASONS[p.closeReason] ?? p.closeReason : "closed";
    lines.push(html`<b>${first + i + 1}. ${clip(p.outcome, 30)}</b> · ${clip(p.question, 100)}`);
    lines.push(html`    Realised P&amp;L <b>${signedUsd(p.realizedPnl)}</b> · ${clip(why, 30)} · ${p.mode}`);
  });
  return screen(lines, [pager(page, hasNext, (pg) => ({ a: "closed", page: pg })), [button("Open positions", { a: "positions", page: 0 }), button("Menu", { a: "menu" })]]);
}

export function positionCardScreen(p: PositionCard, now: number, note?: Line): Screen {
  const lines: Line[] = [
    note ?? null,
    html`<b>${clip(p.outcome, 40)}</b> · ${clip(p.question, 300)}`,
    // A closed position holds nothing: its shares and cost are 0, which says nothing worth reading.
    p.status === "closed" ? `Entry ${cents(p.avgPrice)} · ${p.mode}` : `Shares ${shares(p.shares)} · entry ${cents(p.avgPrice)} · cost ${usd(p.costBasis)} · ${p.mode}`,
  ];
  if (p.status === "closed") {
    const why = p.closeReason ? ` (${clip(CLOSE_REASONS[p.closeReason] ?? p.closeReason, 30)})` : "";
    lines.push(html`Closed${why} · realised P&amp;L <b>${signedUsd(p.realizedPnl)}</b>`);
    return screen(lines, [[button("Exit log", { a: "exitLog", position: p.id })], [button("Positions", { a: "positions", page: 0 }), button("Menu", { a: "menu" })]]);
  }
  lines.push(priceLine(p, now), pnlLine(p));
  if (p.realizedPnl !== 0n) lines.push(`Realised so far: ${signedUsd(p.realizedPnl)}`);
  lines.push(triggersLine(p));
  if (p.status === "closing") lines.push("⏳ This position is being sold right now.");
  if (!p.marketTradeable) lines.push("⏸ The market is not accepting orders right now.");
  const id = p.id;
  return screen(lines, [
    [button("Sell 25%", { a: "sell", position: id, bps: 2500 }), button("Sell 50%", { a: "sell", position: id, bps: 5000 }), button("Sell all", { a: "sell", position: id, bps: 10_000 })],
    [button("Take profit", { a: "trigger", position: id, kind: "tp" }), button("Stop loss", { a: "trigger", position: id, kind: "sl" }), button("Trailing stop", { a: "trigger", position: id, kind: "tr" })],
    [button("Refresh", { a: "position", position: id }), button("Exit log", { a: "exitLog", position: id }), button("Positions", { a: "positions", page: 0 })],
  ]);
}

const HOW: Record<TriggerCode, Html> = {
  tp: html`Sells everything when the best bid rises to the level. Send a price (<code>0.70</code>, <code>.7</code>, <code>70¢</code>) or a change from your entry (<code>+50%</code>).`,
  sl: html`Sells everything when the best bid falls to the level. Send a price (<code>0.40</code>, <code>40¢</code>) or a change from your entry (<code>-20%</code>).`,
  tr: html`Follows the highest best bid and sells when the bid falls this far below it. Send a distance like <code>5¢</code> or <code>0.05</code>.`,
};

const ANY_PRICE_RULE = "This stop sells at any price: when the best bid reaches the level, the whole position is sold at whatever the book pays.";

/** The plain warning before a stop sells at any price. */
export function anyPriceWarningScreen(p: PositionCard, code: TriggerCode): Screen {
  return screen(
    [
      html`⚠️ <b>Sell at any price?</b> · ${clip(p.outcome, 40)} · ${clip(p.question, 200)}`,
      "When the best bid reaches your level, the whole position is sold at whatever the book pays: in a crash, a thin book or against a planted low bid, that can be a few cents a share.",
      "The default, a stop-limit, never sells below its floor (the level minus your slippage bound), but may sell only part, or nothing, in a gap.",
    ],
    [[button("Yes, sell at any price", { a: "anyPrice", position: p.id, kind: code, on: true, confirmed: true })], [button("Keep the floor", { a: "trigger", position: p.id, kind: code })]],
  );
}

export function triggerMenuScreen(p: PositionCard, code: TriggerCode, now: number, error?: string): Screen {
  const kind = KIND_OF[code];
  const current = p.triggers.find((t) => t.kind === kind);
  const lines = [
    error ? html`⚠️ ${clip(error, 300)}` : null,
    html`<b>${TRIGGER_LABELS[kind]}</b> · ${clip(p.outcome, 40)} · ${clip(p.question, 200)}`,
    `Entry ${cents(p.avgPrice)} · ${priceLine(p, now).replace(/^Now /, "now ")}`,
    `Current: ${current ? triggerText(current, p.avgPrice) : "none"}`,
    "",
    HOW[code],
    code === "tp" ? "The sale is a market order at the bid, bounded by your slippage setting." : current?.anyPrice ? ANY_PRICE_RULE : STOP_LIMIT_RULE,
  ];
  const keyboard: Button[][] = [];
  const presets = presetButtons(p, code);
  if (presets.length) keyboard.push(presets);
  if (current && code !== "tp") {
    keyboard.push([current.anyPrice ? button("Use a floor (stop-limit)", { a: "anyPrice", position: p.id, kind: code, on: false, confirmed: true }) : button("Sell at any price…", { a: "anyPrice", position: p.id, kind: code, on: true, confirmed: false })]);
  }
  if (current) keyboard.push([button(`Remove ${TRIGGER_LABELS[kind].toLowerCase()}`, { a: "removeTrigger", position: p.id, kind: code })]);
  keyboard.push([button("Back", { a: "position", position: p.id })]);
  return screen(lines, keyboard);
}

/** One-tap levels this position can really take (relative ones show the price they mean). */
function presetButtons(p: PositionCard, code: TriggerCode): Button[] {
  const ctx = { entryPrice: p.avgPrice, tickSize: p.tickSize, ...(p.currentPrice !== null ? { currentBid: p.currentPrice } : {}) };
  return levelPresets(KIND_OF[code], ctx).map((spec) => {
    const r = parseLevel(spec, { ...ctx, kind: KIND_OF[code] });
    const label = spec.endsWith("%") && r.ok && r.price !== undefined ? `${spec} (${cents(r.price)})` : spec;
    return button(label, { a: "setTrigger", position: p.id, kind: code, spec: spec.replace("¢", "c") });
  });
}

/** A button pressed on a position that is not (or no longer) the user's to act on. */
export function positionGone(reason: "not_found" | "closed"): Screen {
  const text = reason === "closed" ? "This position is already closed." : "Position not found.";
  return screen([text], [[button("Positions", { a: "positions", page: 0 }), button("Menu", { a: "menu" })]]);
}
