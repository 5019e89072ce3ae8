// Deletes messages that were scheduled for deletion (an exported key after 60 s). Called from the
// cron and from the streamer's alarm; each deletion is claimed once in Postgres, so overlaps are safe.
import type { Db } from "../db/client";
import { log } from "../lib/log";
import { type BotApiSettings, callBotApi, type CallOptions } from "./bot-api";
import { claimDueDeletions, purgeOldIntents } from "./repo-intents";

export async function sweepDueDeletions(settings: BotApiSettings, db: Db, now: number, opts: CallOptions = {}): Promise<{ deleted: number; failed: number }> {
  const due = await claimDueDeletions(db, now);
  let deleted = 0;
  let failed = 0;
  for (const d of due) {
    const r = await callBotApi(settings, "deleteMessage", { chat_id: d.chatId, message_id: d.messageId }, opts);
    // "message to delete not found": the user deleted it already, which is just as good.
    if (r.ok || /not found/i.test(r.description)) deleted++;
    else {
      failed++;
      log.warn("bot_scheduled_delete_failed", { chat_id: d.chatId, message_id: d.messageId, error: r.description });
    }
  }
  await purgeOldIntents(db, now);
  return { deleted, failed };
}
