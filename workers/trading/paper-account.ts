// Paper accounts: the start values for a new user, and a reset that archives the old epoch.
import { sql } from "drizzle-orm";
import { type Micros, toMicros, toNumericString } from "../money/micros";
import { notify } from "./order-flow";
import type { TradingDeps } from "./ports";

/** Default PAPER_START_BALANCE: 1000 USDC (workers/env.ts DEFAULTS). */
export const DEFAULT_PAPER_START: Micros = 1_000_000_000n;

/** Columns for a new user's insert: the paper account starts funded (cash = deposits = start). */
export function initialPaperFields(start: Micros = DEFAULT_PAPER_START): { paperCash: string; paperDeposits: string } {
  const s = toNumericString(start);
  return { paperCash: s, paperDeposits: s };
}

/** PAPER_START_BALANCE ("1000", "250.5") in micros. */
export function paperStartFromSetting(value: string): Micros {
  return toMicros(value);
}

export interface PaperReset {
  epoch: number;
  cash: Micros;
  /** Paper positions of the old epoch, closed without selling (close_reason 'paper_reset'). */
  closedPositionIds: number[];
}

/**
 * Starts the paper account over: open paper positions are closed as they are (archived with the
 * old epoch, nothing sold, their claims dropped so an in-flight paper sell cannot settle into
 * the new epoch), cash and deposits become the start balance, and the epoch goes up by one.
 */
export async function resetPaperAccount(deps: TradingDeps, userId: number): Promise<PaperReset | null> {
  const start = toNumericString(deps.paperStartBalance ?? DEFAULT_PAPER_START);
  const out = await deps.db.transaction(async (tx) => {
    const locked = await tx.execute(sql`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`);
    if (locked.rows.length === 0) return null;
    const closed = await tx.execute(sql`
      UPDATE positions SET status = 'closed', claim_id = NULL, claimed_by = NULL, claimed_at = NULL,
        closed_at = now(), close_reason = 'paper_reset', updated_at = now()
      WHERE user_id = ${userId} AND mode = 'paper' AND status <> 'closed' RETURNING id, token_id`);
    const user = await tx.execute(sql`
      UPDATE users SET paper_cash = ${start}::numeric, paper_deposits = ${start}::numeric, paper_epoch = paper_epoch + 1, updated_at = now()
      WHERE id = ${userId} RETURNING paper_epoch, paper_cash`);
    const u = user.rows[0]!;
    return {
      epoch: Number(u.paper_epoch),
      cash: toMicros(String(u.paper_cash)),
      closed: closed.rows.map((r) => ({ id: Number(r.id), tokenId: String(r.token_id) })),
    };
  });
  if (!out) return null;
  for (const p of out.closed) await notify("closed", deps, p.tokenId, p.id);
  return { epoch: out.epoch, cash: out.cash, closedPositionIds: out.closed.map((p) => p.id) };
}
