// Markets through the webhook: trending and paging, categories, search (hostile text included),
// pasted polymarket.com links, and a resolved market's stale Buy button.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Conversation, dataOf, db, dbHandle, labels, localMarket, newUser, pm } from "./bot-harness";

afterAll(() => dbHandle.close());

const uniq = () => `zm${Math.random().toString(36).slice(2, 9)}`;

describe("browsing", () => {
  it("trending lists the busiest markets first, five a page, with Next and Prev; search pages expire", async () => {
    const word = uniq();
    const seeded = [];
    for (let i = 0; i < 6; i++) seeded.push(await localMarket({ question: `Trend ${word} number ${i}?`, volume24hr: String(90_000_000_000_000 - i) }));
    const c = new Conversation();
    await c.command("markets");
    const page1 = await c.lastBot();
    expect(page1.text).toContain("Trending markets (24 h volume)");
    expect(labels(page1).slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => `${i + 1}. Trend ${word} number ${i}?`));
    expect(labels(page1)).toContain("Next");
    await c.press("Next");
    const page2 = await c.lastBot();
    expect(page2.id).toBe(page1.id);
    expect(labels(page2)[0]).toBe(`6. Trend ${word} number 5?`);
    expect(labels(page2)).toContain("Prev");
    await c.press("Prev");
    expect(labels(await c.lastBot())[0]).toBe(`1. Trend ${word} number 0?`);

    await c.command("search", word);
    const results = await c.lastBot();
    expect(results.text).toContain(`Results for “${word}”`);
    expect(labels(results)).toContain("Next");
    await db.execute(sql`UPDATE trade_intents SET expires_at = now() - interval '1 second' WHERE kind = 'list' AND user_id = (SELECT id FROM users WHERE telegram_id = ${c.user.id})`);
    await c.press("Next");
    expect(await c.lastNotice()).toBe("This list has expired. Search again.");
    expect(seeded).toHaveLength(6);
  });

  it("categories list that category's markets", async () => {
    const word = uniq();
    await localMarket({ question: `Rain in ${word} tomorrow?`, category: "Weather", volume24hr: "80000000000000" });
    const c = new Conversation();
    await c.command("start");
    await c.press("Markets");
    await c.press("Categories");
    await c.press("Weather");
    const list = await c.lastBot();
    expect(list.text).toContain("Weather: busiest open markets");
    expect(list.text).toContain(`Rain in ${word} tomorrow?`);
  });

  it("search escapes hostile text, refuses text too long, and says when nothing matches", async () => {
    // A NUL in the name too: the account is still created.
    const c = new Conversation({ ...newUser(), first_name: "Nul\u0000Name" });
    await c.command("search", `<b>${uniq()}</b> & <i>`);
    const res = await c.lastBot();
    expect(res.text).toMatch(/Results for “<b>zm\w+<\/b> & <i>”/);
    expect(res.text).toContain("Nothing matches.");
    // A NUL cannot be stored in Postgres text or jsonb: it is searched (and shown) as U+FFFD.
    const nul = uniq();
    await c.command("search", `${nul}\u0000 zero\u200bwidth`);
    expect((await c.lastBot()).text).toMatch(new RegExp(`Results for “${nul}\uFFFD zero`));
    await c.say("x".repeat(4000));
    expect((await c.lastBot()).text).toContain("too long to search");
    await c.command("search");
    expect((await c.lastBot()).text).toContain("What are you looking for?");
    await c.say("a");
    expect((await c.lastBot()).text).toContain("at least one word of two letters");
  });
});

