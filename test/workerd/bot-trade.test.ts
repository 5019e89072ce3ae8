// The trading journey through the webhook: find a market, buy with a preview and Confirm, set TP/SL,
// sell from the position card; duplicates, stale and forged buttons, hostile amounts, rate limits.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { encodeAction } from "../../workers/telegram/callback-data";
import { Conversation, dataOf, db, dbHandle, labels, marketWithBook, pm, post } from "./bot-harness";

afterAll(() => dbHandle.close());

/** From /start to a preview of a $10 buy of the first outcome. */
async function toPreview(c: Conversation, word: string, yes: string): Promise<void> {
  await c.command("start");
  await c.command("search", word);
  const list = await c.lastBot();
  expect(list.text).toContain(`Will the ${word} launch before June?`);
  await c.press(labels(list).find((l) => l.startsWith("1. "))!);
  const card = await c.lastBot();
  expect(card.text).toContain("bid 48¢ / ask 50¢ · spread 2¢");
  await c.press(`Buy ${yes}`);
  const amounts = await c.lastBot();
  expect(amounts.text).toContain("How much do you want to spend?");
  // Regression: nobody holds this market, so the streamer has no book; the screen used to say
  // "Nobody is selling" while the card had just shown the ask.
  expect(amounts.text).toContain("Best ask now: 50¢");
  await c.press("$10");
}

async function positionIdOf(telegramId: number): Promise<number> {
  const res = await db.execute(sql`SELECT p.id FROM positions p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = ${telegramId} ORDER BY p.id DESC LIMIT 1`);
  return Number(res.rows[0]!.id);
}

