// The bot's context: grammY's Context plus the request's dependencies, the user's account and the
// decoded button; and the one way screens reach Telegram (edit in place, answer every button).
import { type Context, GrammyError } from "grammy";
import type { Db } from "../db/client";
import type { Settings } from "../env";
import { errorText, log } from "../lib/log";
import type { Action } from "../telegram/callback-data";
import type { Account } from "./store/users";
import { type Screen, toMarkup } from "../telegram/screen";
import type { BotPorts } from "./ports";

export interface BotDeps {
  settings: Settings;
  db: Db;
  ports: BotPorts;
  now(): number;
  /** Runs work after the webhook has answered, with its own database handle (an order, a sell). */
  background(name: string, task: (db: Db) => Promise<void>): void;
}

export interface BotFlavor {
  deps: BotDeps;
  account: Account;
  /** The decoded button, for callback queries whose data decoded. */
  action?: Action;
  answered: boolean;
}

export type BotContext = Context & BotFlavor;

const NOT_MODIFIED = /message is not modified/i;
const CANNOT_EDIT = /message to edit not found|message can't be edited|there is no text in the message to edit/i;

function options(s: Screen) {
  return { parse_mode: "HTML" as const, reply_markup: toMarkup(s.keyboard), link_preview_options: { is_disabled: true } };
}

/** Sends a screen as a new message; returns its id. */
export async function reply(ctx: BotContext, s: Screen): Promise<number> {
  const msg = await ctx.api.sendMessage(ctx.chatId!, s.text, options(s));
  return msg.message_id;
}

/**
 * Shows a screen: edits the message whose button was pressed (in place), otherwise sends a new
 * one. An unchanged screen ("message is not modified") is fine; a message that can no longer be
 * edited gets a fresh one.
 */
export async function show(ctx: BotContext, s: Screen): Promise<number | undefined> {
  const msg = ctx.callbackQuery?.message;
  if (!msg) return reply(ctx, s);
  try {
    await ctx.api.editMessageText(msg.chat.id, msg.message_id, s.text, options(s));
    return msg.message_id;
  } catch (err) {
    if (err instanceof GrammyError && NOT_MODIFIED.test(err.description)) return msg.message_id;
    if (err instanceof GrammyError && CANNOT_EDIT.test(err.description)) return reply(ctx, s);
    throw err;
  }
}

/** Edits a known message (from background work); falls back to a new message when it cannot. */
export async function editOrSend(ctx: Pick<BotContext, "api">, chatId: number, messageId: number, s: Screen): Promise<void> {
  try {
    await ctx.api.editMessageText(chatId, messageId, s.text, options(s));
  } catch (err) {
    if (err instanceof GrammyError && NOT_MODIFIED.test(err.description)) return;
    if (err instanceof GrammyError && CANNOT_EDIT.test(err.description)) {
      await ctx.api.sendMessage(chatId, s.text, options(s));
      return;
    }
    throw err;
  }
}

/** Answers the pressed button (once): a toast, or an alert the user must dismiss. */
export async function answer(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery || ctx.answered) return;
  ctx.answered = true;
  try {
    await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : undefined);
  } catch (err) {
    // An answer after Telegram's deadline fails harmlessly ("query is too old"); the screen still changed.
    log.warn("telegram_answer_failed", { error: errorText(err) });
  }
}
