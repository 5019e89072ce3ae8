// Benchmark: end-to-end TP latency through the running product (`npm start`'s parts: the Worker and
// its streamer under wrangler, the local Polymarket, Postgres). Live mode: from the local Polymarket
// sending the crossing frame to the sell order arriving there (stamped on arrival, before the venue checks it).
// Paper mode: to the position closed. Each trial is one crossing on an otherwise idle product; a
// back-to-back run shows what overlapping sales cost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStack, freePort, type Stack } from "../tools/start/stack";
import { nodeRequire } from "../tools/dev/node-require";
import type { Db } from "../workers/db/client";
import { positions, triggers, users } from "../workers/db/schema";
import { fromMicros, toMicros } from "../workers/money/micros";
import { loadKeyring } from "../workers/wallets/envelope";
import { generateWallet } from "../workers/wallets/wallet-store";
import { polymarketControl, type PmMarket } from "../test/support/polymarket-control";
import { startTestDatabase } from "../test/setup/database";
import { admin, waitFor } from "./stack-helpers";
import { fmt, line, summary } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TRIALS = Number(process.env.BENCH_E2E_TRIALS ?? 200);
/** Untimed first trials: API-key derivation, JIT warm-up, first connections. */
const WARMUP = 5;
/** Paper mode is observed by polling Postgres; faster polling would load the database being measured. */
const PAPER_POLL_MS = 5;
/**
 * Trials measure one crossing on an otherwise idle product: each waits until the previous fire is
 * recorded (its trigger_events row, written after the sale settled) and then this long for the
 * user's notification, so a trial never queues behind the tail of the one before.
 */
const SETTLE_GAP_MS = 25;

interface Trial {
  market: PmMarket;
  positionId: number;
  level: bigint;
}

async function seedTrials(db: Db, userId: number, mode: "paper" | "live", markets: PmMarket[], pm: ReturnType<typeof polymarketControl>): Promise<Trial[]> {
  const out: Trial[] = [];
  for (const m of markets) {
    await pm.setBook(m.tokenIds[0], [["0.50", "10000"], ["0.49", "10000"], ["0.48", "10000"]], [["0.52", "10000"], ["0.53", "10000"]]);
    const [p] = await db
      .insert(positions)
      .values({ userId, marketId: m.id, tokenId: m.tokenIds[0], outcome: m.outcomes[0], mode, shares: "20", costBasis: "10", avgPrice: "0.5" })
      .returning({ id: positions.id });
    const level = toMicros("0.55");
    await db.insert(triggers).values({ positionId: p!.id, userId, tokenId: m.tokenIds[0], kind: "take_profit", price: fromMicros(level, 6), spec: "0.55" });
    out.push({ market: m, positionId: p!.id, level });
  }
  return out;
}

