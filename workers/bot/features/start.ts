// Start and help: /start (the account is created on first contact) shows the main menu; /help explains.
import { Composer } from "grammy";
import { helpScreen, menuScreen } from "../screens/account";
import { onAction } from "../actions";
import { answer, type BotContext, reply, show } from "../bot-context";
import type { Screen } from "../../telegram/screen";

export const start = new Composer<BotContext>();

const menu = (ctx: BotContext): Screen =>
  menuScreen({ firstName: ctx.account.firstName, mode: ctx.account.mode, paperCash: ctx.account.paperCash }, ctx.account.isNew);

start.command("start", async (ctx) => void (await reply(ctx, menu(ctx))));
start.command("help", async (ctx) => void (await reply(ctx, helpScreen())));
onAction(start, ["menu"], async (ctx) => void (await show(ctx, menu(ctx)), await answer(ctx)));
onAction(start, ["help"], async (ctx) => void (await show(ctx, helpScreen()), await answer(ctx)));
onAction(start, ["noop"], (ctx) => answer(ctx));
