// The Telegram webhook is pinned to this Worker: registration may only point it at
// `${WORKER_URL}/telegram/webhook`, and the cron checks with getWebhookInfo that it still does,
// restoring it (and alerting the operator) when someone holding the bot token pointed it elsewhere.
import { z } from "zod";
import type { Db } from "../db/client";
import { ALLOWED_UPDATES, BOT_COMMANDS } from "../bot/commands";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { type BotApiSettings, callBotApi, type CallOptions } from "../telegram/bot-api";
import { readCheck, recordCheck, type CheckOutcome } from "./checks";

export const WEBHOOK_CHECK = "telegram_webhook";
export const WEBHOOK_PATH = "/telegram/webhook";
/** A restored or failed pin stays an alert this long after it was found, even once the webhook is right again. */
export const WEBHOOK_ALERT_HOLD_MS = 24 * 3_600_000;

export interface WebhookSettings extends BotApiSettings {
  TELEGRAM_WEBHOOK_SECRET: string;
  WORKER_URL?: string | undefined;
}

export interface Registered {
  ok: true;
  url: string;
  allowedUpdates: readonly string[];
  commands: string[];
}

/** The only URL the webhook may point at: WORKER_URL's, or (unset) the origin the admin request reached. */
export function pinnedWebhookUrl(settings: { WORKER_URL?: string | undefined }, requestOrigin?: string): string | null {
  const origin = settings.WORKER_URL ?? requestOrigin;
  return origin ? `${origin}${WEBHOOK_PATH}` : null;
}

/** setWebhook (URL, secret, allowed updates) then setMyCommands; throws AppError naming the failed call. */
export async function registerWebhook(settings: WebhookSettings, p: { url: string }, opts: CallOptions = {}): Promise<Registered> {
  const hook = await callBotApi(settings, "setWebhook", { url: p.url, secret_token: settings.TELEGRAM_WEBHOOK_SECRET, allowed_updates: ALLOWED_UPDATES }, opts);
  if (!hook.ok) throw new AppError("upstream_unavailable", `setWebhook failed: ${hook.description}`);
  const cmds = await callBotApi(settings, "setMyCommands", { commands: BOT_COMMANDS }, opts);
  if (!cmds.ok) throw new AppError("upstream_unavailable", `setMyCommands failed: ${cmds.description}`);
  return { ok: true, url: p.url, allowedUpdates: ALLOWED_UPDATES, commands: BOT_COMMANDS.map((c) => `/${c.command}`) };
}

const webhookInfo = z.object({ url: z.string(), last_error_message: z.string().optional() }).loose();

/**
 * Compares Telegram's webhook with the pinned URL. A mismatch is restored at once (the secret and
 * allowed updates are set again too) and stays an alert for WEBHOOK_ALERT_HOLD_MS after it was
 * found, so an operator who looks the next morning still sees it.
 */
export async function checkWebhookPin(
  d: { settings: WebhookSettings; db: Db | (() => Promise<{ db: Db; close(): Promise<void> }>); now: () => number; idle?: boolean },
  opts: CallOptions = {},
): Promise<CheckOutcome> {
  let outcome = await decide(d.settings, opts);
  const news = outcome.status === "restored" || outcome.status === "mismatch";
  // An idle product stays off Postgres (Neon sleeps) unless the webhook was found re-pointed; a busy
  // one writes an outcome only when this isolate has not recorded it already.
  if (!news && (d.idle || outcome.status === lastRecorded)) return outcome;
  const handle = typeof d.db === "function" ? await d.db() : { db: d.db, close: async () => undefined };
  try {
    const previous = await readCheck(handle.db, WEBHOOK_CHECK);
    const held = previous && (previous.status === "restored" || previous.status === "mismatch") && d.now() - Date.parse(previous.since) < WEBHOOK_ALERT_HOLD_MS;
    if (outcome.status === "pinned" && held) {
      const again = " — the webhook is pinned again";
      outcome = { ok: false, status: "restored", detail: previous.detail.endsWith(again) ? previous.detail : previous.detail + again };
    }
    if (outcome.status === "restored" || outcome.status === "mismatch") log.error("telegram_webhook_mismatch", { detail: outcome.detail });
    else if (!outcome.ok) log.warn("telegram_webhook_check", { status: outcome.status, detail: outcome.detail });
    await recordCheck(handle.db, WEBHOOK_CHECK, outcome, d.now());
    lastRecorded = outcome.status;
    return outcome;
  } finally {
    await handle.close();
  }
}

/** The status this isolate last wrote (null: none yet); tests reset it. */
let lastRecorded: string | null = null;
export function forgetRecordedPin(): void {
  lastRecorded = null;
}

async function decide(settings: WebhookSettings, opts: CallOptions): Promise<CheckOutcome> {
  const pinned = pinnedWebhookUrl(settings);
  if (!pinned) return { ok: false, status: "unpinned", detail: "WORKER_URL is not set: the webhook cannot be checked against this Worker's URL" };
  const info = await callBotApi(settings, "getWebhookInfo", {}, opts);
  if (!info.ok) return { ok: false, status: "failed", detail: `getWebhookInfo failed: ${info.description}` };
  const parsed = webhookInfo.safeParse(info.result);
  if (!parsed.success) return { ok: false, status: "failed", detail: "getWebhookInfo answered an unexpected shape" };
  const actual = parsed.data.url;
  if (actual === pinned) return { ok: true, status: "pinned", detail: `the webhook points at ${pinned}` };
  const seen = actual === "" ? "no webhook" : `${originOf(actual)} (a foreign URL)`;
  try {
    await registerWebhook(settings, { url: pinned }, opts);
    return { ok: false, status: "restored", detail: `the webhook pointed at ${seen}; restored to ${pinned}. Someone holding the bot token changed it: rotate TELEGRAM_BOT_TOKEN with @BotFather` };
  } catch (err) {
    return { ok: false, status: "mismatch", detail: `the webhook points at ${seen}, not ${pinned}, and restoring it failed: ${(err as Error).message}` };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an unreadable URL";
  }
}
