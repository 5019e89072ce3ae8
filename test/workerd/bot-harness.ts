// Drives the bot like Telegram does: real-shaped updates from the stand-in Bot API (as held
// deliveries) posted to the Worker's webhook, and the chat read back as the user sees it.
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { expect, inject } from "vitest";
import type { Update } from "grammy/types";
import { botApiControl } from "../../tools/telegram/control-client";
import type { ChatView, MessageView, SimDelivery } from "../../tools/telegram/bot-api-types";
import { callbackUpdate, type SimUser, textMessage } from "../../tools/telegram/updates";
import { createDb } from "../../workers/db/client";
import { claimMarket } from "../support/market-claims";
import { type PmMarket, polymarketControl } from "../support/polymarket-control";

export const tg = botApiControl(inject("botApiUrl"));
export const pm = polymarketControl(inject("polymarket").controlUrl);
/** System-scope database for seeding and checking (the bot itself runs in the user's scope). */
export const dbHandle = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }, { max: 4 });
export const db = dbHandle.db;

export const WEBHOOK = "http://bot.test/telegram/webhook";

/** Posts an update to the webhook with the secret header (or a given/absent one). */
export function post(update: unknown, secret: string | null = env.TELEGRAM_WEBHOOK_SECRET): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  return exports.default.fetch(WEBHOOK, { method: "POST", headers, body: typeof update === "string" ? update : JSON.stringify(update) });
}

let seq = 0;
/** A fresh Telegram user (and private chat) per test: ids never collide across files or runs. */
export function newUser(name = "Trader"): SimUser {
  return { id: 2_000_000_000 + Math.floor(Math.random() * 1_000_000_000) + seq++, first_name: name, username: `${name.toLowerCase()}${seq}` };
}

/** One user's conversation with the bot. */
export class Conversation {
  constructor(readonly user: SimUser = newUser()) {}

  private async send(d: Promise<SimDelivery>): Promise<{ update: Update; res: Response }> {
    const { update } = await d;
    const res = await post(update);
    expect(res.status).toBe(200);
    return { update, res };
  }

  command(command: string, args?: string) {
    return this.send(tg.sendCommand(this.user, command, args, { deliver: false }));
  }

  say(text: string) {
    return this.send(tg.sendText(this.user, text, { deliver: false }));
  }

  /** Presses the button with this exact visible label (in the latest bot message that has it). */
  press(label: string, messageId?: number) {
    return this.send(tg.pressButton(this.user, messageId === undefined ? { label } : { label, messageId }, { deliver: false }));
  }

  /** Presses a button carrying any data on a bot message (forged or outdated buttons). */
  async pressData(data: string, on?: MessageView): Promise<Response> {
    const message = on ?? (await this.lastBot());
    const msg = { ...textMessage({ messageId: message.id, user: this.user, text: message.text, date: message.date }), from: { id: Number(env.TELEGRAM_BOT_TOKEN.split(":")[0]), is_bot: true, first_name: "Polycool" } };
    const update = callbackUpdate({ updateId: 900_000_000 + Math.floor(Math.random() * 99_000_000), queryId: `${this.user.id}${seq++}`, user: this.user, message: msg as never, data });
    await tg.ingest(update);
    return post(update);
  }

  async chat(): Promise<ChatView> {
    const c = await tg.chat(this.user.id);
    if (!c) throw new Error(`no chat ${this.user.id}`);
    return c;
  }

  async botMessages(): Promise<MessageView[]> {
    return (await this.chat()).messages.filter((m) => m.from === "bot");
  }

  async lastBot(): Promise<MessageView> {
    const all = await this.botMessages();
    if (!all.length) throw new Error("the bot has said nothing");
    return all.at(-1)!;
  }

  /** The latest notice (answerCallbackQuery toast or alert) the user saw. */
  async lastNotice(): Promise<string | undefined> {
    return (await this.chat()).notices.at(-1)?.text;
  }

  /** Waits (server side, no sleeps) for a bot message containing `match`. */
  waitFor(match: string | RegExp, timeoutMs = 10_000): Promise<MessageView> {
    return tg.waitForMessage(this.user.id, match, { timeoutMs });
  }
}

