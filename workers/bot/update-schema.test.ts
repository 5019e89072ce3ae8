import { describe, expect, it } from "vitest";
import { UserSim } from "../../tools/telegram/updates";
import { replyTarget, updateSchema } from "./update-schema";

const sim = new UserSim({ id: 777, first_name: "Ann" }, { now: () => 1_764_000_000_000 });

describe("updateSchema", () => {
  it("accepts real-shaped updates and keeps the fields it does not know", () => {
    const cmd = sim.command("start");
    const parsed = updateSchema.parse(cmd);
    expect(parsed.message?.text).toBe("/start");
    expect((parsed.message as Record<string, unknown>).entities).toBeDefined();
    expect(replyTarget(parsed)).toEqual({ chatId: 777 });
  });

  it("points callback queries at answerCallbackQuery", () => {
    const msg = updateSchema.parse(sim.text("hi")).message!;
    const press = sim.press({ ...msg, from: { id: 1, is_bot: true, first_name: "Bot" } } as never, "1h");
    const parsed = updateSchema.parse(press);
    expect(replyTarget(parsed)).toEqual({ callbackQueryId: parsed.callback_query!.id });
  });

  it("turns a NUL (which Postgres text cannot hold) into U+FFFD in text and names, keeping offsets", () => {
    const raw = sim.text("ab\u0000cd") as { message: { text: string; from: { first_name: string; username?: string } } };
    raw.message.from.first_name = "A\u0000n";
    raw.message.from.username = "a\u0000n";
    const parsed = updateSchema.parse(raw);
    expect(parsed.message!.text).toBe("ab\uFFFDcd");
    expect(parsed.message!.from).toMatchObject({ first_name: "A\uFFFDn", username: "a\uFFFDn" });
  });

  it.each([
    ["no update_id", { message: {} }],
    ["negative update_id", { update_id: -1 }],
    ["string update_id", { update_id: "1" }],
    ["text beyond Telegram's limit", { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, text: "x".repeat(5000) } }],
    ["not an object", "hello"],
  ])("refuses %s", (_n, raw) => expect(updateSchema.safeParse(raw).success).toBe(false));

  it("has nobody to tell for group messages or unknown update kinds", () => {
    expect(replyTarget(updateSchema.parse({ update_id: 5, message: { message_id: 1, date: 1, chat: { id: -100, type: "group" } } }))).toBeNull();
    expect(replyTarget(updateSchema.parse({ update_id: 6, my_chat_member: {} }))).toBeNull();
  });
});
