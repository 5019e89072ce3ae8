import http from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, InlineKeyboard, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { startBotApi, type BotApi } from "./bot-api-server";
import type { SimUser } from "./updates";
import { startWebhookRecorder, type WebhookRecorder } from "./webhook-recorder";

const TOKEN = "100200300:test-token";
const SECRET = "s3cret-token_1";
const alice: SimUser = { id: 5550000001, first_name: "Alice", username: "alice" };
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function botApi(opts: Parameters<typeof startBotApi>[0] = {}): Promise<BotApi> {
  const api = await startBotApi(opts);
  cleanup.push(() => api.close());
  return api;
}
async function recorder(answer?: Parameters<typeof startWebhookRecorder>[0]): Promise<WebhookRecorder> {
  const r = await startWebhookRecorder(answer);
  cleanup.push(() => r.close());
  return r;
}
const getMe = (api: BotApi) => fetch(`${api.url}/bot${TOKEN}/getMe`).then((r) => r.json());
const call = (api: BotApi, method: string, body: unknown) =>
  fetch(`${api.url}/bot${TOKEN}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);

describe("webhook delivery", () => {
  it("POSTs real-shaped updates with the secret header set by setWebhook", async () => {
    const api = await botApi();
    const hook = await recorder();
    expect(await call(api, "setWebhook", { url: hook.url, secret_token: SECRET })).toEqual({ ok: true, result: true, description: "Webhook was set" });
    const d1 = await api.sendCommand(alice, "/start");
    const d2 = await api.sendText(alice, "hello");
    expect([d1.outcome, d2.outcome]).toEqual(["delivered", "delivered"]);
    const [r1, r2] = await hook.waitForRequests(2);
    expect(r1!.headers["x-telegram-bot-api-secret-token"]).toBe(SECRET);
    expect(r1!.headers["content-type"]).toBe("application/json");
    expect(r1!.body).toMatchObject({ message: { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }], chat: { id: alice.id, type: "private" } } });
    expect((r2!.body as Update).update_id).toBe((r1!.body as Update).update_id + 1);
    expect(await call(api, "getUpdates", {})).toMatchObject({ ok: false, error_code: 409, description: expect.stringContaining("webhook is active") });
  });

  it("a webhook answering 500 is retried with the same update_id, and the server keeps serving", async () => {
    const api = await botApi({ retryDelaysMs: [10, 10, 10] });
    const hook = await recorder((_r, i) => ({ status: i < 2 ? 500 : 200 }));
    api.setWebhook({ url: hook.url, secretToken: SECRET });
    const d = await api.sendText(alice, "buy");
    expect(d.outcome).toBe("delivered");
    expect(d.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(d.attempts[0]!.error).toBe("Wrong response from the webhook: 500 Internal Server Error");
    expect(new Set(hook.requests.map((r) => (r.body as Update).update_id)).size).toBe(1);
    expect(await getMe(api)).toMatchObject({ ok: true });
  });

  it("a webhook that is down: bounded retries, then dropped; getWebhookInfo tells why", async () => {
    const api = await botApi({ retryDelaysMs: [5, 5] });
    // Port 2 has no listener and is outside the ephemeral range the other servers bind in: refused every time. (A port freed by closing a server can be taken by
    // another test's server before the delivery connects; this test once hung on exactly that.)
    const gone = { url: "http://127.0.0.1:2/webhook" };
    api.setWebhook({ url: gone.url });
    const d = await api.sendText(alice, "anyone?");
    expect(d.outcome).toBe("dropped");
    expect(d.attempts.map((a) => a.error)).toEqual(["Connection refused", "Connection refused", "Connection refused"]);
    expect((await call(api, "getWebhookInfo", {})).result).toMatchObject({ url: gone.url, pending_update_count: 0, last_error_message: "Connection refused" });
    expect(await getMe(api)).toMatchObject({ ok: true });
  });

  it("updates queued without a webhook are delivered once one is set; allowed_updates filters", async () => {
    const api = await botApi();
    await api.sendText(alice, "early");
    const hook = await recorder();
    await call(api, "setWebhook", { url: hook.url, allowed_updates: ["callback_query"] });
    const [first] = await hook.waitForRequests(1);
    expect(first!.body).toMatchObject({ message: { text: "early" } });
    expect((await api.sendText(alice, "ignored")).outcome).toBe("filtered");
  });

  it("runs a method the webhook answers with, as Telegram does", async () => {
    const api = await botApi();
    const hook = await recorder(() => ({ status: 200, body: { method: "sendMessage", chat_id: alice.id, text: "from the reply" } }));
    api.setWebhook({ url: hook.url });
    await api.sendText(alice, "hi");
    const m = await api.waitForMessage(alice.id, "from the reply");
    expect(m.from).toBe("bot");
    expect(api.calls().at(-1)).toMatchObject({ method: "sendMessage", source: "webhook-reply" });
  });

  it("deliverRaw sends hostile updates untouched (and retries a 400 like any failure)", async () => {
    const api = await botApi({ retryDelaysMs: [5] });
    const hook = await recorder((_r, i) => ({ status: i === 0 ? 400 : 200 }));
    api.setWebhook({ url: hook.url });
    const weird = { update_id: 1, message: { text: 42, chat: null } };
    const d = await api.deliverRaw(weird);
    expect(d.attempts.map((a) => a.status)).toEqual([400, 200]);
    expect(hook.requests.map((r) => r.body)).toEqual([weird, weird]);
    expect(api.chatList()).toEqual([]);
  });
});

describe("webhook concurrency", () => {
  it.each([
    [40, 2],
    [1, 1],
  ])("max_connections %d → at most %d deliveries at once (a double tap arrives twice)", async (max, want) => {
    const api = await botApi();
    let open = 0;
    let peak = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const hook = await recorder(async () => {
      peak = Math.max(peak, ++open);
      await released;
      open--;
      return { status: 200 };
    });
    await call(api, "setWebhook", { url: hook.url, max_connections: max });
    await api.sendText(alice, "start", { deliver: false });
    await call(api, "sendMessage", { chat_id: alice.id, text: "Confirm?", reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "ok" }]] } });
    const taps = [api.pressButton(alice, { label: "Confirm" }), api.pressButton(alice, { label: "Confirm" })];
    await hook.waitForRequests(want);
    release();
    const done = await Promise.all(taps);
    expect(peak).toBe(want);
    expect(done.map((d) => d.outcome)).toEqual(["delivered", "delivered"]);
    expect(new Set(done.map((d) => d.update.callback_query!.id)).size).toBe(2);
  });
});

describe("getUpdates", () => {
  it("returns queued updates, confirms by offset, long-polls until one arrives", async () => {
    const api = await botApi();
    await api.sendText(alice, "one");
    await api.sendText(alice, "two");
    const first = (await call(api, "getUpdates", {})).result as Update[];
    expect(first.map((u) => u.message?.text)).toEqual(["one", "two"]);
    const confirmed = (await call(api, "getUpdates", { offset: first[1]!.update_id + 1, timeout: 0 })).result;
    expect(confirmed).toEqual([]);
    // In-process, the long poll is registered before call() returns its promise.
    let answered = false;
    const polling = api.call("getUpdates", { offset: first[1]!.update_id + 1, timeout: 5 }).finally(() => (answered = true));
    await call(api, "getWebhookInfo", {});
    expect(answered).toBe(false);
    await api.sendText(alice, "three");
    expect(((await polling) as { result: Update[] }).result.map((u) => u.message?.text)).toEqual(["three"]);
    expect(api.deliveries().map((d) => d.outcome)).toEqual(["fetched", "fetched", "queued"]);
  });

  it("a second poller ends the first with 409, as Telegram does", async () => {
    const api = await botApi();
    const first = api.call("getUpdates", { timeout: 5 });
    const second = call(api, "getUpdates", { timeout: 0 });
    expect(await first).toMatchObject({ ok: false, error_code: 409, description: expect.stringContaining("terminated by other getUpdates request") });
    expect(await second).toEqual({ ok: true, result: [] });
  });
});

describe("a real grammY bot behind a webhook", () => {
  it("/start → menu; a press edits in place and answers the query", async () => {
    const api = await botApi({ retryDelaysMs: [] });
    const bot = new Bot(TOKEN, { botInfo: { id: 100200300, is_bot: true, first_name: "Polycool", username: "polycool_bot" } as never, client: { apiRoot: api.url } });
    bot.command("start", (ctx) => ctx.reply("<b>Welcome</b>", { parse_mode: "HTML", reply_markup: new InlineKeyboard().text("Markets", "menu:markets") }));
    bot.callbackQuery("menu:markets", async (ctx) => {
      await ctx.editMessageText("Trending markets", { reply_markup: new InlineKeyboard().text("Refresh", "menu:markets:r") });
      await ctx.answerCallbackQuery({ text: "Loaded" });
    });
    const handle = webhookCallback(bot, "http", { secretToken: SECRET });
    const server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;

    api.setWebhook({ url: url, secretToken: "wrong-secret" });
    expect((await api.sendCommand(alice, "/start")).attempts[0]!.status).toBe(401);

    api.setWebhook({ url, secretToken: SECRET });
    await api.sendCommand(alice, "/start");
    const menu = await api.waitForMessage(alice.id, "Welcome");
    expect(menu.buttons).toEqual([[{ text: "Markets", kind: "callback", callback_data: "menu:markets" }]]);
    await api.pressButton(alice, { label: "Markets" });
    const view = api.chat(alice.id)!;
    expect(view.messages.find((m) => m.id === menu.id)).toMatchObject({ text: "Trending markets", edited: true, buttons: [[{ text: "Refresh" }]] });
    expect(view.notices.map((n) => n.text)).toEqual(["Loaded"]);
  });
});
