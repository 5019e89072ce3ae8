// Scenario 4, webhook abuse: real updates delivered several times at once (each must be acted on
// once), then thousands of hostile ones — random and broken JSON, huge and injected texts, forged
// buttons naming other users' positions, replayed ids, wrong secrets. No 5xx, no action on anyone
// else's position, no formatting an injection can break, and the bot still serves its users after.
import { BotUser } from "./bot-user";
import { type CallTap, startCallTap } from "./call-tap";
import { fuzzItem, type FuzzItem } from "./fuzz";
import { type Chaos, ChaosError, pool, postUpdate, rows, waitUntil } from "./harness";
import type { ScenarioDeps } from "./main";
import type { Tally } from "./report";
import { armStreamer, type ChaosMarket, deepBook, insertPosition, insertTrigger, insertUser } from "./seed";

const VICTIM_BASE = 8_400_000_000;
const HONEST_BASE = 8_410_000_000;
const ATTACKER_BASE = 8_420_000_000;
const IMPOSTOR_BASE = 8_430_000_000;
const HONEST_MARKETS = 10;
/** Each honest user sends five real updates: three commands and two presses that trade. */
const UPDATES_PER_USER = 5;
const CONCURRENCY = 16;

interface Honest {
  u: BotUser;
  userId: number;
  updates: string[];
  cardId: number;
  previewId: number;
  intent: string;
  messagesBefore: number;
}

async function victims(c: Chaos, markets: ChaosMarket[]): Promise<{ userIds: number[]; telegramIds: number[]; positions: number[]; questions: string[] }> {
  const userIds: number[] = [];
  const positions: number[] = [];
  for (const [i, m] of markets.entries()) {
    deepBook(c, m.tokenIds[0], 50);
    const userId = await insertUser(c, VICTIM_BASE + i);
    const p = await insertPosition(c, userId, m);
    await insertTrigger(c, p, "take_profit", 80);
    await insertTrigger(c, p, "stop_loss", 20);
    userIds.push(userId);
    positions.push(p.id);
  }
  await armStreamer(c, markets.map((m) => m.tokenIds[0]), 2 * markets.length);
  return { userIds, telegramIds: markets.map((_, i) => VICTIM_BASE + i), positions, questions: markets.map((m) => m.question) };
}

/** Everything about the victims an attacker must not be able to change. */
async function snapshot(c: Chaos, userIds: number[]): Promise<string> {
  const parts = await Promise.all([
    rows(c, "SELECT id, chat_id, paper_cash, mode, settings, pending_input, pin_hash, pin_failures FROM users WHERE id = ANY($1::bigint[]) ORDER BY id", [userIds]),
    rows(c, "SELECT id, kind, status FROM secure_actions WHERE user_id = ANY($1::bigint[]) ORDER BY id", [userIds]),
    rows(c, "SELECT id, status, shares, cost_basis, realized_pnl, claim_id FROM positions WHERE user_id = ANY($1::bigint[]) ORDER BY id", [userIds]),
    rows(c, "SELECT id, kind, status, price, trail FROM triggers WHERE user_id = ANY($1::bigint[]) ORDER BY id", [userIds]),
    rows(c, "SELECT id, status FROM orders WHERE user_id = ANY($1::bigint[]) ORDER BY id", [userIds]),
  ]);
  return JSON.stringify(parts);
}

async function prepareHonest(c: Chaos, d: ScenarioDeps, markets: ChaosMarket[]): Promise<Honest[]> {
  const n = Math.max(1, Math.round(d.cfg.webhook.duplicatedUpdates / UPDATES_PER_USER));
  return pool(Array.from({ length: n }, (_, i) => i), 6, async (i) => {
    const u = BotUser.make(c, HONEST_BASE + i, "Honest");
    await u.command("start");
    const [row] = await rows(c, "SELECT id FROM users WHERE telegram_id = $1", [u.id]);
    const userId = Number(row!.id);
    const m = markets[i % markets.length]!;
    await insertPosition(c, userId, m);
    const preview = await u.preview(markets[(i + 1) % markets.length]!);
    await u.command("positions");
    const list = u.lastBot()!;
    const first = list.buttons.flat().find((b) => b.text.startsWith("1. "));
    if (!first) throw new ChaosError(`no position in /positions for chat ${u.id}: ${list.text.slice(0, 160)}`);
    await u.step(list.id, first.text, "Sell 25%");
    // A sale previews first: the held update is the preview's Confirm (the one that sells).
    await u.step(list.id, "Sell 25%", "Confirm");
    const sellConfirm = u.message(list.id)!.buttons.flat().find((b) => b.text === "Confirm")!.callback_data!;
    const held = [
      await c.botApi.sendCommand(u.user, "start", undefined, { deliver: false }),
      await c.botApi.sendCommand(u.user, "help", undefined, { deliver: false }),
      await c.botApi.sendCommand(u.user, "positions", undefined, { deliver: false }),
      await c.botApi.pressButton(u.user, { callbackData: sellConfirm, messageId: list.id }, { deliver: false }),
      await c.botApi.pressButton(u.user, { callbackData: preview.confirmData, messageId: preview.messageId }, { deliver: false }),
    ];
    const messagesBefore = u.chat()!.messages.filter((x) => x.from === "bot").length;
    return { u, userId, updates: held.map((h) => JSON.stringify(h.update)), cardId: list.id, previewId: preview.messageId, intent: preview.confirmData.split(":")[1]!, messagesBefore };
  });
}

