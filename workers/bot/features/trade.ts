// Buying: amount presets or a typed amount, a preview from the live book, Confirm (at most once),
// the order placed after the webhook answered, and default TP/SL levels applied after the fill.
import { Composer } from "grammy";
import { errorText, log } from "../../lib/log";
import { fromMicros, type Micros, toMicros } from "../../money/micros";
import type { FeeSchedule } from "../../money/fees";
import { sizeBuy } from "../../trading/buy-fees";
import { spendable } from "../../trading/venue-cash";
import type { TickSize } from "../../polymarket/types";
import { executeBuy } from "../../trading/execute-buy";
import { effectiveSlippage, venueAmount, worstPrice } from "../../trading/pricing";
import type { TradeResult } from "../../trading/results";
import { setTrigger, type TriggerDeps } from "../../triggers/service";
import { parseUsdAmount } from "../input/amount";
import { onAction } from "../actions";
import { answer, type BotContext, editOrSend, reply, show } from "../bot-context";
import { cents } from "../../telegram/format";
import { marketMissing } from "../screens/markets";
import type { Pending } from "../store/pending-input";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { type BuyIntent, consumeBuyIntent, createIntent, peekBuyIntent } from "../store/intents";
import { loadMarket } from "../store/markets";
import { type Account, setPending } from "../store/users";
import { clip } from "../../telegram/html";
import { type Screen, screen, toMarkup, withNote } from "../../telegram/screen";
import { type AppliedTriggers, amountScreen, type BuyTarget, buyResultScreen, customAmountPrompt, type Estimate, placingScreen, previewScreen } from "../screens/trade";
import { presetMicros } from "../store/user-prefs";
import { quoteTop } from "../screens/view-data";

/** How long a preview can be confirmed: prices move, and a stale preview misleads. */
export const PREVIEW_TTL_MS = 60_000;
/** Buys are all-or-nothing: the user gets what the preview showed, or nothing and a reason. */
const BUY_ORDER_TYPE = "FOK" as const;

export const trade = new Composer<BotContext>();

const cashOf = (a: Account) => (a.mode === "paper" ? a.paperCash : null);

async function targetOf(ctx: BotContext, marketId: string, outcome: number): Promise<{ target: BuyTarget; tokenId: string; tick: string; fees: FeeSchedule } | Screen> {
  const m = await loadMarket(ctx.deps.db, marketId);
  const o = m?.outcomes[outcome];
  if (!m || !o || !o.tokenId) return marketMissing();
  if (!m.tradeable) return screen([m.resolvedOutcome ? "This market has resolved: trading has ended." : "This market is not accepting orders right now."], []);
  const target: BuyTarget = { marketId, question: m.question, outcomeIndex: outcome, outcome: o.name, mode: ctx.account.mode, cash: cashOf(ctx.account) };
  return { target, tokenId: o.tokenId, tick: m.tickSize, fees: m.fees };
}

const tickOf = (text: string): TickSize => {
  const known: TickSize[] = ["0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001"];
  return known.find((t) => toMicros(t) === toMicros(text, "half-up")) ?? "0.01";
};

/** What a live buy may spend at Polymarket (cached briefly); null when it cannot be asked now. */
async function liveCash(ctx: BotContext): Promise<Micros | null> {
  const c = await ctx.deps.ports.venueCash(ctx.deps.db, ctx.account.id);
  return c ? spendable(c) : null;
}

