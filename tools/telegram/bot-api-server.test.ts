import { Api, GrammyError } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBotApi, type BotApi } from "./bot-api-server";
import type { SimUser } from "./updates";

const TOKEN = "100200300:test-token";
const alice: SimUser = { id: 5550000001, first_name: "Alice", username: "alice" };
let api: BotApi;
let tg: Api;

beforeAll(async () => {
  api = await startBotApi();
  tg = new Api(TOKEN, { apiRoot: api.url });
});
afterAll(() => api.close());
afterEach(() => {
  api.reset();
  api.setFlood({ mode: "off" });
});

async function raw(method: string, body?: unknown, token = TOKEN): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/bot${token}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The description of the Bot API error a grammY call fails with. */
async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(err)}`);
  return err.description;
}

async function started(user = alice) {
  await api.sendCommand(user, "/start");
}

describe("envelope, tokens and methods", () => {
  it("answers getMe with the real envelope; the token's id is the bot's", async () => {
    const { status, json } = await raw("getMe");
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, result: { id: 100200300, is_bot: true, username: "polycool_bot" } });
  });

  it.each([
    ["an unknown method", "sendVideo", TOKEN, 404, "Not Found: method not found"],
    ["a malformed token", "getMe", "not-a-token", 404, "Not Found"],
    ["another bot's token", "getMe", "999:other", 401, "Unauthorized"],
  ])("%s", async (_n, method, token, status, description) => {
    const res = await raw(method, {}, token);
    expect(res).toEqual({ status, json: { ok: false, error_code: status, description } });
  });

  it("method names are case-insensitive, as on api.telegram.org", async () => {
    expect((await raw("GETME")).json.ok).toBe(true);
  });

  it("reads urlencoded, multipart and query-string parameters", async () => {
    await started();
    const form = await fetch(`${api.url}/bot${TOKEN}/sendMessage`, { method: "POST", body: new URLSearchParams({ chat_id: String(alice.id), text: "form" }) });
    const multi = new FormData();
    multi.set("chat_id", String(alice.id));
    multi.set("text", "<b>multi</b>");
    multi.set("parse_mode", "HTML");
    multi.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }));
    const mp = await fetch(`${api.url}/bot${TOKEN}/sendMessage`, { method: "POST", body: multi });
    const q = await fetch(`${api.url}/bot${TOKEN}/sendMessage?chat_id=${alice.id}&text=query`);
    expect([form.status, mp.status, q.status]).toEqual([200, 200, 200]);
    const texts = api.chat(alice.id)!.messages.map((m) => [m.text, m.buttons.flat().map((b) => b.text)]);
    expect(texts).toEqual([["/start", []], ["form", []], ["multi", ["Go"]], ["query", []]]);
  });

  it("keeps a photo uploaded with sendPhoto (bytes and caption), and shows copy buttons as such", async () => {
    await started();
    const photo = new FormData();
    photo.set("chat_id", String(alice.id));
    photo.set("photo", new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }), "qr.png");
    photo.set("caption", "<b>Deposit</b> here");
    photo.set("parse_mode", "HTML");
    photo.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "Copy address", copy_text: { text: "0xabc" } }]] }));
    const res = await fetch(`${api.url}/bot${TOKEN}/sendPhoto`, { method: "POST", body: photo });
    expect(res.status).toBe(200);
    const m = api.chat(alice.id)!.messages.at(-1)!;
    expect(m.text).toBe("Deposit here");
    expect(m.photo).toEqual({ file: "qr.png", type: "image/png", base64: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64") });
    expect(m.buttons.flat()).toEqual([{ text: "Copy address", kind: "copy", copy_text: "0xabc" }]);
    const none = await fetch(`${api.url}/bot${TOKEN}/sendPhoto`, { method: "POST", body: new URLSearchParams({ chat_id: String(alice.id) }) });
    expect(await none.json()).toMatchObject({ ok: false, description: "Bad Request: there is no photo in the request" });
  });

  it("answers a body that is not JSON with 400", async () => {
    const res = await fetch(`${api.url}/bot${TOKEN}/sendMessage`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
  });
});

describe("validation, with Telegram's descriptions", () => {
  const long = "x".repeat(4097);
  it.each<[string, () => Promise<unknown>, string]>([
    ["unknown chat", () => tg.sendMessage(42, "hi"), "Bad Request: chat not found"],
    ["missing chat_id", () => tg.raw.sendMessage({ text: "hi" } as never), "Bad Request: chat_id is empty"],
    ["empty text", () => tg.sendMessage(alice.id, ""), "Bad Request: message text is empty"],
    ["white space only", () => tg.sendMessage(alice.id, " \n "), "Bad Request: message text is empty"],
    ["4097 characters", () => tg.sendMessage(alice.id, long), "Bad Request: message is too long"],
    ["HTML that does not parse", () => tg.sendMessage(alice.id, "Price < $1", { parse_mode: "HTML" }), 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 6'],
    ["an unclosed tag", () => tg.sendMessage(alice.id, "<b>Filled", { parse_mode: "HTML" }), 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'],
    ["callback_data over 64 bytes", () => tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "é".repeat(33) }]] } }), "Bad Request: BUTTON_DATA_INVALID"],
    ["empty callback_data", () => tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "" }]] } }), "Bad Request: BUTTON_DATA_INVALID"],
    ["a button without an action", () => tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b" } as never]] } }), "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"],
    ["a bad button URL", () => tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", url: "notaurl" }]] } }), "Bad Request: inline keyboard button URL 'notaurl' is invalid: Wrong HTTP URL"],
    ["unknown parse_mode", () => tg.sendMessage(alice.id, "x", { parse_mode: "Fancy" as never }), "Bad Request: unsupported parse_mode"],
    ["edit of a missing message", () => tg.editMessageText(alice.id, 999, "x"), "Bad Request: message to edit not found"],
    ["edit of the user's message", () => tg.editMessageText(alice.id, 1, "x"), "Bad Request: message can't be edited"],
    ["delete of a missing message", () => tg.deleteMessage(alice.id, 999), "Bad Request: message to delete not found"],
    ["unknown callback query", () => tg.answerCallbackQuery("123"), "Bad Request: query is too old and response timeout expired or query ID is invalid"],
    ["bad chat action", () => tg.sendChatAction(alice.id, "dancing" as never), "Bad Request: wrong parameter action in request"],
    ["bad command name", () => tg.setMyCommands([{ command: "Start", description: "x" }]), "Bad Request: BOT_COMMAND_INVALID"],
  ])("%s", async (_n, call, description) => {
    await started();
    expect(await failure(call())).toBe(description);
  });

  it("64 bytes of callback_data is fine", async () => {
    await started();
    await expect(tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "é".repeat(32) }]] } })).resolves.toMatchObject({ message_id: 2 });
  });

  it("a user who blocked the bot gets 403", async () => {
    api.setBlocked(alice, true);
    const err = await tg.sendMessage(alice.id, "hi").catch((e: GrammyError) => e);
    expect(err).toMatchObject({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
  });
});

describe("the chat as the user sees it", () => {
  it("send, edit in place, not modified, delete", async () => {
    await started();
    const keyboard = { inline_keyboard: [[{ text: "Buy Yes", callback_data: "buy:y" }], [{ text: "Open", url: "https://polymarket.com" }]] };
    const sent = await tg.sendMessage(alice.id, "<b>Rain?</b> Yes 0.70", { parse_mode: "HTML", reply_markup: keyboard });
    expect(sent).toMatchObject({ message_id: 2, text: "Rain? Yes 0.70", entities: [{ type: "bold", offset: 0, length: 5 }], reply_markup: keyboard });

    const same = await failure(tg.editMessageText(alice.id, 2, "<strong>Rain?</strong> Yes 0.70", { parse_mode: "HTML", reply_markup: keyboard }));
    expect(same).toBe("Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    expect(await failure(tg.editMessageReplyMarkup(alice.id, 2, { reply_markup: keyboard }))).toMatch(/message is not modified/);

    const edited = await tg.editMessageText(alice.id, 2, "Rain? Yes <code>0.72</code>", { parse_mode: "HTML" });
    expect(edited).toMatchObject({ message_id: 2, text: "Rain? Yes 0.72", edit_date: expect.any(Number) });
    expect(edited).not.toHaveProperty("reply_markup");

    await tg.sendMessage(alice.id, "second");
    await tg.deleteMessage(alice.id, 3);
    const view = api.chat(alice.id)!;
    expect(view.messages.map((m) => ({ id: m.id, from: m.from, text: m.text, edited: m.edited, buttons: m.buttons.length }))).toEqual([
      { id: 1, from: "user", text: "/start", edited: false, buttons: 0 },
      { id: 2, from: "bot", text: "Rain? Yes 0.72", edited: true, buttons: 0 },
    ]);
    expect(view.messages[1]).toMatchObject({ html: "Rain? Yes <code>0.72</code>", parseMode: "HTML" });
  });

  it("ids increase per chat; deleteMessages skips what is gone", async () => {
    await started(alice);
    const bob = { id: 5550000002, first_name: "Bob" };
    await started(bob);
    const a = await tg.sendMessage(alice.id, "a");
    const b = await tg.sendMessage(bob.id, "b");
    await api.sendText(alice, "hello");
    const c = await tg.sendMessage(alice.id, "c");
    expect([a.message_id, b.message_id, c.message_id]).toEqual([2, 2, 4]);
    await expect(tg.deleteMessages(alice.id, [2, 3, 99])).resolves.toBe(true);
    expect(api.chat(alice.id)!.messages.map((m) => m.id)).toEqual([1, 4]);
  });

  it("a pressed button is answered once; the notice is recorded", async () => {
    await started();
    await tg.sendMessage(alice.id, "Trade?", { reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "ok" }]] } });
    const d = await api.pressButton(alice, { label: "Confirm" });
    const query = d.update.callback_query!;
    expect(query).toMatchObject({ data: "ok", from: { id: alice.id }, message: { message_id: 2, reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "ok" }]] } } });
    await expect(tg.answerCallbackQuery(query.id, { text: "Order sent", show_alert: true })).resolves.toBe(true);
    expect(await failure(tg.answerCallbackQuery(query.id))).toMatch(/query is too old/);
    expect(api.chat(alice.id)!.notices).toEqual([{ at: expect.any(Number), queryId: query.id, messageId: 2, text: "Order sent", showAlert: true }]);
  });

  it("a callback query left unanswered too long is too old", async () => {
    let now = 1_800_000_000_000;
    const slow = await startBotApi({ callbackQueryTtlMs: 15_000, now: () => now });
    try {
      const tgSlow = new Api(TOKEN, { apiRoot: slow.url });
      await slow.sendCommand(alice, "/start");
      await tgSlow.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
      const first = await slow.pressButton(alice, { label: "A" });
      const second = await slow.pressButton(alice, { label: "A" });
      now += 15_000;
      await expect(tgSlow.answerCallbackQuery(first.update.callback_query!.id)).resolves.toBe(true);
      now += 1;
      expect(await failure(tgSlow.answerCallbackQuery(second.update.callback_query!.id))).toMatch(/query is too old/);
    } finally {
      await slow.close();
    }
  });

  it("pressButton explains what it could not find", async () => {
    await started();
    await tg.sendMessage(alice.id, "x", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }, { text: "Web", url: "https://x.org" }]] } });
    expect(() => api.pressButton(alice, { label: "B" })).toThrow(/no button .*"B".* 2:"A", 2:"Web"/);
    expect(() => api.pressButton(alice, { label: "Web" })).toThrow(/not a callback button/);
  });

  it("reply keyboards, chat actions, pins and commands", async () => {
    await started();
    await tg.sendMessage(alice.id, "menu", { reply_markup: { keyboard: [[{ text: "Markets" }, { text: "Wallet" }]], resize_keyboard: true } });
    await tg.sendChatAction(alice.id, "typing");
    await tg.pinChatMessage(alice.id, 2);
    await tg.setMyCommands([{ command: "start", description: "Start" }, { command: "markets", description: "Browse markets" }]);
    const view = api.chat(alice.id)!;
    expect(view).toMatchObject({ replyKeyboard: [["Markets", "Wallet"]], pinnedMessageIds: [2] });
    expect(view.typingUntil).toBeGreaterThan(Date.now());
    expect((await tg.getMyCommands()).map((c) => c.command)).toEqual(["start", "markets"]);
    expect(await tg.getMyCommands({ language_code: "de" })).toEqual([]);
    await tg.sendMessage(alice.id, "bye", { reply_markup: { remove_keyboard: true } });
    expect(api.chat(alice.id)!.replyKeyboard).toBeNull();
  });
});

describe("flood control", () => {
  it("rate mode: about one message a second per chat, 429 with retry_after", async () => {
    await started();
    api.setFlood({ mode: "rate", perSecond: 1, burst: 2 });
    await tg.sendMessage(alice.id, "1");
    await tg.sendMessage(alice.id, "2");
    const third = await raw("sendMessage", { chat_id: alice.id, text: "3" });
    expect(third).toEqual({ status: 429, json: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } });
    expect(api.chat(alice.id)!.messages).toHaveLength(3);
  });

  it("force mode: the next calls get 429 with the given retry_after", async () => {
    await started();
    api.setFlood({ mode: "force", retryAfter: 9, count: 1 });
    const err = await tg.sendMessage(alice.id, "x").catch((e: GrammyError) => e);
    expect(err).toMatchObject({ error_code: 429, parameters: { retry_after: 9 } });
    await expect(tg.sendMessage(alice.id, "y")).resolves.toMatchObject({ text: "y" });
  });
});

describe("calls and waits", () => {
  it("records every call with its answer; waitForMessage wakes on the change", async () => {
    await started();
    const waiting = api.waitForMessage(alice.id, "Filled", { timeoutMs: 2_000 });
    await tg.sendMessage(alice.id, "Filled 14.28 shares at 0.70");
    await expect(waiting).resolves.toMatchObject({ text: "Filled 14.28 shares at 0.70", from: "bot" });
    const call = api.calls().find((c) => c.method === "sendMessage")!;
    expect(call).toMatchObject({ params: { chat_id: alice.id, text: "Filled 14.28 shares at 0.70" }, status: 200, source: "http", response: { ok: true } });
  });

  it("a wait that is not met says what the chat shows", async () => {
    await started();
    await expect(api.waitForMessage(alice.id, /Filled/, { timeoutMs: 50 })).rejects.toThrow(/not met within 50 ms.*\[1 user\] \/start/s);
  });
});

describe("protected content, refusals on request, the 48-hour deletion window", () => {
  it("records protect_content; a failure switched on answers the given error the given number of times", async () => {
    await started();
    const m = await tg.sendMessage(alice.id, "secret", { protect_content: true });
    expect(api.chat(alice.id)!.messages.find((x) => x.id === m.message_id)!.protected).toBe(true);
    api.failNext("deleteMessage", { description: "Bad Request: message can't be deleted for everyone", count: 2 });
    expect(await failure(tg.deleteMessage(alice.id, m.message_id))).toBe("Bad Request: message can't be deleted for everyone");
    expect(await failure(tg.deleteMessage(alice.id, m.message_id))).toBe("Bad Request: message can't be deleted for everyone");
    expect(await tg.deleteMessage(alice.id, m.message_id)).toBe(true);
  });

  it("refuses to delete a message older than 48 hours, as Telegram does", async () => {
    let now = Date.UTC(2026, 11, 1);
    const local = await startBotApi({ now: () => now });
    try {
      const api2 = new Api(TOKEN, { apiRoot: local.url });
      await local.sendCommand(alice, "/start");
      const m = await api2.sendMessage(alice.id, "old");
      now += 48 * 3_600_000 + 1_000;
      expect(await failure(api2.deleteMessage(alice.id, m.message_id))).toBe("Bad Request: message can't be deleted for everyone");
    } finally {
      await local.close();
    }
  });
});
