// Issue #18, admin pinning: a leaked ADMIN_TOKEN cannot point Telegram at another server (the URL is
// pinned and a second secret is needed), and the cron finds and undoes a webhook someone re-pointed
// with the bot token, keeping the alert on the dashboard and in the metrics.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import type { AppEnv } from "../../workers/app-env";
import { requestContext } from "../../workers/middleware/context";
import { CONFIRM_HEADER, registerWebhookHandler } from "../../workers/routes/admin-telegram";
import { checkWebhookPin, forgetRecordedPin, WEBHOOK_ALERT_HOLD_MS, WEBHOOK_CHECK } from "../../workers/ops/webhook-pin";
import { readCheck } from "../../workers/ops/checks";
import { db, dbHandle, tg } from "./bot-harness";

afterAll(() => dbHandle.close());
afterEach(async () => {
  await tg.deleteWebhook();
  await db.execute(sql`DELETE FROM operator_checks`);
  forgetRecordedPin();
});

const PINNED_ORIGIN = "https://polycool-pinned.example";
const withPin = { ...env, WORKER_URL: PINNED_ORIGIN };
const settings = () => ({ TELEGRAM_BOT_TOKEN: env.TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT: inject("botApiUrl"), TELEGRAM_WEBHOOK_SECRET: env.TELEGRAM_WEBHOOK_SECRET, WORKER_URL: PINNED_ORIGIN });

function handler(e: object) {
  const app = new Hono<AppEnv>().use(requestContext()).post("/admin/telegram/webhook", registerWebhookHandler);
  app.onError((err, c) => c.json({ error: err.message }, (err as { status?: number }).status === 403 ? 403 : 400));
  return (opts: { body?: string; token?: string | null } = {}) =>
    app.fetch(
      new Request("https://request-origin.example/admin/telegram/webhook", {
        method: "POST",
        headers: opts.token === null ? {} : { [CONFIRM_HEADER]: opts.token ?? env.ADMIN_WEBHOOK_TOKEN },
        ...(opts.body === undefined ? {} : { body: opts.body }),
      }),
      e,
      createExecutionContext(),
    );
}

