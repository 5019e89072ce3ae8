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
