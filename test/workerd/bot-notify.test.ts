// Messages the bot sends on its own (trigger fires, resolutions), webhook registration, and Telegram's
// flood control (429 retry_after) — against the stand-in Bot API.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { notifyResolution, notifyTriggerFire } from "../../workers/notify/events";
import { registerWebhook } from "../../workers/ops/webhook-pin";
import { toMicros } from "../../workers/money/micros";
import type { TradeResult } from "../../workers/trading/results";
import { Conversation, db, dbHandle, labels, marketWithBook, openBySearch, tg } from "./bot-harness";
import type { FireRecord, TriggerKind } from "../../workers/triggers/types";

afterAll(() => dbHandle.close());

const api = () => ({ TELEGRAM_BOT_TOKEN: env.TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT: inject("botApiUrl") });

/** A user with a filled paper position bought through the bot. */
async function boughtPosition(): Promise<{ c: Conversation; positionId: number; marketId: string; tokens: [string, string] }> {
  const { m, word, yes } = await marketWithBook();
  const c = new Conversation();
  await openBySearch(c, word);
  await c.press(`Buy ${yes}`);
  await c.press("$10");
  await c.press("Confirm");
  await c.waitFor("Bought");
  const res = await db.execute(sql`SELECT p.id FROM positions p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = ${c.user.id}`);
  return { c, positionId: Number(res.rows[0]!.id), marketId: m.id, tokens: m.tokenIds };
}

/** A fire record as the runner writes it, for a position of user 0 (the notification looks the owner up). */
const fire = (kind: TriggerKind, positionId: number, r: Pick<FireRecord, "outcome" | "bid" | "source"> & { result?: TradeResult }): FireRecord => ({
  trigger: { id: 0, positionId, userId: 0, tokenId: "t", kind, onFailure: "rearm" },
  reason: "test",
  priceAgeMs: 0,
  latencyMs: 1,
  ...r,
});

