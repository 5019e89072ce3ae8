// Scenario 2, database faults: Postgres restarted (every session cut, its open transaction rolled
// back, connections refused while it is down) while users confirm buys, triggers cross and prices
// flush. No trade may be lost or doubled, P&L must catch up, and the webhook must
// answer "try again" (HTTP 200, the notice in the chat) instead of failing into Telegram's retries.
import { BotUser, attemptStatuses, type TradeOutcome, UNAVAILABLE } from "./bot-user";
import { startFeed } from "./feed";
import { type Chaos, count, healthz, pool, postUpdate, rows, runCron, sleep, waitUntil } from "./harness";
import { checkPaperLedgers } from "./ledger";
import type { ScenarioDeps } from "./main";
import type { Tally } from "./report";
import { armStreamer, type ChaosMarket, deepBook, insertPosition, insertTrigger, movePrice, type SeededPosition } from "./seed";

const USER_BASE = 8_200_000_000;
/** Confirms are spread over this window, so they reach the Worker in a stream rather than in one lump. */
const CONFIRM_SPREAD_MS = 300;
/**
 * The outage strikes once this share of the buys is recorded: the first ones settle, the ones in
 * progress are cut off mid-trade, the rest arrive while Postgres is gone.
 */
const STRIKE_AFTER_SHARE = 0.25;
const TP_CENTS = 56;
/** The cron settles orders whose outcome is unknown once they are this old (workers/cron.ts). */
const CRON_AGE_MS = 31_000;

interface Buyer {
  u: BotUser;
  userId: number;
  market: ChaosMarket;
  held: SeededPosition;
  crosses: boolean;
  preview: { messageId: number; confirmData: string };
  first: TradeOutcome;
  /** Told "already placed" when no order exists (after a buy the outage cut off). */
  misled: boolean;
}

interface Observed {
  outageAt: number;
  outageMs: number;
  healthDuring: number;
  probes: Array<{ at: number; tryAgain: boolean }>;
  directStatuses: number[];
  recoveryMs: number;
  caughtUpMs: number | null;
  cronRounds: number;
}

async function setup(c: Chaos, d: ScenarioDeps): Promise<Buyer[]> {
  const n = d.cfg.database.users;
  const held = d.markets.take(n);
  const buys = d.markets.take(n);
  for (const m of [...held, ...buys]) deepBook(c, m.tokenIds[0], 50);
  const users = Array.from({ length: n }, (_, i) => BotUser.make(c, USER_BASE + i));
  await pool(users, 6, (u) => u.command("start"));
  const ids = new Map((await rows(c, "SELECT id, telegram_id FROM users WHERE telegram_id = ANY($1::bigint[])", [users.map((u) => u.id)])).map((r) => [Number(r.telegram_id), Number(r.id)]));
  const out: Buyer[] = [];
  for (const [i, u] of users.entries()) {
    const userId = ids.get(u.id)!;
    const p = await insertPosition(c, userId, held[i]!);
    const crosses = i % 2 === 0;
    if (crosses) await insertTrigger(c, p, "take_profit", TP_CENTS);
    out.push({ u, userId, market: buys[i]!, held: p, crosses, preview: { messageId: 0, confirmData: "" }, first: "pending", misled: false });
  }
  await armStreamer(c, held.map((m) => m.tokenIds[0]), out.filter((b) => b.crosses).length);
  const heldIds = out.map((b) => b.held.id);
  await waitUntil(async () => (await count(c, "SELECT count(*) AS n FROM positions WHERE id = ANY($1::bigint[]) AND current_price = 0.5", [heldIds])) === heldIds.length, "held positions priced", 60_000, 250);
  await pool(out, 6, async (b) => void (b.preview = await b.u.preview(b.market)));
  return out;
}

/** Users keep trying while Postgres is gone: each probe must be told to try again (and answered 200). */
async function probeOutage(c: Chaos, buyers: Buyer[], outageAt: number, o: Observed, probes: number): Promise<void> {
  const users = Array.from({ length: probes }, (_, k) => buyers[k % buyers.length]!.u);
  await pool(users, 4, async (u, k) => {
    await sleep(Math.max(0, outageAt + ((o.outageMs * 0.7) / probes) * k - Date.now()));
    const at = Date.now();
    await u.command("positions");
    o.probes.push({ at, tryAgain: UNAVAILABLE.test(u.lastBot()?.text ?? "") });
    const held = await c.botApi.sendCommand(u.user, "help", undefined, { deliver: false });
    o.directStatuses.push(await postUpdate(c, JSON.stringify(held.update)));
  });
}

