// Wallet and settings through the webhook: generate, the PIN, live mode and a delayed export (deleted
// after 60 s), import (the key's message deleted, never echoed); presets, slippage, default stop loss, paper reset.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it, onTestFinished } from "vitest";
import { setLogSink } from "../../workers/lib/log";
import { settingsOf } from "../../workers/env";
import { sweepHousekeeping } from "../../workers/security/housekeeping";
import { Conversation, db, dbHandle, labels, marketWithBook, openBySearch, setPin, userRow } from "./bot-harness";

afterAll(() => dbHandle.close());

/** A well-known throwaway test key (Hardhat's #3): never holds value. */
const TEST_KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
const KEY_HEX = TEST_KEY.slice(2);

describe("wallet", () => {
  it("generates a wallet; live mode and the export need a PIN; the key comes 10 minutes later, protected, and is deleted after 60 s", async () => {
    const c = new Conversation();
    await c.command("wallet");
    const w = await c.lastBot();
    expect(w.text).toContain("No live wallet yet");
    expect(w.text).toContain("PIN: not set");
    expect(labels(w)).toEqual(["Switch to live", "Set PIN", "Import key", "Generate wallet", "Menu"]);
    await c.press("Switch to live");
    expect(await c.lastNotice()).toBe("Set up a wallet first.");

    await c.press("Generate wallet");
    await c.press("Generate");
    const made = await c.lastBot();
    expect(made.text).toMatch(/New wallet: 0x[0-9a-fA-F]{40}/);

    await c.press("Export key");
    expect((await c.lastBot()).text).toContain("Export your private key?");
    await c.press("Continue");
    expect((await c.lastBot()).text).toContain("Set a PIN first");
    await setPin(c, "246810");

    await c.press("Export key");
    await c.press("Continue");
    expect((await c.lastBot()).text).toContain("Your PIN, to export your private key");
    await c.say("135790");
    expect((await c.lastBot()).text).toContain("Wrong PIN. 4 tries left");
    await c.say("246810");
    const notice = await c.waitFor("Key export requested");
    expect(notice.text).toMatch(/sent here at \d\d:\d\d UTC \(in 10 min\)/);
    expect(labels(notice)).toEqual(["Cancel the export"]);
    // No PIN stays in the chat, and no key arrives before its time.
    expect((await c.chat()).messages.filter((m) => m.from === "user" && /\d{6}/.test(m.text))).toEqual([]);
    const telegram = { ...settingsOf(env), TELEGRAM_API_ROOT: inject("botApiUrl") };
    await sweepHousekeeping({ db, settings: telegram }, Date.now() + 60_000);
    expect((await c.botMessages()).some((m) => /0x[0-9a-f]{64}/.test(m.text))).toBe(false);

    const due = Date.now() + 10 * 60_000 + 1_000;
    expect((await sweepHousekeeping({ db, settings: telegram }, due)).report).toMatchObject({ exported: 1 });
    const keyMsg = (await c.botMessages()).find((m) => /0x[0-9a-f]{64}/.test(m.text))!;
    expect(keyMsg.protected).toBe(true);
    expect(keyMsg.text).toContain("deleted in 60 seconds");
    await sweepHousekeeping({ db, settings: telegram }, due + 30_000);
    expect((await c.botMessages()).some((m) => m.id === keyMsg.id)).toBe(true);
    expect((await sweepHousekeeping({ db, settings: telegram }, due + 61_000)).report).toMatchObject({ deleted: 1 });
    expect((await c.botMessages()).some((m) => m.id === keyMsg.id)).toBe(false);

    await c.command("wallet");
    await c.press("Switch to live");
    // Real money: a confirmation with the Polymarket balance first; nothing changes before it.
    const confirm = await c.lastBot();
    expect(confirm.text).toContain("Switch to live trading?");
    expect(confirm.text).toMatch(/Polymarket balance: (\$[\d,.]+ pUSD|could not be read right now)/);
    expect(labels(confirm)).toEqual(["Confirm", "Cancel"]);
    expect((await userRow(c.user.id))?.mode).toBe("paper");
    await c.press("Confirm");
    expect((await c.lastBot()).text).toContain("Your PIN, to switch to live trading");
    await c.say("246810");
    expect((await c.waitFor("Live mode: orders now use real money")).text).toContain("PIN: set");
    await c.command("start");
    expect((await c.lastBot()).text).toContain("Live trading");
  });

  it("imports a key: the message is deleted at once and the key is never echoed or logged", async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    onTestFinished(() => void setLogSink(restore));
    const c = new Conversation();
    await c.command("wallet");
    await c.press("Import key");
    await c.say("0x1234");
    expect((await c.lastBot()).text).toContain("Not imported: privateKey must be 0x followed by 64 hex characters");
    await c.say(TEST_KEY);
    const done = await c.waitFor("Wallet imported");
    expect(done.text).toMatch(/0x[0-9a-fA-F]{40}/);
    const chat = await c.chat();
    expect(chat.messages.filter((m) => m.text.toLowerCase().includes(KEY_HEX))).toEqual([]);
    expect(chat.messages.filter((m) => m.from === "user" && m.text.includes("0x1234"))).toEqual([]);
    const stored = await db.execute(sql`SELECT encrypted_private_key FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.telegram_id = ${c.user.id}`);
    expect(String(stored.rows[0]!.encrypted_private_key)).not.toContain(KEY_HEX);
    // The Worker runs in this isolate: its log lines were captured, and none holds the key.
    expect(lines.some((l) => l.includes("wallet"))).toBe(true);
    expect(lines.filter((l) => l.toLowerCase().includes(KEY_HEX))).toEqual([]);
  });

  it("a key pasted when none was asked for is deleted and not searched for", async () => {
    const c = new Conversation();
    await c.command("start");
    await c.say(`my key is ${KEY_HEX}`);
    expect((await c.lastBot()).text).toContain("That looked like a private key, so I deleted it");
    expect((await c.chat()).messages.some((m) => m.text.includes(KEY_HEX))).toBe(false);
  });
});

