// Scenario 1, socket faults: positions hold armed TP/SL triggers while the market channel is dropped,
// stalled (PONG only), fed garbage and bursts, and prices cross some levels — during stalls (seen
// only by polling) and on the live stream. Every crossed trigger must fire once, no other.
import type { SocketCounts } from "./config";
import type { ScenarioDeps } from "./main";
import { type Chaos, count, healthz, rows, sleep, streamer, waitUntil } from "./harness";
import type { Tally } from "./report";
import { armStreamer, deepBook, insertPosition, insertTrigger, insertUser, movePrice, type SeededPosition } from "./seed";
import { expectedFire, type PlannedPosition, planPositions, share, START_BID_CENTS } from "./socket-plan";
import { burst, type BurstResult, dropAndResubscribe, sendGarbage } from "./socket-faults";

const USER_BASE = 8_100_000_000;
const POSITIONS_PER_USER = 4;

interface Planned extends PlannedPosition {
  position: SeededPosition;
}

interface Observed {
  drops: number[];
  dropsFailed: number;
  garbageSent: number;
  garbageExpected: number;
  garbageCounted: number;
  /** Garbage batches with a reconnect in between (their count is not exact). */
  garbageDisturbed: number;
  /** Batches on stable connections whose parse errors differ from the expectation. */
  garbageMismatch: number;
  bursts: BurstResult[];
}

async function seed(c: Chaos, d: ScenarioDeps): Promise<Planned[]> {
  const s = d.cfg.socket;
  const plan = planPositions(s.positions, s.stalls);
  const markets = d.markets.take(plan.length);
  const out: Planned[] = [];
  let userId = 0;
  for (const p of plan) {
    const m = markets[p.index]!;
    deepBook(c, m.tokenIds[0], START_BID_CENTS);
    if (p.index % POSITIONS_PER_USER === 0) userId = await insertUser(c, USER_BASE + p.index);
    const position = await insertPosition(c, userId, m);
    if (p.set !== "sl") await insertTrigger(c, position, "take_profit", p.tpCents);
    // A path 4¢ past a stop gaps below a stop-limit's floor (level × 95 %): those traders chose "sell
    // at any price", so the crossing is a sale; the stop-limit's own gap handling is scenario 6's and the runner tests'.
    if (p.set !== "tp") await insertTrigger(c, position, "stop_loss", p.slCents, p.path === "down-over");
    out.push({ ...p, position });
  }
  return out;
}

/** Walks each position's token through its path, one step for all of them every `stepMs`. */
async function walk(c: Chaos, group: readonly Planned[], stepMs: number): Promise<void> {
  const longest = Math.max(0, ...group.map((p) => p.steps.length));
  for (let s = 0; s < longest; s++) {
    for (const p of group) if (s < p.steps.length) movePrice(c, p.position.tokenId, p.steps[s]!);
    await sleep(stepMs);
  }
}

async function drops(c: Chaos, n: number, spacingMs: number, o: Observed): Promise<void> {
  for (let i = 0; i < n; i++) {
    await sleep(spacingMs);
    const ms = await dropAndResubscribe(c);
    if (ms === null) o.dropsFailed++;
    else o.drops.push(ms);
  }
}

async function cycle(c: Chaos, d: ScenarioDeps, planned: Planned[], k: number, o: Observed): Promise<void> {
  const s = d.cfg.socket;
  const mine = planned.filter((p) => p.cycle === k);
  // The stall: PONG only, on every connection and on new ones, for stallMs.
  const stallEnds = Date.now() + s.stallMs;
  c.pm.faults.stall(s.stallMs);
  c.note(`cycle ${k + 1}/${s.stalls}: stall of ${s.stallMs / 1000} s`);
  await sleep(s.stallMs * 0.2);
  await walk(c, mine.filter((p) => p.phase === "stall"), 300);
  const stallDrops = share(s.drops, 2 * s.stalls, 2 * k);
  await drops(c, stallDrops, Math.max(0, (stallEnds - Date.now() - 5_000) / Math.max(1, stallDrops)), o);
  await sleep(Math.max(0, stallEnds - Date.now()) + 200);
  await waitUntil(async () => (await streamer(c)).healthy, "the feed to be healthy after the stall", d.cfg.staleMs + 90_000, 250);
  // The live stream: garbage, a burst, crossings, more drops.
  const g = await sendGarbage(c, k * 1_000, share(s.garbageFrames, s.stalls, k), 30_000);
  o.garbageSent += g.sent;
  o.garbageExpected += g.expectedErrors;
  o.garbageCounted += g.countedErrors;
  if (g.reconnected) o.garbageDisturbed++;
  else if (g.countedErrors !== g.expectedErrors) o.garbageMismatch++;
  if (share(s.bursts, s.stalls, k) > 0) o.bursts.push(await burst(c, s.burstPerSecond, s.burstMs));
  await walk(c, mine.filter((p) => p.phase === "live"), 150);
  await drops(c, share(s.drops, 2 * s.stalls, 2 * k + 1), 1_000, o);
}

