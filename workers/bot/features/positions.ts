// Positions: the portfolio and open positions, closed ones, a position card with live price, manual
// sells (after the webhook answered) and take-profit / stop-loss / trailing levels.
import { Composer } from "grammy";
import { log } from "../../lib/log";
import { toMicros } from "../../money/micros";
import { executeSell } from "../../trading/execute-sell";
import { removeTrigger, setStopAnyPrice, setTrigger } from "../../triggers/service";
import { onAction } from "../actions";
import { answer, type BotContext, editOrSend, reply, show } from "../bot-context";
import { type TriggerCode, specText } from "../../telegram/callback-data";
import { cents } from "../../telegram/format";
import type { Pending } from "../store/pending-input";
import { anyPriceWarningScreen, closedScreen, positionCardScreen, positionGone, positionsScreen, triggerKindOf, triggerMenuScreen } from "../screens/positions";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { listClosedPositions, listOpenPositions, loadPositionCard, portfolio } from "../store/positions";
import { loadExitLog } from "../store/exit-log";
import { exitLogScreen } from "../screens/exit-log";
import { setPending } from "../store/users";
import { type Line, type Screen, screen } from "../../telegram/screen";
import { placingScreen, sellResultScreen } from "../screens/trade";
import { type PositionCard, quoteTop } from "../screens/view-data";
import { TRIGGER_LABELS } from "../../triggers/types";
import { clip, html } from "../../telegram/html";

export const positions = new Composer<BotContext>();

const CODE_OF: Record<PositionCard["triggers"][number]["kind"], TriggerCode> = { take_profit: "tp", stop_loss: "sl", trailing_stop: "tr" };

async function positionsList(ctx: BotContext, page: number): Promise<Screen> {
  const a = ctx.account;
  const [f, list] = await Promise.all([portfolio(ctx.deps.db, a), listOpenPositions(ctx.deps.db, a.id, a.mode, page)]);
  return positionsScreen(f, list.items, page, list.hasNext, ctx.deps.now());
}

/** The user's position with the streamer's best bid when it has a fresher one than the database. */
async function card(ctx: BotContext, positionId: number): Promise<(PositionCard & { tokenId: string }) | null> {
  const p = await loadPositionCard(ctx.deps.db, ctx.account.id, positionId);
  if (!p || p.status === "closed") return p;
  const q = await ctx.deps.ports.liveQuote(p.tokenId);
  const bid = q ? quoteTop(q).bestBid : null;
  const at = q?.receivedAt ?? q?.updatedAt;
  if (q && bid !== null && at !== undefined && (p.priceAt === null || at >= p.priceAt)) Object.assign(p, { currentPrice: bid, priceSource: q.source, priceAt: at });
  return p;
}

/** Shows the card, or says the position is gone (a forged or stale button does nothing else). */
async function showCard(ctx: BotContext, positionId: number, note?: Line, asReply = false): Promise<PositionCard | null> {
  const p = await card(ctx, positionId);
  const s = p ? positionCardScreen(p, ctx.deps.now(), note) : positionGone("not_found");
  await (asReply ? reply(ctx, s) : show(ctx, s));
  await answer(ctx, p ? undefined : "Position not found.");
  return p;
}

positions.command("positions", async (ctx) => void (await reply(ctx, await positionsList(ctx, 0))));

onAction(positions, ["positions"], async (ctx, a) => {
  await show(ctx, await positionsList(ctx, a.page));
  await answer(ctx);
});

onAction(positions, ["closed"], async (ctx, a) => {
  const list = await listClosedPositions(ctx.deps.db, ctx.account.id, a.page);
  await show(ctx, closedScreen(list.items, a.page, list.hasNext));
  await answer(ctx);
});

onAction(positions, ["position"], async (ctx, a) => void (await showCard(ctx, a.position)));

onAction(positions, ["exitLog"], async (ctx, a) => {
  const p = await loadPositionCard(ctx.deps.db, ctx.account.id, a.position);
  if (!p) {
    await show(ctx, positionGone("not_found"));
    return answer(ctx, "Position not found.");
  }
  await show(ctx, exitLogScreen(p, await loadExitLog(ctx.deps.db, ctx.account.id, p.id), ctx.deps.now()));
  await answer(ctx);
});

onAction(positions, ["sell"], async (ctx, a) => {
  const p = await loadPositionCard(ctx.deps.db, ctx.account.id, a.position);
  if (!p) return answer(ctx, "Position not found.", true);
  if (p.status === "closed") {
    await show(ctx, positionCardScreen(p, ctx.deps.now()));
    return answer(ctx, "This position is already closed.", true);
  }
  if (p.status === "closing") return answer(ctx, "This position is already being sold.", true);
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "trade", ctx.deps.now());
  if (!limited.ok) return answer(ctx, rateLimitedText(limited), true);
  const what = a.bps === 10_000 ? "all" : `${a.bps / 100}%`;
  await answer(ctx, `Selling ${what}…`);
  const messageId = await show(ctx, placingScreen(html`Selling ${what} of your ${clip(p.outcome, 40)} shares`));
  const chatId = ctx.chatId!;
  const userId = ctx.account.id;
  const ports = ctx.deps.ports;
  ctx.deps.background("sell", async (db) => {
    let result: Screen;
    try {
      const r = await executeSell(await ports.trading(db), { userId, positionId: p.id, shares: a.bps === 10_000 ? "all" : { fractionBps: a.bps }, reason: "manual" });
      result = sellResultScreen(p.question, p.outcome, r, p.id);
    } catch (err) {
      log.error("bot_sell_failed", { user_id: userId, position_id: p.id, error: err });
      result = screen(["⚠️ Something went wrong while selling. Check the position before trying again: the sale may have gone through."], []);
    }
    if (messageId !== undefined) await editOrSend(ctx, chatId, messageId, result);
  });
});

