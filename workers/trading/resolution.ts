// Market resolution: paper positions are paid 1 per winning share (0 per losing); live ones are marked for redemption.
import { sql } from "drizzle-orm";
import { type Micros, toMicros } from "../money/micros";
import { log } from "../lib/log";
import { notify } from "./order-flow";
import type { TradingDeps } from "./ports";

export interface ResolutionReport {
  ok: boolean;
  /** The winning token is not one of the market's tokens: nothing was done. */
  reason?: "unknown_winning_token";
  paperClosed: number;
  /** Total paid into paper cash (1 USDC per winning share). */
  paperPayout: Micros;
  /** Live positions closed in the ledger: 'resolved_redeemable' (won: redeem on Polymarket) or 'resolved_lost'. */
  liveClosed: number;
  /** Positions with a sale in flight ('closing'): left alone; call again after they settle. */
  skippedBusy: number;
}

/**
 * Closes the market's open positions at the resolution price with realised P&L
 * (payout − cost basis). Paper: cash += payout, close_reason 'resolved'. Live: the ledger closes
 * them at the same figures, but the pUSD only arrives when the user redeems the winning shares on
 * Polymarket (close_reason 'resolved_redeemable'); shares and cost basis are kept for that.
 * Idempotent: only 'active' positions are touched, so it can be re-run until skippedBusy is 0.
 */
export async function settleResolution(deps: TradingDeps, p: { marketId: string; winningTokenId: string }): Promise<ResolutionReport> {
  const token = await deps.db.execute(sql`SELECT 1 FROM market_tokens WHERE market_id = ${p.marketId} AND token_id = ${p.winningTokenId}`);
  const empty: ResolutionReport = { ok: false, reason: "unknown_winning_token", paperClosed: 0, paperPayout: 0n, liveClosed: 0, skippedBusy: 0 };
  if (token.rows.length === 0) return empty;
  const res = await deps.db.execute(sql`
    WITH c AS (
      UPDATE positions SET status = 'closed',
        realized_pnl = realized_pnl + (CASE WHEN token_id = ${p.winningTokenId} THEN shares ELSE 0 END) - cost_basis,
        current_price = CASE WHEN token_id = ${p.winningTokenId} THEN 1 ELSE 0 END, pnl_amount = 0,
        closed_at = now(), updated_at = now(),
        close_reason = CASE WHEN mode = 'paper' THEN 'resolved'
          WHEN token_id = ${p.winningTokenId} THEN 'resolved_redeemable' ELSE 'resolved_lost' END
      WHERE market_id = ${p.marketId} AND status = 'active'
      RETURNING id, user_id, token_id, mode, CASE WHEN token_id = ${p.winningTokenId} THEN shares ELSE 0 END AS payout
    ), paid AS (
      UPDATE users SET paper_cash = users.paper_cash + t.total, updated_at = now()
      FROM (SELECT user_id, sum(payout) AS total FROM c WHERE mode = 'paper' GROUP BY user_id) t
      WHERE users.id = t.user_id RETURNING users.id
    )
    SELECT c.id, c.token_id, c.mode, c.payout, (SELECT count(*) FROM paid) AS users_paid,
      (SELECT count(*) FROM positions WHERE market_id = ${p.marketId} AND status = 'closing') AS busy
    FROM c`);
  const report: ResolutionReport = { ok: true, paperClosed: 0, paperPayout: 0n, liveClosed: 0, skippedBusy: 0 };
  for (const row of res.rows) {
    if (row.mode === "paper") {
      report.paperClosed++;
      report.paperPayout += toMicros(String(row.payout));
    } else report.liveClosed++;
  }
  if (res.rows.length === 0) {
    const busy = await deps.db.execute(sql`SELECT count(*) AS n FROM positions WHERE market_id = ${p.marketId} AND status = 'closing'`);
    report.skippedBusy = Number(busy.rows[0]?.n ?? 0);
  } else report.skippedBusy = Number(res.rows[0]!.busy);
  for (const row of res.rows) await notify("closed", deps, String(row.token_id), Number(row.id));
  log.info("trading_market_resolved", { market_id: p.marketId, ...report, paperPayout: report.paperPayout.toString() });
  return report;
}
