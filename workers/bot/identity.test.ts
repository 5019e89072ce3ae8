import { describe, expect, it } from "vitest";
import { identify } from "./identity";
import { updateSchema } from "./update-schema";

const from = (id: number, isBot = false) => ({ id, is_bot: isBot, first_name: "A" });
const chat = (id: number, type = "private") => ({ id, type });
const msg = (chatId: number, fromId: number, type = "private") => ({ message_id: 1, date: 1, chat: chat(chatId, type), from: from(fromId), text: "hi" });
const parse = (u: object) => updateSchema.parse({ update_id: 1, ...u });

describe("identify", () => {
  it.each([
    ["a message in the sender's private chat", { message: msg(7, 7) }, { ok: true, telegramId: 7, private: true }],
    ["a message naming another private chat", { message: msg(9, 7) }, { ok: false, telegramId: 7, reason: "foreign_chat" }],
    ["an edited message naming another chat", { edited_message: msg(9, 7) }, { ok: false, telegramId: 7, reason: "foreign_chat" }],
    ["a button on the sender's own message", { callback_query: { id: "q", from: from(7), data: "x", message: { message_id: 1, date: 1, chat: chat(7) } } }, { ok: true, telegramId: 7, private: true }],
    ["a button whose message sits in another chat (the key-theft forgery)", { callback_query: { id: "q", from: from(7), data: "x", message: { message_id: 1, date: 1, chat: chat(666) } } }, { ok: false, telegramId: 7, reason: "foreign_chat" }],
    ["a button without its message", { callback_query: { id: "q", from: from(7), data: "x" } }, { ok: false, telegramId: 7, reason: "no_message" }],
    ["a group chat: not private, politely refused later", { message: msg(-100, 7, "supergroup") }, { ok: true, telegramId: 7, private: false }],
    ["a bot sender", { message: { ...msg(7, 7), from: from(7, true) } }, null],
    ["no sender", { message: { message_id: 1, date: 1, chat: chat(7) } }, null],
    ["another kind of update", {}, null],
  ])("%s", (_name, u, want) => expect(identify(parse(u))).toEqual(want));
});
