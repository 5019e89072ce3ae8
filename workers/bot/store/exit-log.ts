// The exit log of one position: its trigger_events rows (fires, refusals, re-arms), newest first,
// read only for the position's owner.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { toMicros } from "../../money/micros";
import type { ExitLogEntry } from "../screens/view-data";

/** Rows shown on the screen. */
export const EXIT_LOG_ROWS = 10;

export async function loadExitLog(db: Db, userId: number, positionId: number, limit = EXIT_LOG_ROWS): Promise<ExitLogEntry[]> {
  const res = await db.execute<Record<string, unknown>>(sql`
    SELECT e.created_at, e.outcome, e.reason, e.price::text AS price, e.price_source, e.price_age_ms, e.latency_ms::text AS latency_ms, t.kind
    FROM trigger_events e LEFT JOIN triggers t ON t.id = e.trigger_id
    WHERE e.position_id = ${positionId} AND e.user_id = ${userId}
    ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`);
  return res.rows.map((r) => ({
    at: new Date(r.created_at as string | Date).getTime(),
    kind: r.kind === "stop_loss" || r.kind === "trailing_stop" || r.kind === "take_profit" ? r.kind : null,
    outcome: String(r.outcome),
    reason: r.reason === null || r.reason === undefined ? null : String(r.reason),
    price: r.price === null || r.price === undefined ? null : toMicros(String(r.price)),
    source: r.price_source === null || r.price_source === undefined ? null : String(r.price_source),
    priceAgeMs: r.price_age_ms === null || r.price_age_ms === undefined ? null : Number(r.price_age_ms),
    latencyMs: r.latency_ms === null || r.latency_ms === undefined ? null : String(r.latency_ms),
  }));
}