/** Builds a preview from the live book; stores a confirmable intent when the book can fill it. */
async function preview(ctx: BotContext, marketId: string, outcome: number, amount: Micros): Promise<Screen> {
  const t = await targetOf(ctx, marketId, outcome);
  if ("text" in t) return t;
  const slippageBps = effectiveSlippage(ctx.account.prefs.slippageBps);
  const book = await ctx.deps.ports.books.getBook(t.tokenId);
  const bestAsk = book ? quoteTop(book).bestAsk : null;
  const base = { target: t.target, amount, slippageBps, expiresInS: PREVIEW_TTL_MS / 1000 };
  if (!book || bestAsk === null) return previewScreen({ ...base, bestAsk: 0n, bound: 0n, estimate: { ok: false, reason: "empty_book" }, intentId: null });
  const bound = worstPrice("BUY", bestAsk, slippageBps, book.tickSize ?? tickOf(t.tick));
  // The fill and its taker fee, as the venue would charge them; a paper buy of the whole cash shrinks to fit.
  const cash = ctx.account.mode === "live" ? await liveCash(ctx) : cashOf(ctx.account);
  const sim = sizeBuy({ asks: book.asks, amount: venueAmount(amount), bound, orderType: BUY_ORDER_TYPE, fees: t.fees, cash });
  const estimate: Estimate = sim.ok
    ? { ok: true, shares: sim.shares, avgPrice: sim.avgPrice, lastPrice: sim.worstPrice, usdc: sim.usdc, fee: sim.fee, ...(sim.shrunk ? { shrunkTo: sim.amount } : {}) }
    : sim.reason === "insufficient_balance" ? { ok: false, reason: sim.reason, cash: cash ?? 0n } : { ok: false, reason: sim.reason };
  let intentId: string | null = null;
  if (sim.ok) {
    intentId = ctx.deps.ports.newId();
    const payload: BuyIntent = {
      marketId, outcome, tokenId: t.tokenId, question: t.target.question, outcomeName: t.target.outcome,
      amount: fromMicros(sim.amount), bestAsk: fromMicros(bestAsk), slippageBps,
    };
    await createIntent(ctx.deps.db, { id: intentId, userId: ctx.account.id, kind: "buy", payload, expiresAt: ctx.deps.now() + PREVIEW_TTL_MS });
  }
  return previewScreen({ ...base, bestAsk, bound, estimate, intentId });
}

/** An amount is checked against the limits and the paper balance before any preview. */
function checkAmount(ctx: BotContext, text: string) {
  return parseUsdAmount(text, { balance: cashOf(ctx.account) ?? undefined });
}

onAction(trade, ["buy"], async (ctx, a) => {
  const t = await targetOf(ctx, a.market, a.outcome);
  if ("text" in t) {
    await show(ctx, t);
    return answer(ctx, "This market cannot be traded now.");
  }
  // The streamer holds books only for tokens someone holds: otherwise ask the CLOB, as the preview does.
  const quote = (await ctx.deps.ports.liveQuote(t.tokenId)) ?? (await ctx.deps.ports.books.getBook(t.tokenId));
  const bestAsk = quote ? quoteTop(quote).bestAsk : null;
  await show(ctx, amountScreen(t.target, ctx.account.prefs.buyPresets.map(presetMicros), bestAsk));
  await answer(ctx);
});

onAction(trade, ["amount"], async (ctx, a) => {
  const checked = checkAmount(ctx, fromMicros(BigInt(a.cents) * 10_000n));
  if (!checked.ok) return answer(ctx, checked.error, true);
  await show(ctx, await preview(ctx, a.market, a.outcome, checked.amount));
  await answer(ctx);
});

onAction(trade, ["custom"], async (ctx, a) => {
  const t = await targetOf(ctx, a.market, a.outcome);
  if ("text" in t) return void (await show(ctx, t), await answer(ctx));
  await setPending(ctx.deps.db, ctx.account.id, { kind: "buy_amount", marketId: a.market, outcome: a.outcome }, ctx.deps.now());
  await show(ctx, customAmountPrompt(t.target));
  await answer(ctx);
});

/** The typed answer to "how much?". A bad amount says why and keeps waiting for a good one. */
export async function amountText(ctx: BotContext, p: Extract<Pending, { kind: "buy_amount" }>, text: string): Promise<void> {
  const checked = checkAmount(ctx, text);
  if (!checked.ok) return void (await ctx.reply(`⚠️ ${checked.error}`));
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  await reply(ctx, await preview(ctx, p.marketId, p.outcome, checked.amount));
}

