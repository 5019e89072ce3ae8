// Operator checks: the latest outcome of each thing the operator must hear about (the webhook pin
// today), kept in Postgres so the dashboard, /admin/metrics and every isolate see the same answer.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

export interface CheckOutcome {
  ok: boolean;
  status: string;
  /** One line for the operator; never a secret. */
  detail: string;
}

export interface CheckRow extends CheckOutcome {
  name: string;
  since: string;
  checkedAt: string;
}

/** Upserts a check's outcome; `since` moves only when the status changes. */
export async function recordCheck(db: Db, name: string, outcome: CheckOutcome, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  await db.execute(sql`
    INSERT INTO operator_checks (name, ok, status, detail, since, checked_at)
    VALUES (${name}, ${outcome.ok}, ${outcome.status}, ${outcome.detail}, ${at}, ${at})
    ON CONFLICT (name) DO UPDATE SET
      since = CASE WHEN operator_checks.status = EXCLUDED.status THEN operator_checks.since ELSE EXCLUDED.since END,
      ok = EXCLUDED.ok, status = EXCLUDED.status, detail = EXCLUDED.detail, checked_at = EXCLUDED.checked_at`);
}

type Raw = { name: string; ok: boolean; status: string; detail: string; since: string | Date; checked_at: string | Date };
const toRow = (x: Raw): CheckRow => ({ name: x.name, ok: x.ok, status: x.status, detail: x.detail, since: new Date(x.since).toISOString(), checkedAt: new Date(x.checked_at).toISOString() });

export async function listChecks(db: Db): Promise<CheckRow[]> {
  const r = await db.execute<Raw>(sql`SELECT name, ok, status, detail, since, checked_at FROM operator_checks ORDER BY name`);
  return r.rows.map(toRow);
}

export async function readCheck(db: Db, name: string): Promise<CheckRow | null> {
  const r = await db.execute<Raw>(sql`SELECT name, ok, status, detail, since, checked_at FROM operator_checks WHERE name = ${name}`);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}
