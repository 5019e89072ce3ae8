// Scenario 5, concurrency: many users at once buy through the bot (some twice on the same market),
// set take profit and stop loss, sell part or all, while every market's price walks and crosses
// their levels. At the end every account's ledger must hold exactly and no sale may sell shares twice.
import { BotUser, type TradeOutcome } from "./bot-user";
import { startCallTap } from "./call-tap";
import { rng } from "./fuzz";
import { type Chaos, count, pool, rows, sleep, waitUntil } from "./harness";
import { checkPaperLedgers } from "./ledger";
import type { ScenarioDeps } from "./main";
import type { Tally } from "./report";
import { fromMicros, toMicros } from "../../workers/money/micros";
import { type ChaosMarket, deepBook, movePrice } from "./seed";

const USER_BASE = 8_500_000_000;
const TRIGGER_REASONS = new Set(["take_profit", "stop_loss", "trailing_stop"]);
/** The walk stays in this band (cents): wide enough to cross +25% and −10% from a 51¢ entry. */
const LOW = 38;
const HIGH = 66;

interface Journey {
  u: BotUser;
  market: ChaosMarket;
  outcomes: TradeOutcome[];
  notes: string[];
}

/** Each market's best bid takes a random step of a cent or two every `everyMs`, within the band. */
function startWalk(c: Chaos, markets: ChaosMarket[], everyMs: number, seed: number): { stop(): void; moves(): number } {
  const r = rng(seed);
  const bid = new Map(markets.map((m) => [m.tokenIds[0], 50]));
  let moves = 0;
  const timer = setInterval(() => {
    for (const m of markets) {
      if (r() < 0.5) continue;
      const now = bid.get(m.tokenIds[0])!;
      const next = Math.min(HIGH, Math.max(LOW, now + (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 2))));
      bid.set(m.tokenIds[0], next);
      movePrice(c, m.tokenIds[0], next);
      moves++;
    }
  }, everyMs);
  return { stop: () => clearInterval(timer), moves: () => moves };
}

/** A buy through the bot; one retry with a fresh preview when the price ran past the slippage bound. */
async function buy(j: Journey, amount: string): Promise<number | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const p = await j.u.preview(j.market, amount);
    const r = await j.u.trade({ callbackData: p.confirmData, messageId: p.messageId });
    j.outcomes.push(r.outcome);
    if (r.outcome === "pending") j.notes.push(`buy unanswered: ${j.u.message(p.messageId)?.text.slice(0, 120)} / notice ${j.u.notice(r.queryId)?.text ?? "none"}`);
    if (r.outcome === "done") return p.messageId;
    if (r.outcome !== "refused") return null;
  }
  return null;
}

async function journey(j: Journey, i: number): Promise<void> {
  try {
    await j.u.command("start");
    const msg = await buy(j, i % 2 === 0 ? "$10" : "$25");
    if (msg === null) return;
    await j.u.step(msg, "Take profit", "+25%");
    await j.u.step(msg, "+25%", "Stop loss");
    await j.u.step(msg, "Stop loss", "-10%");
    await j.u.step(msg, "-10%", "Sell all");
    if (i % 3 === 0) await buy(j, "$5");
    if (i % 4 === 1 || i % 4 === 2) {
      await j.u.command("positions");
      const list = j.u.lastBot()!;
      const label = list.buttons.flat().find((b) => b.text.startsWith("1. "))?.text;
      if (!label) return void j.notes.push("closed by a trigger before selling");
      await j.u.step(list.id, label, "Sell all");
      const sold = await j.u.trade({ label: i % 4 === 1 ? "Sell 50%" : "Sell all", messageId: list.id });
      j.outcomes.push(sold.outcome);
      if (sold.outcome === "pending") j.notes.push(`sell unanswered: ${j.u.message(list.id)?.text.slice(0, 120)} / notice ${j.u.notice(sold.queryId)?.text ?? "none"}`);
    }
  } catch (err) {
    // A trigger may close the position under the user's fingers: the bot then says so, which is fine.
    j.notes.push((err as Error).message.slice(0, 160));
  }
}

