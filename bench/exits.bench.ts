// Benchmark: exits where markets hurt, through the running product (`npm start`'s parts: the Worker and
// its streamer under wrangler, the local Polymarket, Postgres), with the default settings.
// - Frozen feed: the market channel stalls (PONG answered, no data), then the book crosses a stop in a
//   way only REST shows; the figure is the time from that crossing to the position closed.
// - Stampede (paper): 1,000 stops on one token cross in one frame; time to the last position closed,
//   with doubled and missed sales counted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStack, freePort, type Stack } from "../tools/start/stack";
import { nodeRequire } from "../tools/dev/node-require";
import type { Db } from "../workers/db/client";
import { positions, triggers, users } from "../workers/db/schema";
import { polymarketControl, type PmMarket } from "../test/support/polymarket-control";
import { startTestDatabase } from "../test/setup/database";
import { admin, waitFor as pollUntil } from "./stack-helpers";
import { fmt, line, summary } from "./stats";

/** These benches poll every 5 ms: a stampede's own polling must not crowd the product it measures. */
const waitFor = <T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 5) => pollUntil(probe, timeoutMs, what, everyMs);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FROZEN_TRIALS = Number(process.env.BENCH_FROZEN_TRIALS ?? 5);
const STAMPEDE = Number(process.env.BENCH_STAMPEDE ?? 1_000);

type Book = [string, string][];
const deep = (top: number, side: "bids" | "asks"): Book =>
  [0, 1, 2, 3].map((i) => [((top + (side === "bids" ? -i : i)) / 100).toFixed(2), "100000"]);

