// POST /admin/telegram/webhook: registers the webhook (with its secret) and the command list. It is
// pinned: the URL can only be this Worker's (WORKER_URL, or the origin the request reached when that
// is unset), and it needs a second secret, ADMIN_WEBHOOK_TOKEN, beside the admin bearer, so a leaked
// ADMIN_TOKEN alone cannot send Telegram's updates (pasted keys, the webhook secret) elsewhere.
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { AppError, badRequest } from "../lib/errors";
import { timingSafeEqualStr } from "../lib/constant-time";
import { log } from "../lib/log";
import { pinnedWebhookUrl, registerWebhook } from "../ops/webhook-pin";

export const CONFIRM_HEADER = "x-polycool-webhook-token";

const bodySchema = z.object({ url: z.url({ protocol: /^https?$/ }).optional() }).strict();

export async function registerWebhookHandler(c: Context<AppEnv>) {
  const settings = c.get("settings");
  const second = settings.ADMIN_WEBHOOK_TOKEN;
  if (!second) throw new AppError("forbidden", "webhook registration is off: set ADMIN_WEBHOOK_TOKEN (a second admin secret) to enable it");
  const given = c.req.header(CONFIRM_HEADER) ?? "";
  if (!given || !timingSafeEqualStr(given, second)) {
    log.warn("admin_webhook_refused", { reason: "second_secret" });
    throw new AppError("forbidden", `webhook registration needs the ${CONFIRM_HEADER} header (ADMIN_WEBHOOK_TOKEN)`);
  }
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
  const pinned = pinnedWebhookUrl(settings, new URL(c.req.url).origin)!;
  if (body.data.url !== undefined && body.data.url !== pinned) {
    log.warn("admin_webhook_refused", { reason: "not_pinned", asked_origin: new URL(body.data.url).origin });
    throw new AppError("forbidden", `the webhook is pinned to ${pinned}; it cannot point anywhere else`);
  }
  return c.json(await registerWebhook(settings, { url: pinned }));
}
