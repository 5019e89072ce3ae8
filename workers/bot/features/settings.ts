// Settings: buy amount presets, the slippage bound, default TP/SL after each buy, paper reset.
import { Composer } from "grammy";
import { resetPaperAccount } from "../../trading/paper-account";
import { defaultPicker, presetsPrompt, resetConfirm, settingsScreen, slippagePicker } from "../screens/account";
import { onAction } from "../actions";
import { answer, type BotContext, reply, show } from "../bot-context";
import { count, usd } from "../../telegram/format";
import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { mergeSettings, setPending } from "../store/users";
import { parseDefaultLevel, parsePresets, parseSlippage, readPrefs, SLIPPAGE_CHOICES, TRIGGER_PRESETS } from "../store/user-prefs";
import { askPin, onPinVerified } from "./security";

export const settings = new Composer<BotContext>();

/** Saves a change and shows the settings with it applied. */
async function save(ctx: BotContext, patch: Record<string, unknown>, note: string, asReply = false): Promise<void> {
  await mergeSettings(ctx.deps.db, ctx.account.id, patch);
  ctx.account.prefs = readPrefs({ ...ctx.account.settings, ...patch });
  const s = settingsScreen(ctx.account.prefs, ctx.account.mode, note);
  await (asReply ? reply(ctx, s) : show(ctx, s));
  await answer(ctx, "Saved.");
}

settings.command("settings", async (ctx) => void (await reply(ctx, settingsScreen(ctx.account.prefs, ctx.account.mode))));
onAction(settings, ["settings"], async (ctx) => void (await show(ctx, settingsScreen(ctx.account.prefs, ctx.account.mode)), await answer(ctx)));

onAction(settings, ["setPresets"], async (ctx) => {
  await setPending(ctx.deps.db, ctx.account.id, { kind: "presets" }, ctx.deps.now());
  await show(ctx, presetsPrompt(ctx.account.prefs));
  await answer(ctx);
});

export async function presetsText(ctx: BotContext, text: string): Promise<void> {
  const r = parsePresets(text);
  if (!r.ok) return void (await ctx.reply(`⚠️ ${r.error}`));
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  await save(ctx, { buyPresets: r.presets }, "✅ Buy amounts saved.", true);
}

/** A new slippage bound: a wider one in live mode lets a market order pay more, so it takes the PIN. */
async function applySlippage(ctx: BotContext, bps: number, asReply: boolean): Promise<void> {
  if (ctx.account.mode === "live" && bps > ctx.account.prefs.slippageBps) return askPin(ctx, "slippage", bps);
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  await save(ctx, { slippageBps: bps }, `✅ Slippage bound: ${bps / 100}%.`, asReply);
}

onAction(settings, ["setSlippage"], async (ctx, a) => {
  if (a.bps === null) {
    await setPending(ctx.deps.db, ctx.account.id, { kind: "slippage" }, ctx.deps.now());
    return void (await show(ctx, slippagePicker(ctx.account.prefs)), await answer(ctx));
  }
  if (!(SLIPPAGE_CHOICES as readonly number[]).includes(a.bps)) return answer(ctx, "Unknown choice.");
  await applySlippage(ctx, a.bps, false);
  await answer(ctx);
});

/** A typed slippage bound ("2%", "0.5"): a bad one says why and the question stays open. */
export async function slippageText(ctx: BotContext, text: string): Promise<void> {
  const r = parseSlippage(text);
  if (!r.ok) return void (await ctx.reply(`⚠️ ${r.error}`));
  await applySlippage(ctx, r.value, true);
}

/** A typed default level ("+30%", "-20%"): a bad one says why and the question stays open. */
export async function defaultLevelText(ctx: BotContext, kind: "tp" | "sl", text: string): Promise<void> {
  const r = parseDefaultLevel(text, kind);
  if (!r.ok) return void (await ctx.reply(`⚠️ ${r.error}`));
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  const name = kind === "tp" ? "take profit" : "stop loss";
  await save(ctx, { [kind === "tp" ? "defaultTp" : "defaultSl"]: r.value }, `✅ Default ${name}: ${r.value} from entry, after each buy.`, true);
}

onPinVerified("slippage", async (ctx, p) => {
  if (p.bps !== undefined) await save(ctx, { slippageBps: p.bps }, `✅ Slippage bound: ${p.bps / 100}%.`, true);
});

onAction(settings, ["setDefault"], async (ctx, a) => {
  const key = a.kind === "tp" ? "defaultTp" : "defaultSl";
  const name = a.kind === "tp" ? "take profit" : "stop loss";
  if (a.spec === null) {
    await setPending(ctx.deps.db, ctx.account.id, { kind: "default_level", level: a.kind }, ctx.deps.now());
    return void (await show(ctx, defaultPicker(ctx.account.prefs, a.kind)), await answer(ctx));
  }
  if (a.spec === "off") return save(ctx, { [key]: null }, `✅ No default ${name}.`);
  if (!(TRIGGER_PRESETS[a.kind] as readonly string[]).includes(a.spec)) return answer(ctx, "Unknown choice.");
  await save(ctx, { [key]: a.spec }, `✅ Default ${name}: ${a.spec} from entry, after each buy.`);
});

onAction(settings, ["reset"], async (ctx, a) => {
  if (!a.confirmed) return void (await show(ctx, resetConfirm(ctx.deps.settings.PAPER_START_BALANCE)), await answer(ctx));
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "trade", ctx.deps.now());
  if (!limited.ok) return answer(ctx, rateLimitedText(limited), true);
  const r = await resetPaperAccount(await ctx.deps.ports.trading(ctx.deps.db), ctx.account.id);
  if (!r) return answer(ctx, "Account not found.", true);
  ctx.account.paperCash = r.cash;
  const closed = r.closedPositionIds.length;
  await show(ctx, settingsScreen(ctx.account.prefs, ctx.account.mode, `✅ Paper account reset: cash ${usd(r.cash)}${closed ? `, ${count(closed, "paper position")} closed` : ""}.`));
  await answer(ctx, "Paper account reset.");
});
