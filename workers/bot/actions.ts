// Routes decoded buttons to a feature's handlers: each composer claims the actions it owns.
import { Composer } from "grammy";
import type { Action } from "../telegram/callback-data";
import type { BotContext } from "./bot-context";

type Of<K extends Action["a"]> = Extract<Action, { a: K }>;

/** Registers `handler` for callback queries whose decoded action is one of `kinds`. */
export function onAction<K extends Action["a"]>(c: Composer<BotContext>, kinds: readonly K[], handler: (ctx: BotContext, action: Of<K>) => Promise<void>): void {
  c.on("callback_query:data").filter(
    (ctx) => ctx.action !== undefined && (kinds as readonly string[]).includes(ctx.action.a),
    (ctx) => handler(ctx, ctx.action as Of<K>),
  );
}

/** The words after a command ("/search bitcoin etf" → "bitcoin etf"). */
export function commandArgs(ctx: BotContext): string {
  return typeof ctx.match === "string" ? ctx.match.trim() : "";
}