/** Every real update delivered `copies` times at once; answers the HTTP statuses. */
async function deliverDuplicates(c: Chaos, honest: Honest[], copies: number): Promise<number[]> {
  const posts = honest.flatMap((h) => h.updates.flatMap((body) => Array.from({ length: copies }, () => body)));
  return pool(posts, CONCURRENCY, (body) => postUpdate(c, body));
}

async function judgeDuplicates(c: Chaos, t: Tally, honest: Honest[], statuses: number[], copies: number): Promise<void> {
  await waitUntil(
    () => honest.every((h) => !(h.u.message(h.cardId)?.text.includes("⏳") || h.u.message(h.previewId)?.text.includes("⏳"))),
    "the duplicated trades to finish",
    60_000,
    100,
  ).catch(() => undefined);
  const orders = await rows(c, "SELECT user_id, side, client_order_id FROM orders WHERE user_id = ANY($1::bigint[]) AND client_order_id NOT LIKE 'chaos-seed:%'", [honest.map((h) => h.userId)]);
  let actedOnce = 0;
  const wrong: string[] = [];
  for (const h of honest) {
    const mine = orders.filter((o) => Number(o.user_id) === h.userId);
    const sells = mine.filter((o) => o.side === "SELL").length;
    const buys = mine.filter((o) => o.client_order_id === `buy:${h.intent}`).length;
    const newMessages = h.u.chat()!.messages.filter((x) => x.from === "bot").length - h.messagesBefore;
    if (sells === 1 && buys === 1 && newMessages === 3) actedOnce += UPDATES_PER_USER;
    else wrong.push(`user ${h.u.id}: ${sells} sells, ${buys} buys, ${newMessages} new messages (expected 1, 1, 3)`);
  }
  const unique = honest.length * UPDATES_PER_USER;
  const bad = statuses.filter((s) => s !== 200).length;
  t.add(`${unique} real updates × ${copies} deliveries at once (${unique * (copies - 1)} duplicates): ${actedOnce} acted on exactly once, ${bad} non-200 answers`);
  t.check(wrong.length === 0, `duplicates acted on wrongly: ${wrong.slice(0, 3).join("; ")}`);
  t.check(bad === 0, `${bad} duplicate deliveries answered other than 200`);
}

async function fuzz(c: Chaos, items: FuzzItem[]): Promise<number[]> {
  return pool(items, CONCURRENCY, (x) => postUpdate(c, x.body, x.secret === "valid" ? c.stack.webhookSecret : x.secret === "wrong" ? `${c.stack.webhookSecret}x` : null));
}

async function judgeFuzz(c: Chaos, t: Tally, items: FuzzItem[], statuses: number[], v: { before: string; after: string; questions: string[] }, attackers: number[], tap: CallTap): Promise<void> {
  const unexpected = items.map((x, i) => ({ x, s: statuses[i]! })).filter(({ x, s }) => s !== x.expect);
  const fivexx = unexpected.filter(({ s }) => s >= 500 || s === 0);
  const [acted] = await rows(c, "SELECT (SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ANY($1::bigint[])) AS orders, (SELECT count(*) FROM triggers t JOIN users u ON u.id = t.user_id WHERE u.telegram_id = ANY($1::bigint[])) AS triggers", [attackers]);
  const leaks = attackers.filter((a) => (tap.textsByChat.get(a) ?? []).some((text) => v.questions.some((q) => text.includes(q.slice(0, 40)))));
  const forged = items.filter((x) => x.kind === "forged-callback" || x.kind === "replay" || x.kind === "wrong-secret").length;
  t.add(`${items.length} hostile updates (${forged} forged buttons on ${v.questions.length} victims' positions): ${statuses.filter((s) => s === 200).length}×200, ${statuses.filter((s) => s === 401).length}×401, ${fivexx.length} 5xx or unanswered`);
  t.add(`victims' rows ${v.before === v.after ? "unchanged" : "CHANGED"}, attackers' orders ${acted!.orders}, triggers ${acted!.triggers}, leaks ${leaks.length}, Bot API calls ${tap.total} (${tap.parseErrors.length} refused as unparseable)`);
  t.check(fivexx.length === 0, `${fivexx.length} hostile updates got a 5xx or no answer (kinds: ${[...new Set(fivexx.map(({ x }) => x.kind))].join(", ")})`);
  t.check(unexpected.length === 0, `${unexpected.length} hostile updates answered unexpectedly (${unexpected.slice(0, 3).map(({ x, s }) => `${x.kind} → ${s}`).join(", ")})`);
  t.check(v.before === v.after, "an attacker changed a victim's user, positions, triggers or orders");
  t.check(Number(acted!.orders) === 0 && Number(acted!.triggers) === 0, "attackers placed orders or set triggers");
  t.check(leaks.length === 0, `${leaks.length} attackers were shown a victim's market`);
  t.check(tap.parseErrors.length === 0, `${tap.parseErrors.length} bot messages did not parse (${tap.parseErrors.slice(0, 2).map((x) => String(x.params.text).slice(0, 60)).join(" | ")})`);
}

