// The bot, built per request: static botInfo (no getMe), the API client (retry on 429, per-chat
// pacing), the account and button decoding, and every feature composer installed in one place.
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotError, type Api, type NextFunction } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Settings } from "../env";
import { errorText, log } from "../lib/log";
import { paperStartFromSetting } from "../trading/paper-account";
import { menuScreen } from "./screens/account";
import { answer, type BotContext, type BotDeps, reply } from "./bot-context";
import { decodeAction } from "../telegram/callback-data";
import { input } from "./features/input";
import { markets } from "./features/markets";
import { pacingTransformer } from "../telegram/pacing";
import { positions } from "./features/positions";
import { sell } from "./features/sell";
import { ensureAccount, setPending } from "./store/users";
import { settings as settingsFeature } from "./features/settings";
import { start } from "./features/start";
import { trade } from "./features/trade";
import { security } from "./features/security";
import { wallet } from "./features/wallet";

export const UNAVAILABLE_TEXT = "⚠️ Polycool is temporarily unavailable. Try again in a moment.";
const FAILED_TEXT = "⚠️ Something went wrong on our side. Please try again.";

/** What getMe would answer, from settings: the bot id is the token's prefix. */
export function staticBotInfo(s: Pick<Settings, "TELEGRAM_BOT_TOKEN" | "TELEGRAM_BOT_USERNAME">): UserFromGetMe {
  return {
    id: Number(s.TELEGRAM_BOT_TOKEN.split(":")[0]),
    is_bot: true,
    first_name: "Polycool",
    username: s.TELEGRAM_BOT_USERNAME,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** Retries on 429 honouring retry_after (short: a webhook is waiting), paced per chat. */
export function configureApi(api: Api): void {
  api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  api.config.use(pacingTransformer());
}

/** Errors that mean the database (not the bot) is down, looking through drizzle's "Failed query" wrapper. */
export function isDatabaseDown(err: unknown, depth = 0): boolean {
  if (!err || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : String(err);
  if (/^(08|57P|53)/.test(code) || /connection|connect ECONN|terminated|timeout exceeded|websocket|Cannot use a pool/i.test(message)) return true;
  return isDatabaseDown(e.cause, depth + 1);
}

async function onError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const down = isDatabaseDown(err.error);
  log.error("bot_update_failed", { update_id: ctx.update.update_id, database_down: down, error: err.error });
  const text = down ? UNAVAILABLE_TEXT : FAILED_TEXT;
  try {
    if (ctx.callbackQuery) await answer(ctx, text, true);
    else if (ctx.chatId !== undefined) await ctx.reply(text);
  } catch (e) {
    log.warn("bot_error_reply_failed", { error: errorText(e) });
  }
}

/**
 * Every call this update makes that names a chat must name the owner's stored chat: a message, an
 * edit or a deletion can never reach another chat, whatever the update said (by construction, on
 * top of the identity check in the webhook route).
 */
function confineToOwnChat(ctx: BotContext, ownChat: number): void {
  ctx.api.config.use((prev, method, payload, signal) => {
    const named = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (named !== undefined && named !== ownChat) {
      log.error("bot_foreign_chat_refused", { method, user_id: ctx.account.id });
      throw new Error(`refused: ${method} to a chat that is not the owner's`);
    }
    return prev(method, payload, signal);
  });
}

/** Loads (or creates) the account and decodes the pressed button before any feature runs. */
async function prepare(ctx: BotContext, next: NextFunction): Promise<void> {
  if (!ctx.from || ctx.from.is_bot) return;
  if (ctx.chat && ctx.chat.type !== "private") {
    if (ctx.callbackQuery) await answer(ctx, "Please use me in a private chat.");
    return;
  }
  const d = ctx.deps;
  ctx.account = await ensureAccount(
    d.db,
    { telegramId: ctx.from.id, chatId: ctx.chatId ?? ctx.from.id, username: ctx.from.username ?? null, firstName: ctx.from.first_name ?? null, mode: d.settings.TRADING_MODE, paperStart: paperStartFromSetting(d.settings.PAPER_START_BALANCE) },
    d.now(),
  );
  confineToOwnChat(ctx, ctx.account.chatId ?? ctx.account.telegramId);
  const isCommand = ctx.message?.entities?.some((e) => e.type === "bot_command" && e.offset === 0) === true;
  if (ctx.account.pending && (isCommand || ctx.callbackQuery)) {
    // A new command or button means the user moved on from what the bot was waiting for.
    await setPending(d.db, ctx.account.id, null, d.now());
    ctx.account.pending = null;
  }
  if (ctx.callbackQuery) {
    const decoded = decodeAction(ctx.callbackQuery.data);
    if (!decoded.ok) {
      if (decoded.why === "outdated") {
        await answer(ctx, "This button is from an older version of the bot. Here is the menu.", true);
        await reply(ctx, menuScreen({ firstName: ctx.account.firstName, mode: ctx.account.mode, paperCash: ctx.account.paperCash }, false));
      } else {
        await answer(ctx, "This button does not work (any more).", true);
      }
      return;
    }
    ctx.action = decoded.action;
  }
  await next();
}

export function createBot(s: Settings, deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(s.TELEGRAM_BOT_TOKEN, { botInfo: staticBotInfo(s), client: { apiRoot: s.TELEGRAM_API_ROOT } });
  configureApi(bot.api);
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.answered = false;
    try {
      await next();
    } finally {
      // Every button press is answered, whatever happened (Telegram shows a spinner until then).
      await answer(ctx);
    }
  });
  bot.errorBoundary(onError, prepare, start, markets, trade, positions, sell, wallet, security, settingsFeature, input);
  bot.on("callback_query", (ctx) => answer(ctx, "This button does not work (any more)."));
  return bot;
}
