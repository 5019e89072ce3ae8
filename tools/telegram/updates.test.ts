import { Bot } from "grammy";
import type { Message, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { callbackDataOf, callbackUpdate, chatInstanceFor, commandUpdate, detectEntities, textUpdate, UserSim, type SimUser } from "./updates";

const alice: SimUser = { id: 5550000001, first_name: "Alice", username: "alice" };
const BOT_INFO = { id: 100200300, is_bot: true, first_name: "Polycool", username: "polycool_bot" } as UserFromGetMe;

function botMessage(id: number): Message {
  return {
    message_id: id,
    from: { id: BOT_INFO.id, is_bot: true, first_name: "Polycool", username: "polycool_bot" },
    chat: { id: alice.id, type: "private", first_name: "Alice" },
    date: 1_800_000_000,
    text: "Will it rain?",
    reply_markup: { inline_keyboard: [[{ text: "Buy Yes", callback_data: "buy:y" }, { text: "Site", url: "https://polymarket.com" }]] },
  };
}

describe("update builders", () => {
  it("textUpdate has Telegram's shape for a private chat", () => {
    expect(textUpdate({ updateId: 7, messageId: 3, user: alice, text: "hi", date: 1_800_000_000 })).toEqual({
      update_id: 7,
      message: {
        message_id: 3,
        from: { id: alice.id, is_bot: false, first_name: "Alice", username: "alice", language_code: "en" },
        chat: { id: alice.id, type: "private", first_name: "Alice", username: "alice" },
        date: 1_800_000_000,
        text: "hi",
      },
    });
  });

  it.each([
    ["/start", undefined, "/start", 6],
    ["start", undefined, "/start", 6],
    ["/search", "trump election", "/search trump election", 7],
  ])("commandUpdate(%j, %j) → %j with a bot_command entity", (command, args, text, length) => {
    const u = commandUpdate({ updateId: 1, messageId: 1, user: alice, command, ...(args ? { args } : {}), date: 1 });
    expect(u.message?.text).toBe(text);
    expect(u.message?.entities?.[0]).toEqual({ type: "bot_command", offset: 0, length });
  });

  it("callbackUpdate embeds the bot's message and a stable chat_instance", () => {
    const u = callbackUpdate({ updateId: 9, queryId: "123", user: alice, message: botMessage(4), data: "buy:y" });
    expect(u.callback_query).toMatchObject({ id: "123", data: "buy:y", chat_instance: chatInstanceFor(alice.id), message: { message_id: 4 } });
    expect(u.callback_query?.from.is_bot).toBe(false);
  });

  it.each([
    ["plain words", []],
    ["/start", [{ type: "bot_command", offset: 0, length: 6 }]],
    ["see https://polymarket.com/event/fed-rates.", [{ type: "url", offset: 4, length: 38 }]],
    ["run /help@polycool_bot now", [{ type: "bot_command", offset: 4, length: 18 }]],
    ["a/b is not a command", []],
    ["📈 /markets", [{ type: "bot_command", offset: 3, length: 8 }]],
  ])("detectEntities(%j)", (text, want) => expect(detectEntities(text)).toEqual(want));

  it("callbackDataOf finds a button by its label and explains a miss", () => {
    expect(callbackDataOf(botMessage(1), "Buy Yes")).toBe("buy:y");
    expect(() => callbackDataOf(botMessage(1), "Buy No")).toThrow(/no button "Buy No".*"Buy Yes","Site"/);
    expect(() => callbackDataOf(botMessage(1), "Site")).toThrow(/no callback_data/);
  });
});

describe("UserSim", () => {
  it("keeps update ids increasing and message ids above the bot's", () => {
    const sim = new UserSim(alice, { firstUpdateId: 10, now: () => 1_800_000_000_500 });
    const a = sim.command("/start");
    sim.observe(2); // the bot answered with message 2
    const b = sim.text("hello");
    const c = sim.pressLabel(botMessage(5), "Buy Yes");
    const d = sim.text("again");
    expect([a.update_id, b.update_id, c.update_id, d.update_id]).toEqual([10, 11, 12, 13]);
    expect([a.message?.message_id, b.message?.message_id, d.message?.message_id]).toEqual([1, 3, 6]);
    expect(a.message?.date).toBe(1_800_000_000);
    expect(c.callback_query?.data).toBe("buy:y");
  });

  it("builds updates grammY routes like Telegram's (command, text, callback query)", async () => {
    const bot = new Bot("100200300:test", { botInfo: BOT_INFO });
    const seen: string[] = [];
    bot.command("search", (ctx) => void seen.push(`command:${ctx.match}`));
    bot.callbackQuery("buy:y", (ctx) => void seen.push(`callback:${ctx.callbackQuery.message?.message_id}:${ctx.chat?.id}`));
    bot.on("message:text", (ctx) => void seen.push(`text:${ctx.message.text}`));
    const sim = new UserSim(alice);
    await bot.handleUpdate(sim.command("/search", "btc"));
    await bot.handleUpdate(sim.text("https://polymarket.com/event/x"));
    await bot.handleUpdate(sim.press(botMessage(8), "buy:y"));
    expect(seen).toEqual(["command:btc", "text:https://polymarket.com/event/x", `callback:8:${alice.id}`]);
  });
});