interface PositionOutcome {
  id: string;
  status: string;
  close_reason: string | null;
  sell_orders: string;
  filled_sells: string;
  sell_reasons: string | null;
  sold_events: string;
}

async function outcomes(c: Chaos, ids: number[]): Promise<Map<number, PositionOutcome>> {
  const list = await rows<PositionOutcome & Record<string, unknown>>(
    c,
    `SELECT p.id, p.status, p.close_reason,
       (SELECT count(*) FROM orders o WHERE o.position_id = p.id AND o.side = 'SELL') AS sell_orders,
       (SELECT count(*) FROM orders o WHERE o.position_id = p.id AND o.side = 'SELL' AND o.status IN ('filled', 'partially_filled')) AS filled_sells,
       (SELECT string_agg(DISTINCT o.reason, ',') FROM orders o WHERE o.position_id = p.id AND o.side = 'SELL') AS sell_reasons,
       (SELECT count(*) FROM trigger_events e WHERE e.position_id = p.id AND e.outcome IN ('sold', 'partially_sold')) AS sold_events
     FROM positions p WHERE p.id = ANY($1::bigint[])`,
    [ids],
  );
  return new Map(list.map((r) => [Number(r.id), r]));
}

function judge(t: Tally, planned: Planned[], seen: Map<number, PositionOutcome>): { expected: number; firedOnce: number } {
  let expected = 0;
  let firedOnce = 0;
  const unexpected: number[] = [];
  const missing: number[] = [];
  const doubled: number[] = [];
  for (const p of planned) {
    const want = expectedFire(p);
    const r = seen.get(p.position.id)!;
    const sells = Number(r.sell_orders);
    if (want === null) {
      if (sells > 0 || r.status !== "active") unexpected.push(p.position.id);
      continue;
    }
    expected++;
    if (sells > 1 || Number(r.sold_events) > 1) doubled.push(p.position.id);
    else if (sells === 1 && Number(r.filled_sells) === 1 && r.sell_reasons === want && r.status === "closed" && r.close_reason === want) firedOnce++;
    else missing.push(p.position.id);
  }
  t.check(missing.length === 0, `${missing.length} crossed triggers did not fire (positions ${missing.slice(0, 8).join(", ")})`);
  t.check(doubled.length === 0, `${doubled.length} positions sold more than once (${doubled.slice(0, 8).join(", ")})`);
  t.check(unexpected.length === 0, `${unexpected.length} positions sold without a crossing (${unexpected.slice(0, 8).join(", ")})`);
  return { expected, firedOnce };
}

/** Seeds, arms the streamer and waits until every position is priced from the stream. */
async function prepare(c: Chaos, d: ScenarioDeps): Promise<{ planned: Planned[]; triggers: number }> {
  const planned = await seed(c, d);
  const ids = planned.map((p) => p.position.id);
  const triggers = await count(c, "SELECT count(*) AS n FROM triggers WHERE position_id = ANY($1::bigint[]) AND status = 'armed'", [ids]);
  await armStreamer(c, planned.map((p) => p.position.tokenId), triggers);
  await waitUntil(async () => (await count(c, "SELECT count(*) AS n FROM positions WHERE id = ANY($1::bigint[]) AND current_price = 0.5", [ids])) === ids.length, "every position priced from the stream", 60_000, 250);
  return { planned, triggers };
}