/** Positions still open must show the venue's best bid and the exact P&L at it. */
async function pnlCaughtUp(c: Chaos, positions: readonly SeededPosition[]): Promise<boolean> {
  const list = await rows(c, "SELECT id, token_id, status, current_price, pnl_amount, round(shares * current_price - cost_basis, 6) AS expected FROM positions WHERE id = ANY($1::bigint[])", [positions.map((p) => p.id)]);
  return list.every((p) => {
    if (p.status === "closed") return true;
    const bid = (c.pm.book(String(p.token_id)).bids as Array<{ price: string }>).map((l) => Number(l.price)).sort((a, b) => b - a)[0];
    return p.current_price !== null && Number(p.current_price) === bid && p.pnl_amount === p.expected;
  });
}

/**
 * After the outage a buyer whose buy did not go through presses Confirm again (the preview is still
 * valid), then, as the bot advises, checks Positions before buying with a fresh preview.
 */
async function finishBuy(c: Chaos, b: Buyer): Promise<void> {
  if (b.first === "done") return;
  let outcome: TradeOutcome = b.first;
  const stillOffered = b.u.message(b.preview.messageId)?.buttons.flat().some((x) => x.callback_data === b.preview.confirmData);
  if (stillOffered) {
    const again = await b.u.trade({ callbackData: b.preview.confirmData, messageId: b.preview.messageId });
    outcome = again.outcome;
    if (outcome === "toast" && /already placed/.test(b.u.notice(again.queryId)?.text ?? "")) {
      b.misled = (await count(c, "SELECT count(*) AS n FROM orders WHERE client_order_id = $1", [`buy:${b.preview.confirmData.split(":")[1]}`])) === 0;
    }
    if (outcome === "pending") b.u.lostPresses.push("Confirm (no answer)");
  }
  for (let attempt = 0; outcome !== "done" && attempt < 3; attempt++) {
    await b.u.command("positions");
    if (b.u.lastBot()?.text.includes(b.market.question.slice(0, 40))) return; // it went through after all
    const p = await b.u.preview(b.market);
    outcome = (await b.u.trade({ callbackData: p.confirmData, messageId: p.messageId })).outcome;
  }
}

/** Runs the cron until no order is left undecided (it only takes orders older than 30 s). */
async function settleOrders(c: Chaos, userIds: number[]): Promise<number> {
  for (let round = 0; round < 4; round++) {
    const [open] = await rows(c, "SELECT max(created_at) AS newest, count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND status IN ('pending', 'submitted', 'unknown')", [userIds]);
    if (Number(open!.n) === 0) return round;
    await sleep(Math.max(0, new Date(String(open!.newest)).getTime() + CRON_AGE_MS - Date.now()));
    await runCron(c);
  }
  return 4;
}

