import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBotApi, type BotApi } from "./bot-api-server";
import { botApiControl, ControlError, type BotApiControl } from "./control-client";
import { UserSim, type SimUser } from "./updates";
import { startWebhookRecorder, type WebhookRecorder } from "./webhook-recorder";

const TOKEN = "100200300:test-token";
const bob: SimUser = { id: 5550000002, first_name: "Bob" };
let api: BotApi;
let control: BotApiControl;
let hook: WebhookRecorder;

beforeAll(async () => {
  api = await startBotApi({ retryDelaysMs: [] });
  control = botApiControl(api.url);
  hook = await startWebhookRecorder();
});
afterAll(async () => {
  await hook.close();
  await api.close();
});
afterEach(async () => {
  await control.deleteWebhook();
  await control.reset();
  hook.requests.length = 0;
});

const send = (method: string, body: unknown) =>
  fetch(`${api.url}/bot${TOKEN}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ result: { message_id: number } }>);

describe("/_control over HTTP", () => {
  it("simulated users reach the webhook; chats, calls and waits are readable", async () => {
    await control.setWebhook({ url: hook.url, secretToken: "sekret" });
    const d = await control.sendCommand(bob, "/start", "ref_42");
    expect(d).toMatchObject({ outcome: "delivered", update: { message: { text: "/start ref_42" } } });
    expect(hook.requests[0]!.headers["x-telegram-bot-api-secret-token"]).toBe("sekret");

    const waiting = control.waitForMessage(bob.id, "Welcome", { timeoutMs: 2_000 });
    await send("sendMessage", { chat_id: bob.id, text: "Welcome, Bob", reply_markup: { inline_keyboard: [[{ text: "Markets", callback_data: "m" }]] } });
    expect(await waiting).toMatchObject({ text: "Welcome, Bob", buttons: [[{ text: "Markets", callback_data: "m" }]] });

    const press = await control.pressButton(bob, { label: "Markets" });
    expect(press.update.callback_query).toMatchObject({ data: "m", message: { text: "Welcome, Bob" } });
    expect((await control.calls({ method: "sendMessage" })).map((c) => c.params.text)).toEqual(["Welcome, Bob"]);
    expect((await control.chat(bob.id))!.messages.map((m) => m.from)).toEqual(["user", "bot"]);
    expect(await control.chats()).toHaveLength(1);
    expect((await control.deliveries()).map((x) => x.outcome)).toEqual(["delivered", "delivered"]);
    expect(await control.chat(1)).toBeUndefined();
  });

  it("held updates and ingest let a test post updates to the bot itself", async () => {
    const held = await control.sendText(bob, "hi", { deliver: false });
    expect(held.outcome).toBe("held");
    expect(hook.requests).toHaveLength(0);

    const carol: SimUser = { id: 5550000003, first_name: "Carol" };
    const sim = new UserSim(carol, { firstUpdateId: 900 });
    await control.ingest(sim.command("/start"));
    const sent = await send("sendMessage", { chat_id: carol.id, text: "menu", reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } });
    expect(sent.result.message_id).toBe(2);
    const chat = (await control.chat(carol.id))!;
    const press = sim.pressLabel({ message_id: 2, date: 0, chat: { id: carol.id, type: "private", first_name: "Carol" }, text: "menu", reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } }, "Go");
    await control.ingest(press);
    expect(chat.messages.map((m) => m.text)).toEqual(["/start", "menu"]);
    const answer = await fetch(`${api.url}/bot${TOKEN}/answerCallbackQuery`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ callback_query_id: press.callback_query!.id }) });
    expect(await answer.json()).toEqual({ ok: true, result: true });
  });

  it("flood, block, raw delivery and errors", async () => {
    await control.sendText(bob, "hi");
    expect(await control.setFlood({ mode: "force", retryAfter: 4, count: 1 })).toEqual({ mode: "force", retryAfter: 4, count: 1 });
    expect(await send("sendMessage", { chat_id: bob.id, text: "x" })).toMatchObject({ error_code: 429, parameters: { retry_after: 4 } });
    await control.setFlood({ mode: "off" });
    await control.setBlocked(bob, true);
    expect(await send("sendMessage", { chat_id: bob.id, text: "x" })).toMatchObject({ error_code: 403 });
    expect(await control.deliverRaw({ update_id: 7, garbage: true })).toMatchObject({ outcome: "queued" });

    await expect(control.waitForMessage(bob.id, "never", { timeoutMs: 30 })).rejects.toMatchObject({ status: 408 });
    await expect(control.pressButton(bob, { label: "Nope" })).rejects.toThrow(ControlError);
    await expect(control.sendText({ id: 1 } as SimUser, "x")).rejects.toMatchObject({ status: 400 });
    const missing = await fetch(`${api.url}/_control/nothing-here`);
    expect(missing.status).toBe(404);
  });

  it("waitForCall wakes on the call", async () => {
    await control.sendText(bob, "hi");
    const waiting = control.waitForCall("sendChatAction", { timeoutMs: 2_000 });
    await send("sendChatAction", { chat_id: bob.id, action: "typing" });
    expect(await waiting).toMatchObject({ method: "sendChatAction", response: { ok: true } });
  });
});
