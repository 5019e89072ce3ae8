// Notifications for events the streamer and trading produce: looks up who and what (chat, market,
// outcome) and sends the rendered message. No grammY bot here: the streamer and the cron call these.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { log } from "../lib/log";
import { toMicros } from "../money/micros";
import type { BotApiSettings, CallOptions } from "../telegram/bot-api";
import type { FireRecord } from "../triggers/types";
import { notifyUser } from "./messages";

type Row = Record<string, unknown>;

async function positionContext(db: Db, positionId: number): Promise<Row | undefined> {
  const res = await db.execute(sql`
    SELECT p.outcome, m.question, coalesce(u.chat_id, u.telegram_id) AS chat_id
    FROM positions p JOIN markets m ON m.id = p.market_id JOIN users u ON u.id = p.user_id WHERE p.id = ${positionId}`);
  return res.rows[0];
}

/**
 * Tells the owner a trigger fired and what the sell did, or that it failed and when it is retried.
 * Refusals (nothing happened) and repeat failures (`quiet`: the first was told) are not sent.
 */
export async function notifyTriggerFire(settings: BotApiSettings, db: Db, r: FireRecord, opts: CallOptions = {}): Promise<boolean> {
  if (r.outcome === "refused" || r.quiet || (!r.result && r.outcome !== "sell_failed")) return false;
  const row = await positionContext(db, r.trigger.positionId);
  if (!row || row.chat_id === null) return false;
  const sent = await notifyUser(settings, Number(row.chat_id), {
    kind: "trigger_fired",
    trigger: r.trigger.kind,
    positionId: r.trigger.positionId,
    question: String(row.question),
    outcome: String(row.outcome),
    bid: BigInt(r.bid),
    source: r.source,
    ...(r.result ? { result: r.result } : { error: r.reason }),
    ...(r.retryInMs !== undefined ? { retryInMs: r.retryInMs } : {}),
  }, opts);
  if (!sent.ok) log.warn("bot_notify_failed", { kind: "trigger_fired", position_id: r.trigger.positionId, error: sent.description });
  return sent.ok;
}

/**
 * Tells every owner of a position the market's resolution closed (at or after `since`, i.e. by
 * the settleResolution call just made) what their shares paid. Returns how many were told.
 */
export async function notifyResolution(settings: BotApiSettings, db: Db, p: { marketId: string; winningTokenId: string; since: Date }, opts: CallOptions = {}): Promise<number> {
  const res = await db.execute(sql`
    SELECT p.id, p.outcome, p.shares, p.token_id, p.realized_pnl, p.mode, m.question,
      (SELECT t.outcome FROM market_tokens t WHERE t.token_id = ${p.winningTokenId}) AS winning, coalesce(u.chat_id, u.telegram_id) AS chat_id
    FROM positions p JOIN markets m ON m.id = p.market_id JOIN users u ON u.id = p.user_id
    WHERE p.market_id = ${p.marketId} AND p.status = 'closed' AND p.close_reason LIKE 'resolved%' AND p.closed_at >= ${p.since.toISOString()}::timestamptz`);
  let told = 0;
  for (const row of res.rows) {
    const shares = toMicros(String(row.shares));
    const won = String(row.token_id) === p.winningTokenId;
    const sent = await notifyUser(settings, Number(row.chat_id), {
      kind: "market_resolved",
      positionId: Number(row.id),
      question: String(row.question),
      outcome: String(row.outcome),
      winningOutcome: row.winning === null ? null : String(row.winning),
      shares,
      payout: won ? shares : 0n,
      realizedPnl: toMicros(String(row.realized_pnl)),
      mode: row.mode === "live" ? "live" : "paper",
    }, opts);
    if (sent.ok) told++;
    else log.warn("bot_notify_failed", { kind: "market_resolved", position_id: Number(row.id), error: sent.description });
  }
  return told;
}