export async function runDatabaseScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c, cfg } = d;
  const o: Observed = { outageAt: 0, outageMs: cfg.database.outageMs, healthDuring: 0, probes: [], directStatuses: [], recoveryMs: 0, caughtUpMs: null, cronRounds: 0 };
  const buyers = await setup(c, d);
  const confirm = async (b: Buyer) => void (b.first = (await b.u.trade({ callbackData: b.preview.confirmData, messageId: b.preview.messageId }, 120_000)).outcome);
  const confirms = buyers.map((b, i) => sleep((i * CONFIRM_SPREAD_MS) / buyers.length).then(() => confirm(b)));
  const strikeAt = Math.max(1, Math.floor(buyers.length * STRIKE_AFTER_SHARE));
  const userIds = buyers.map((b) => b.userId);
  await waitUntil(async () => (await count(c, "SELECT count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND client_order_id LIKE 'buy:%'", [userIds])) >= strikeAt, "the first buys recorded", 10_000, 5).catch(() => undefined);
  let down!: () => void;
  const wentDown = new Promise<void>((resolve) => (down = resolve));
  const interrupted = c.interruptDatabase(o.outageMs, down);
  await Promise.race([wentDown, interrupted]);
  const outageAt = (o.outageAt = Date.now());
  c.note(`database down for ${o.outageMs / 1000} s`);
  for (const b of buyers) movePrice(c, b.held.tokenId, b.crosses ? TP_CENTS + 2 : 53);
  o.healthDuring = await healthz(c);
  await probeOutage(c, buyers, outageAt, o, cfg.database.probes);
  const how = await interrupted;
  const outageEnd = Date.now();
  await waitUntil(async () => (await healthz(c)) === 200, "healthz after the outage", 60_000, 100);
  o.recoveryMs = Date.now() - outageEnd;
  // After recovery the market keeps moving: crossed levels stay crossed, the others stay below.
  const feed = startFeed(c, 700);
  for (const b of buyers) feed.set(b.held.tokenId, b.crosses ? [TP_CENTS + 3, TP_CENTS + 2] : [52, 53]);
  o.caughtUpMs = await waitUntil(() => pnlCaughtUp(c, buyers.map((b) => b.held)), "P&L caught up", 60_000, 200).then(() => Date.now() - outageEnd).catch(() => null);
  await Promise.all(confirms);
  await pool(buyers, 4, (b) => finishBuy(c, b));
  const crossed = buyers.filter((b) => b.crosses).map((b) => b.held.id);
  await waitUntil(async () => (await count(c, "SELECT count(*) AS n FROM positions WHERE id = ANY($1::bigint[]) AND status = 'closed'", [crossed])) === crossed.length, "crossed triggers sold", 60_000, 250).catch(() => undefined);
  o.cronRounds = await settleOrders(c, buyers.map((b) => b.userId));
  feed.stop();
  t.add(`Postgres down for ${o.outageMs / 1000} s (${how}) during ${buyers.length} confirms and ${crossed.length} trigger crossings`);
  judgeWebhook(c, t, buyers, o);
  await judgeTrades(c, t, buyers, o);
  await judgeBooks(c, t, buyers, o);
}

function judgeWebhook(c: Chaos, t: Tally, buyers: Buyer[], o: Observed): void {
  const statuses = [...attemptStatuses(buyers.map((b) => b.u)), ...o.directStatuses];
  const fivexx = statuses.filter((s) => s >= 500).length;
  const unanswered = statuses.filter((s) => s === 0).length;
  const lostPresses = buyers.flatMap((b) => b.u.lostPresses);
  for (const b of buyers) {
    for (const d of b.u.deliveries.filter((x) => x.attempts.some((a) => a.status === undefined || a.status >= 500))) {
      c.note(`webhook ${d.updateId} (${d.update.callback_query?.data ?? d.update.message?.text}) from ${b.u.id}: ${JSON.stringify(d.attempts)}`);
    }
  }
  // A probe sent in the last moments of the outage may already reach a database that is back.
  const inOutage = o.probes.filter((p) => p.at < o.outageAt + o.outageMs - 500);
  const told = inOutage.filter((p) => p.tryAgain).length;
  t.add(`healthz during it ${o.healthDuring}, back ${(o.recoveryMs / 1000).toFixed(1)} s after`);
  t.add(`webhook: ${statuses.length} attempts, ${fivexx} 5xx, ${unanswered} unanswered within 30 s, ${told}/${inOutage.length} probes during the outage told "try again", ${lostPresses.length} presses never acted on`);
  t.check(fivexx === 0, `${fivexx} webhook answers were 5xx`);
  t.check(unanswered === 0, `${unanswered} webhook attempts got no answer within 30 s (Telegram retries; the update is recorded already, so the retry does nothing)`);
  t.check(lostPresses.length === 0, `${lostPresses.length} button presses were never acted on (${lostPresses.slice(0, 3).join("; ")})`);
  t.check(o.healthDuring === 503, `healthz answered ${o.healthDuring} during the outage, expected 503`);
  t.check(inOutage.length > 0 && told === inOutage.length, `${inOutage.length - told} of ${inOutage.length} probes during the outage were not told to try again`);
}

