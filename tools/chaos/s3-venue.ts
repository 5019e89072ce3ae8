// Scenario 3, venue faults: live users (new accounts: deposit wallets the bot first sets up through a failing relayer) sell (by hand, and by take-profit racing the same position)
// and buy while POST /order answers 5xx, 429, slowly, or not at all. After reconciliation (the cron)
// every order must match what the venue did, no position may be sold twice or stay claimed, and a
// second Sell all (on a healthy venue) must close every position still open.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../workers/db/client";
import { loadKeyring } from "../../workers/wallets/envelope";
import { CASH_TTL_MS } from "../../workers/trading/venue-cash";
import { generateWallet } from "../../workers/wallets/wallet-store";
import { BotUser, type TradeOutcome } from "./bot-user";
import { onboardUnderRelayerFaults } from "./s3-relayer";
import { type Chaos, ChaosError, count, pool, rows, runCron, sleep, waitUntil } from "./harness";
import type { ScenarioDeps } from "./main";
import type { Tally } from "./report";
import { armStreamer, type ChaosMarket, deepBook, insertPosition, insertTrigger, movePrice, type SeededPosition } from "./seed";
import { venueWaves } from "./config";
import { expectedStatus, type Wave } from "./venue-waves";

const USER_BASE = 8_300_000_000;
const TP_CENTS = 56;
/** A venue lookup finds nothing for this long before "never accepted" (live-venue.ts), plus the cron's 30 s. */
const RECONCILE_AFTER_MS = 62_000;

interface Trader {
  u: BotUser;
  userId: number;
  wave: number;
  role: "seller" | "racer" | "buyer";
  held: SeededPosition | null;
  buyMarket: ChaosMarket | null;
  first: TradeOutcome;
}

async function liveUser(c: Chaos, d: Db, keyring: Awaited<ReturnType<typeof loadKeyring>>, telegramId: number): Promise<number> {
  const [r] = await rows(c, "INSERT INTO users (telegram_id, chat_id, first_name, mode) VALUES ($1, $1, 'Live', 'live') RETURNING id", [telegramId]);
  const id = Number(r!.id);
  // A new Polymarket account: a deposit wallet, which the bot deploys and approves (s3-relayer.ts).
  const w = await generateWallet({ db: d, keyring }, id, { depositWallet: true });
  if (!w.ok) throw new ChaosError(`wallet for user ${id}: ${w.message}`);
  return id;
}

/** What the venue holds for a new deposit wallet once funded: pUSD for the buyers, the seeded shares for the sellers. */
async function fund(c: Chaos, traders: Trader[]): Promise<void> {
  for (const x of traders) {
    const [w] = await rows<{ funder_address: string }>(c, "SELECT funder_address FROM wallets WHERE user_id = $1", [x.userId]);
    c.pm.setBalance(String(w!.funder_address), { pusd: "1000" });
    if (x.held) c.pm.setBalance(String(w!.funder_address), { tokenId: x.held.tokenId, shares: "20" });
  }
}

async function setup(c: Chaos, d: ScenarioDeps, waves: readonly Wave[]): Promise<Trader[]> {
  const perWave = d.cfg.venue.perWave;
  const secrets = JSON.parse(fs.readFileSync(path.join(c.stack.dataDir, "local-secrets.json"), "utf8")) as { WALLET_ENCRYPTION_KEY: string };
  const keyring = await loadKeyring(secrets.WALLET_ENCRYPTION_KEY);
  const db = (await import("drizzle-orm/node-postgres")).drizzle({ client: c.db }) as unknown as Db;
  const traders: Trader[] = [];
  for (let w = 0; w < waves.length; w++) {
    for (let k = 0; k < perWave; k++) {
      const telegramId = USER_BASE + w * 100 + k;
      const userId = await liveUser(c, db, keyring, telegramId);
      const u = BotUser.make(c, telegramId, "Live");
      c.botApi.chats.ensure(u.user);
      // One buyer per wave; a third of the sellers race their own take profit.
      const role = k === 0 ? "buyer" : k % 3 === 1 ? "racer" : "seller";
      const [m] = d.markets.take(1);
      deepBook(c, m!.tokenIds[0], 50);
      const held = role === "buyer" ? null : await insertPosition(c, userId, m!, "live");
      if (held && role === "racer") await insertTrigger(c, held, "take_profit", TP_CENTS);
      traders.push({ u, userId, wave: w, role, held, buyMarket: role === "buyer" ? m! : null, first: "pending" });
    }
  }
  const held = traders.filter((t) => t.held).map((t) => t.held!.tokenId);
  await armStreamer(c, held, traders.filter((t) => t.role === "racer").length);
  return traders;
}