describe("the buy journey", () => {
  it("search → card → Buy → $10 → preview → Confirm → fill → TP/SL → sell 50% → sell all", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    const preview = await c.lastBot();
    expect(preview.text).toContain("Spend: $10.00 (best ask 50¢)");
    expect(preview.text).toContain("Estimated shares: 20");
    expect(preview.text).toContain("Max price (slippage bound 5%): 52¢");
    expect(labels(preview)).toEqual(["Confirm", "Cancel"]);

    await c.press("Confirm");
    const filled = await c.waitFor("Bought");
    expect(filled.id).toBe(preview.id);
    expect(filled.text).toContain(`Bought 20 ${yes} shares at avg 50¢ for $10.00`);
    expect(labels(filled)).toEqual(["Take profit", "Stop loss", "View position", "Markets"]);

    await c.press("Take profit");
    expect((await c.lastBot()).text).toContain("Current: none");
    await c.press("+50% (75¢)");
    expect((await c.lastBot()).text).toContain("Take profit set: 75¢");
    await c.press("Stop loss");
    const prompt = await c.lastBot();
    await c.say("40¢");
    const card = await c.waitFor("Stop loss set: 40¢");
    // A typed answer gets a new message: the history reads "40¢" then the answer, and the prompt stays as it was.
    expect(card.id).toBeGreaterThan(prompt.id);
    expect((await c.botMessages()).find((x) => x.id === prompt.id)?.text).toBe(prompt.text);
    expect(card.text).toContain("Take profit 75¢ (+50%) · Stop loss 40¢ (-20%)");
    expect(card.text).toContain("Shares 20 · entry 50¢ · cost $10.00 · paper");

    await c.press("Trailing stop");
    await c.press("5¢");
    expect((await c.lastBot()).text).toContain("Trailing stop set: 5¢ below the high");
    await c.command("positions");
    const list = await c.lastBot();
    expect(list.text).toContain("Cash $990.00 · Positions $9.60 · Total P&L -$0.40 (-0.04%)");
    expect(list.text).toContain("20 sh · entry 50¢ · now 48¢");
    await c.press(labels(list).find((l) => l.startsWith("1. "))!);
    await c.press("Sell 50%");
    // A sale previews on the live book first; nothing is sold before Confirm.
    const sellPreview = await c.lastBot();
    expect(sellPreview.text).toContain("Sell 50% of");
    expect(sellPreview.text).toContain("Shares: 10 of 20");
    expect(sellPreview.text).toContain("Best bid now: 48¢ · the book gives avg 48¢ (worst level 48¢)");
    expect(sellPreview.text).toContain("You get: $4.80");
    expect(sellPreview.text).toMatch(/Min price \(slippage bound 5%\): 4[56]¢/);
    expect(labels(sellPreview)).toEqual(["Confirm", "Cancel"]);
    const unsold = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id} AND o.side = 'SELL'`);
    expect(unsold.rows[0]).toMatchObject({ n: 0 });
    await c.press("Confirm");
    const half = await c.waitFor("Sold");
    expect(half.text).toContain("Sold 10 shares at avg 48¢ for $4.80");
    expect(half.text).toContain("Realised P&L: -$0.20");
    await c.press("View position");
    await c.press("Sell all");
    await c.press("Confirm");
    const all = await c.waitFor("The position is closed");
    expect(all.text).toContain("Sold 10 shares at avg 48¢ for $4.80");
    await c.command("positions");
    expect((await c.lastBot()).text).toContain("Cash $999.60");
    await c.press("Closed positions");
    const closed = await c.lastBot();
    expect(closed.text).toContain("Closed positions");
    expect(closed.text).toContain("Realised P&L -$0.40 · sold · paper");
  });

  it("a Confirm delivered twice (or tapped twice) buys once", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    const preview = await c.lastBot();
    const data = dataOf(preview, "Confirm");
    const { update } = await c.press("Confirm");
    await c.pressData(data, preview);
    await c.waitFor("Bought");
    expect(await c.lastNotice()).toContain("already placed");
    expect((await post(update)).status).toBe(200);
    const orders = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id}`);
    expect(orders.rows[0]!.n).toBe(1);
  });

  it("an expired preview is refreshed instead of bought", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await db.execute(sql`UPDATE trade_intents SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE telegram_id = ${c.user.id}) AND kind = 'buy'`);
    await c.press("Confirm");
    const fresh = await c.lastBot();
    expect(fresh.text).toContain("That preview expired");
    expect(labels(fresh)).toContain("Confirm");
    const orders = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id}`);
    expect(orders.rows[0]!.n).toBe(0);
  });

  it("a book that cannot fill the amount within the bound offers no Confirm", async () => {
    const { m, word, yes } = await marketWithBook();
    await pm.setBook(m.tokenIds[0], [["0.48", "10"]], [["0.50", "5"], ["0.60", "1000"]]);
    const c = new Conversation();
    await toPreview(c, word, yes);
    const preview = await c.lastBot();
    expect(preview.text).toContain("cannot fill $10.00 at or below 52¢");
    expect(labels(preview)).not.toContain("Confirm");
  });
});

describe("typed amounts and levels", () => {
  it("refuses bad amounts with a clear reason and keeps asking", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await c.press("Cancel");
    await c.press(`Buy ${yes}`);
    await c.press("Custom amount");
    const cases: Array<[string, string]> = [
      ["-5", "must be positive"],
      ["0", "more than zero"],
      ["abc", "does not look like an amount"],
      ["5000", "more than your balance of $1,000.00"],
      ["99999999", "more than the $100,000.00"],
      ["<b>7</b>", "does not look like an amount"],
    ];
    for (const [text, reason] of cases) {
      await c.say(text);
      expect((await c.lastBot()).text).toContain(reason);
    }
    await c.say("12.50");
    expect((await c.lastBot()).text).toContain("Spend: $12.50");
  });

  it("refuses unreadable, off-tick and immediately-firing levels", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await c.press("Confirm");
    await c.waitFor("Bought");
    await c.press("Stop loss");
    for (const [text, reason] of [
      ["banana", "could not read that"],
      ["0.45551", "move in steps of"],
      ["49¢", "would sell at once"],
      ["-150%", "below the lowest price a share can trade at. A level must be between 1¢ and 99¢"],
      ["+5000%", "between 0% and 1000%"],
    ] as const) {
      await c.say(text);
      expect((await c.lastBot()).text).toContain(reason);
    }
  });
});

describe("prompts keep their state", () => {
  it("a preset refused because the market moved keeps the question open: a typed .9 sets the level, it is not a search", async () => {
    const { m, word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await c.press("Confirm");
    await c.waitFor("Bought");
    await c.press("Take profit");
    const menu = await c.lastBot();
    expect(labels(menu)).toEqual(["+10% (55¢)", "+25% (63¢)", "+50% (75¢)", "Back"]);
    // The bid jumps past the first preset before it is pressed.
    await pm.setBook(m.tokenIds[0], [["0.60", "1000"]], [["0.62", "1000"]]);
    await c.press("+10% (55¢)");
    expect((await c.lastBot()).text).toContain("would sell at once");
    await c.say(".9");
    expect((await c.waitFor("Take profit set: 90¢")).text).toContain("Take profit 90¢");
  });
});

describe("sell previews (#23)", () => {
  it("a book that fell below the previewed floor is refused in ¢ with a one-tap retry at the new price", async () => {
    const { m, word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await c.press("Confirm");
    await c.waitFor("Bought");
    await c.press("View position");
    await c.press("Sell all");
    const preview = await c.lastBot();
    const floor = /Min price \(slippage bound 5%\): (\d+)¢/.exec(preview.text)?.[1];
    expect(floor).toBeDefined();
    await pm.setBook(m.tokenIds[0], [["0.40", "1000"]], [["0.42", "1000"]]);
    await c.press("Confirm");
    const moved = await c.lastBot();
    expect(moved.id).toBe(preview.id);
    expect(moved.text).toContain(`Not sold. The price moved: the book is at 40¢, your floor was ${floor}¢.`);
    expect(labels(moved)).toEqual(["Retry at 40¢", "View position"]);
    const none = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id} AND o.side = 'SELL'`);
    expect(none.rows[0]).toMatchObject({ n: 0 });
    await c.press("Retry at 40¢");
    const again = await c.lastBot();
    expect(again.text).toContain("Best bid now: 40¢");
    expect(again.text).toContain("You get: $8.00");
    await c.press("Confirm");
    expect((await c.waitFor("The position is closed")).text).toContain("Sold 20 shares at avg 40¢ for $8.00");
  });

  it("a sell Confirm tapped twice sells once", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await c.press("Confirm");
    await c.waitFor("Bought");
    await c.press("View position");
    await c.press("Sell 25%");
    const preview = await c.lastBot();
    const data = dataOf(preview, "Confirm");
    await c.press("Confirm");
    await c.pressData(data, preview);
    await c.waitFor("Sold");
    const sells = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id} AND o.side = 'SELL'`);
    expect(sells.rows[0]).toMatchObject({ n: 1 });
  });
});

describe("stale and forged buttons", () => {
  it("a sell button of a closed position says so; another user's position is not found", async () => {
    const { word, yes } = await marketWithBook();
    const a = new Conversation();
    await toPreview(a, word, yes);
    await a.press("Confirm");
    await a.waitFor("Bought");
    const id = await positionIdOf(a.user.id);
    await a.press("View position");
    const card = await a.lastBot();
    await a.press("Sell all");
    await a.press("Confirm");
    await a.waitFor("The position is closed");
    await a.pressData(encodeAction({ a: "sell", position: id, bps: 5000 }), card);
    expect(await a.lastNotice()).toBe("This position is already closed.");

    const { word: w2, yes: y2 } = await marketWithBook();
    const owner = new Conversation();
    await toPreview(owner, w2, y2);
    await owner.press("Confirm");
    await owner.waitFor("Bought");
    const theirs = await positionIdOf(owner.user.id);
    const b = new Conversation();
    await b.command("start");
    for (const data of [encodeAction({ a: "sell", position: theirs, bps: 10_000 }), encodeAction({ a: "position", position: theirs }), encodeAction({ a: "setTrigger", position: theirs, kind: "sl", spec: "-10%" })]) {
      await b.pressData(data);
      expect(await b.lastNotice()).toMatch(/not found/i);
    }
    const still = await db.execute(sql`SELECT status, shares FROM positions WHERE id = ${theirs}`);
    expect(still.rows[0]).toMatchObject({ status: "active", shares: "20.000000" });
    const trig = await db.execute(sql`SELECT count(*)::int AS n FROM triggers WHERE position_id = ${theirs}`);
    expect(trig.rows[0]!.n).toBe(0);
  });

  it("another user's preview cannot be confirmed", async () => {
    const { word, yes } = await marketWithBook();
    const a = new Conversation();
    await toPreview(a, word, yes);
    const data = dataOf(await a.lastBot(), "Confirm");
    const b = new Conversation();
    await b.command("start");
    await b.pressData(data);
    expect(await b.lastNotice()).toBe("This preview is no longer valid.");
    const orders = await db.execute(sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id IN (${a.user.id}, ${b.user.id})`);
    expect(orders.rows[0]!.n).toBe(0);
  });

  it("trading actions are rate limited with a friendly message", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await toPreview(c, word, yes);
    await db.execute(sql`
      INSERT INTO rate_limits (user_id, bucket, window_start, count)
      SELECT id, 'trade', to_timestamp(floor(extract(epoch FROM now()) / 60) * 60), 12 FROM users WHERE telegram_id = ${c.user.id}
      ON CONFLICT (user_id, bucket, window_start) DO UPDATE SET count = 12`);
    await c.press("Confirm");
    expect(await c.lastNotice()).toMatch(/Easy there: too many requests\. Try again in \d+ s\./);
    expect(labels(await c.lastBot())).toContain("Confirm");
  });
});