export async function runConcurrencyScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c, cfg } = d;
  const k = cfg.concurrency;
  const markets = d.markets.take(k.markets);
  for (const m of markets) deepBook(c, m.tokenIds[0], 50);
  const journeys: Journey[] = Array.from({ length: k.users }, (_, i) => ({ u: BotUser.make(c, USER_BASE + i, "Trader"), market: markets[i % markets.length]!, outcomes: [], notes: [] }));
  const tap = startCallTap(c);
  const walk = startWalk(c, markets, 250, 5);
  // Everyone at once: the stand-in delivers up to 40 updates in parallel, as Telegram does.
  await pool(journeys, k.users, (j, i) => journey(j, i));
  // Prices keep moving a little longer so late levels can still be crossed.
  await waitUntil(() => walk.moves() >= k.moves, `${k.moves} price moves`, 120_000, 100).catch(() => undefined);
  walk.stop();
  const userIds = (await rows(c, "SELECT id FROM users WHERE telegram_id = ANY($1::bigint[])", [journeys.map((j) => j.u.id)])).map((r) => Number(r.id));
  await waitUntil(
    async () => (await count(c, "SELECT count(*) AS n FROM positions WHERE user_id = ANY($1::bigint[]) AND status = 'closing'", [userIds])) === 0 &&
      (await count(c, "SELECT count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND status IN ('pending', 'submitted', 'unknown')", [userIds])) === 0,
    "every sale settled",
    60_000,
    250,
  ).catch(() => undefined);
  await sleep(1_000);
  tap.stop();
  t.add(`${k.users} users at once on ${k.markets} markets, ${walk.moves()} price moves`);
  await judge(c, t, journeys, userIds, tap.parseErrors.length);
  for (const j of journeys.filter((x) => x.notes.length)) c.note(`journey ${j.u.id}: ${j.notes.join(" | ")}`);
}

async function judge(c: Chaos, t: Tally, journeys: Journey[], userIds: number[], parseErrors: number): Promise<void> {
  const ledger = await checkPaperLedgers(c, journeys.map((j) => j.u.id));
  const violations = ledger.summaries.flatMap((s) => s.violations);
  // A trigger may sell a position again: after a sale that took only part of the book (the level stays
  // armed), or after a buy merged into the position while it was being sold. What must never happen
  // is a sale of shares the position no longer held: replay each position's fills in settlement
  // order and the shares held must never go below zero.
  const fills = await rows<{ position_id: string; id: string; side: string; reason: string; shares: string }>(
    c,
    "SELECT position_id, id, side, reason, filled_shares AS shares FROM orders WHERE user_id = ANY($1::bigint[]) AND position_id IS NOT NULL AND status IN ('filled', 'partially_filled') ORDER BY position_id, settled_at, id",
    [userIds],
  );
  const held = new Map<string, bigint>();
  const triggerSales = new Map<string, number>();
  const oversold: string[] = [];
  for (const f of fills) {
    if (f.side === "SELL" && TRIGGER_REASONS.has(f.reason)) triggerSales.set(f.position_id, (triggerSales.get(f.position_id) ?? 0) + 1);
    const now = (held.get(f.position_id) ?? 0n) + (f.side === "BUY" ? 1n : -1n) * toMicros(f.shares);
    held.set(f.position_id, now);
    if (now < 0n) oversold.push(`position ${f.position_id}: ${f.reason} sale ${f.id} sold ${f.shares} with ${fromMicros(now + toMicros(f.shares))} held`);
  }
  const [stats] = await rows(
    c,
    `SELECT (SELECT count(*) FROM orders WHERE user_id = ANY($1::bigint[]) AND side = 'BUY' AND status = 'filled') AS buys,
            (SELECT count(*) FROM orders WHERE user_id = ANY($1::bigint[]) AND side = 'SELL' AND reason = 'manual' AND status IN ('filled', 'partially_filled')) AS sells,
            (SELECT count(*) FROM orders WHERE user_id = ANY($1::bigint[]) AND side = 'SELL' AND reason IN ('take_profit', 'stop_loss') AND status IN ('filled', 'partially_filled')) AS fires,
            (SELECT count(*) FROM triggers WHERE user_id = ANY($1::bigint[])) AS triggers,
            (SELECT count(*) FROM positions WHERE user_id = ANY($1::bigint[]) AND status <> 'closed') AS open`,
    [userIds],
  );
  const outcomes = new Map<string, number>();
  for (const o of journeys.flatMap((j) => j.outcomes)) outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
  const unanswered = outcomes.get("pending") ?? 0;
  const equity = ledger.summaries.reduce((n, s) => n + s.equity, 0n);
  t.add(`trades: ${[...outcomes].map(([o, n]) => `${n} ${o}`).join(", ")}; ${stats!.buys} buys, ${stats!.sells} manual sells filled, ${stats!.triggers} levels set, ${stats!.fires} trigger sales, ${stats!.open} positions open`);
  t.add(`ledger exact for ${ledger.users} users (${ledger.positions} positions, total equity $${(Number(equity / 10_000n) / 100).toFixed(2)})`);
  t.add(`${journeys.filter((j) => j.notes.length).length} journeys cut short by a trigger or a refusal`);
  t.check(violations.length === 0, `ledger: ${violations.length} violations (${violations.slice(0, 3).join("; ")})`);
  const again = [...triggerSales.values()].filter((n) => n > 1).length;
  t.add(`${again} positions sold by a trigger again after a partial sale or a later buy`);
  t.check(oversold.length === 0, `${oversold.length} sales sold shares the position no longer held (${oversold.slice(0, 3).join("; ")})`);
  t.check(unanswered === 0, `${unanswered} trades never answered`);
  t.check(parseErrors === 0, `${parseErrors} bot messages did not parse`);
}
