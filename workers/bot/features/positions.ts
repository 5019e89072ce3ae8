// Positions: the portfolio and open positions, closed ones, a position card with live price, and
// take-profit / stop-loss / trailing levels (manual sells: features/sell.ts).
import { Composer } from "grammy";
import { toMicros } from "../../money/micros";
import { removeTrigger, setStopAnyPrice, setTrigger } from "../../triggers/service";
import { onAction } from "../actions";
import { answer, type BotContext, reply, show } from "../bot-context";
import { type TriggerCode, specText } from "../../telegram/callback-data";
import { cents } from "../../telegram/format";
import type { Pending } from "../store/pending-input";
import { anyPriceWarningScreen, closedScreen, positionCardScreen, positionGone, positionsScreen, triggerKindOf, triggerMenuScreen } from "../screens/positions";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { listClosedPositions, listOpenPositions, loadPositionCard, portfolio } from "../store/positions";
import { loadExitLog } from "../store/exit-log";
import { exitLogScreen } from "../screens/exit-log";
import { setPending } from "../store/users";
import type { Line, Screen } from "../../telegram/screen";
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