/** Forged from/chat pairs: every one refused before acting; nothing sent to the impostors' chats nor to the victims'. */
async function judgeForgedIdentities(c: Chaos, t: Tally, items: FuzzItem[], who: { victims: number[]; impostors: number[] }, tap: CallTap): Promise<void> {
  const forged = items.flatMap((x) => (x.kind === "forged-identity" ? [(JSON.parse(x.body) as { update_id: number }).update_id] : []));
  const [refused] = await rows(c, "SELECT count(*) AS n FROM telegram_updates WHERE update_id = ANY($1::bigint[]) AND refused = 'foreign_chat'", [forged]);
  const toForeign = [...who.impostors, ...who.victims].reduce((n, chat) => n + (tap.textsByChat.get(chat)?.length ?? 0), 0);
  const keysOut = [...tap.textsByChat.entries()].filter(([chat, texts]) => !who.victims.includes(chat) && texts.some((x) => /0x[0-9a-fA-F]{64}/.test(x) && !x.includes("ab".repeat(32)))).length;
  t.add(`${forged.length} forged from/chat pairs on every action: ${refused!.n} refused; ${toForeign} messages to a foreign or victim chat, ${keysOut} chats shown a key`);
  t.check(Number(refused!.n) === forged.length, `${forged.length - Number(refused!.n)} forged identities were not refused`);
  t.check(toForeign === 0, `${toForeign} messages reached an impostor's or a victim's chat`);
  t.check(keysOut === 0, `${keysOut} chats were shown key material`);
}

export async function runWebhookScenario(d: ScenarioDeps, t: Tally): Promise<void> {
  const { c, cfg } = d;
  const w = cfg.webhook;
  const v = await victims(c, d.markets.take(w.victims));
  const honestMarkets = d.markets.take(HONEST_MARKETS);
  for (const m of honestMarkets) deepBook(c, m.tokenIds[0], 50);
  const honest = await prepareHonest(c, d, honestMarkets);
  const before = await snapshot(c, v.userIds);
  const tap = startCallTap(c);
  const dupStatuses = await deliverDuplicates(c, honest, w.copies);
  await judgeDuplicates(c, t, honest, dupStatuses, w.copies);

  const attackers = Array.from({ length: Math.max(20, Math.ceil(w.fuzzed / 20)) }, (_, i) => ATTACKER_BASE + i);
  for (const a of attackers) c.botApi.chats.ensure({ id: a, first_name: "Mallory" });
  const impostors = Array.from({ length: 10 }, (_, i) => IMPOSTOR_BASE + i);
  for (const a of impostors) c.botApi.chats.ensure({ id: a, first_name: "Impostor" });
  const replayIds = honest.flatMap((h) => h.updates.map((u) => (JSON.parse(u) as { update_id: number }).update_id));
  const items = Array.from({ length: w.fuzzed }, (_, i) => fuzzItem(i, { attackers, victimPositions: v.positions, replayIds, victimTelegramIds: v.telegramIds, impostorChats: impostors }));
  c.note(`fuzzing the webhook with ${items.length} hostile updates`);
  const t0 = Date.now();
  const statuses = await fuzz(c, items);
  c.note(`fuzz done in ${Math.round((Date.now() - t0) / 1000)} s`);
  tap.stop();
  const after = await snapshot(c, v.userIds);
  await judgeFuzz(c, t, items, statuses, { before, after, questions: v.questions }, attackers, tap);
  await judgeForgedIdentities(c, t, items, { victims: v.telegramIds, impostors }, tap);
  // The bot still serves a real user after the abuse.
  const probe = honest[0]?.u;
  if (!probe) throw new ChaosError("no honest user");
  await probe.command("start");
  t.check(/Polycool/.test(probe.lastBot()?.text ?? ""), "the bot did not answer /start after the abuse");
}
