// Benchmark: the market sync at Polymarket's size. `npm start`'s parts with the local Polymarket's
// `scale` catalogue (46,500 generated markets: neg-risk events, closed and resolved ones, Gamma's
// real paging) run the MarketSync workflow from an empty database; the figures are its wall time,
// steps and pages, the Worker process's peak memory while it ran, and the CPU and heap of one step
// measured on the same code in this process (workerd does not report a step's CPU).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeRequire } from "../tools/dev/node-require";
import { freePort, startStack } from "../tools/start/stack";
import { startTestDatabase } from "../test/setup/database";
import type { Db } from "../workers/db/client";
import { PAGES_PER_STEP, syncPages, type SyncState } from "../workers/markets/sync-run";
import { GammaClient, type ListingCursor, parseMarkets } from "../workers/polymarket/gamma-client";
import { fmt, line } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MARKETS = Number(process.env.BENCH_SYNC_MARKETS ?? 46_500);

/** Resident memory of the Worker's workerd processes (the children of wrangler), in bytes. */
function workerdRss(): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.includes("workerd") || !cmd.includes("serve")) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export async function benchSyncScale(): Promise<Record<string, number>> {
  const database = await startTestDatabase();
  const dataDir = path.join(os.tmpdir(), `polycool-bench-sync-${process.pid}`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, workerdRss())), 100);
  const t0 = performance.now();
  const stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: { DATABASE_URL: database.url }, scenario: "quiet", marketCount: MARKETS, scale: true, playgroundPort: 0, quiet: !process.env.BENCH_VERBOSE });
  const startMs = performance.now() - t0;
  clearInterval(sampler);
  const pg = nodeRequire("pg") as typeof import("pg");
  const direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
  try {
    const run = (await direct.query("SELECT id, status, pages, upserted, fetched, skipped, closed_marked, started_at, finished_at FROM market_syncs ORDER BY started_at DESC LIMIT 1")).rows[0];
    if (!run || run.status !== "complete") throw new Error(`the first sync did not complete: ${JSON.stringify(run)} (${stack.lines.join(" | ")})`);
    const open = stack.polymarket!.markets().filter((m) => !m.closed).length;
    const wallS = (new Date(run.finished_at).getTime() - new Date(run.started_at).getTime()) / 1000;
    const steps = Math.ceil(run.pages / PAGES_PER_STEP);
    // One step of the product's code in this process, on 20 pages fetched beforehand (so the local
    // Polymarket's own work of serving them, in this process too, is not counted): parse, normalise, upsert.
    const db = (await import("drizzle-orm/node-postgres")).drizzle({ client: direct }) as unknown as Db;
    const real = new GammaClient({ baseUrl: stack.polymarket!.gammaUrl });
    let cursor: ListingCursor | null = null;
    for (let i = 0; i < 40; i++) cursor = (await real.activeMarketsPage(cursor)).next; // from the middle of the listing
    const bodies: Array<{ text: string; next: ListingCursor | null }> = [];
    for (let i = 0; i < PAGES_PER_STEP; i++) {
      const after = cursor?.mode === "keyset" ? `&after_cursor=${encodeURIComponent(cursor.after)}` : "";
      const text = await (await fetch(`${stack.polymarket!.gammaUrl}/markets/keyset?limit=100&active=true&closed=false&include_tag=true${after}`)).text();
      const next = (JSON.parse(text) as { next_cursor?: string }).next_cursor;
      cursor = next ? { mode: "keyset", after: next, index: 41 + i } : null;
      bodies.push({ text, next: cursor });
    }
    const recorded = {
      activeMarketsPage: async (_c: ListingCursor | null) => {
        const b = bodies.shift()!;
        return { page: { ...parseMarkets((JSON.parse(b.text) as { markets: unknown[] }).markets), mode: "keyset" as const, index: 0 }, next: b.next };
      },
    };
    const state: SyncState = { id: run.id, kind: "full", startedAt: new Date().toISOString(), cursor: null, phase: null, pages: 0, fetched: 0, upserted: 0, inserted: 0, skipped: 0, closedMarked: 0, done: false };
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let heapPeak = heap0;
    const heapSampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 2);
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    const stepped = await syncPages({ db, gamma: recorded, now: Date.now }, state, PAGES_PER_STEP);
    const stepWall = performance.now() - w0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(heapSampler);
    if (stepped.upserted === 0) throw new Error("the measured step wrote nothing");
    line(`market sync (MarketSync workflow), ${fmt(MARKETS)} generated markets + catalogue: open markets`, `${fmt(run.upserted)} synced of ${fmt(open)} open`);
    line("market sync: wall time, Gamma pages, steps", `${fmt(wallS, 1)} s, ${fmt(run.pages)} pages, ${steps} steps of ${PAGES_PER_STEP} pages`);
    line("market sync: npm start's whole start with the sync", `${fmt(startMs / 1000, 1)} s`);
    line("market sync: Worker processes' peak resident memory during it", `${fmt(peak / 2 ** 20, 0)} MB (workerd in all, not one isolate)`);
    line(`market sync: one step (${PAGES_PER_STEP} pages, ${fmt(stepped.upserted)} markets) in Node, CPU user+system`, `${fmt((cpu.user + cpu.system) / 1000, 0)} ms (Paid default 30,000 ms per invocation)`);
    line("market sync: one step, wall / heap growth at peak", `${fmt(stepWall, 0)} ms / ${fmt((heapPeak - heap0) / 2 ** 20, 1)} MB (isolate limit 128 MB)`);
    return { syncWallS: wallS, syncPeakMb: peak / 2 ** 20 };
  } finally {
    await direct.end();
    await stack.stop();
    await database.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await benchSyncScale();
