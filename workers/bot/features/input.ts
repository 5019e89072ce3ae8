// Typed text that is not a command: the answer to what the bot asked for (users.pending_input), a
// pasted polymarket.com link, a stray private key (deleted), or else a market search.
import { Composer } from "grammy";
import type { BotContext } from "../bot-context";
import { openLink, searchText } from "./markets";
import { parsePolymarketLink } from "../input/polymarket-links";
import { levelText } from "./positions";
import { setPending } from "../store/users";
import { presetsText } from "./settings";
import { amountText } from "./trade";
import { importText, KEY_LIKE, strayKey } from "./wallet";

export const input = new Composer<BotContext>();

const isCommand = (ctx: BotContext) => ctx.message?.entities?.some((e) => e.type === "bot_command" && e.offset === 0) === true;

input.on("message:text").filter(
  (ctx) => !isCommand(ctx),
  async (ctx) => {
    const text = ctx.message.text;
    const p = ctx.account.pending;
    if (p?.kind === "wallet_import") return importText(ctx, text);
    // A key is never searched for, echoed or kept in a chat, whatever the bot was waiting for.
    if (KEY_LIKE.test(text)) return strayKey(ctx);
    const link = parsePolymarketLink(text);
    if (link) {
      if (p) await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
      return openLink(ctx, link);
    }
    switch (p?.kind) {
      case "buy_amount":
        return amountText(ctx, p, text);
      case "trigger_level":
        return levelText(ctx, p, text);
      case "presets":
        return presetsText(ctx, text);
      case "search":
        await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
        return searchText(ctx, text);
      default:
        return searchText(ctx, text);
    }
  },
);

/** Commands the bot does not know. */
input.on("message:text").filter(isCommand, async (ctx) => void (await ctx.reply("I don't know that command. Try /help.")));
