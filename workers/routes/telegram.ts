// POST /telegram/webhook: Telegram's updates, verified (secret, constant time), parsed (zod), recorded
// once per update_id, then handled by the bot; long work continues after the answer (waitUntil).
import { Hono } from "hono";
import type { Update } from "grammy/types";
import type { AppEnv } from "../app-env";
import type { BotDeps } from "../bot/bot-context";
import { createBot, UNAVAILABLE_TEXT } from "../bot/bot";
import { type BotApiSettings, callBotApi } from "../telegram/bot-api";
import { botPorts } from "../bot/ports";
import { type ParsedUpdate, replyTarget, updateSchema, userText } from "../bot/update-schema";
import { recordUpdate } from "../bot/update-log";
import { createDb } from "../db/client";
import { timingSafeEqualStr } from "../lib/constant-time";
import { errorText, log } from "../lib/log";
import { looksLikePrivateKey } from "../lib/key-shape";
import { deleteNow } from "../notify/deletions";
import { identify } from "../bot/identity";

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Tells the user (not Telegram) that the bot cannot act now; Telegram still gets 200, never a retry loop. */
async function tellUnavailable(settings: BotApiSettings, u: ParsedUpdate): Promise<void> {
  const to = replyTarget(u);
  if (!to) return;
  const r =
    "chatId" in to
      ? await callBotApi(settings, "sendMessage", { chat_id: to.chatId, text: UNAVAILABLE_TEXT })
      : await callBotApi(settings, "answerCallbackQuery", { callback_query_id: to.callbackQueryId, text: UNAVAILABLE_TEXT, show_alert: true });
  if (!r.ok) log.warn("telegram_unavailable_notice_failed", { error: r.description });
}

/** A message (new or edited, text or caption) that carries something shaped like a private key. */
function keyShapedMessage(u: ParsedUpdate): { chatId: number; messageId: number } | null {
  const t = userText(u);
  return t && looksLikePrivateKey(t.text) ? { chatId: t.chatId, messageId: t.messageId } : null;
}

export const telegram = new Hono<AppEnv>().post("/webhook", async (c) => {
  const settings = c.get("settings");
  if (!timingSafeEqualStr(c.req.header(SECRET_HEADER) ?? "", settings.TELEGRAM_WEBHOOK_SECRET)) return c.body(null, 401);
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    log.warn("telegram_update_malformed", { reason: "not JSON" });
    return c.json({ ok: true });
  }
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn("telegram_update_malformed", { issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`), raw: JSON.stringify(raw)?.slice(0, 300) });
    return c.json({ ok: true });
  }
  const update = parsed.data;
  const who = identify(update);
  // Nothing the bot acts on (channel posts, other update kinds): acknowledged and dropped.
  if (!who) return c.json({ ok: true });
  const telegramId = who.telegramId;
  // A key in a message leaves the chat first, before (and whether or not) the database answers.
  const keyed = who.ok && who.private ? keyShapedMessage(update) : null;
  if (keyed) await deleteNow(settings, keyed.chatId, keyed.messageId).catch((err) => log.warn("telegram_key_delete_failed", { error: errorText(err) }));
  const pending: Promise<void>[] = [];
  const later = (p: Promise<void>) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      pending.push(p); // no execution context (a plain app.request): finish before answering
    }
  };
  // Row-level security: everything done for this update sees only this user's rows.
  const scope = { kind: "telegram" as const, telegramId };
  const userDb = createDb(settings, { scope });
  if (!who.ok) {
    // Forged (or unusable) identity: counted and dropped; nothing reads or writes the account, nobody is told.
    log.warn("telegram_update_refused", { update_id: update.update_id, reason: who.reason, telegram_id: telegramId });
    await recordUpdate(userDb.db, update.update_id, Date.now(), who.reason).catch((err) => log.warn("telegram_update_unrecorded", { error: errorText(err) }));
    later(userDb.close());
    await Promise.all(pending);
    return c.json({ ok: true });
  }
  let fresh: boolean;
  try {
    fresh = await recordUpdate(userDb.db, update.update_id, Date.now());
  } catch (err) {
    log.error("telegram_update_unrecorded", { update_id: update.update_id, error: err });
    later(userDb.close());
    await tellUnavailable(settings, update);
    await Promise.all(pending);
    return c.json({ ok: true });
  }
  if (!fresh) {
    log.info("telegram_update_duplicate", { update_id: update.update_id });
    later(userDb.close());
    await Promise.all(pending);
    return c.json({ ok: true });
  }
  const deps: BotDeps = {
    settings,
    db: userDb.db,
    ports: botPorts(c.env, settings),
    now: Date.now,
    background(name, task) {
      later(
        (async () => {
          const own = createDb(settings, { scope });
          try {
            await task(own.db);
          } catch (err) {
            log.error("bot_background_failed", { name, update_id: update.update_id, error: err });
          } finally {
            await own.close();
          }
        })(),
      );
    },
  };
  try {
    await createBot(settings, deps).handleUpdate(update as unknown as Update);
  } catch (err) {
    // Recorded already: a redelivery would do nothing, so Telegram gets 200 either way.
    log.error("telegram_update_failed", { update_id: update.update_id, error: err });
  } finally {
    later(userDb.close());
  }
  await Promise.all(pending);
  return c.json({ ok: true });
});