describe("settings", () => {
  it("presets, slippage and a default stop loss shape the next buy; the paper account resets", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("settings");
    await c.press("Buy amounts");
    await c.say("1 2 3 4 5");
    expect((await c.lastBot()).text).toContain("Send 1 to 4 amounts");
    await c.say("14 7");
    expect((await c.lastBot()).text).toContain("Buy amounts: $7 · $14");
    await c.press("Slippage");
    await c.say("fifty"); // a bad typed value says why and the question stays open
    expect((await c.lastBot()).text).toContain("Send the bound as a percentage");
    await c.say("3%");
    expect((await c.lastBot()).text).toContain("Slippage bound: 3%");
    await c.command("settings");
    await c.press("Slippage");
    await c.press("2%");
    expect((await c.lastBot()).text).toContain("Slippage bound: 2%");
    await c.press("Default take profit");
    await c.say("+35%");
    expect((await c.lastBot()).text).toContain("Take profit after each buy: +35%");
    await c.command("settings");
    await c.press("Default stop loss");
    await c.press("-20%");
    expect((await c.lastBot()).text).toContain("Stop loss after each buy: -20%");

    await openBySearch(c, word);
    await c.press(`Buy ${yes}`);
    expect(labels(await c.lastBot())).toEqual(["$7", "$14", "Custom amount", "Back"]);
    await c.press("$14");
    expect((await c.lastBot()).text).toContain("Max price (slippage bound 2%): 51¢");
    await c.press("Confirm");
    const filled = await c.waitFor("Bought");
    expect(filled.text).toContain("Stop loss set at 40¢ (-20%)");

    await c.command("settings");
    await c.press("Reset paper balance");
    await c.press("Yes, reset");
    expect((await c.lastBot()).text).toContain("Paper account reset: cash $1,000.00, 1 paper position closed");
    expect(await userRow(c.user.id)).toMatchObject({ paper_cash: "1000.000000", paper_epoch: 1 });
  });
});

describe("live mode", () => {
  it("a live buy is signed, sent to Polymarket (the local venue) and filled; the preview says it is real money", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("wallet");
    await c.press("Generate wallet");
    await c.press("Generate");
    await setPin(c, "246810");
    await c.press("Switch to live");
    await c.press("Confirm");
    await c.say("246810");
    await c.waitFor("Live mode: orders now use real money");
    await openBySearch(c, word);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    const preview = await c.lastBot();
    expect(preview.text).toContain("LIVE: real money on Polymarket.");
    await c.press("Confirm");
    const done = await c.waitFor(/Bought|Not bought|not confirmed/);
    expect(done.text).toContain(`Bought 20 ${yes} shares at avg 50¢ for $10.00`);
    const order = await db.execute(sql`SELECT o.mode, o.status, o.venue_order_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id}`);
    expect(order.rows[0]).toMatchObject({ mode: "live", status: "filled" });
    expect(String(order.rows[0]!.venue_order_id)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
