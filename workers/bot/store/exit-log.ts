// The exit log of one position as the bot shows it: its trigger_events rows (fires, refusals,
// re-arms), newest first, read only for the position's owner (workers/triggers/store.ts reads them).
import type { Db } from "../../db/client";
import { toMicros } from "../../money/micros";
import { loadTriggerEvents } from "../../triggers/store";
import type { ExitLogEntry } from "../screens/view-data";

/** Rows shown on the screen. */
export const EXIT_LOG_ROWS = 10;

export async function loadExitLog(db: Db, userId: number, positionId: number, limit = EXIT_LOG_ROWS): Promise<ExitLogEntry[]> {
  const rows = await loadTriggerEvents(db, { positionId, userId, limit });
  return rows.map((r) => ({
    at: r.at.getTime(),
    kind: r.kind,
    outcome: r.outcome,
    reason: r.reason,
    price: r.price === null ? null : toMicros(r.price),
    source: r.source,
    priceAgeMs: r.priceAgeMs,
    latencyMs: r.latencyMs,
  }));
}
