// Benchmark: /search at Polymarket's size. 46,500 generated markets (titles, event titles and tags
// built from a vocabulary like Polymarket's) are written to the product's database, then the running
// product (`npm start`'s parts: the Worker under wrangler, the Bot API stand-in, Postgres) answers
// /search through its webhook: the time is from the update posted to the webhook's answer, after the
// bot sent its result message. Words of titles, words of event titles, and one-letter typos.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeRequire } from "../tools/dev/node-require";
import { freePort, startStack } from "../tools/start/stack";
import { startTestDatabase } from "../test/setup/database";
import { fmt, line, summary } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MARKETS = Number(process.env.BENCH_SEARCH_MARKETS ?? 46_500);
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 150);
/**
 * Simulated users, taken in turn: the bot allows 20 searches a minute per user (workers/bot/rate-limit.ts),
 * and Telegram about one message a second per chat, which the bot's sending respects, so a chat is
 * asked again only a second after its last answer (waiting that out is not timed).
 */
const USERS = 30;
const CHAT_GAP_MS = 1_100;

const SUBJECTS = [
  "Bitcoin", "Ethereum", "Solana", "Dogecoin", "Ripple", "Cardano", "Trump", "Newsom", "Vance", "Harris", "Ocasio-Cortez",
  "Macron", "Starmer", "Merz", "Meloni", "Lula", "Milei", "Modi", "Zelensky", "Putin", "Netanyahu", "Lakers", "Celtics",
  "Warriors", "Knicks", "Nuggets", "Arsenal", "Liverpool", "Chelsea", "Barcelona", "Madrid", "Juventus", "Bayern", "Yankees",
  "Dodgers", "Chiefs", "Eagles", "OpenAI", "Anthropic", "Google", "Apple", "Tesla", "Nvidia", "SpaceX", "Starship", "NASA",
  "Fed", "ECB", "Taylor Swift", "Beyonce", "Oppenheimer", "Dune", "Netflix", "TikTok", "Gold", "Oil", "Inflation", "Recession",
];
const PREDICATES = [
  "reach an all time high", "win the championship", "announce a new product", "cut interest rates", "be elected",
  "resign before the deadline", "sign the agreement", "launch successfully", "top the box office", "pass the bill",
  "win the final", "drop below the floor", "hit the target", "be indicted", "visit the capital", "release the model",
  "beat expectations", "merge with a rival", "ban the app", "win the most seats",
];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const TAGS = ["Politics", "Crypto", "Sports", "Tech", "Culture", "Economy", "World", "Science", "Elections", "AI"];

function generated(n: number) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const predicate = PREDICATES[Math.floor(i / SUBJECTS.length) % PREDICATES.length]!;
    const month = MONTHS[Math.floor(i / 7) % MONTHS.length]!;
    const year = 2026 + (i % 3);
    const event = Math.floor(i / 5); // five markets an event, as neg-risk groups often have
    rows.push({
      id: `bench-${i}`,
      condition_id: `0x${i.toString(16).padStart(64, "0")}`,
      question: `Will ${subject} ${predicate} by ${month} ${i % 28 + 1}, ${year}?`,
      event_title: `${SUBJECTS[event % SUBJECTS.length]} ${PREDICATES[event % PREDICATES.length]} ${year}`,
      tags: [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length]],
      volume_24hr: String((i * 7919) % 1_000_000),
      accepting: i % 23 !== 0,
      closed: i % 31 === 0,
    });
  }
  return rows;
}

/** One letter of a word changed (not the first: people rarely miss that one). */
function typo(word: string, k: number): string {
  const i = 1 + (k % (word.length - 1));
  const c = word[i] === "e" ? "a" : "e";
  return word.slice(0, i) + c + word.slice(i + 1);
}