onAction(positions, ["trigger"], async (ctx, a) => {
  const p = await card(ctx, a.position);
  if (!p || p.status !== "active") {
    await show(ctx, positionGone(p ? "closed" : "not_found"));
    return answer(ctx, p ? "This position is not open." : "Position not found.");
  }
  await setPending(ctx.deps.db, ctx.account.id, { kind: "trigger_level", positionId: p.id, trigger: triggerKindOf(a.kind) }, ctx.deps.now());
  await show(ctx, triggerMenuScreen(p, a.kind, ctx.deps.now()));
  await answer(ctx);
});

/** Sets a level from a preset button or typed text; on a bad level, the menu again with the reason. */
async function applyLevel(ctx: BotContext, positionId: number, code: TriggerCode, spec: string, asReply: boolean): Promise<void> {
  const kind = triggerKindOf(code);
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "trade", ctx.deps.now());
  if (!limited.ok) return void (asReply ? await ctx.reply(rateLimitedText(limited)) : await answer(ctx, rateLimitedText(limited), true));
  const r = await setTrigger(ctx.deps.ports.triggers(ctx.deps.db), { userId: ctx.account.id, positionId, kind, spec });
  if (!r.ok) {
    const p = await card(ctx, positionId);
    if (!p || p.status !== "active") {
      await (asReply ? reply(ctx, positionGone(p ? "closed" : "not_found")) : show(ctx, positionGone(p ? "closed" : "not_found")));
      return answer(ctx, r.error, true);
    }
    // The question stays open: a refused value or button never leaves the next typed text to a search.
    await setPending(ctx.deps.db, ctx.account.id, { kind: "trigger_level", positionId, trigger: kind }, ctx.deps.now());
    await (asReply ? reply(ctx, triggerMenuScreen(p, code, ctx.deps.now(), r.error)) : show(ctx, triggerMenuScreen(p, code, ctx.deps.now(), r.error)));
    return answer(ctx, "Not set: see why above.");
  }
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  const t = r.trigger;
  const level = t.trail ? `${cents(toMicros(t.trail))} below the high` : t.price ? cents(toMicros(t.price)) : clip(spec, 40);
  const note = html`✅ ${TRIGGER_LABELS[kind]} set: ${level}${r.note ? html` (${clip(r.note, 100)})` : ""}.`;
  await showCard(ctx, positionId, note, asReply);
}

onAction(positions, ["setTrigger"], (ctx, a) => applyLevel(ctx, a.position, a.kind, specText(a.spec), false));

export async function levelText(ctx: BotContext, p: Extract<Pending, { kind: "trigger_level" }>, text: string): Promise<void> {
  await applyLevel(ctx, p.positionId, CODE_OF[p.trigger], text.trim().slice(0, 40), true);
}

onAction(positions, ["removeTrigger"], async (ctx, a) => {
  const kind = triggerKindOf(a.kind);
  const removed = await removeTrigger(ctx.deps.ports.triggers(ctx.deps.db), { userId: ctx.account.id, positionId: a.position, kind });
  await showCard(ctx, a.position, removed.length ? `${TRIGGER_LABELS[kind]} removed.` : `No ${TRIGGER_LABELS[kind].toLowerCase()} was set.`);
});

/** "Sell at any price…" shows the warning first; confirmed, the stop sells at any price; off, it is a stop-limit again. */
onAction(positions, ["anyPrice"], async (ctx, a) => {
  const p = await card(ctx, a.position);
  if (!p || p.status !== "active") {
    await show(ctx, positionGone(p ? "closed" : "not_found"));
    return answer(ctx, p ? "This position is not open." : "Position not found.");
  }
  if (a.on && !a.confirmed) {
    await show(ctx, anyPriceWarningScreen(p, a.kind));
    return answer(ctx);
  }
  const kind = triggerKindOf(a.kind);
  const row = await setStopAnyPrice(ctx.deps.ports.triggers(ctx.deps.db), { userId: ctx.account.id, positionId: p.id, kind, anyPrice: a.on });
  if (!row) return answer(ctx, `No ${TRIGGER_LABELS[kind].toLowerCase()} is set.`, true);
  await showCard(ctx, p.id, a.on ? `${TRIGGER_LABELS[kind]}: sells at any price.` : `${TRIGGER_LABELS[kind]}: a stop-limit again (never below its floor).`);
});