describe("notifications", () => {
  it("a fired take profit tells the price seen, the fill and the realised P&L; a failed sell says why", async () => {
    const { c, positionId } = await boughtPosition();
    const sold = {
      status: "filled", orderId: 1, clientOrderId: "sell:x", side: "SELL", mode: "paper", tokenId: "t", requested: toMicros("20"),
      shares: toMicros("20"), usdc: toMicros("15"), avgPrice: toMicros("0.75"), fees: 0n, worstPrice: toMicros("0.72"), realizedPnl: toMicros("5"),
      position: { id: positionId, status: "closed", shares: 0n },
    } as unknown as TradeResult;
    expect(await notifyTriggerFire(api(), db, fire("take_profit", positionId, { outcome: "sold", bid: 750_000, source: "ws", result: sold }))).toBe(true);
    const msg = await c.waitFor("Take profit hit: sold");
    expect(msg.text).toContain("The best bid reached 75¢ (live stream)");
    expect(msg.text).toContain("Sold 20 shares at avg 75¢ for $15.00");
    expect(msg.text).toContain("Realised P&L: +$5.00");
    expect(labels(msg)).toEqual(["View position", "Positions"]);

    const failed = { status: "rejected", reason: "no_liquidity", message: "Nobody is trading this outcome right now: the order book is empty on that side." } as TradeResult;
    await notifyTriggerFire(api(), db, fire("stop_loss", positionId, { outcome: "sell_failed", bid: 400_000, source: "poll", result: failed }));
    expect((await c.waitFor("Stop loss hit, but the sell failed")).text).toContain("Why: Nobody is trading this outcome right now");
    expect(await notifyTriggerFire(api(), db, fire("stop_loss", positionId, { outcome: "refused", bid: 400_000, source: "poll" }))).toBe(false);
  });

  it("a stop the market gapped below: one tap sells the rest at the market", async () => {
    const { c, positionId } = await boughtPosition();
    const gapped = { status: "rejected", reason: "slippage_exceeded", message: "No liquidity within your slippage bound: your worst price is 0.38, the book is at 0.05." } as TradeResult;
    await notifyTriggerFire(api(), db, { ...fire("stop_loss", positionId, { outcome: "sell_failed", bid: 50_000, source: "rest", result: gapped }), retryInMs: 5_000 });
    const msg = await c.waitFor("Stop loss hit, but the sell failed");
    expect(msg.text).toContain("below your stop's floor");
    expect(labels(msg)[0]).toBe("Sell the rest at the market");
    await c.press("Sell the rest at the market", msg.id);
    // After a gap the trader sees what the book pays now before selling (#23).
    expect((await c.lastBot()).text).toContain("Best bid now:");
    await c.press("Confirm", msg.id);
    await c.waitFor("Sold");
    const res = await db.execute(sql`SELECT status FROM positions WHERE id = ${positionId}`);
    expect(res.rows[0]).toEqual({ status: "closed" });
  });

  it("a stop sells at any price only after the trader confirms the plain warning", async () => {
    const { c, positionId } = await boughtPosition();
    await c.press("Stop loss");
    await c.say("40¢");
    await c.waitFor("Stop loss set: 40¢");
    await c.press("Stop loss");
    expect((await c.lastBot()).text).toContain("A stop is a stop-limit");
    await c.press("Sell at any price…");
    expect((await c.lastBot()).text).toContain("Sell at any price?");
    const anyPrice = async () => (await db.execute(sql`SELECT any_price FROM triggers WHERE position_id = ${positionId} AND status = 'armed'`)).rows[0];
    expect(await anyPrice()).toEqual({ any_price: false }); // the warning alone changes nothing
    await c.press("Yes, sell at any price");
    await c.waitFor("Stop loss: sells at any price.");
    expect(await anyPrice()).toEqual({ any_price: true });
    await c.press("Stop loss");
    await c.press("Use a floor (stop-limit)");
    await c.waitFor("a stop-limit again");
    expect(await anyPrice()).toEqual({ any_price: false });
  });

  it("the exit log lists the position's fires and refusals", async () => {
    const { c, positionId } = await boughtPosition();
    const userId = Number((await db.execute(sql`SELECT user_id FROM positions WHERE id = ${positionId}`)).rows[0]!.user_id);
    await db.execute(sql`INSERT INTO trigger_events (position_id, user_id, outcome, reason, price, price_source, price_age_ms, latency_ms)
      VALUES (${positionId}, ${userId}, 'refused', 'the bid moved from 0.41 to 0.05 in one frame; REST shows the bid at 0.45, which does not cross the level', 0.05, 'ws', 3, 12.5)`);
    await c.command("positions");
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press("Exit log");
    const log = await c.waitFor("Exit log");
    expect(log.text).toContain("✋ not sold");
    expect(log.text).toContain("bid 5¢ (live stream, 3 ms old) · sale answered in 12.5 ms");
    expect(log.text).toContain("REST shows the bid at 0.45");
  });

  it("a resolution tells each holder what their shares paid", async () => {
    const { c, marketId, tokens } = await boughtPosition();
    const since = new Date(Date.now() - 1000);
    await db.execute(sql`
      UPDATE positions SET status = 'closed', close_reason = 'resolved', closed_at = now(), realized_pnl = realized_pnl + shares - cost_basis
      WHERE market_id = ${marketId} AND user_id = (SELECT id FROM users WHERE telegram_id = ${c.user.id})`);
    expect(await notifyResolution(api(), db, { marketId, winningTokenId: tokens[0], since })).toBe(1);
    const msg = await c.waitFor("Market resolved");
    expect(msg.text).toContain("shares pay $20.00");
    expect(msg.text).toContain("Realised P&L: +$10.00");
  });
});

describe("Telegram plumbing", () => {
  it("registers the webhook with its secret and the command list", async () => {
    const r = await registerWebhook({ ...api(), TELEGRAM_WEBHOOK_SECRET: env.TELEGRAM_WEBHOOK_SECRET }, { url: "https://bot.example/telegram/webhook" });
    expect(r.commands).toEqual(["/start", "/markets", "/search", "/positions", "/wallet", "/settings", "/help"]);
    const set = (await tg.calls({ method: "setWebhook" })).at(-1)!;
    expect(set.params).toMatchObject({ url: "https://bot.example/telegram/webhook", secret_token: env.TELEGRAM_WEBHOOK_SECRET, allowed_updates: ["message", "edited_message", "callback_query"] });
    await tg.deleteWebhook();
  });

  it("retries a 429 after retry_after and the user still gets the answer", async () => {
    const c = new Conversation();
    const before = (await tg.calls()).at(-1)?.seq ?? 0;
    await tg.setFlood({ mode: "force", retryAfter: 1, count: 1, methods: ["sendMessage"] });
    try {
      await c.command("start");
    } finally {
      await tg.setFlood({ mode: "off" });
    }
    expect((await c.lastBot()).text).toContain("Welcome to Polycool");
    const sends = (await tg.calls({ method: "sendMessage", after: before })).filter((x) => x.params.chat_id === c.user.id);
    expect(sends.map((x) => x.status)).toContain(200);
    const limited = (await tg.calls({ method: "sendMessage", after: before })).filter((x) => x.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
  });
});
