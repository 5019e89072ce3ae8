// Selling from a position card: Sell 25% / 50% / all shows a preview on the live book (shares, the
// price its bids give, fee, what you get, the floor); Confirm (at most once) sells with that floor
// after the webhook answered. A book that fell below the floor is refused in ¢ with a retry (#23).
import { Composer } from "grammy";
import { errorText, log } from "../../lib/log";
import { fromMicros, type Micros, toMicros } from "../../money/micros";
import { executeSell } from "../../trading/execute-sell";
import { effectiveSlippage } from "../../trading/pricing";
import { estimateSell, type SellEstimate } from "../../trading/sell-estimate";
import { onAction } from "../actions";
import { answer, type BotContext, editOrSend, show } from "../bot-context";
import { clip, html } from "../../telegram/html";
import { type Line, type Screen, screen } from "../../telegram/screen";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { positionCardScreen, positionGone } from "../screens/positions";
import { placingScreen, sellMovedScreen, sellPreviewScreen, sellResultScreen } from "../screens/trade";
import { consumeSellIntent, createIntent, peekSellIntent, type SellIntent } from "../store/intents";
import { loadMarket } from "../store/markets";
import { loadPositionCard } from "../store/positions";
import { PREVIEW_TTL_MS } from "./trade";

export const sell = new Composer<BotContext>();

const sizeOf = (bps: number) => (bps === 10_000 ? ("all" as const) : { fractionBps: bps });

/** The best bid of the position's book now (streamer first, then REST); null when nobody bids. */
async function bestBidNow(ctx: BotContext, tokenId: string): Promise<Micros | null> {
  const book = await ctx.deps.ports.books.getBook(tokenId).catch(() => null);
  const best = book?.bids[0];
  return best ? BigInt(best.price) : null;
}

/** Shows the preview of selling `bps` of the position (or why it cannot be sold now). */
async function showPreview(ctx: BotContext, positionId: number, bps: number, note?: Line): Promise<void> {
  const p = await loadPositionCard(ctx.deps.db, ctx.account.id, positionId);
  if (!p) return answer(ctx, "Position not found.", true);
  if (p.status === "closed") {
    await show(ctx, positionCardScreen(p, ctx.deps.now()));
    return answer(ctx, "This position is already closed.", true);
  }
  if (p.status === "closing") return answer(ctx, "This position is already being sold.", true);
  const [m, book] = await Promise.all([loadMarket(ctx.deps.db, p.marketId), ctx.deps.ports.books.getBook(p.tokenId).catch(() => null)]);
  const slippageBps = effectiveSlippage(ctx.account.prefs.slippageBps);
  const estimate: SellEstimate = book
    ? estimateSell({ book, held: p.shares, size: sizeOf(bps), slippageBps, tick: p.tickSize, fees: m?.fees ?? { rate: 0n, exponent: 1 } })
    : { ok: false, reason: "empty_book", bestBid: null };
  let intentId: string | null = null;
  if (estimate.ok && p.marketTradeable) {
    intentId = ctx.deps.ports.newId();
    const payload: SellIntent = { positionId: p.id, bps, floor: fromMicros(estimate.floor), bestBid: fromMicros(estimate.bestBid) };
    await createIntent(ctx.deps.db, { id: intentId, userId: ctx.account.id, kind: "sell", payload, expiresAt: ctx.deps.now() + PREVIEW_TTL_MS });
  }
  const s = sellPreviewScreen({ positionId: p.id, question: p.question, outcome: p.outcome, mode: p.mode, bps, held: p.shares, slippageBps, estimate, intentId, expiresInS: PREVIEW_TTL_MS / 1000 }, note);
  await show(ctx, p.marketTradeable ? s : positionCardScreen(p, ctx.deps.now()));
  await answer(ctx, p.marketTradeable ? undefined : "This market is not accepting orders right now.");
}

onAction(sell, ["sell"], (ctx, a) => showPreview(ctx, a.position, a.bps));

async function staleSell(ctx: BotContext, intentId: string, why: "not_found" | "used" | "expired"): Promise<void> {
  if (why === "used") return answer(ctx, "This sale was already placed.");
  const old = why === "expired" ? await peekSellIntent(ctx.deps.db, ctx.account.id, intentId) : null;
  if (!old) return answer(ctx, "This preview is no longer valid.", true);
  await showPreview(ctx, old.positionId, old.bps, "⌛ That preview expired (prices move). Here is a fresh one:");
}

onAction(sell, ["sellConfirm"], async (ctx, a) => {
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "trade", ctx.deps.now());
  if (!limited.ok) return answer(ctx, rateLimitedText(limited), true);
  const got = await consumeSellIntent(ctx.deps.db, ctx.account.id, a.intent, ctx.deps.now());
  if (!got.ok) return staleSell(ctx, a.intent, got.why);
  const i = got.payload;
  const p = await loadPositionCard(ctx.deps.db, ctx.account.id, i.positionId);
  if (!p || p.status !== "active") {
    await show(ctx, positionGone(p ? "closed" : "not_found"));
    return answer(ctx, p?.status === "closing" ? "This position is already being sold." : p ? "This position is already closed." : "Position not found.");
  }
  const floor = toMicros(i.floor);
  const target = { positionId: p.id, question: p.question, outcome: p.outcome, bps: i.bps };
  // The book of this moment decides: below the previewed floor nothing is sent.
  const best = await bestBidNow(ctx, p.tokenId);
  if (best === null || best < floor) {
    await show(ctx, sellMovedScreen(target, best, floor));
    return answer(ctx, "The price moved: not sold.");
  }
  const what = i.bps === 10_000 ? "all" : `${i.bps / 100}%`;
  await answer(ctx, `Selling ${what}…`);
  const messageId = await show(ctx, placingScreen(html`Selling ${what} of your ${clip(p.outcome, 40)} shares`)).catch((err: unknown) => {
    log.warn("bot_progress_screen_failed", { error: errorText(err) });
    return undefined;
  });
  const chatId = ctx.chatId!;
  const userId = ctx.account.id;
  const ports = ctx.deps.ports;
  ctx.deps.background("sell", async (db) => {
    let result: Screen;
    try {
      const r = await executeSell(await ports.trading(db), { userId, positionId: p.id, shares: sizeOf(i.bps), reason: "manual", limitPrice: floor });
      if (r.status === "rejected" && (r.reason === "slippage_exceeded" || r.reason === "no_liquidity")) {
        result = sellMovedScreen(target, await bestBidNow(ctx, p.tokenId), floor);
      } else result = sellResultScreen(p.question, p.outcome, r, p.id);
    } catch (err) {
      log.error("bot_sell_failed", { user_id: userId, position_id: p.id, error: err });
      result = screen(["⚠️ Something went wrong while selling. Check the position before trying again: the sale may have gone through."], []);
    }
    if (messageId !== undefined) await editOrSend(ctx, chatId, messageId, result);
  });
});