describe("POST /admin/telegram/webhook", () => {
  it("needs the second secret: none or a wrong one is refused and Telegram is not called", async () => {
    const before = (await tg.calls()).at(-1)?.seq ?? 0;
    const call = handler(withPin);
    for (const token of [null, "", "x".repeat(40), env.ADMIN_TOKEN]) {
      const res = await call({ token });
      expect(res.status).toBe(403);
    }
    expect(await tg.calls({ method: "setWebhook", after: before })).toEqual([]);
  });

  it("is off when ADMIN_WEBHOOK_TOKEN is not configured", async () => {
    const { ADMIN_WEBHOOK_TOKEN: _unused, ...without } = withPin;
    const res = await handler(without)({});
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain("set ADMIN_WEBHOOK_TOKEN");
  });

  it("registers only the pinned URL: WORKER_URL's, whatever origin the request came to", async () => {
    const call = handler(withPin);
    expect(await (await call()).json()).toMatchObject({ ok: true, url: `${PINNED_ORIGIN}/telegram/webhook` });
    expect(await (await call({ body: JSON.stringify({ url: `${PINNED_ORIGIN}/telegram/webhook` }) })).json()).toMatchObject({ ok: true });
    const before = (await tg.calls()).at(-1)?.seq ?? 0;
    for (const url of ["https://attacker.example/telegram/webhook", "https://request-origin.example/telegram/webhook", `${PINNED_ORIGIN}/other`]) {
      const res = await call({ body: JSON.stringify({ url }) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toContain(`pinned to ${PINNED_ORIGIN}/telegram/webhook`);
    }
    expect(await tg.calls({ method: "setWebhook", after: before })).toEqual([]);
    expect((await tg.webhookInfo()).url).toBe(`${PINNED_ORIGIN}/telegram/webhook`);
  });

  it("without WORKER_URL the pin is the origin the request reached", async () => {
    const call = handler(env);
    expect(await (await call()).json()).toMatchObject({ ok: true, url: "https://request-origin.example/telegram/webhook" });
    expect((await call({ body: JSON.stringify({ url: "https://attacker.example/telegram/webhook" }) })).status).toBe(403);
    for (const bad of ["{nope", JSON.stringify({ url: "ftp://x" }), JSON.stringify({ url: "https://x", extra: 1 })]) expect((await call({ body: bad })).status).toBe(400);
  });
});

describe("the cron's webhook check", () => {
  it("a webhook re-pointed with the bot token is restored at once and the alert is held for a day", async () => {
    await tg.setWebhook({ url: "https://attacker.example/steal", secretToken: "attacker-chosen-secret" });
    const t0 = Date.now();
    const before = (await tg.calls()).at(-1)?.seq ?? 0;
    const first = await checkWebhookPin({ settings: settings(), db, now: () => t0 });
    expect(first).toMatchObject({ ok: false, status: "restored" });
    expect(first.detail).toContain("https://attacker.example (a foreign URL)");
    const set = await tg.calls({ method: "setWebhook", after: before });
    expect(set.map((c) => c.params)).toEqual([expect.objectContaining({ url: `${PINNED_ORIGIN}/telegram/webhook`, secret_token: env.TELEGRAM_WEBHOOK_SECRET })]);
    expect((await tg.webhookInfo()).url).toBe(`${PINNED_ORIGIN}/telegram/webhook`);

    // A minute later the webhook is right, but the operator has not necessarily looked yet.
    const later = await checkWebhookPin({ settings: settings(), db, now: () => t0 + 60_000 });
    expect(later).toMatchObject({ ok: false, status: "restored" });
    expect(await tg.calls({ method: "setWebhook", after: before })).toHaveLength(1);
    const row = await readCheck(db, WEBHOOK_CHECK);
    expect(row).toMatchObject({ ok: false, status: "restored", since: new Date(t0).toISOString() });

    // The admin view and the metrics show it.
    const overview = await exports.default.fetch("http://x/admin/overview", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(((await overview.json()) as { alerts: unknown[] }).alerts).toEqual([expect.objectContaining({ name: WEBHOOK_CHECK, status: "restored" })]);
    const metrics = await (await exports.default.fetch("http://x/admin/metrics", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } })).text();
    expect(metrics).toContain('polycool_operator_check_ok{check="telegram_webhook",status="restored"} 0');

    const nextDay = await checkWebhookPin({ settings: settings(), db, now: () => t0 + WEBHOOK_ALERT_HOLD_MS + 1 });
    expect(nextDay).toMatchObject({ ok: true, status: "pinned" });
  });

  it("idle, it asks Telegram every minute but writes to Postgres only when it found the webhook re-pointed", async () => {
    await tg.setWebhook({ url: `${PINNED_ORIGIN}/telegram/webhook` });
    forgetRecordedPin();
    expect(await checkWebhookPin({ settings: settings(), db, now: Date.now, idle: true })).toMatchObject({ ok: true, status: "pinned" });
    expect(await readCheck(db, WEBHOOK_CHECK)).toBeNull();
    await tg.setWebhook({ url: "https://attacker.example/steal" });
    expect(await checkWebhookPin({ settings: settings(), db, now: Date.now, idle: true })).toMatchObject({ ok: false, status: "restored" });
    expect(await readCheck(db, WEBHOOK_CHECK)).toMatchObject({ status: "restored" });
    expect((await tg.webhookInfo()).url).toBe(`${PINNED_ORIGIN}/telegram/webhook`);
  });

  it("says so when it cannot check: WORKER_URL unset, or Telegram failing", async () => {
    const { WORKER_URL: _u, ...unpinned } = settings();
    expect(await checkWebhookPin({ settings: unpinned, db, now: Date.now })).toMatchObject({ ok: false, status: "unpinned" });
    await tg.failNext("getWebhookInfo", { description: "Internal Server Error", errorCode: 500, count: 1 });
    expect(await checkWebhookPin({ settings: settings(), db, now: Date.now })).toMatchObject({ ok: false, status: "failed" });
    await tg.setWebhook({ url: `${PINNED_ORIGIN}/telegram/webhook` });
    expect(await checkWebhookPin({ settings: settings(), db, now: Date.now })).toMatchObject({ ok: true, status: "pinned" });
  });
});
