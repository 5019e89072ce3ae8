// Markets: trending by 24 h volume, categories, /search, pasted polymarket.com links, the market card.
import { Composer } from "grammy";
import { errorText, log } from "../../lib/log";
import { normalizeMarkets } from "../../markets/normalize";
import { upsertMarkets } from "../../markets/sync";
import { commandArgs, onAction } from "../actions";
import { answer, type BotContext, type BotDeps, reply, show } from "../bot-context";
import { CATEGORIES, categoriesScreen, type MarketList, marketCard, marketListScreen, marketMissing, searchPrompt } from "../screens/markets";
import type { PolymarketLink } from "../input/polymarket-links";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { createIntent, type ListIntent, loadListIntent } from "../store/intents";
import { categoriesWithMarkets, eventTitle, findMarketIdBySlug, type ListFilter, listMarkets, loadMarket } from "../store/markets";
import { setPending } from "../store/users";
import type { Screen } from "../../telegram/screen";
import { type MarketView, quoteTop } from "../screens/view-data";
import { oneRead, type TokenTop } from "../screens/price-read";
import type { BookQuote } from "../../polymarket/types";

/** A search page stays valid this long (its Next/Prev buttons say "expired" afterwards). */
const LIST_TTL_MS = 60 * 60_000;
const MAX_SEARCH_CHARS = 100;
const MAX_SEARCH_WORDS = 6;

export const markets = new Composer<BotContext>();

/** A book as one token's top, timed when it was read: a REST book now, a streamed one at its last message. */
function topOf(q: BookQuote & { receivedAt?: number }, now: number): TokenTop {
  const t = quoteTop(q);
  const at = q.source === "rest" ? now : typeof q.receivedAt === "number" ? q.receivedAt : q.updatedAt;
  return { bestBid: t.bestBid, bestAsk: t.bestAsk, lastTrade: q.lastTradePrice === undefined ? null : BigInt(q.lastTradePrice), source: q.source, at };
}

/**
 * The market with its outcomes' prices from ONE live book read (a binary market's two outcomes share
 * one book at Polymarket): the streamer's, else the CLOB's over REST; database values otherwise.
 * A market of more outcomes reads each book and says the age of the oldest.
 */
export async function liveMarket(deps: BotDeps, marketId: string): Promise<MarketView | null> {
  const m = await loadMarket(deps.db, marketId);
  if (!m || m.closed) return m;
  const read = async (i: number) => {
    const tokenId = m.outcomes[i]?.tokenId;
    const q = tokenId ? await deps.ports.books.getBook(tokenId).catch(() => null) : null;
    return q ? topOf(q, deps.now()) : null;
  };
  const tops = m.outcomes.length === 2 ? [await read(0), null] : await Promise.all(m.outcomes.map((_, i) => read(i)));
  if (!tops.some((t) => t !== null)) return m;
  const listing = { prices: m.outcomes.map((o) => o.price), source: m.priceSource, at: m.priceAt };
  const r = oneRead(tops, listing);
  m.outcomes.forEach((o, i) => Object.assign(o, r.outcomes[i]));
  m.priceSource = r.source;
  m.priceAt = r.at;
  return m;
}

export async function openMarket(ctx: BotContext, marketId: string, asReply = false): Promise<void> {
  const m = await liveMarket(ctx.deps, marketId);
  const s = m ? marketCard(m, ctx.deps.now()) : marketMissing();
  await (asReply ? reply(ctx, s) : show(ctx, s));
  if (m) await answer(ctx);
  else await answer(ctx, "Market not found.");
}

function filterOf(i: ListIntent): ListFilter {
  return i.kind === "words" ? { kind: "words", words: i.words } : { kind: "event", slug: i.slug };
}

async function listScreen(ctx: BotContext, f: ListFilter, page: number, title: string, pageAction: MarketList["pageAction"], empty: string): Promise<Screen> {
  const { items, hasNext } = await listMarkets(ctx.deps.db, f, page);
  return marketListScreen({ title, items, page, hasNext, pageAction, empty }, ctx.deps.now());
}

const trending = (ctx: BotContext, page: number) =>
  listScreen(ctx, { kind: "trending" }, page, "🔥 Trending markets (24 h volume)", (p) => ({ a: "trending", page: p }), "No open markets yet: they appear after the next market sync.");

/** Stores a list (search words or an event) behind a short id so its page buttons fit in 64 bytes. */
async function showList(ctx: BotContext, intent: ListIntent, asReply: boolean): Promise<void> {
  const id = ctx.deps.ports.newId();
  await createIntent(ctx.deps.db, { id, userId: ctx.account.id, kind: "list", payload: intent, expiresAt: ctx.deps.now() + LIST_TTL_MS });
  const s = await listPage(ctx, intent, id, 0);
  await (asReply ? reply(ctx, s) : show(ctx, s));
}

