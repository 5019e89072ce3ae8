// Benchmark: TP/SL decision latency per price move inside the streamer's core with 100,000 armed
// triggers over 1,000 tokens, against the naive approach (query the token's triggers in Postgres
// on every move), measured in the same run.
import { StreamerCore } from "../durable-objects/streamer-core";
import { toMicroInt } from "../workers/money/micros";
import type { ArmedTrigger, TriggerKind } from "../workers/triggers/types";
import { nodeRequire } from "../tools/dev/node-require";
import { startTestDatabase } from "../test/setup/database";
import { fmt, line, summary } from "./stats";
import { prng } from "../test/support/prng";
import { makeMarkets, priceChangeFrames, type SimMarket, snapshotFrame } from "./traffic";

const TOKENS = 1_000;
const TRIGGERS = 100_000;
const MOVES = 5_000;
const NAIVE_MOVES = 1_000;

function armAll(markets: SimMarket[], rand: () => number): ArmedTrigger[] {
  const tokens = markets.flatMap((m) => [m.yes, m.no]);
  const kinds: TriggerKind[] = ["take_profit", "stop_loss", "trailing_stop"];
  return Array.from({ length: TRIGGERS }, (_, i) => {
    const tokenId = tokens[i % tokens.length]!;
    const kind = kinds[i % 3]!;
    const base: ArmedTrigger = { id: i + 1, positionId: i + 1, userId: 1, tokenId, kind, onFailure: "rearm" };
    // Levels spread over the whole range: most never fire, some fire as prices walk.
    if (kind === "take_profit") return { ...base, level: (600 + Math.floor(rand() * 390)) * 1000 };
    if (kind === "stop_loss") return { ...base, level: (10 + Math.floor(rand() * 300)) * 1000 };
    return { ...base, trail: (20 + Math.floor(rand() * 200)) * 1000, highWater: 500_000 };
  });
}

export async function benchTriggers(): Promise<Record<string, number>> {
  const rand = prng(7);
  const markets = makeMarkets(TOKENS / 2, rand);
  const core = new StreamerCore();
  core.ingest(snapshotFrame(markets, rand), Date.now());
  const triggers = armAll(markets, rand);
  core.arm(triggers);
  const frames = priceChangeFrames(markets, MOVES, rand);
  for (const f of frames.slice(0, 500)) core.ingest(f, Date.now()); // warm up
  const samples: number[] = [];
  let fired = 0;
  for (const f of frames) {
    const t0 = performance.now();
    const r = core.ingest(f, Date.now());
    samples.push(performance.now() - t0);
    fired += r.fired.length;
    core.arm(r.fired.map((x) => x.trigger)); // keep 100,000 armed (outside the timed part)
  }
  const ours = summary(samples);
  line(`TP/SL decision per price move, ${fmt(TRIGGERS)} triggers / ${fmt(TOKENS)} tokens: p50`, `${fmt(ours.p50 * 1000, 1)} µs`);
  line("TP/SL decision per price move: p99 (target <= 1 ms)", `${fmt(ours.p99 * 1000, 1)} µs`);
  line("TP/SL triggers fired during the run (re-armed after firing)", fmt(fired));
  const naive = await naiveBaseline(triggers, frames.slice(0, NAIVE_MOVES));
  return { p50Us: ours.p50 * 1000, p99Us: ours.p99 * 1000, naiveP50Ms: naive.p50, naiveP99Ms: naive.p99 };
}

/** The baseline: on every move, read the token's armed triggers from Postgres and check them. */
async function naiveBaseline(triggers: ArmedTrigger[], frames: string[]) {
  const db = await startTestDatabase();
  const pg = nodeRequire("pg") as typeof import("pg");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_triggers (id int PRIMARY KEY, token_id text NOT NULL, kind text NOT NULL, level numeric, trail numeric, high_water numeric, status text NOT NULL DEFAULT 'armed')`);
    for (let i = 0; i < triggers.length; i += 5_000) {
      const rows = triggers.slice(i, i + 5_000).map((t) => ({ id: t.id, token_id: t.tokenId, kind: t.kind, level: t.level ?? null, trail: t.trail ?? null, high_water: t.highWater ?? null }));
      await client.query(`INSERT INTO bench_triggers SELECT * , 'armed' FROM jsonb_to_recordset($1::jsonb) AS x(id int, token_id text, kind text, level numeric, trail numeric, high_water numeric)`, [JSON.stringify(rows)]);
    }
    await client.query(`CREATE INDEX ON bench_triggers (token_id, status)`);
    await client.query(`ANALYZE bench_triggers`);
    const samples: number[] = [];
    for (const f of frames) {
      const ev = JSON.parse(f) as { price_changes: { asset_id: string; best_bid: string }[] };
      const t0 = performance.now();
      for (const ch of ev.price_changes) {
        const bid = toMicroInt(ch.best_bid);
        const r = await client.query(`SELECT id, kind, level, trail, high_water FROM bench_triggers WHERE token_id = $1 AND status = 'armed'`, [ch.asset_id]);
        for (const row of r.rows as { kind: string; level: string | null; trail: string | null; high_water: string | null }[]) {
          // Levels are whole micros here (numeric without a fraction), exact as safe integers.
          if (row.kind === "take_profit" && bid >= Number(row.level)) break;
          if (row.kind === "stop_loss" && bid <= Number(row.level)) break;
        }
      }
      samples.push(performance.now() - t0);
    }
    const s = summary(samples);
    line(`naive baseline (Postgres lookup per move, ${db.kind}): p50`, `${fmt(s.p50 * 1000, 1)} µs`);
    line("naive baseline: p99", `${fmt(s.p99 * 1000, 1)} µs`);
    return { p50: s.p50, p99: s.p99 };
  } finally {
    await client.end();
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTriggers();
