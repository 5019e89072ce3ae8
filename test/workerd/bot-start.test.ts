// The webhook and /start: secret, duplicates, hostile bodies, the account, the menu, help, a database outage.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/polymarket-control";
import { Conversation, db, dbHandle, labels, post, tg, userRow } from "./bot-harness";

afterAll(() => dbHandle.close());

describe("webhook", () => {
  it("answers 401 and nothing more without the right secret, and does not act", async () => {
    const c = new Conversation();
    const { update } = await tg.sendCommand(c.user, "start", undefined, { deliver: false });
    for (const secret of [null, "wrong", `${env.TELEGRAM_WEBHOOK_SECRET}x`, ""]) {
      const res = await post(update, secret);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe("");
    }
    expect(await userRow(c.user.id)).toBeUndefined();
  });

  it("acts once on an update delivered twice", async () => {
    const c = new Conversation();
    const { update } = await c.command("start");
    const again = await post(update);
    expect(again.status).toBe(200);
    const menus = (await c.botMessages()).filter((m) => m.text.includes("Welcome to Polycool"));
    expect(menus).toHaveLength(1);
  });

  it.each([
    ["not JSON", "{nope"],
    ["no update_id", { message: { text: "/start" } }],
    ["an unknown update kind", { update_id: 77, my_chat_member: { chat: { id: 1 } } }],
    ["a text longer than Telegram allows", { update_id: 78, message: { message_id: 1, date: 1, chat: { id: 5, type: "private" }, from: { id: 5, is_bot: false, first_name: "X" }, text: "x".repeat(5000) } }],
  ])("answers 200 to %s and does nothing", async (_n, body) => {
    const before = (await tg.calls()).length;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect((await tg.calls()).length).toBe(before);
  });

});

describe("/start", () => {
  it("creates the account in the configured mode with the paper balance and shows the menu", async () => {
    const c = new Conversation();
    await c.command("start");
    const menu = await c.lastBot();
    expect(menu.text).toContain(`Welcome to Polycool, ${c.user.first_name}!`);
    expect(menu.text).toContain("Paper trading · cash $1,000.00");
    expect(labels(menu)).toEqual(["Markets", "Positions", "Wallet", "Settings", "Help"]);
    expect(await userRow(c.user.id)).toMatchObject({ mode: "paper", paper_cash: "1000.000000", paper_deposits: "1000.000000", chat_id: String(c.user.id) });
    await c.command("start");
    expect((await c.lastBot()).text).not.toContain("Welcome");
  });

  it("Help explains TP/SL and the risks, edited in place", async () => {
    const c = new Conversation();
    await c.command("start");
    const menu = await c.lastBot();
    await c.press("Help");
    const help = await c.lastBot();
    expect(help.id).toBe(menu.id);
    expect(help.edited).toBe(true);
    expect(help.text).toContain("Risks, honestly");
    expect(help.text).toContain("+50%");
    await c.press("Menu");
    expect((await c.lastBot()).text).toContain("Paper trading");
  });

  it("answers unknown commands, outdated and garbage buttons without failing", async () => {
    const c = new Conversation();
    await c.command("start");
    await c.command("frobnicate");
    expect((await c.lastBot()).text).toContain("I don't know that command");
    const calls = (await tg.calls({ method: "answerCallbackQuery" })).length;
    await c.pressData("0s:1:5000");
    expect(await c.lastNotice()).toContain("older version");
    expect((await c.lastBot()).text).toContain("Polycool");
    await c.pressData("<script>");
    expect(await c.lastNotice()).toContain("does not work");
    expect((await tg.calls({ method: "answerCallbackQuery" })).length).toBe(calls + 2);
  });
});

describe("database outage", () => {
  it("tells the user to try again when the database is down, and still answers 200", async () => {
    const c = new Conversation();
    const outage = await fetch(`${inject("pgProxyControl")}/outage?ms=1500`, { method: "POST" });
    expect(outage.ok).toBe(true);
    const { update } = await tg.sendCommand(c.user, "start", undefined, { deliver: false });
    const res = await post(update);
    expect(res.status).toBe(200);
    const msg = await c.waitFor("temporarily unavailable");
    expect(msg.text).toContain("Try again in a moment");
    // Once the database is back, the same user is served normally.
    await eventually(async () => (await db.execute(sql`select 1`)).rows.length === 1, "the database back");
    await c.command("start");
    expect((await c.lastBot()).text).toContain("Welcome to Polycool");
  });
});
