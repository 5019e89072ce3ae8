// Deleting the user's own message when it carries a secret (a key, a PIN): at once, and when Telegram
// does not confirm, recorded so the deletion sweep retries it until it does.
import { GrammyError } from "grammy";
import { errorText, log } from "../../lib/log";
import { type DeletionPurpose, recordDeletion } from "../../notify/deletions";
import type { BotContext } from "../bot-context";

/** "message to delete not found": already gone (the webhook route deletes key-shaped messages first). */
const GONE = /message to delete not found/i;

/** True when the message is gone; false when a retry was scheduled (the user should delete it meanwhile). */
export async function deleteUserMessage(ctx: BotContext, purpose: DeletionPurpose): Promise<boolean> {
  const messageId = ctx.message?.message_id ?? ctx.editedMessage?.message_id;
  if (messageId === undefined) return true;
  try {
    await ctx.api.deleteMessage(ctx.account.chatId ?? ctx.account.telegramId, messageId);
    return true;
  } catch (err) {
    if (err instanceof GrammyError && GONE.test(err.description)) return true;
    log.warn("bot_delete_secret_message_failed", { error: errorText(err) });
    await recordDeletion(ctx.deps.db, { userId: ctx.account.id, chatId: ctx.account.chatId ?? ctx.account.telegramId, messageId, purpose, dueAt: ctx.deps.now() }).catch((e) =>
      log.error("bot_delete_secret_unrecorded", { error: errorText(e) }),
    );
    return false;
  }
}