describe("prices from one read (#23)", () => {
  it("a list shows Yes and No from the fresher book with its age, never a live Yes beside a stale No", async () => {
    const word = uniq();
    const m = await localMarket({ question: `Split ${word}?`, volume24hr: "70000000000000" });
    // The stream wrote Yes 2 s ago; No's row is a minute old and the listing row is a mix of both.
    await db.execute(sql`UPDATE market_tokens SET best_bid = 0.38, best_ask = 0.40, price_source = 'ws', price_updated_at = now() - interval '2 seconds' WHERE token_id = ${m.tokenIds[0]}`);
    await db.execute(sql`UPDATE market_tokens SET best_bid = 0.69, best_ask = 0.72, price_source = 'ws', price_updated_at = now() - interval '60 seconds' WHERE token_id = ${m.tokenIds[1]}`);
    await db.execute(sql`UPDATE markets SET outcome_prices = '["0.39","0.705"]'::jsonb, source = 'ws', updated_at = now() WHERE id = ${m.id}`);
    const c = new Conversation();
    await c.command("search", word);
    const list = await c.lastBot();
    expect(list.text).toContain(`${m.outcomes[0]} 39¢ · ${m.outcomes[1]} 61¢`);
    expect(list.text).not.toContain("70.5¢");
    expect(list.text).toMatch(/Prices: live stream, oldest [2-9] s ago at \d\d:\d\d:\d\d UTC/);
  });
});

describe("links", () => {
  it("opens event and market links, with query strings and trailing slashes", async () => {
    const slug = uniq();
    const m = await localMarket({ question: `Linked ${slug}?`, eventSlug: `ev-${slug}` });
    const c = new Conversation();
    await c.say(`look at https://polymarket.com/event/ev-${slug}/?tid=123`);
    expect((await c.lastBot()).text).toContain(`Linked ${slug}?`);
    await c.say(`https://polymarket.com/market/slug-${m.id}`);
    const card = await c.lastBot();
    expect(card.text).toContain(`Linked ${slug}?`);
    expect(labels(card)).toContain(`Buy ${m.outcomes[0]}`);
    await pm.setBook(m.tokenIds[0], [["0.61", "50"]], [["0.63", "50"]]);
    await c.press("Refresh");
    const fresh = await c.lastBot();
    expect(fresh.id).toBe(card.id);
    expect(fresh.text).toContain(`${m.outcomes[0]} 62¢ · bid 61¢ / ask 63¢ · spread 2¢`);
    // No from the same read: its book is Yes's mirror at Polymarket, never a second, older read.
    expect(fresh.text).toContain(`${m.outcomes[1]} 38¢ · bid 37¢ / ask 39¢ · spread 2¢`);
    expect(fresh.text).toMatch(/Prices: order book, just now at \d\d:\d\d:\d\d UTC/);
  });

  it("an event with several markets lists them; an unknown link says so", async () => {
    const slug = uniq();
    await localMarket({ question: `First ${slug}?`, eventSlug: `multi-${slug}`, volume24hr: "2000" });
    await localMarket({ question: `Second ${slug}?`, eventSlug: `multi-${slug}`, volume24hr: "1000" });
    const c = new Conversation();
    await c.say(`https://polymarket.com/event/multi-${slug}`);
    const list = await c.lastBot();
    expect(list.text).toContain("Test event");
    expect(labels(list).slice(0, 2)).toEqual([`1. First ${slug}?`, `2. Second ${slug}?`]);
    await c.say(`https://polymarket.com/event/no-such-event-${slug}`);
    expect((await c.lastBot()).text).toContain("The market in that link was not found");
  });

  it("a resolved market shows the result; its old Buy button does not trade", async () => {
    const slug = uniq();
    const m = await localMarket({ question: `Resolved ${slug}?` });
    const c = new Conversation();
    await c.say(`https://polymarket.com/market/slug-${m.id}`);
    const card = await c.lastBot();
    const buy = dataOf(card, `Buy ${m.outcomes[0]}`);
    await db.execute(sql`UPDATE markets SET closed = true, active = false, resolved_outcome = ${m.outcomes[0]} WHERE id = ${m.id}`);
    await c.pressData(buy, card);
    expect(await c.lastNotice()).toBe("This market cannot be traded now.");
    expect((await c.lastBot()).text).toContain("This market has resolved");
    await c.say(`https://polymarket.com/market/slug-${m.id}`);
    const after = await c.lastBot();
    expect(after.text).toContain(`Resolved: ${m.outcomes[0]}`);
    expect(labels(after).some((l) => l.startsWith("Buy"))).toBe(false);
  });
});
