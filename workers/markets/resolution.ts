// Market resolution, with Polymarket as the source of truth: the market channel's market_resolved
// is not always delivered (polymarket.md §1.5), so markets holding open positions are also checked
// over REST; a resolved one is settled (paper pays 1 per winning share) and its holders are told.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import type { ClobClient } from "../polymarket/clob-client";
import { settleResolution } from "../trading/resolution";
import type { TradingDeps } from "../trading/ports";

/** REST checks per run: each is one GET /markets/{condition_id} (budget 9,000/10 s). */
export const RESOLUTION_CHECKS_PER_RUN = 50;

export interface ResolutionDeps {
  trading: TradingDeps;
  clob: Pick<ClobClient, "getMarket">;
  /** Tells the holders (the bot's notifyResolution); returns how many were told. */
  notify(p: { marketId: string; winningTokenId: string; since: Date }): Promise<number>;
}

/** Settles one resolved market and notifies its holders; safe to call again (idempotent). */
export async function applyResolution(deps: ResolutionDeps, p: { marketId: string; winningTokenId: string }): Promise<{ closed: number; told: number }> {
  const since = new Date(Date.now() - 1_000);
  const report = await settleResolution(deps.trading, p);
  if (!report.ok) {
    log.warn("resolution_unknown_token", { market_id: p.marketId, winning_token_id: p.winningTokenId });
    return { closed: 0, told: 0 };
  }
  await deps.trading.db.execute(sql`
    UPDATE markets SET closed = true, active = false, accepting_orders = false,
      resolved_outcome = (SELECT outcome FROM market_tokens WHERE token_id = ${p.winningTokenId}), updated_at = now()
    WHERE id = ${p.marketId}`);
  await deps.trading.db.execute(sql`UPDATE market_tokens SET winner = (token_id = ${p.winningTokenId}) WHERE market_id = ${p.marketId}`);
  const closed = report.paperClosed + report.liveClosed;
  const told = closed ? await deps.notify({ ...p, since }) : 0;
  log.info("market_resolved", { market_id: p.marketId, closed, told, skipped_busy: report.skippedBusy });
  return { closed, told };
}

/** Asks the CLOB about markets that hold open positions; settles those with a winner. */
export async function checkResolutions(deps: ResolutionDeps, db: Db): Promise<{ checked: number; resolved: number }> {
  const res = await db.execute<{ id: string; condition_id: string }>(sql`
    SELECT DISTINCT m.id, m.condition_id FROM markets m JOIN positions p ON p.market_id = m.id
    WHERE p.status = 'active' AND m.resolved_outcome IS NULL
    ORDER BY m.id LIMIT ${RESOLUTION_CHECKS_PER_RUN}`);
  let resolved = 0;
  for (const m of res.rows) {
    try {
      const market = await deps.clob.getMarket(m.condition_id);
      const winner = market?.tokens.find((t) => t.winner === true);
      if (!market || !winner) continue;
      await applyResolution(deps, { marketId: m.id, winningTokenId: winner.token_id });
      resolved++;
    } catch (err) {
      log.warn("resolution_check_failed", { market_id: m.id, error: errorText(err) });
    }
  }
  return { checked: res.rows.length, resolved };
}