export async function benchSearch(): Promise<Record<string, number>> {
  const database = await startTestDatabase();
  const pg = nodeRequire("pg") as typeof import("pg");
  const direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
  const t0 = performance.now();
  const rows = generated(MARKETS);
  for (let off = 0; off < rows.length; off += 5_000) {
    await direct.query(
      `INSERT INTO markets (id, condition_id, question, event_title, tags, clob_token_ids, outcomes, outcome_prices, volume_24hr, accepting_orders, closed)
       SELECT id, condition_id, question, event_title, tags, '[]', '["Yes","No"]', '["0.5","0.5"]', volume_24hr, accepting, closed
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, condition_id text, question text, event_title text, tags jsonb, volume_24hr numeric, accepting boolean, closed boolean)`,
      [JSON.stringify(rows.slice(off, off + 5_000))],
    );
  }
  await direct.query("ANALYZE markets");
  const loadMs = performance.now() - t0;
  const dataDir = path.join(os.tmpdir(), `polycool-bench-search-${process.pid}`);
  const stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: { DATABASE_URL: database.url }, scenario: "quiet", playgroundPort: 0, quiet: !process.env.BENCH_VERBOSE });
  try {
    const botApi = stack.playground!.botApi;
    const kinds: Array<{ name: string; words: (k: number) => string }> = [
      { name: "a word of the title", words: (k) => `${SUBJECTS[(k * 11) % SUBJECTS.length]!.split(" ")[0]} ${PREDICATES[(k * 3) % PREDICATES.length]!.split(" ").at(-1)}` },
      { name: "a word of the event", words: (k) => `${PREDICATES[(k * 5) % PREDICATES.length]!.split(" ")[1]} ${2026 + (k % 3)}` },
      { name: "a one-letter typo", words: (k) => typo(SUBJECTS.filter((s) => s.length >= 6)[k % 30]!.toLowerCase(), k) },
    ];
    const samples = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
    let answered = 0;
    let found = 0;
    const users = Array.from({ length: USERS }, (_, i) => ({ id: 9_300_000_000 + i, first_name: "Searcher" }));
    const lastAt = new Map<number, number>();
    const turn = async (user: (typeof users)[number]) => {
      const wait = (lastAt.get(user.id) ?? 0) + CHAT_GAP_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    };
    for (const user of users) {
      await botApi.sendCommand(user, "start");
      lastAt.set(user.id, performance.now());
    }
    const help: number[] = [];
    for (let i = 0; i < 10; i++) {
      const user = users[i]!;
      await turn(user);
      const started = performance.now();
      await botApi.sendCommand(user, "help");
      help.push(performance.now() - started);
      lastAt.set(user.id, performance.now());
    }
    for (let q = -5; q < QUERIES; q++) {
      const user = users[(q + 5 + 10) % USERS]!;
      await turn(user);
      const kind = kinds[((q % 3) + 3) % 3]!;
      const text = kind.words(Math.abs(q));
      const started = performance.now();
      const d = await botApi.sendCommand(user, "search", text);
      const ms = performance.now() - started;
      lastAt.set(user.id, performance.now());
      if (d.outcome !== "delivered") throw new Error(`search "${text}": the webhook did not take the update (${d.outcome})`);
      const last = botApi.chat(user.id)?.messages.at(-1);
      if (last?.from === "bot") answered++;
      if (last?.text.includes("Results")) found++;
      if (q >= 0) samples.get(kind.name)!.push(ms); // the first five warm the isolate and the connections
    }
    line(`search: ${fmt(MARKETS)} markets written and analysed`, `${fmt(loadMs / 1000, 1)} s`);
    line("baseline: /help through the bot (no database read) p50", `${fmt(summary(help).p50, 1)} ms`);
    const all = summary([...samples.values()].flat());
    line(`search through the bot (/search → answer sent), ${fmt(MARKETS)} markets: p50`, `${fmt(all.p50, 1)} ms`);
    line("search through the bot: p99 (target <= 300 ms)", `${fmt(all.p99, 1)} ms`);
    for (const [name, s] of samples) {
      const x = summary(s);
      line(`search, ${name}: p50 / p99`, `${fmt(x.p50, 1)} / ${fmt(x.p99, 1)} ms`);
    }
    line("search answers sent / with results", `${answered} / ${found} of ${QUERIES + 5}`);
    return { searchP50: all.p50, searchP99: all.p99 };
  } finally {
    await stack.stop();
    await direct.end();
    await database.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await benchSearch();