/** /positions → the position → its card; answers the card's message id. */
async function openCard(t: Trader): Promise<number> {
  await t.u.command("positions");
  const list = t.u.lastBot()!;
  const label = list.buttons.flat().find((b) => b.text.startsWith("1. "))?.text;
  if (!label) throw new ChaosError(`no position in chat ${t.u.id}: ${list.text.slice(0, 120)}`);
  await t.u.step(list.id, label, "Sell all");
  return list.id;
}

interface Window {
  wave: Wave;
  from: number;
  to: number;
}

/** Gets each trader of the wave ready, arms the fault, and lets them all act at once; answers when the fault was armed. */
async function runWave(c: Chaos, traders: Trader[], wave: Wave): Promise<Window> {
  const ready = await pool(traders, 4, async (t) => (t.role === "buyer" ? t.u.preview(t.buyMarket!) : { messageId: await openCard(t), confirmData: "" }));
  const from = Date.now();
  const rule = wave.fault ? c.pm.faults.add(wave.fault) : null;
  c.note(`venue wave "${wave.name}": ${traders.length} traders`);
  await Promise.all(
    traders.map(async (t, i) => {
      const r = ready[i]!;
      if (t.role === "racer") movePrice(c, t.held!.tokenId, TP_CENTS + 1);
      const q = t.role === "buyer" ? { callbackData: r.confirmData, messageId: r.messageId } : { label: "Sell all", messageId: r.messageId };
      const r2 = await t.u.trade(q, 45_000);
      t.first = r2.outcome;
      c.note(`  ${t.role} ${t.u.id}: ${t.first} — ${t.u.notice(r2.queryId)?.text ?? ""} / ${t.u.message(r.messageId)?.text.slice(0, 100)}`);
    }),
  );
  if (rule) c.pm.faults.clear(rule.id);
  return { wave, from, to: Date.now() };
}

const CLEAN: Wave = { name: "clean (between waves)", fault: null, matched: true };

/** The wave whose fault was armed when the order was recorded (a re-armed trigger may sell later). */
function waveAt(windows: readonly Window[], at: number): Wave {
  return windows.find((w) => at >= w.from && at <= w.to)?.wave ?? CLEAN;
}

/** Runs the cron until every order of these users is decided (the venue's "not found" needs 60 s). */
async function reconcile(c: Chaos, userIds: number[]): Promise<number> {
  for (let round = 1; round <= 6; round++) {
    const [open] = await rows(c, "SELECT max(created_at) AS newest, count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND status IN ('pending', 'submitted', 'unknown')", [userIds]);
    if (Number(open!.n) === 0) return round - 1;
    await sleep(Math.max(0, new Date(String(open!.newest)).getTime() + RECONCILE_AFTER_MS - Date.now()));
    await runCron(c);
    await sleep(1_000);
  }
  return 6;
}

export async function runVenueScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c } = d;
  const waves = venueWaves(d.cfg);
  const traders = await setup(c, d, waves);
  await onboardUnderRelayerFaults(c, t, traders);
  await fund(c, traders);
  // The wallet screens of the setup read the empty wallets' cash, which the Worker keeps for CASH_TTL_MS.
  await sleep(CASH_TTL_MS);
  const started = new Date();
  const windows: Window[] = [];
  for (const [w, wave] of waves.entries()) {
    windows.push(await runWave(c, traders.filter((x) => x.wave === w), wave));
    await sleep(200);
  }
  const userIds = traders.map((x) => x.userId);
  const rounds = await reconcile(c, userIds);
  await judgeOrders(c, t, traders, waves, windows, started);
  // Whatever is still open sells on a healthy venue; nothing may be left open or sold twice.
  const open = traders.filter((x) => x.held);
  const stillOpen = await rows(c, "SELECT id FROM positions WHERE id = ANY($1::bigint[]) AND status <> 'closed'", [open.map((x) => x.held!.id)]);
  const again = open.filter((x) => stillOpen.some((r) => Number(r.id) === x.held!.id));
  const secondRound = await pool(again, 4, async (x) => (await x.u.trade({ label: "Sell all", messageId: await openCard(x) })).outcome);
  await judgePositions(c, t, traders);
  t.add(`reconciled by ${rounds} cron runs; second Sell all on ${again.length} positions: ${secondRound.filter((o) => o === "done").length} sold`);
}