export const labels = (m: MessageView): string[] => m.buttons.flat().map((b) => b.text);

/** The callback data of a labelled button. */
export function dataOf(m: MessageView, label: string): string {
  const b = m.buttons.flat().find((x) => x.text === label) as Record<string, unknown> | undefined;
  const data = b?.callback_data ?? b?.callbackData;
  if (typeof data !== "string") throw new Error(`no button "${label}" in message ${m.id}: ${JSON.stringify(labels(m))}`);
  return data;
}

/**
 * Claims one of the local Polymarket's markets (so its book is served by the local CLOB, and no other
 * test file moves it) and rewrites its row with the test's question, slugs and category. The global
 * setup synced every market before the tests, so every field the tests rely on is overwritten.
 */
export async function localMarket(over: { volume24hr?: string; question?: string; eventSlug?: string; category?: string } = {}): Promise<PmMarket> {
  // A one-cent grid keeps expected prices simple (52¢, not 52.5¢).
  const m = await claimMarket(db, await pm.markets(), { tickSize: "0.01", negRisk: false });
  await db.execute(sql`
    INSERT INTO markets (id, condition_id, question, slug, event_slug, event_title, category, clob_token_ids, outcomes, outcome_prices, tick_size, volume, volume_24hr, end_date)
    VALUES (${m.id}, ${m.conditionId}, ${over.question ?? m.question}, ${`slug-${m.id}`}, ${over.eventSlug ?? `event-${m.id}`}, ${"Test event"}, ${over.category ?? "Crypto"},
      ${JSON.stringify(m.tokenIds)}::jsonb, ${JSON.stringify(m.outcomes)}::jsonb, ${JSON.stringify(["0.5", "0.5"])}::jsonb, ${m.tickSize}::numeric,
      ${"123456"}::numeric, ${over.volume24hr ?? "1000"}::numeric, ${new Date(Date.now() + 30 * 86_400_000).toISOString()}::timestamptz)
    ON CONFLICT (id) DO UPDATE SET question = excluded.question, slug = excluded.slug, volume_24hr = excluded.volume_24hr,
      event_slug = excluded.event_slug, event_title = excluded.event_title, category = excluded.category, end_date = excluded.end_date,
      active = true, closed = false, accepting_orders = true, resolved_outcome = NULL`);
  for (const [i, tokenId] of m.tokenIds.entries()) {
    await db.execute(sql`INSERT INTO market_tokens (token_id, market_id, outcome, outcome_index) VALUES (${tokenId}, ${m.id}, ${m.outcomes[i]!}, ${i}) ON CONFLICT (token_id) DO NOTHING`);
  }
  return m;
}

/** The user's row as the bot created it. */
export async function userRow(telegramId: number): Promise<Record<string, unknown> | undefined> {
  const res = await db.execute(sql`SELECT * FROM users WHERE telegram_id = ${telegramId}`);
  return res.rows[0];
}

/** A market with a fixed book on its first outcome (asks 0.50 × 1000, bids 0.48 × 1000; the other outcome mirrors it). */
export async function marketWithBook(): Promise<{ m: PmMarket; word: string; yes: string }> {
  const word = `zq${Math.random().toString(36).slice(2, 9)}`;
  const m = await localMarket({ question: `Will the ${word} launch before June?` });
  await pm.setBook(m.tokenIds[0], [["0.48", "1000"]], [["0.50", "1000"]]);
  return { m, word, yes: m.outcomes[0] };
}

/** Searches for the market's unique word and opens its card. */
export async function openBySearch(c: Conversation, word: string): Promise<MessageView> {
  await c.command("search", word);
  await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
  return c.lastBot();
}

/** Sets the user's PIN from the wallet screen, as a user does (typed twice; both messages deleted). */
export async function setPin(c: Conversation, pin: string): Promise<void> {
  await c.command("wallet");
  await c.press("Set PIN");
  await c.say(pin);
  await c.waitFor("Type the same PIN again");
  await c.say(pin);
  await c.waitFor("PIN set");
}
