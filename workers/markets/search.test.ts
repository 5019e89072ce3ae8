// The market search on the real test database: full-text on the indexes of migration 0008 (title,
// event title, tags; prefixes and English stems), the trigram fallback for typos, ranking, paging.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { listMarkets } from "../bot/store/markets";
import { searchTerms } from "./search";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

/** A made-up word no other test's market holds (letters only: digits would change how it is tokenised). */
const word = (stem: string) => `${stem}${[...Array(6)].map(() => "bcdfghjklmnpqrstvwxz"[Math.floor(Math.random() * 20)]).join("")}`;
const search = async (text: string, page = 0) => {
  const r = await listMarkets(db, { kind: "words", words: text.split(" ") }, page);
  return { ids: r.items.map((i) => i.id), hasNext: r.hasNext };
};

describe("searchTerms", () => {
  it("keeps runs of letters and digits, lower-cased, each once: query syntax is never passed on", () => {
    expect(searchTerms(["Bitcoin", "&", "!ETH:*", "bitcoin", "a", "7", "'élection'"])).toEqual(["bitcoin", "eth", "7", "élection"]);
    expect(searchTerms(["<>", "|"])).toEqual([]);
  });
});

describe("market search", () => {
  it("finds a market by a word of its title, of its event's title and of its tags, and by a prefix", async () => {
    const [t, e, g] = [word("quorv"), word("zelth"), word("mirba")];
    const m = await seedMarket(db, { question: `Will ${t} happen by June?`, eventTitle: `The ${e} cup`, tags: ["Sports", `${g}`], volume24hr: "10" });
    for (const q of [t, e, g, t.slice(0, 7), `${t.toUpperCase()} june`]) expect((await search(q)).ids, q).toEqual([m.id]);
    // Every word must match: a word of nothing leaves nothing.
    expect((await search(`${t} ${word("nothing")}`)).ids).toEqual([]);
  });

  it("matches English stems (a plural finds the singular) and numbers whole", async () => {
    const w = word("brantel");
    const m = await seedMarket(db, { question: `Who wins the ${w} election in 2031?`, volume24hr: "5" });
    expect((await search(`${w} elections`)).ids).toEqual([m.id]);
    // Numbers match whole: 2031, not any number that starts with 203.
    expect((await search(`${w} 2031`)).ids).toEqual([m.id]);
    expect((await search(`${w} 203`)).ids).toEqual([]);
  });

  it("falls back to trigrams when no market has every word: a one-letter typo still finds it", async () => {
    for (const stem of ["ka", "kandorvi"]) {
      const w = word(stem); // 8 and 14 letters
      const m = await seedMarket(db, { question: `Will ${w} reach the final?`, eventTitle: "Finals", volume24hr: "5" });
      const typo = (i: number) => `${w.slice(0, i)}${w[i] === "o" ? "u" : "o"}${w.slice(i + 1)}`; // one letter changed
      for (const i of [1, 4, w.length - 1]) expect((await search(typo(i))).ids, typo(i)).toEqual([m.id]);
      // With a correct second word too: each word is corrected on its own.
      expect((await search(`${typo(4)} finals`)).ids).toEqual([m.id]);
    }
  });

  it("ranks by relevance weighed by 24 h volume, skips closed markets and pages", async () => {
    const w = word("pelomb");
    const quiet = await seedMarket(db, { question: `${w} in the title, quiet`, volume24hr: "1" });
    const busy = await seedMarket(db, { question: `${w} in the title, busy`, volume24hr: "1000000" });
    const eventOnly = await seedMarket(db, { question: "Something else entirely", eventTitle: `${w} event`, volume24hr: "1000000" });
    await seedMarket(db, { question: `${w} but closed`, closed: true, volume24hr: "99999999" });
    const all = (await search(w)).ids;
    expect(all).toEqual([busy.id, eventOnly.id, quiet.id].filter((id) => all.includes(id)));
    expect(all.slice(0, 1)).toEqual([busy.id]);
    expect(new Set(all)).toEqual(new Set([busy.id, eventOnly.id, quiet.id]));
  });

  it("answers for hostile text without an error, and pages through many matches", async () => {
    // Quotes, operators and query syntax are word separators: the same answer as the bare words.
    expect(await search("' OR 1=1 -- & | ! :* ()")).toEqual(await search("or 1"));
    expect((await search("&&& ||| !!!")).ids).toEqual([]);
    const w = word("trumbel");
    await db.execute(sql`
      INSERT INTO markets (id, condition_id, question, clob_token_ids, outcomes, outcome_prices, volume_24hr)
      SELECT ${w} || '-' || g, '0x' || lpad(to_hex(g), 64, '0'), ${w} || ' market number ' || g, '[]', '["Yes","No"]', '["0.5","0.5"]', g
      FROM generate_series(1, 25) g`);
    const first = await search(w);
    const second = await search(w, 1);
    expect(first.hasNext).toBe(true);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(first.ids.length + second.ids.length);
    expect(first.ids[0]).toBe(`${w}-25`); // equal relevance: the busiest first
  });
});