interface OrderRow {
  id: string;
  user_id: string;
  position_id: string | null;
  side: string;
  status: string;
  venue_order_id: string | null;
  filled_shares: string;
  created_at: Date;
}

async function judgeOrders(c: Chaos, t: Tally, traders: Trader[], waves: readonly Wave[], windows: readonly Window[], from: Date): Promise<void> {
  const list = await rows<OrderRow & Record<string, unknown>>(c, "SELECT * FROM orders WHERE user_id = ANY($1::bigint[]) AND created_at >= $2 ORDER BY id", [traders.map((x) => x.userId), from]);
  const wrong: string[] = [];
  let agree = 0;
  for (const o of list) {
    const wave = waveAt(windows, new Date(o.created_at).getTime());
    const venue = o.venue_order_id ? c.pm.order(o.venue_order_id) : undefined;
    const venueMatched = venue ? String(venue.size_matched ?? "0") !== "0" : false;
    const want = expectedStatus(wave);
    const sharesAgree = !venueMatched || Number(venue!.size_matched) === Number(o.filled_shares);
    if (o.status === want && venueMatched === wave.matched && sharesAgree) agree++;
    else wrong.push(`order ${o.id} (${o.side}, wave ${wave.name}): ${o.status}, venue ${venue ? `${venue.status} ${venue.size_matched}` : "never saw it"}`);
  }
  const byOutcome = new Map<string, number>();
  for (const x of traders) byOutcome.set(x.first, (byOutcome.get(x.first) ?? 0) + 1);
  t.add(`${waves.length} waves on POST /order (${waves.map((w) => w.name).join(", ")})`);
  t.add(`${traders.length} live users (${traders.filter((x) => x.role === "racer").length} racing their own take profit, ${traders.filter((x) => x.role === "buyer").length} buying)`);
  t.add(`first answers: ${[...byOutcome].map(([k, v]) => `${v} ${k}`).join(", ")}`);
  const unanswered = byOutcome.get("pending") ?? 0;
  t.check(unanswered === 0, `${unanswered} presses got no answer within 45 s`);
  t.add(`${list.length} orders, ${agree} ending as the venue decided`);
  t.check(wrong.length === 0, `${wrong.length} orders disagree with the venue: ${wrong.slice(0, 3).join("; ")}`);
}

async function judgePositions(c: Chaos, t: Tally, traders: Trader[]): Promise<void> {
  const held = traders.filter((x) => x.held).map((x) => x.held!);
  const positions = await rows(c, "SELECT id, status, claim_id FROM positions WHERE id = ANY($1::bigint[])", [held.map((p) => p.id)]);
  const claimed = positions.filter((p) => p.status === "closing").length;
  const open = positions.filter((p) => p.status === "active").length;
  let soldTwice = 0;
  for (const p of held) {
    const sells = await rows(c, "SELECT venue_order_id FROM orders WHERE position_id = $1 AND side = 'SELL' AND venue_order_id IS NOT NULL", [p.id]);
    const venueShares = sells.reduce((n, s) => n + Number(c.pm.order(String(s.venue_order_id))?.size_matched ?? 0), 0);
    if (venueShares > 20) soldTwice++;
  }
  const undecided = await count(c, "SELECT count(*) AS n FROM orders WHERE user_id = ANY($1::bigint[]) AND status IN ('pending', 'submitted', 'unknown')", [traders.map((x) => x.userId)]);
  t.add(`${held.length} positions: ${held.length - open - claimed} closed, ${open} open, ${claimed} claimed, ${soldTwice} sold twice at the venue`);
  t.check(claimed === 0, `${claimed} positions left claimed`);
  t.check(open === 0, `${open} positions could not be sold on a healthy venue`);
  t.check(soldTwice === 0, `${soldTwice} positions sold more than once at the venue`);
  t.check(undecided === 0, `${undecided} orders still undecided`);
}
