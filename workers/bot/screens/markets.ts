// Pure renderers for markets: lists (trending, category, search), categories, and the market card.
import type { Action } from "../../telegram/callback-data";
import { cents, priceAge, compactUsd, endDate, sourceLabel } from "../../telegram/format";
import { button, type Button, type Line, pager, type Screen, screen } from "../../telegram/screen";
import type { MarketListItem, MarketView } from "./view-data";
import { clip, type Html, html, join } from "../../telegram/html";

/** Markets per list page: five buttons keep the keyboard readable on a phone. */
export const LIST_PAGE_SIZE = 5;

/** Fixed so that a category button keeps meaning the same thing; matched against markets.category. */
export const CATEGORIES = [
  { label: "Politics", match: "politic" },
  { label: "Sports", match: "sport" },
  { label: "Crypto", match: "crypto" },
  { label: "Economy", match: "econom" },
  { label: "Finance", match: "financ" },
  { label: "Geopolitics", match: "geopolit" },
  { label: "Tech", match: "tech" },
  { label: "Culture", match: "culture" },
  { label: "Weather", match: "weather" },
] as const;

export interface MarketList {
  title: string;
  items: MarketListItem[];
  page: number;
  hasNext: boolean;
  /** The action that shows another page of the same list. */
  pageAction: (page: number) => Action;
  empty: string;
}

function itemLine(n: number, m: MarketListItem): Html {
  const prices = join(
    m.outcomes.slice(0, 3).map((o) => `${clip(o.name, 20)} ${o.price === null ? "—" : cents(o.price)}`),
    " · ",
  );
  return html`<b>${n}.</b> ${clip(m.question, 120)}\n    ${prices} · 24 h vol ${compactUsd(m.volume24hr)}`;
}

/** Every list says where its prices come from and how old the oldest is (each row is one read). */
function listFreshness(items: MarketListItem[], now: number): string | null {
  if (items.length === 0) return null;
  const sources = [...new Set(items.map((m) => sourceLabel(m.priceSource)))].join(" / ");
  const ats = items.map((m) => m.priceAt).filter((a): a is number => a !== null);
  return ats.length ? `Prices: ${sources}, oldest ${priceAge(Math.min(...ats), now)}` : `Prices: ${sources}`;
}

export function marketListScreen(list: MarketList, now: number): Screen {
  const first = list.page * LIST_PAGE_SIZE;
  const lines: Line[] = [html`<b>${clip(list.title, 80)}</b>`, ""];
  if (list.items.length === 0) lines.push(list.page > 0 ? "No more markets." : list.empty);
  list.items.forEach((m, i) => lines.push(itemLine(first + i + 1, m)));
  const fresh = listFreshness(list.items, now);
  if (fresh) lines.push("", fresh);
  const keyboard: Button[][] = list.items.map((m, i) => [button(`${first + i + 1}. ${shortLabel(m.question)}`, { a: "market", market: m.id })]);
  keyboard.push(pager(list.page, list.hasNext, list.pageAction));
  keyboard.push([button("Categories", { a: "categories" }), button("Search", { a: "searchPrompt" })]);
  // The trending list has its own title; every other list offers the way back to it.
  keyboard.push(list.pageAction(0).a === "trending" ? [button("Menu", { a: "menu" })] : [button("Trending", { a: "trending", page: 0 }), button("Menu", { a: "menu" })]);
  return screen(lines, keyboard);
}

/** A button label from market text: one line, at most 48 characters (labels are plain text, not HTML). */
export function shortLabel(text: string, max = 48): string {
  return clip(text, max);
}

/** The categories that have open markets now (`open[i]` for CATEGORIES[i]; all when not given). */
export function categoriesScreen(open?: readonly boolean[]): Screen {
  const keyboard: Button[][] = [];
  const shown = CATEGORIES.map((c, i) => ({ c, i })).filter(({ i }) => open === undefined || open[i] === true);
  shown.forEach(({ c, i }, n) => {
    const b = button(c.label, { a: "category", cat: i, page: 0 });
    if (n % 3 === 0) keyboard.push([b]);
    else keyboard[keyboard.length - 1]!.push(b);
  });
  keyboard.push([button("Trending", { a: "trending", page: 0 }), button("Menu", { a: "menu" })]);
  return screen([html`<b>Categories</b>`, shown.length ? "Pick one to see its busiest open markets." : "No open markets yet: they appear after the next market sync."], keyboard);
}

function outcomeLines(m: MarketView): Html[] {
  return m.outcomes.map((o) => {
    const price = o.price === null ? "—" : cents(o.price);
    const book =
      o.bestBid !== null || o.bestAsk !== null
        ? ` · bid ${o.bestBid === null ? "—" : cents(o.bestBid)} / ask ${o.bestAsk === null ? "—" : cents(o.bestAsk)}` +
          (o.bestBid !== null && o.bestAsk !== null ? ` · spread ${cents(o.bestAsk - o.bestBid)}` : "")
        : "";
    return html`<b>${clip(o.name, 40)}</b> ${price}${book}`;
  });
}

function statusLine(m: MarketView): Line {
  if (m.resolvedOutcome) return html`🏁 Resolved: <b>${clip(m.resolvedOutcome, 40)}</b>. Trading has ended.`;
  if (m.closed) return "🔒 This market is closed.";
  if (!m.tradeable) return "⏸ This market is not accepting orders right now.";
  return null;
}

/** The market card: question, each outcome's price as Polymarket shows it, book top, and freshness. */
export function marketCard(m: MarketView, now: number): Screen {
  const facts = [`Volume ${compactUsd(m.volume)} (24 h ${compactUsd(m.volume24hr)})`];
  if (m.endDate) facts.push(`Ends ${endDate(m.endDate, now)}`);
  const fresh = m.priceAt === null ? `Prices: ${sourceLabel(m.priceSource)}` : `Prices: ${sourceLabel(m.priceSource)}, ${priceAge(m.priceAt, now)}`;
  const lines = [
    html`<b>${clip(m.question, 400)}</b>`,
    m.eventTitle && m.eventTitle !== m.question ? html`<i>${clip(m.eventTitle, 200)}</i>` : null,
    "",
    ...outcomeLines(m),
    "",
    facts.join(" · "),
    fresh,
    statusLine(m),
  ];
  const keyboard: Button[][] = [];
  if (m.tradeable && !m.closed) {
    const buys = m.outcomes.map((o) => button(`Buy ${shortLabel(o.name, 30)}`, { a: "buy", market: m.id, outcome: o.index }));
    for (let i = 0; i < buys.length; i += 2) keyboard.push(buys.slice(i, i + 2));
  }
  keyboard.push([button("Refresh", { a: "market", market: m.id })]);
  keyboard.push([button("Markets", { a: "trending", page: 0 }), button("Menu", { a: "menu" })]);
  return screen(lines, keyboard);
}

export function marketMissing(what = "That market"): Screen {
  return screen([`${clip(what, 200)} was not found. It may have been removed from Polymarket.`], [[button("Markets", { a: "trending", page: 0 }), button("Menu", { a: "menu" })]]);
}

export function searchPrompt(): Screen {
  return screen([html`🔎 What are you looking for? Send a few words, like <i>bitcoin</i> or <i>election</i>.`, "You can also paste a polymarket.com link."], [[button("Markets", { a: "trending", page: 0 })]]);
}
