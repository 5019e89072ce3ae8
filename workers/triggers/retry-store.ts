// Fires that did not go through, kept in Postgres so none is lost: a failed fire goes back to armed
// with a per-trigger backoff (attempts, retry_at), and a sweep re-arms `fired` triggers whose fire
// died with its process (an eviction mid-fire): position still open, no sale in flight.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * armed/fired → armed with one more attempt and retry_at = now + backoff(attempts), while its position
 * is open and no other trigger of its kind was armed meanwhile. Returns the attempt count and retry
 * time, or null when it was not re-armed (the position closed, the trader removed or replaced it).
 */
export async function scheduleRetry(db: Db, id: number, now: number, delayFor: (attempts: number) => number): Promise<{ attempts: number; retryAt: number } | null> {
  const current = await db.execute<{ attempts: number }>(sql`SELECT attempts FROM triggers WHERE id = ${id}`);
  const attempts = Number(current.rows[0]?.attempts ?? 0) + 1;
  const retryAt = now + delayFor(attempts);
  const res = await db.execute<{ attempts: number }>(sql`
    UPDATE triggers t SET status = 'armed', attempts = ${attempts}, retry_at = ${new Date(retryAt).toISOString()}::timestamptz, updated_at = now()
    WHERE t.id = ${id} AND t.status IN ('armed', 'fired')
      AND EXISTS (SELECT 1 FROM positions p WHERE p.id = t.position_id AND p.status <> 'closed')
      AND NOT EXISTS (SELECT 1 FROM triggers o WHERE o.position_id = t.position_id AND o.kind = t.kind AND o.status = 'armed' AND o.id <> t.id)
    RETURNING t.attempts`);
  return res.rows.length ? { attempts, retryAt } : null;
}

/** Statuses of a sell order whose outcome is not known yet (a sale in flight). */
const IN_FLIGHT = sql`('pending', 'submitted', 'unknown')`;

/**
 * Re-arms every trigger left `fired` before `firedBefore` whose position is active (not being sold,
 * not closed) with no sell order in flight, and records why in trigger_events. Returns their ids.
 */
export async function sweepFiredTriggers(db: Db, firedBefore: Date): Promise<number[]> {
  const res = await db.execute<{ id: string }>(sql`
    WITH swept AS (
      UPDATE triggers t SET status = 'armed', retry_at = NULL, updated_at = now()
      WHERE t.status = 'fired' AND t.fired_at < ${firedBefore.toISOString()}::timestamptz
        AND EXISTS (SELECT 1 FROM positions p WHERE p.id = t.position_id AND p.status = 'active')
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.position_id = t.position_id AND o.side = 'SELL' AND o.status IN ${IN_FLIGHT})
        AND NOT EXISTS (SELECT 1 FROM triggers o WHERE o.position_id = t.position_id AND o.kind = t.kind AND o.status = 'armed')
      RETURNING t.id, t.position_id, t.user_id, t.price
    ), logged AS (
      INSERT INTO trigger_events (position_id, trigger_id, user_id, outcome, reason, price)
      SELECT position_id, id, user_id, 'rearmed', 'its fire did not finish (the streamer stopped mid-fire); armed again', price FROM swept
    )
    SELECT id FROM swept`);
  return res.rows.map((r) => Number(r.id));
}