async function judgeTrades(c: Chaos, t: Tally, buyers: Buyer[], o: Observed): Promise<void> {
  const userIds = buyers.map((b) => b.userId);
  const perBuyer = await rows(c, "SELECT user_id, count(*) FILTER (WHERE status IN ('filled', 'partially_filled')) AS filled FROM orders WHERE user_id = ANY($1::bigint[]) AND side = 'BUY' AND client_order_id LIKE 'buy:%' GROUP BY user_id", [userIds]);
  const filled = new Map(perBuyer.map((r) => [Number(r.user_id), Number(r.filled)]));
  const lost = buyers.filter((b) => (filled.get(b.userId) ?? 0) === 0).length;
  const doubled = buyers.filter((b) => (filled.get(b.userId) ?? 0) > 1).length;
  const toldDone = buyers.filter((b) => b.first === "done").map((b) => `buy:${b.preview.confirmData.split(":")[1]}`);
  const toldButMissing = toldDone.length - (await count(c, "SELECT count(*) AS n FROM orders WHERE client_order_id = ANY($1::text[]) AND status IN ('filled', 'partially_filled')", [toldDone]));
  const undecided = await count(c, "SELECT count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND status IN ('pending', 'submitted', 'unknown')", [userIds]);
  const misled = buyers.filter((b) => b.misled).length;
  const firsts = new Map<TradeOutcome, number>();
  for (const b of buyers) firsts.set(b.first, (firsts.get(b.first) ?? 0) + 1);
  t.add(`confirms: ${[...firsts].map(([k, v]) => `${v} ${k}`).join(", ")}; after recovery ${buyers.length - lost - doubled} bought exactly once, ${lost} lost, ${doubled} doubled, ${misled} told "already placed" with no order`);
  t.check(lost === 0, `${lost} buys lost`);
  t.check(doubled === 0, `${doubled} buys doubled`);
  t.check(toldButMissing === 0, `${toldButMissing} users told "Bought" without a filled order`);
  t.check(misled === 0, `${misled} users whose buy the outage cut off were told "This order was already placed" although no order exists`);
  t.check(undecided === 0, `${undecided} orders still undecided after ${o.cronRounds} cron rounds`);
}

async function judgeBooks(c: Chaos, t: Tally, buyers: Buyer[], o: Observed): Promise<void> {
  const userIds = buyers.map((b) => b.userId);
  const claimed = await count(c, "SELECT count(*) AS n FROM positions WHERE user_id = ANY($1::bigint[]) AND status = 'closing'", [userIds]);
  const sells = await rows(c, "SELECT position_id, count(*) AS n FROM orders WHERE position_id = ANY($1::bigint[]) AND side = 'SELL' AND status IN ('filled', 'partially_filled') GROUP BY position_id", [buyers.map((b) => b.held.id)]);
  const soldTimes = (b: Buyer) => Number(sells.find((s) => Number(s.position_id) === b.held.id)?.n ?? 0);
  const crossed = buyers.filter((b) => b.crosses);
  const soldOnce = crossed.filter((b) => soldTimes(b) === 1).length;
  const soldWrongly = buyers.filter((b) => !b.crosses && soldTimes(b) > 0).length;
  const ledger = await checkPaperLedgers(c, buyers.map((b) => b.u.id));
  const violations = ledger.summaries.flatMap((s) => s.violations);
  t.add(`${soldOnce}/${crossed.length} crossed triggers sold once, ${soldWrongly} sold without crossing, ${claimed} positions left claimed`);
  t.add(`P&L caught up ${o.caughtUpMs === null ? "never" : `${(o.caughtUpMs / 1000).toFixed(1)} s after the outage ended`}`);
  t.add(`ledger exact for ${ledger.users} users (${ledger.positions} positions)`);
  t.check(claimed === 0, `${claimed} positions left claimed`);
  t.check(soldOnce === crossed.length, `${crossed.length - soldOnce} crossed triggers not sold exactly once`);
  t.check(soldWrongly === 0, `${soldWrongly} positions sold without a crossing`);
  t.check(o.caughtUpMs !== null, "P&L never caught up with the market");
  t.check(violations.length === 0, `ledger: ${violations.slice(0, 3).join("; ")}`);
}
