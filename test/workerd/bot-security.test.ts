// The attacks of issue #18 through the webhook: a forged chat on a button or a message, a stolen
// session without the PIN, guessing the PIN, a cancelled export, a forgotten PIN, and keys that must
// leave the chat for sure (retries, a message too old to delete, the database down, edits, captions).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { callbackUpdate, textMessage } from "../../tools/telegram/updates";
import { settingsOf } from "../../workers/env";
import { sweepHousekeeping } from "../../workers/security/housekeeping";
import { encodeAction } from "../../workers/telegram/callback-data";
import { eventually } from "../support/polymarket-control";
import { Conversation, db, dbHandle, post, setPin, tg, userRow } from "./bot-harness";

afterAll(() => dbHandle.close());

const KEY = `0x${"5a".repeat(32)}`;
const settings = () => settingsOf(env);
const sweep = (at: number) => sweepHousekeeping({ db, settings: settings() }, at);
let updateSeq = 0;
const nextUpdateId = () => 800_000_000 + Math.floor(Math.random() * 90_000_000) + updateSeq++;

/** A user with a generated wallet and a PIN. */
async function owner(pin = "246810"): Promise<Conversation> {
  const c = new Conversation();
  await c.command("wallet");
  await c.press("Generate wallet");
  await c.press("Generate");
  await setPin(c, pin);
  return c;
}

/** Export key → Continue → the PIN: the export is scheduled (10 minutes later). */
async function requestExport(c: Conversation, pin = "246810"): Promise<void> {
  await c.press("Export key");
  await c.press("Continue");
  await c.say(pin);
  await c.waitFor("Key export requested");
}

const refusedUpdate = async (updateId: number) => (await db.execute(sql`SELECT refused FROM telegram_updates WHERE update_id = ${updateId}`)).rows[0];
const actionsOf = async (telegramId: number) =>
  (await db.execute(sql`SELECT a.kind, a.status FROM secure_actions a JOIN users u ON u.id = a.user_id WHERE u.telegram_id = ${telegramId} ORDER BY a.id`)).rows;

describe("identity that a chat id cannot forge", () => {
  it("a button pressed as the victim on a message in the attacker's chat is refused, counted, and changes nothing", async () => {
    const victim = await owner();
    const attacker = new Conversation();
    await attacker.command("start");
    const before = await userRow(victim.user.id);
    const seenBy = async (c: Conversation) => (await c.chat()).messages.length;
    const [victimSeen, attackerSeen] = [await seenBy(victim), await seenBy(attacker)];
    const attackerMsg = (await attacker.lastBot()).id;
    for (const action of [{ a: "walletExport", confirmed: true }, { a: "mode", mode: "live" }, { a: "pinForgot", confirmed: true }] as const) {
      const updateId = nextUpdateId();
      const message = { ...textMessage({ messageId: attackerMsg, user: attacker.user, text: "x", date: Math.floor(Date.now() / 1000) }), from: { id: 1, is_bot: true, first_name: "Polycool" } };
      const update = callbackUpdate({ updateId, queryId: `forged${updateId}`, user: victim.user, message: message as never, data: encodeAction(action) });
      expect((await post(update)).status).toBe(200);
      expect(await refusedUpdate(updateId)).toEqual({ refused: "foreign_chat" });
    }
    // A typed message "from" the victim in the attacker's chat, too.
    const typedId = nextUpdateId();
    const forged = { update_id: typedId, message: { ...textMessage({ messageId: 99, user: victim.user, text: "/wallet", date: Math.floor(Date.now() / 1000) }), chat: { id: attacker.user.id, type: "private", first_name: "A" } } };
    expect((await post(forged)).status).toBe(200);
    expect(await refusedUpdate(typedId)).toEqual({ refused: "foreign_chat" });

    expect([await seenBy(victim), await seenBy(attacker)]).toEqual([victimSeen, attackerSeen]); // nobody was told anything
    expect(await userRow(victim.user.id)).toEqual(before); // chat_id, mode, PIN state unchanged
    expect(await actionsOf(victim.user.id)).toEqual([]);
    const calls = await tg.calls();
    expect(calls.filter((x) => x.params.chat_id === attacker.user.id && x.seq > 0 && /0x[0-9a-f]{64}/.test(JSON.stringify(x.params)))).toEqual([]);
  });
});

