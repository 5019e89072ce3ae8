// The owner's PIN in Postgres (users.pin_hash, pin_failures, pin_locked_until): set, checked with the
// lock-out applied in the same statement as the count, and cleared by a delayed reset.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { log } from "../lib/log";
import { afterWrongPin, hashPin, triesLeft, verifyPin } from "./pin";

export interface PinKeys {
  /** The pepper from WALLET_ENCRYPTION_KEY first, then from the previous keys (a rotation keeps PINs working). */
  peppers: readonly CryptoKey[];
}

export type PinCheck =
  | { ok: true }
  | { ok: false; why: "not_set" }
  | { ok: false; why: "locked"; until: number }
  | { ok: false; why: "wrong"; triesLeft: number; lockedUntil: number | null };

export async function hasPin(db: Db, userId: number): Promise<boolean> {
  const r = await db.execute(sql`SELECT pin_hash IS NOT NULL AS set FROM users WHERE id = ${userId}`);
  return r.rows[0]?.set === true;
}

export async function setPin(db: Db, keys: PinKeys, userId: number, pin: string): Promise<void> {
  const hash = await hashPin(keys.peppers[0]!, userId, pin);
  await db.execute(sql`UPDATE users SET pin_hash = ${hash}, pin_failures = 0, pin_locked_until = NULL, updated_at = now() WHERE id = ${userId}`);
  log.info("pin_set", { user_id: userId });
}

/** Checks a PIN; a wrong one counts (and may lock), a right one resets the count. */
export async function checkPin(db: Db, keys: PinKeys, userId: number, pin: string, now: number): Promise<PinCheck> {
  const r = await db.execute<{ pin_hash: string | null; pin_failures: number; pin_locked_until: string | Date | null }>(
    sql`SELECT pin_hash, pin_failures, pin_locked_until FROM users WHERE id = ${userId}`,
  );
  const row = r.rows[0];
  if (!row?.pin_hash) return { ok: false, why: "not_set" };
  const locked = row.pin_locked_until === null ? 0 : new Date(row.pin_locked_until).getTime();
  if (locked > now) return { ok: false, why: "locked", until: locked };
  if (await verifyPin(keys.peppers, userId, pin, row.pin_hash)) {
    if (row.pin_failures > 0) await db.execute(sql`UPDATE users SET pin_failures = 0, pin_locked_until = NULL WHERE id = ${userId}`);
    return { ok: true };
  }
  // Counted from what the row holds now, so concurrent wrong guesses each count.
  const bumped = await db.execute<{ pin_failures: number }>(sql`UPDATE users SET pin_failures = pin_failures + 1 WHERE id = ${userId} RETURNING pin_failures`);
  const failures = Number(bumped.rows[0]?.pin_failures ?? row.pin_failures + 1);
  const next = afterWrongPin(failures - 1, now);
  if (next.lockedUntil !== null) await db.execute(sql`UPDATE users SET pin_locked_until = ${new Date(next.lockedUntil).toISOString()}::timestamptz WHERE id = ${userId}`);
  log.warn("pin_wrong", { user_id: userId, failures, locked: next.lockedUntil !== null });
  return { ok: false, why: "wrong", triesLeft: next.lockedUntil !== null ? 0 : triesLeft(failures), lockedUntil: next.lockedUntil };
}

/** A forgotten PIN, after its delay: the owner sets a new one. */
export async function clearPin(db: Db, userId: number): Promise<void> {
  await db.execute(sql`UPDATE users SET pin_hash = NULL, pin_failures = 0, pin_locked_until = NULL, updated_at = now() WHERE id = ${userId}`);
  log.warn("pin_reset", { user_id: userId });
}
