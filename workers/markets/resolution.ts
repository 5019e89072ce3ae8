// Market resolution, with Polymarket as the source of truth: the market channel's market_resolved
// is not always delivered (polymarket.md §1.5), so markets holding open positions are also checked
// over REST; a resolved one is settled (paper pays 1 per winning share) and its holders are told.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import type { ClobClient } from "../polymarket/clob-client";
import { GAMMA_CONDITION_IDS_PER_REQUEST, type GammaClient } from "../polymarket/gamma-client";
import { settleResolution } from "../trading/resolution";
import type { TradingDeps } from "../trading/ports";

/**
 * Budget of one run. The check rotates over every market with an open position, the longest unchecked
 * first: each run asks Gamma which of up to RESOLUTION_BATCHES_PER_RUN × 50 of them are closed (one
 * `GET /markets?condition_ids=…&closed=true` per 50), then asks the CLOB for the winner of the closed ones
 * (`GET /markets/{condition_id}`, at most RESOLUTION_CONFIRMS_PER_RUN). 20 + 20 subrequests: inside even
 * the Free plan's 50. Run every busy cron minute, that checks 1,000 markets a minute, so each of 5,000
 * held markets at least every 5 minutes.
 */
export const RESOLUTION_BATCHES_PER_RUN = 20;
export const RESOLUTION_CONFIRMS_PER_RUN = 20;

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

export interface ResolutionRun {
  /** Markets whose closed state was asked this run (their resolution_checked_at moved to now). */
  checked: number;
  /** Of those, the ones Gamma lists as closed. */
  closed: number;
  /** Closed ones whose winner the CLOB gave, settled. */
  resolved: number;
  /** Gamma requests that failed (their markets stay first in line). */
  failed: number;
}

/**
 * One turn of the rotation over the markets that hold open positions, oldest check first: Gamma says
 * which are closed, the CLOB gives the winner (a closed market without one yet, e.g. an UMA
 * resolution not final, waits for a later turn), and a resolved one is settled and its holders told.
 */
export async function checkResolutions(deps: ResolutionDeps & { gamma: Pick<GammaClient, "closedAmong"> }, db: Db, budget = { batches: RESOLUTION_BATCHES_PER_RUN, confirms: RESOLUTION_CONFIRMS_PER_RUN }): Promise<ResolutionRun> {
  const res = await db.execute<{ id: string; condition_id: string; closed: boolean }>(sql`
    SELECT m.id, m.condition_id, m.closed FROM markets m
    WHERE m.resolved_outcome IS NULL AND EXISTS (SELECT 1 FROM positions p WHERE p.market_id = m.id AND p.status = 'active')
    ORDER BY m.resolution_checked_at NULLS FIRST, m.id
    LIMIT ${budget.batches * GAMMA_CONDITION_IDS_PER_REQUEST}`);
  const run: ResolutionRun = { checked: 0, closed: 0, resolved: 0, failed: 0 };
  const closed: Array<{ id: string; conditionId: string }> = [];
  for (let i = 0; i < res.rows.length; i += GAMMA_CONDITION_IDS_PER_REQUEST) {
    const batch = res.rows.slice(i, i + GAMMA_CONDITION_IDS_PER_REQUEST);
    try {
      const found = new Set((await deps.gamma.closedAmong(batch.map((m) => m.condition_id))).map((m) => m.conditionId!.toLowerCase()));
      // A market our own sync already saw closed is confirmed too (Gamma may drop it from the filter once archived).
      for (const m of batch) if (m.closed || found.has(m.condition_id.toLowerCase())) closed.push({ id: m.id, conditionId: m.condition_id });
      await db.execute(sql`UPDATE markets SET resolution_checked_at = now() WHERE id IN (${sql.join(batch.map((m) => sql`${m.id}`), sql`, `)})`);
      run.checked += batch.length;
    } catch (err) {
      run.failed++;
      log.warn("resolution_batch_failed", { markets: batch.length, error: errorText(err) });
    }
  }
  run.closed = closed.length;
  for (const m of closed.slice(0, budget.confirms)) {
    try {
      const market = await deps.clob.getMarket(m.conditionId);
      const winner = market?.tokens.find((t) => t.winner === true);
      if (!market || !winner) continue;
      await applyResolution(deps, { marketId: m.id, winningTokenId: winner.token_id });
      run.resolved++;
    } catch (err) {
      log.warn("resolution_check_failed", { market_id: m.id, error: errorText(err) });
    }
  }
  if (closed.length > budget.confirms) log.info("resolution_confirms_deferred", { closed: closed.length, confirmed: budget.confirms });
  return run;
}
