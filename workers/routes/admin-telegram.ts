// Registers the webhook (with its secret) and the command list with Telegram; the admin route calls it.
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { AppError, badRequest } from "../lib/errors";
import { ALLOWED_UPDATES, BOT_COMMANDS } from "../bot/commands";
import { type BotApiSettings, callBotApi, type CallOptions } from "../telegram/bot-api";

export interface WebhookSettings extends BotApiSettings {
  TELEGRAM_WEBHOOK_SECRET: string;
}

export interface Registered {
  ok: true;
  url: string;
  allowedUpdates: readonly string[];
  commands: string[];
}

/** setWebhook (URL, secret, allowed updates) then setMyCommands; throws AppError naming the failed call. */
export async function registerWebhook(settings: WebhookSettings, p: { url: string }, opts: CallOptions = {}): Promise<Registered> {
  const hook = await callBotApi(settings, "setWebhook", { url: p.url, secret_token: settings.TELEGRAM_WEBHOOK_SECRET, allowed_updates: ALLOWED_UPDATES }, opts);
  if (!hook.ok) throw new AppError("upstream_unavailable", `setWebhook failed: ${hook.description}`);
  const cmds = await callBotApi(settings, "setMyCommands", { commands: BOT_COMMANDS }, opts);
  if (!cmds.ok) throw new AppError("upstream_unavailable", `setMyCommands failed: ${cmds.description}`);
  return { ok: true, url: p.url, allowedUpdates: ALLOWED_UPDATES, commands: BOT_COMMANDS.map((c) => `/${c.command}`) };
}

const bodySchema = z.object({ url: z.url({ protocol: /^https?$/ }).optional() }).strict();

/** POST /admin/telegram/webhook (behind the admin bearer): URL from the body or from this request's host. */
export async function registerWebhookHandler(c: Context<AppEnv>) {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw badRequest("body must be JSON");
    }
  }
  const body = bodySchema.safeParse(raw);
  if (!body.success) throw badRequest("body must be {\"url\"?: an http(s) URL}");
  const url = body.data.url ?? `${new URL(c.req.url).origin}/telegram/webhook`;
  return c.json(await registerWebhook(c.get("settings"), { url }));
}