function listPage(ctx: BotContext, intent: ListIntent, id: string, page: number): Promise<Screen> {
  const title = intent.kind === "words" ? `🔎 Results for “${intent.text}”` : `📅 ${intent.title}`;
  return listScreen(ctx, filterOf(intent), page, title, (p) => ({ a: "search", intent: id, page: p }), "Nothing matches. Try other words or tap Trending; /help lists everything else I understand.");
}

/** Searches open markets for the words of `text` (each word must match the question or event). */
export async function searchText(ctx: BotContext, text: string): Promise<void> {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length > MAX_SEARCH_CHARS) return void (await reply(ctx, searchPromptWith(`That is too long to search (at most ${MAX_SEARCH_CHARS} characters). Try a few words.`)));
  const words = [...new Set(flat.toLowerCase().split(" ").filter((w) => [...w].length >= 2))].slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return void (await reply(ctx, searchPromptWith("Send at least one word of two letters or more.")));
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "search", ctx.deps.now());
  if (!limited.ok) return void (await ctx.reply(rateLimitedText(limited)));
  await showList(ctx, { kind: "words", text: flat, words }, true);
}

function searchPromptWith(error: string): Screen {
  const s = searchPrompt();
  return { ...s, text: `⚠️ ${error}\n\n${s.text}` };
}

/** Opens what a pasted polymarket.com link names; unknown slugs are looked up on Gamma once. */
export async function openLink(ctx: BotContext, link: PolymarketLink): Promise<void> {
  const by = link.kind === "market" ? { marketSlug: link.marketSlug } : { eventSlug: link.eventSlug, ...(link.marketSlug ? { marketSlug: link.marketSlug } : {}) };
  let found = await findMarketIdBySlug(ctx.deps.db, by);
  if (!found.marketId && (await importFromGamma(ctx, link))) found = await findMarketIdBySlug(ctx.deps.db, by);
  if (!found.marketId) return void (await reply(ctx, marketMissing("The market in that link")));
  if (link.kind === "event" && !link.marketSlug && found.eventMarkets > 1) {
    const title = (await eventTitle(ctx.deps.db, link.eventSlug)) ?? link.eventSlug;
    return showList(ctx, { kind: "event", slug: link.eventSlug, title }, true);
  }
  await openMarket(ctx, found.marketId, true);
}

async function importFromGamma(ctx: BotContext, link: PolymarketLink): Promise<boolean> {
  try {
    const gamma = ctx.deps.ports.gamma();
    if (link.kind === "market") {
      const m = await gamma.getMarketBySlug(link.marketSlug);
      const batch = m ? normalizeMarkets([m]) : null;
      if (!batch?.markets.length) return false;
      await upsertMarkets(ctx.deps.db, batch.markets, new Date(ctx.deps.now()));
      return true;
    }
    const ev = await gamma.getEventBySlug(link.eventSlug);
    const batch = ev ? normalizeMarkets(ev.markets, ev) : null;
    if (!batch?.markets.length) return false;
    await upsertMarkets(ctx.deps.db, batch.markets, new Date(ctx.deps.now()));
    return true;
  } catch (err) {
    log.warn("bot_gamma_lookup_failed", { kind: link.kind, error: errorText(err) });
    return false;
  }
}

markets.command("markets", async (ctx) => void (await reply(ctx, await trending(ctx, 0))));

markets.command("search", async (ctx) => {
  const words = commandArgs(ctx);
  if (words) return searchText(ctx, words);
  await setPending(ctx.deps.db, ctx.account.id, { kind: "search" }, ctx.deps.now());
  await reply(ctx, searchPrompt());
});

onAction(markets, ["trending"], async (ctx, a) => {
  await show(ctx, await trending(ctx, a.page));
  await answer(ctx);
});

onAction(markets, ["categories"], async (ctx) => {
  // Only categories with an open market: an empty one would lead nowhere.
  await show(ctx, categoriesScreen(await categoriesWithMarkets(ctx.deps.db, CATEGORIES.map((c) => c.match))));
  await answer(ctx);
});

onAction(markets, ["category"], async (ctx, a) => {
  const cat = CATEGORIES[a.cat];
  if (!cat) return answer(ctx, "Unknown category.");
  await show(ctx, await listScreen(ctx, { kind: "category", match: cat.match }, a.page, `${cat.label}: busiest open markets`, (p) => ({ a: "category", cat: a.cat, page: p }), `No open ${cat.label.toLowerCase()} markets right now.`));
  await answer(ctx);
});

onAction(markets, ["searchPrompt"], async (ctx) => {
  await setPending(ctx.deps.db, ctx.account.id, { kind: "search" }, ctx.deps.now());
  await show(ctx, searchPrompt());
  await answer(ctx);
});

onAction(markets, ["search"], async (ctx, a) => {
  const intent = await loadListIntent(ctx.deps.db, ctx.account.id, a.intent, ctx.deps.now());
  if (!intent) return answer(ctx, "This list has expired. Search again.", true);
  await show(ctx, await listPage(ctx, intent, a.intent, a.page));
  await answer(ctx);
});

onAction(markets, ["market"], (ctx, a) => openMarket(ctx, a.market));
