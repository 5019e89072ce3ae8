// Scenario 6, stampede: hundreds of traders' stops on a few tokens cross in the same frame, and in
// the middle of the sales the market channel drops and Postgres goes away for a while. Every stop
// must sell exactly once, never below the floor its trader accepted (a stop-limit: level × (1 − 5 %)
// on the tick), and every trader must be told exactly once.
import { type Chaos, count, pool, rows, runCron, sleep, waitUntil } from "./harness";
import type { ScenarioDeps } from "./main";
import type { Tally } from "./report";
import { armStreamer, deepBook, insertPosition, insertTrigger, insertUser, movePrice, type SeededPosition } from "./seed";

const USER_BASE = 8_600_000_000;
/** Stops at 44¢ and 45¢ (floors 42¢ and 43¢ with the default 5 % bound); the crash leaves the bid at 43¢, deep. */
const LEVELS = [44, 45];
const CRASH_CENTS = 43;
/** The faults strike once this share of the stops is sold. */
const STRIKE_AFTER_SHARE = 0.3;

interface Stop {
  p: SeededPosition;
  telegramId: number;
  levelCents: number;
}

async function setup(c: Chaos, d: ScenarioDeps): Promise<Stop[]> {
  const { stops, tokens } = d.cfg.stampede;
  const markets = d.markets.take(tokens);
  for (const m of markets) deepBook(c, m.tokenIds[0], 50);
  const out: Stop[] = [];
  await pool(Array.from({ length: stops }, (_, i) => i), 4, async (i) => {
    const telegramId = USER_BASE + i;
    const userId = await insertUser(c, telegramId);
    const p = await insertPosition(c, userId, markets[i % tokens]!);
    const levelCents = LEVELS[i % LEVELS.length]!;
    await insertTrigger(c, p, "stop_loss", levelCents);
    out.push({ p, telegramId, levelCents });
  });
  await armStreamer(c, markets.map((m) => m.tokenIds[0]), stops);
  return out;
}

const closedCount = (c: Chaos, ids: number[]) => count(c, "SELECT count(*) AS n FROM positions WHERE id = ANY($1::bigint[]) AND status = 'closed'", [ids]);

export async function runStampedeScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c, cfg } = d;
  const stops = await setup(c, d);
  const ids = stops.map((s) => s.p.id);
  const tokens = [...new Set(stops.map((s) => s.p.tokenId))];
  const t0 = Date.now();
  for (const token of tokens) movePrice(c, token, CRASH_CENTS); // one frame per token, all at once
  await waitUntil(async () => (await closedCount(c, ids)) >= Math.ceil(ids.length * STRIKE_AFTER_SHARE), "the first stops sold", 60_000, 20).catch(() => undefined);
  const soldBeforeFaults = await closedCount(c, ids);
  const dropped = c.pm.faults.drop();
  c.note(`stampede: ${soldBeforeFaults} sold, sockets dropped (${dropped}), database down for ${cfg.stampede.outageMs / 1000} s`);
  const how = await c.interruptDatabase(cfg.stampede.outageMs, () => undefined);
  let allClosedMs: number | null = null;
  for (let round = 0; round < 6 && allClosedMs === null; round++) {
    allClosedMs = await waitUntil(async () => (await closedCount(c, ids)) === ids.length, "every stop sold", 30_000, 100).then(() => Date.now() - t0).catch(() => null);
    if (allClosedMs === null) await runCron(c); // settles what the outage left unknown and sweeps lost fires
  }
  const toldCounts = () => stops.map((s) => (c.botApi.chat(s.telegramId)?.messages ?? []).filter((m) => m.from === "bot" && /Stop loss hit: (sold|partly sold)/.test(m.text)).length);
  // A notification (or record) that failed on the outage is retried for about 30 s (runner.ts).
  await waitUntil(() => toldCounts().every((n) => n > 0), "every trader told", 40_000, 250).catch(() => undefined);
  await sleep(1_000); // a second message would come about now
  const closed = await closedCount(c, ids);
  const doubled = await count(c, "SELECT count(*) AS n FROM (SELECT position_id FROM orders WHERE position_id = ANY($1::bigint[]) AND side = 'SELL' AND status IN ('filled', 'partially_filled') GROUP BY position_id HAVING count(*) > 1) d", [ids]);
  // A stop-limit's floor: the level × 0.95, rounded up to the cent (the trader's default 5 % bound).
  const belowFloor = await count(c, `SELECT count(*) AS n FROM orders o JOIN triggers t ON t.position_id = o.position_id AND t.kind = 'stop_loss'
    WHERE o.position_id = ANY($1::bigint[]) AND o.side = 'SELL' AND o.status IN ('filled', 'partially_filled') AND o.avg_price < ceil(t.price * 95) / 100`, [ids]);
  const told = toldCounts();
  const toldOnce = told.filter((n) => n === 1).length;
  const toldTwice = told.filter((n) => n > 1).length;
  const failures = await rows<{ outcome: string; n: string }>(c, "SELECT outcome, count(*) AS n FROM trigger_events WHERE position_id = ANY($1::bigint[]) GROUP BY outcome ORDER BY outcome", [ids]);
  t.add(`${ids.length} stops on ${tokens.length} tokens crossed at once; ${soldBeforeFaults} sold before the faults, then ${dropped} sockets dropped and Postgres down for ${cfg.stampede.outageMs / 1000} s (${how}); all sold ${allClosedMs === null ? "— not all —" : `${(allClosedMs / 1000).toFixed(1)} s after the crossing`}; ${closed} sold once, ${ids.length - closed} missed, ${doubled} doubled, ${belowFloor} below their floor; told once ${toldOnce}/${ids.length}, more than once ${toldTwice}; trigger events: ${failures.map((f) => `${f.n} ${f.outcome}`).join(", ")}`);
  t.check(closed === ids.length, `${ids.length - closed} stops never sold`);
  t.check(doubled === 0, `${doubled} positions sold twice`);
  t.check(belowFloor === 0, `${belowFloor} stops sold below the floor their trader accepted`);
  t.check(toldOnce === ids.length, `${ids.length - toldOnce} traders not told exactly once (${toldTwice} told more than once)`);
}