/** Waits for the sales the plan expects, then a little longer: a late extra fire would show up. */
async function settle(c: Chaos, d: ScenarioDeps, planned: Planned[]): Promise<void> {
  const wanted = planned.filter((p) => expectedFire(p) !== null).map((p) => p.position.id);
  await waitUntil(async () => (await count(c, "SELECT count(*) AS n FROM positions WHERE id = ANY($1::bigint[]) AND status = 'closed'", [wanted])) === wanted.length, "every crossed trigger's sale", d.cfg.staleMs + 60_000, 250).catch(() => undefined);
  await sleep(Math.max(3_000, 2 * d.cfg.pollMs));
}

function faultCounts(t: Tally, s: SocketCounts, o: Observed): void {
  const sent = o.bursts.reduce((n, b) => n + b.framesSent, 0);
  const seen = o.bursts.reduce((n, b) => n + b.framesSeen, 0);
  const cut = o.bursts.filter((b) => b.reconnected).length;
  t.add(`${o.drops.length + o.dropsFailed} drops (${o.drops.length} resubscribed, slowest ${(Math.max(0, ...o.drops) / 1000).toFixed(1)} s)`);
  t.add(`${s.stalls} stalls × ${s.stallMs / 1000} s (PONG only, every connection, back to back)`);
  t.add(`${o.garbageSent} garbage frames delivered (${o.garbageCounted} parse errors counted, ${o.garbageExpected} expected${o.garbageDisturbed ? `; ${o.garbageDisturbed} batches cut by a reconnect` : ""})`);
  t.add(`${o.bursts.length} bursts at ${s.burstPerSecond}/s for ${s.burstMs} ms (${sent} frames published, ${seen} processed by the streamer${cut ? `; ${cut} cut by a reconnect` : ""})`);
  t.check(o.dropsFailed === 0, `${o.dropsFailed} drops never ended resubscribed`);
  t.check(o.garbageMismatch === 0, `${o.garbageMismatch} garbage batches on stable connections were not counted exactly`);
  const lost = o.bursts.filter((b) => !b.reconnected && b.framesSeen !== b.framesSent);
  t.check(lost.length === 0, `${lost.length} bursts lost frames on a connection that stayed up (${lost.map((b) => `${b.framesSeen}/${b.framesSent}`).join(", ")})`);
}

export async function runSocketScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c, cfg } = d;
  const { planned, triggers } = await prepare(c, d);
  const ids = planned.map((p) => p.position.id);
  const start = await streamer(c);
  const o: Observed = { drops: [], dropsFailed: 0, garbageSent: 0, garbageExpected: 0, garbageCounted: 0, garbageDisturbed: 0, garbageMismatch: 0, bursts: [] };
  for (let k = 0; k < cfg.socket.stalls; k++) await cycle(c, d, planned, k, o);
  await settle(c, d, planned);
  const end = await streamer(c);
  const refused = await count(c, "SELECT count(*) AS n FROM trigger_events WHERE position_id = ANY($1::bigint[]) AND outcome = 'refused'", [ids]);
  t.add(`${cfg.socket.positions} positions with ${triggers} armed triggers`);
  faultCounts(t, cfg.socket, o);
  const { expected, firedOnce } = judge(t, planned, await outcomes(c, ids));
  t.add(`${expected} crossings → ${firedOnce} fired once, ${refused} stale-price refusals`);
  if (firedOnce < expected) {
    // Say why: what each unsold crossed position's fires were told (the exit log's rows).
    const why = await rows<{ position_id: string; outcome: string; reason: string | null; any_price: boolean }>(c, `SELECT e.position_id, e.outcome, e.reason, t.any_price FROM trigger_events e LEFT JOIN triggers t ON t.id = e.trigger_id
      WHERE e.position_id = ANY($1::bigint[]) AND e.position_id IN (SELECT id FROM positions WHERE status <> 'closed') ORDER BY e.id LIMIT 8`, [ids]);
    t.add(`unsold: ${why.map((w) => `#${w.position_id} ${w.outcome}${w.any_price ? " (any price)" : ""}: ${w.reason ?? ""}`).join("; ") || "no fire recorded"}`);
  }
  t.add(`streamer reconnects ${end.reconnects - start.reconnects}, polls ${end.poll.requests - start.poll.requests}`);
  t.check(end.startedAt === start.startedAt, `the streamer restarted (started ${start.startedAt}, now ${end.startedAt})`);
  t.expectEqual("healthz after the faults", await healthz(c), 200);
}