export async function benchEndToEnd(): Promise<Record<string, number>> {
  const dataDir = path.join(os.tmpdir(), `polycool-bench-${process.pid}`);
  // A scratch database on DATABASE_URL's server (dropped afterwards), or an embedded one.
  const database = await startTestDatabase();
  const stack = await startStack({
    root: ROOT, port: await freePort(), dataDir, env: { DATABASE_URL: database.url }, scenario: "quiet",
    marketCount: Math.ceil(4.5 * (TRIALS + WARMUP)) + 40, playgroundPort: 0, quiet: !process.env.BENCH_VERBOSE,
  });
  const pg = nodeRequire("pg") as typeof import("pg");
  const direct = new pg.Client({ connectionString: stack.databaseUrl });
  await direct.connect();
  try {
    const pm = polymarketControl(`${stack.polymarket!.httpUrl}/_control`);
    const all = (await pm.markets()).filter((m) => !m.closed && m.version === "v1" && m.tickSize === "0.01");
    const n = TRIALS + WARMUP;
    if (all.length < 3 * n) throw new Error(`need ${3 * n} markets, have ${all.length}`);
    const db = (await import("drizzle-orm/node-postgres")).drizzle({ client: direct }) as unknown as Db;
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, "local-secrets.json"), "utf8")) as { WALLET_ENCRYPTION_KEY: string };
    const keyring = await loadKeyring(secrets.WALLET_ENCRYPTION_KEY);
    const [live] = await db.insert(users).values({ telegramId: 9_100_000_001, mode: "live" }).returning({ id: users.id });
    const [paper] = await db.insert(users).values({ telegramId: 9_100_000_002, mode: "paper", paperCash: "1000", paperDeposits: "1000" }).returning({ id: users.id });
    await generateWallet({ db, keyring }, live!.id);
    const liveTrials = await seedTrials(db, live!.id, "live", all.slice(0, n), pm);
    const paperTrials = await seedTrials(db, paper!.id, "paper", all.slice(n, 2 * n), pm);
    const backToBackTrials = await seedTrials(db, live!.id, "live", all.slice(2 * n, 3 * n), pm);
    await admin(stack, "POST", "/admin/streamer/reconcile");
    await waitFor(async () => {
      const s = (await admin(stack, "GET", "/admin/streamer")) as { messages: { book?: number }; triggers: { armed: number } };
      return (s.messages.book ?? 0) >= 6 * n && s.triggers.armed >= 3 * n ? s : undefined;
    }, 60_000, "books and armed triggers in the streamer");

    // The local Polymarket runs in this process: moves and received orders are read from its handle,
    // with the same clock (Date.now) for the frame sent and the order received.
    const lp = stack.polymarket!;
    const settled = async (positionId: number) => {
      await waitFor(async () => {
        const r = await direct.query("SELECT 1 FROM trigger_events WHERE position_id = $1", [positionId]);
        return r.rowCount ? true : undefined;
      }, 10_000, "the fire recorded", PAPER_POLL_MS);
      await new Promise((r) => setTimeout(r, SETTLE_GAP_MS));
    };
    /** One live crossing: ms from the frame sent to the sell order arriving at the venue. */
    const liveCrossing = async (t: Trial): Promise<number> => {
      const before = lp.orders().length;
      const t0 = Date.now();
      lp.movePrice(t.market.tokenIds[0], { bid: "0.56", ask: "0.58" });
      const order = await waitFor(async () => lp.orders()[before], 10_000, "the sell order at the venue");
      return order.receivedAt - t0;
    };
    const liveMs: number[] = [];
    for (const [i, t] of liveTrials.entries()) {
      const ms = await liveCrossing(t);
      if (i >= WARMUP) liveMs.push(ms);
      if (process.env.BENCH_VERBOSE) console.log(`live trial ${i}: ${ms} ms`);
      await settled(t.positionId);
    }
    const paperMs: number[] = [];
    for (const [i, t] of paperTrials.entries()) {
      const t0 = performance.now();
      lp.movePrice(t.market.tokenIds[0], { bid: "0.56", ask: "0.58" });
      await waitFor(async () => {
        const r = await direct.query("SELECT status FROM positions WHERE id = $1", [t.positionId]);
        return r.rows[0]?.status === "closed" ? true : undefined;
      }, 10_000, "the paper position closed", PAPER_POLL_MS);
      if (i >= WARMUP) paperMs.push(performance.now() - t0);
      await settled(t.positionId);
    }
    // The same live crossings back to back: each sent the moment the previous sell order arrived, so
    // it queues behind the previous sale's tail (settlement, records, notification). Not the target
    // figure; printed so the cost of overlap is visible.
    const backToBackMs: number[] = [];
    for (const [i, t] of backToBackTrials.entries()) {
      const ms = await liveCrossing(t);
      if (i >= WARMUP) backToBackMs.push(ms);
    }
    const l = summary(liveMs);
    const p = summary(paperMs);
    const b = summary(backToBackMs);
    line(`end to end, live: crossing frame → signed sell at the venue (${l.n} trials) p50`, `${fmt(l.p50, 1)} ms`);
    line("end to end, live: p99 (target <= 50 ms)", `${fmt(l.p99, 1)} ms`);
    line(`end to end, paper: crossing frame → position closed (${p.n} trials, ±${PAPER_POLL_MS} ms) p50`, `${fmt(p.p50, 1)} ms`);
    line("end to end, paper: p99 (target <= 50 ms)", `${fmt(p.p99, 1)} ms`);
    line(`end to end, live, back to back (each crossing as the previous order arrives; ${b.n} trials) p50`, `${fmt(b.p50, 1)} ms`);
    line("end to end, live, back to back: p99", `${fmt(b.p99, 1)} ms`);
    const sold = await direct.query("SELECT count(*)::int AS n FROM orders WHERE side = 'SELL' AND reason = 'take_profit'");
    line(`end to end: take-profit sell orders recorded (expected ${3 * n}, one per trial)`, String(sold.rows[0]!.n));
    return { liveP50: l.p50, liveP99: l.p99, paperP50: p.p50, paperP99: p.p99, backToBackP50: b.p50, backToBackP99: b.p99 };
  } finally {
    await direct.end();
    await stack.stop();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEndToEnd();