onAction(trade, ["confirm"], async (ctx, a) => {
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "trade", ctx.deps.now());
  if (!limited.ok) return answer(ctx, rateLimitedText(limited), true);
  const got = await consumeBuyIntent(ctx.deps.db, ctx.account.id, a.intent, ctx.deps.now());
  if (!got.ok) return staleConfirm(ctx, a.intent, got.why);
  const i = got.payload;
  await answer(ctx, "Placing your order…");
  // The order is placed whether or not this progress screen reaches the chat: the intent is used.
  const messageId = await show(ctx, placingScreen(`Buying ${clip(i.outcomeName, 40)} for $${i.amount}`)).catch((err: unknown) => {
    log.warn("bot_progress_screen_failed", { error: errorText(err) });
    return undefined;
  });
  const chatId = ctx.chatId!;
  const target: BuyTarget = { marketId: i.marketId, question: i.question, outcomeIndex: i.outcome, outcome: i.outcomeName, mode: ctx.account.mode, cash: null };
  const account = ctx.account;
  const ports = ctx.deps.ports;
  ctx.deps.background("buy", async (db) => {
    let result: Screen;
    try {
      const r = await executeBuy(await ports.trading(db), {
        userId: account.id, tokenId: i.tokenId, amountUsdc: toMicros(i.amount), orderType: BUY_ORDER_TYPE,
        slippageBps: i.slippageBps, referencePrice: toMicros(i.bestAsk), intentId: a.intent, reason: "manual",
      });
      const applied = await applyDefaults(ports.triggers(db), account, r);
      result = buyResultScreen(target, r, applied);
    } catch (err) {
      log.error("bot_buy_failed", { user_id: account.id, intent: a.intent, error: err });
      result = screen(["⚠️ Something went wrong while placing the order. Check Positions before trying again: it may have gone through."], []);
    }
    if (messageId !== undefined) await editOrSend(ctx, chatId, messageId, result);
    else await ctx.api.sendMessage(chatId, result.text, { parse_mode: "HTML", reply_markup: toMarkup(result.keyboard) });
  });
});

async function staleConfirm(ctx: BotContext, intentId: string, why: "not_found" | "used" | "expired"): Promise<void> {
  if (why === "used") return answer(ctx, "This order was already placed.");
  const old = why === "expired" ? await peekBuyIntent(ctx.deps.db, ctx.account.id, intentId) : null;
  if (!old) return answer(ctx, "This preview is no longer valid.", true);
  const fresh = await preview(ctx, old.marketId, old.outcome, toMicros(old.amount));
  await show(ctx, withNote(fresh, "⌛ That preview expired (prices move). Here is a fresh one:"));
  await answer(ctx, "Preview expired: refreshed.");
}

/** The user's default take profit / stop loss, set on the position right after a fill. */
async function applyDefaults(triggers: TriggerDeps, account: Account, r: TradeResult): Promise<AppliedTriggers> {
  const applied: AppliedTriggers = { set: [], failed: [] };
  if (r.status !== "filled" && r.status !== "partially_filled") return applied;
  const wanted = [
    ["take_profit", "Take profit", account.prefs.defaultTp],
    ["stop_loss", "Stop loss", account.prefs.defaultSl],
  ] as const;
  for (const [kind, name, spec] of wanted) {
    if (!spec) continue;
    const set = await setTrigger(triggers, { userId: account.id, positionId: r.position.id, kind, spec }).catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (set.ok) applied.set.push(`${name} set at ${set.trigger.price ? cents(toMicros(set.trigger.price)) : spec} (${spec})`);
    else applied.failed.push(`${name} ${spec} not set: ${set.error}`);
  }
  return applied;
}
