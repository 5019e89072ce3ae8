// The second factor in the chat: setting and changing the PIN, asking it before what moves money or
// keys out (a key export, live mode, a wider slippage bound in live mode), the delayed export and
// the delayed reset of a forgotten PIN, and their Cancel buttons. Typed PINs are deleted at once.
import { Composer } from "grammy";
import { checkNewPin, peppered } from "../../security/pin";
import { checkPin, hasPin, setPin } from "../../security/pin-store";
import { cancelAction, requestAction, setNotice } from "../../security/secure-actions";
import { timingSafeEqualStr } from "../../lib/constant-time";
import { log } from "../../lib/log";
import { onAction } from "../actions";
import { answer, type BotContext, reply, show } from "../bot-context";
import {
  cancelledScreen,
  exportScheduled,
  forgotConfirm,
  pinLockedText,
  pinNeeded,
  pinNewPrompt,
  pinProblemText,
  type PinPurpose,
  pinPrompt,
  pinWrongText,
  resetScheduled,
} from "../screens/security";
import type { Pending } from "../store/pending-input";
import { setPending } from "../store/users";
import { deleteUserMessage } from "./delete-message";

export const security = new Composer<BotContext>();

/** Continues what the PIN was asked for (wired by the features that ask: wallet, settings). */
export type AfterPin = (ctx: BotContext, p: Extract<Pending, { kind: "pin_verify" }>) => Promise<void>;
const continuations = new Map<PinPurpose, AfterPin>();
export const onPinVerified = (purpose: PinPurpose, next: AfterPin) => void continuations.set(purpose, next);
/** What the owner sees once a new PIN is set (the wallet screen, wired by wallet.ts). */
let afterSet: (ctx: BotContext, note: string) => Promise<void> = async (ctx, note) => void (await ctx.reply(note));
export const onPinSet = (next: typeof afterSet) => void (afterSet = next);

/** Asks the PIN before `purpose`; without a PIN, asks the owner to set one. */
export async function askPin(ctx: BotContext, purpose: PinPurpose, bps?: number): Promise<void> {
  if (!(await hasPin(ctx.deps.db, ctx.account.id))) return void (await show(ctx, pinNeeded(purpose)));
  await setPending(ctx.deps.db, ctx.account.id, { kind: "pin_verify", purpose, ...(bps !== undefined ? { bps } : {}) }, ctx.deps.now());
  await show(ctx, pinPrompt(purpose));
}

onAction(security, ["pinSet"], async (ctx) => {
  if (await hasPin(ctx.deps.db, ctx.account.id)) await askPin(ctx, "change");
  else {
    await setPending(ctx.deps.db, ctx.account.id, { kind: "pin_new" }, ctx.deps.now());
    await show(ctx, pinNewPrompt());
  }
  await answer(ctx);
});

onAction(security, ["pinForgot"], async (ctx, a) => {
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  if (!a.confirmed) return void (await show(ctx, forgotConfirm()), await answer(ctx));
  const r = await requestAction(ctx.deps.db, ctx.account.id, "reset_pin", ctx.deps.now());
  const messageId = await reply(ctx, resetScheduled(r.dueAt, r.id));
  await setNotice(ctx.deps.db, r.id, messageId);
  await ctx.deps.ports.scheduleSweep(r.dueAt).catch((err: Error) => log.warn("bot_schedule_sweep_failed", { error: err.message }));
  await answer(ctx, "PIN reset requested.");
});

onAction(security, ["secureCancel"], async (ctx, a) => {
  const done = await cancelAction(ctx.deps.db, ctx.account.id, a.id);
  await show(ctx, cancelledScreen(done));
  await answer(ctx, done ? "Cancelled." : "Nothing to cancel.");
});

/** The key export, 10 minutes after the PIN: announced now, with Cancel. */
export async function scheduleExport(ctx: BotContext): Promise<void> {
  const now = ctx.deps.now();
  const r = await requestAction(ctx.deps.db, ctx.account.id, "export_key", now);
  const messageId = await reply(ctx, exportScheduled(r.dueAt, now, r.id, r.fresh));
  if (r.fresh) {
    await setNotice(ctx.deps.db, r.id, messageId);
    await ctx.deps.ports.scheduleSweep(r.dueAt).catch((err: Error) => log.warn("bot_schedule_sweep_failed", { error: err.message }));
  }
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A typed PIN (new, confirmation, or asked): the message goes first, then the answer. */
export async function pinText(ctx: BotContext, p: Extract<Pending, { kind: "pin_new" | "pin_confirm" | "pin_verify" }>, text: string): Promise<void> {
  await deleteUserMessage(ctx, "pasted_key");
  const pin = text.trim();
  const keys = await ctx.deps.ports.pinKeys();
  const now = ctx.deps.now();
  if (p.kind === "pin_new") {
    const problem = checkNewPin(pin);
    if (problem) return void (await ctx.reply(pinProblemText(problem)));
    await setPending(ctx.deps.db, ctx.account.id, { kind: "pin_confirm", check: base64(await peppered(keys.peppers[0]!, ctx.account.id, pin)) }, now);
    return void (await reply(ctx, pinNewPrompt(true)));
  }
  if (p.kind === "pin_confirm") {
    const same = timingSafeEqualStr(base64(await peppered(keys.peppers[0]!, ctx.account.id, pin)), p.check);
    if (!same) {
      await setPending(ctx.deps.db, ctx.account.id, { kind: "pin_new" }, now);
      return void (await ctx.reply("⚠️ The two PINs did not match. Choose a PIN again."));
    }
    await setPin(ctx.deps.db, keys, ctx.account.id, pin);
    await setPending(ctx.deps.db, ctx.account.id, null, now);
    return afterSet(ctx, "✅ PIN set. The bot asks for it before a key export, before live trading and before withdrawals.");
  }
  const check = await checkPin(ctx.deps.db, keys, ctx.account.id, pin, now);
  if (!check.ok) {
    if (check.why === "wrong" && check.lockedUntil === null) return void (await ctx.reply(pinWrongText(check.triesLeft, null)));
    await setPending(ctx.deps.db, ctx.account.id, null, now);
    if (check.why === "not_set") return void (await reply(ctx, pinNeeded(p.purpose)));
    return void (await ctx.reply(check.why === "locked" ? pinLockedText(check.until) : pinWrongText(0, check.lockedUntil)));
  }
  await setPending(ctx.deps.db, ctx.account.id, null, now);
  if (p.purpose === "change") {
    await setPending(ctx.deps.db, ctx.account.id, { kind: "pin_new" }, now);
    return void (await reply(ctx, pinNewPrompt()));
  }
  const next = continuations.get(p.purpose);
  if (next) await next(ctx, p);
}