describe("a second factor for what moves keys out", () => {
  it("five wrong PINs lock it; even the right one is refused until the lock ends", async () => {
    const c = await owner("864213");
    await c.press("Export key");
    await c.press("Continue");
    for (let i = 0; i < 4; i++) await c.say("111112");
    expect((await c.lastBot()).text).toContain("1 try left");
    await c.say("111112");
    expect((await c.lastBot()).text).toMatch(/Too many wrong PINs: it is locked until \d\d:\d\d UTC/);
    await c.command("wallet");
    await c.press("Export key");
    await c.press("Continue");
    await c.say("864213");
    expect((await c.lastBot()).text).toContain("locked after too many wrong tries");
    expect(await actionsOf(c.user.id)).toEqual([]);
  });

  it("a cancelled export sends nothing when it falls due", async () => {
    const c = await owner();
    await requestExport(c);
    await c.press("Cancel the export");
    expect((await c.lastBot()).text).toContain("Cancelled: nothing will happen");
    await sweep(Date.now() + 11 * 60_000);
    expect((await c.botMessages()).some((m) => /0x[0-9a-f]{64}/.test(m.text))).toBe(false);
    expect(await actionsOf(c.user.id)).toEqual([{ kind: "export_key", status: "cancelled" }]);
  });

  it("a forgotten PIN is cleared 24 hours after the request, announced at once", async () => {
    const c = await owner();
    await c.press("Export key");
    await c.press("Continue");
    await c.press("Forgot PIN");
    await c.press("Reset in 24 hours");
    expect((await c.lastBot()).text).toContain("PIN reset requested");
    await sweep(Date.now() + 23 * 3_600_000);
    expect((await userRow(c.user.id))?.pin_hash).not.toBeNull();
    await sweep(Date.now() + 24 * 3_600_000 + 60_000);
    expect((await userRow(c.user.id))?.pin_hash).toBeNull();
    expect((await c.lastBot()).text).toContain("Your PIN was reset");
  });

  it("widening the slippage bound in live mode asks the PIN; narrowing does not", async () => {
    const c = await owner();
    await c.command("wallet");
    await c.press("Switch to live");
    await c.press("Confirm");
    await c.say("246810");
    await c.waitFor("Live mode");
    await c.command("settings");
    await c.press("Slippage");
    await c.press("10%");
    expect((await c.lastBot()).text).toContain("to widen your slippage bound in live mode");
    await c.say("246810");
    expect((await c.waitFor("Slippage bound: 10%")).text).toContain("Settings");
    await c.press("Slippage");
    await c.press("2%");
    expect((await c.lastBot()).text).toContain("Slippage bound: 2%");
  });
});

describe("keys leave the chat for sure", () => {
  it("an exported key whose deletion Telegram does not confirm is retried until it does", async () => {
    const c = await owner();
    await requestExport(c);
    const due = Date.now() + 10 * 60_000 + 1_000;
    await sweep(due);
    const keyMsg = (await c.botMessages()).find((m) => /0x[0-9a-f]{64}/.test(m.text))!;
    await tg.failNext("deleteMessage", { description: "Internal Server Error", errorCode: 500, count: 1 });
    expect((await sweep(due + 61_000)).report).toMatchObject({ retrying: 1, deleted: 0 });
    expect((await sweep(due + 61_000 + 5_000)).report).toMatchObject({ deleted: 0 }); // not before its backoff
    expect((await sweep(due + 61_000 + 11_000)).report).toMatchObject({ deleted: 1 });
    const row = (await db.execute(sql`SELECT d.status, d.attempts FROM message_deletions d JOIN users u ON u.id = d.user_id WHERE u.telegram_id = ${c.user.id}`)).rows[0];
    expect(row).toEqual({ status: "deleted", attempts: 2 });
    expect((await c.botMessages()).some((m) => m.id === keyMsg.id)).toBe(false);
  });

  it("a message too old to delete is given up on, and the owner is told to delete it", async () => {
    const c = await owner();
    await requestExport(c);
    const due = Date.now() + 10 * 60_000 + 1_000;
    await sweep(due);
    await tg.failNext("deleteMessage", { description: "Bad Request: message can't be deleted for everyone" });
    expect((await sweep(due + 61_000)).report).toMatchObject({ gaveUp: 1 });
    expect((await c.lastBot()).text).toContain("I could not delete the message with your exported key. Delete it yourself now");
  });

  it("a key pasted while the database is down is still deleted at once", async () => {
    const c = new Conversation();
    await c.command("start");
    const outage = await fetch(`${inject("pgProxyControl")}/outage?ms=1500`, { method: "POST" });
    expect(outage.ok).toBe(true);
    await c.say(`here ${KEY}`);
    await c.waitFor("temporarily unavailable");
    expect((await c.chat()).messages.some((m) => m.text.includes(KEY.slice(2)))).toBe(false);
    await eventually(async () => (await db.execute(sql`select 1`)).rows.length === 1, "the database back");
  });

  it("a key put in by editing a message, or in a caption, is deleted too", async () => {
    const c = new Conversation();
    await c.command("start");
    const { update } = await tg.sendText(c.user, "harmless", { deliver: false });
    expect((await post(update)).status).toBe(200);
    const original = (update as { message: { message_id: number; date: number } }).message;
    const edited = { update_id: nextUpdateId(), edited_message: { ...textMessage({ messageId: original.message_id, user: c.user, text: `oops ${KEY}`, date: original.date }), edit_date: original.date + 5 } };
    expect((await post(edited)).status).toBe(200);
    expect((await c.chat()).messages.some((m) => m.id === original.message_id)).toBe(false);
    expect((await c.lastBot()).text).toContain("That looked like a private key");

    const captionId = original.message_id + 1_000;
    const photo = { update_id: nextUpdateId(), message: { message_id: captionId, date: original.date, chat: { id: c.user.id, type: "private", first_name: c.user.first_name }, from: { id: c.user.id, is_bot: false, first_name: c.user.first_name }, photo: [{ file_id: "f", file_unique_id: "u", width: 1, height: 1 }], caption: KEY } };
    await tg.ingest(photo as never);
    expect((await post(photo)).status).toBe(200);
    expect((await c.chat()).messages.some((m) => m.id === captionId)).toBe(false);
  });
});