export async function benchExits(): Promise<Record<string, number>> {
  const dataDir = path.join(os.tmpdir(), `polycool-bench-exits-${process.pid}`);
  const database = await startTestDatabase();
  const stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: { DATABASE_URL: database.url }, scenario: "quiet", marketCount: 60, playgroundPort: 0, quiet: !process.env.BENCH_VERBOSE });
  const pg = nodeRequire("pg") as typeof import("pg");
  const direct = new pg.Client({ connectionString: stack.databaseUrl });
  await direct.connect();
  try {
    const pm = polymarketControl(`${stack.polymarket!.httpUrl}/_control`);
    const all = (await pm.markets()).filter((m) => !m.closed && m.version === "v1" && m.tickSize === "0.01");
    const db = (await import("drizzle-orm/node-postgres")).drizzle({ client: direct }) as unknown as Db;
    // One open position per user and token: every stop belongs to its own paper trader.
    let nextTelegramId = 9_200_000_001;
    const stop = async (m: PmMarket, shares: string, level: string) => {
      const [u] = await db.insert(users).values({ telegramId: nextTelegramId++, mode: "paper", paperCash: "1000", paperDeposits: "1000" }).returning({ id: users.id });
      const [p] = await db.insert(positions).values({ userId: u!.id, marketId: m.id, tokenId: m.tokenIds[0], outcome: m.outcomes[0], mode: "paper", shares, costBasis: "5", avgPrice: "0.5" }).returning({ id: positions.id });
      await db.insert(triggers).values({ positionId: p!.id, userId: u!.id, tokenId: m.tokenIds[0], kind: "stop_loss", price: level, spec: level });
      return p!.id;
    };
    const bookFrames = async () => ((await admin(stack, "GET", "/admin/streamer")) as { messages: { book?: number } }).messages.book ?? 0;
    /** The streamer holds a stream book for the token (its subscription's snapshot arrived). */
    const streamed = async (tokenId: string) => {
      await waitFor(async () => {
        const r = await fetch(`${stack.workerUrl}/admin/streamer`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
        const s = (await r.json()) as { healthy: boolean; subscriptions: string[] };
        return s.healthy && s.subscriptions.includes(tokenId) ? true : undefined;
      }, 30_000, "a healthy stream carrying the token", 50);
    };
    const armedAtLeast = (n: number) =>
      waitFor(async () => {
        const s = (await admin(stack, "GET", "/admin/streamer")) as { triggers: { armed: number } };
        return s.triggers.armed >= n ? true : undefined;
      }, 60_000, `${n} armed triggers`, 100);
    const closed = async (ids: number[]) => Number((await direct.query("SELECT count(*)::int AS n FROM positions WHERE id = ANY($1) AND status = 'closed'", [ids])).rows[0].n);

    // Frozen feed: one trial per market, each on an idle product.
    const frozenMs: number[] = [];
    for (const m of all.slice(0, FROZEN_TRIALS)) {
      await pm.setBook(m.tokenIds[0], deep(50, "bids"), deep(52, "asks"));
      const books = await bookFrames();
      const id = await stop(m, "10", "0.45");
      await admin(stack, "POST", "/admin/streamer/reconcile");
      await armedAtLeast(1);
      await streamed(m.tokenIds[0]);
      await waitFor(async () => ((await bookFrames()) > books ? true : undefined), 30_000, "the token's snapshot over the stream", 50);
      await pm.stall(60_000);
      const t0 = performance.now();
      await pm.setBook(m.tokenIds[0], deep(44, "bids"), deep(46, "asks")); // only REST shows it
      await waitFor(async () => ((await closed([id])) === 1 ? true : undefined), 90_000, "the frozen-feed position closed", 20);
      frozenMs.push(performance.now() - t0);
      if (process.env.BENCH_VERBOSE) console.log(`frozen trial ${frozenMs.length}: ${Math.round(frozenMs.at(-1)!)} ms`);
      await pm.unstall();
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const f = summary(frozenMs);
    line(`frozen feed: REST-visible crossing → position closed (${f.n} trials) p50`, `${fmt(f.p50)} ms`);
    line("frozen feed: max (target <= 10,000 ms; stale limit 60,000 ms)", `${fmt(f.max)} ms`);

    // Stampede, paper: STAMPEDE stops on one token, levels 0.45 and 0.46, all crossed by one frame.
    const m = all[FROZEN_TRIALS]!;
    await pm.setBook(m.tokenIds[0], deep(50, "bids"), deep(52, "asks"));
    const ids: number[] = [];
    const before = await bookFrames();
    for (let i = 0; i < STAMPEDE; i++) ids.push(await stop(m, "10", i % 2 ? "0.46" : "0.45"));
    await admin(stack, "POST", "/admin/streamer/reconcile");
    await armedAtLeast(STAMPEDE);
    await waitFor(async () => ((await bookFrames()) > before ? true : undefined), 30_000, "the stampede token's snapshot", 50);
    const t0 = performance.now();
    await pm.setBook(m.tokenIds[0], deep(44, "bids"), deep(46, "asks"));
    let lastClosedMs = NaN;
    await waitFor(async () => {
      const n = await closed(ids);
      if (n === STAMPEDE) lastClosedMs = performance.now() - t0;
      return n === STAMPEDE ? true : undefined;
    }, 60_000, "every stampede position closed", 20).catch(() => undefined);
    const doubled = Number((await direct.query("SELECT count(*)::int AS n FROM (SELECT position_id FROM orders WHERE position_id = ANY($1) AND side = 'SELL' AND status IN ('filled','partially_filled') GROUP BY position_id HAVING count(*) > 1) d", [ids])).rows[0].n);
    const missed = STAMPEDE - (await closed(ids));
    line(`stampede, paper: ${fmt(STAMPEDE)} stops on one token, one frame → last position closed (target <= 2,000 ms)`, Number.isNaN(lastClosedMs) ? "not all closed in 60 s" : `${fmt(lastClosedMs)} ms`);
    line("stampede, paper: doubled / missed sales (target 0 / 0)", `${doubled} / ${missed}`);
    await waitFor(async () => {
      const s = (await admin(stack, "GET", "/admin/streamer")) as { outbound: { waiting: number } };
      return s.outbound.waiting === 0 ? true : undefined;
    }, 120_000, "the notifications sent", 200).catch(() => undefined);
    const gate = ((await admin(stack, "GET", "/admin/streamer")) as { outbound: { limit: number; peak: number; queuedPeak: number; total: number } }).outbound;
    line("connection gate over the run: most waiting for headers at once / limit", `${gate.peak} / ${gate.limit} (${fmt(gate.total)} fetches, at most ${fmt(gate.queuedPeak)} queued)`);
    return { frozenP50: f.p50, frozenMax: f.max, stampedePaperMs: lastClosedMs, doubled, missed, gatePeak: gate.peak };
  } finally {
    await direct.end();
    await stack.stop();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExits();
