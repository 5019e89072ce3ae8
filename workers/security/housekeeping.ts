// One sweep for what must happen at a time of its own: due message deletions and delayed security
// actions. The streamer's alarm runs it when woken for it, the cron every minute as the fallback.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Settings } from "../env";
import { sweepDueDeletions } from "../notify/deletions";
import { keyringFor } from "../trading/deps";
import { runDueActions } from "./secure-actions";

export async function sweepHousekeeping(d: { db: Db; settings: Settings }, now: number): Promise<{ report: Record<string, number>; nextAt: number | null }> {
  const actions = await runDueActions({ db: d.db, wallets: { db: d.db, keyring: await keyringFor(d.settings) }, telegram: d.settings }, now);
  const deletions = await sweepDueDeletions(d.settings, d.db, now);
  return { report: { ...actions, ...deletions }, nextAt: await nextDueAt(d.db) };
}

/** When the next pending deletion or security action falls due (null: none pending). */
export async function nextDueAt(db: Db): Promise<number | null> {
  const r = await db.execute<{ at: string | Date | null }>(sql`
    SELECT least((SELECT min(next_attempt_at) FROM message_deletions WHERE status = 'pending'),
                 (SELECT min(due_at) FROM secure_actions WHERE status IN ('pending', 'running'))) AS at`);
  const at = r.rows[0]?.at;
  return at === null || at === undefined ? null : new Date(at).getTime();
}
