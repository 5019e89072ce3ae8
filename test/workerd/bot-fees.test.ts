// Fees through the webhook on a fee-enabled market (rate 0.07): the preview shows the fee and the
// total, the fill records it, the cash pays it, and a buy of the whole cash shrinks to fit.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Conversation, db, dbHandle, labels, marketWithBook, pm, setPin } from "./bot-harness";

afterAll(() => dbHandle.close());

describe("fees in the bot (paper)", () => {
  it("preview → fill → cash include the fee; a buy of the whole cash is sized to fit", async () => {
    const { m, word, yes } = await marketWithBook();
    // What the market sync writes from Gamma's feeSchedule.
    await db.execute(sql`UPDATE markets SET fee_rate = 0.07, fee_exponent = 1 WHERE id = ${m.id}`);
    await pm.setBook(m.tokenIds[0], [["0.48", "10000"]], [["0.50", "10000"]]);
    const c = new Conversation();
    await c.command("start");
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    const preview = await c.lastBot();
    // 20 shares × 0.07 × 0.50 × 0.50 = 0.35
    expect(preview.text).toContain("Spend: $10.00 (best ask 50¢)");
    expect(preview.text).toContain("Polymarket fee: $0.35 · total $10.35");
    expect(preview.text).toContain("Estimated shares: 20 (the fee is paid in cash, not in shares)");
    await c.press("Confirm");
    const filled = await c.waitFor("Bought");
    expect(filled.text).toContain(`Bought 20 ${yes} shares at avg 50¢ for $10.00`);
    expect(filled.text).toContain("Fees: $0.35");
    expect(filled.text).toContain("cost $10.35");
    const cash = await db.execute(sql`SELECT u.paper_cash, o.fees FROM users u JOIN orders o ON o.user_id = u.id WHERE u.telegram_id = ${c.user.id} ORDER BY o.id DESC LIMIT 1`);
    expect(cash.rows[0]).toMatchObject({ paper_cash: "989.650000", fees: "0.350000" });

    // The whole cash: n × (1 + 0.07 × 0.25 / 0.5) ≤ 989.65 → 956.18 (fee 33.4663); 956.19 would cost 989.65665.
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("Custom amount");
    await c.say("989.65");
    const all = await c.waitFor("Preview");
    expect(all.text).toContain("Spend: $956.18");
    expect(all.text).toContain("Your cash covers $956.18 plus its fee: the buy is sized to fit.");
    await c.press("Confirm");
    await c.waitFor(/Bought 1,?912\.36/);
    const after = await db.execute(sql`SELECT u.paper_cash, o.fees, o.requested_amount FROM users u JOIN orders o ON o.user_id = u.id WHERE u.telegram_id = ${c.user.id} ORDER BY o.id DESC LIMIT 1`);
    expect(after.rows[0]).toMatchObject({ paper_cash: "0.003700", fees: "33.466300", requested_amount: "956.180000" });
  });
});

describe("balances in the bot (live)", () => {
  it("the wallet screen shows the pUSD Polymarket holds; a preview larger than it offers no Confirm", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("start");
    await c.command("wallet");
    await c.press("Generate wallet");
    await c.press("Generate");
    await setPin(c, "246810");
    const w = await db.execute(sql`SELECT w.address FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.telegram_id = ${c.user.id}`);
    await pm.setBalance(String(w.rows[0]!.address), "25");
    await c.command("wallet");
    await c.press("Switch to live");
    // The confirmation shows what Polymarket holds for this wallet before any real money moves.
    expect((await c.lastBot()).text).toContain("Polymarket balance: $25.00 pUSD");
    await c.press("Confirm");
    await c.say("246810");
    const live = await c.waitFor("Live mode: orders now use real money");
    expect(live.text).toContain("Polymarket cash: $25.00 pUSD");
    const before = ((await pm.orders()) as unknown[]).length;
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("Custom amount");
    await c.say("30");
    const preview = await c.waitFor("Preview");
    expect(preview.text).toContain("Your Polymarket balance is $25.00: it does not cover $30.00.");
    expect(labels(preview)).not.toContain("Confirm");
    expect(((await pm.orders()) as unknown[]).length).toBe(before);
  });
});
