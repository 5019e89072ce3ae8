// Typed text that is not a command: the answer to what the bot asked for (users.pending_input), a
// pasted polymarket.com link, a stray private key (deleted, in text, captions and edits alike), or else
// a market search.
import { Composer } from "grammy";
import type { BotContext } from "../bot-context";
import { openLink, searchText } from "./markets";
import { parsePolymarketLink } from "../input/polymarket-links";
import { levelText } from "./positions";
import { setPending } from "../store/users";
import { defaultLevelText, presetsText, slippageText } from "./settings";
import { amountText } from "./trade";
import { looksLikePrivateKey } from "../../lib/key-shape";
import { pinText } from "./security";
import { importText, strayKey } from "./wallet";

export const input = new Composer<BotContext>();

const isCommand = (ctx: BotContext) => ctx.message?.entities?.some((e) => e.type === "bot_command" && e.offset === 0) === true;

input.on("message:text").filter(
  (ctx) => !isCommand(ctx),
  async (ctx) => {
    const text = ctx.message.text;
    const p = ctx.account.pending;
    if (p?.kind === "wallet_import") return importText(ctx, text);
    if (p?.kind === "pin_new" || p?.kind === "pin_confirm" || p?.kind === "pin_verify") return pinText(ctx, p, text);
    // A key is never searched for, echoed or kept in a chat, whatever the bot was waiting for.
    if (looksLikePrivateKey(text)) return strayKey(ctx);
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
      case "slippage":
        return slippageText(ctx, text);
      case "default_level":
        return defaultLevelText(ctx, p.level, text);
      case "search":
        await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
        return searchText(ctx, text);
      default:
        return searchText(ctx, text);
    }
  },
);

/** A caption or an edit that carries a key: the webhook route deleted it already; the user is told. */
input.on(["message:caption", "edited_message"]).filter(
  (ctx) => looksLikePrivateKey(ctx.msg.text ?? ctx.msg.caption ?? ""),
  (ctx) => strayKey(ctx),
);

/** Commands the bot does not know. */
input.on("message:text").filter(isCommand, async (ctx) => void (await ctx.reply("I don't know that command. Try /help.")));
