// Key rotation: envelopes sealed under an older WALLET_ENCRYPTION_KEY are re-sealed under the current one.
import { sql } from "drizzle-orm";
import { log } from "../lib/log";
import { type Keyring, needsRotation, open, type SecretField, seal } from "./envelope";
import type { WalletDeps } from "./wallet-store";

export interface RotationReport {
  rotated: number;
  /** Users whose envelopes no key in the ring opens (ids only, never content). */
  failed: number[];
  /** Wallets still sealed under an older key after this batch. */
  remaining: number;
}

const FIELDS: ReadonlyArray<readonly [SecretField, "encrypted_private_key" | "encrypted_api_secret" | "encrypted_api_passphrase"]> = [
  ["private_key", "encrypted_private_key"],
  ["api_secret", "encrypted_api_secret"],
  ["api_passphrase", "encrypted_api_passphrase"],
];

async function reseal(ring: Keyring, userId: number, field: SecretField, envelope: unknown): Promise<string | null> {
  if (envelope === null || envelope === undefined) return null;
  const text = String(envelope);
  if (!needsRotation(ring, text)) return text;
  return seal(ring, { userId, field }, await open(ring, { userId, field }, text));
}

/**
 * Re-seals up to `batch` wallets. Each row is updated only if its envelopes are still the ones
 * read (a concurrent import or credential refresh wins), so it is safe to run while trading.
 * Run it (e.g. from an admin route) until `remaining` is 0, then drop the old key from
 * WALLET_ENCRYPTION_KEY_PREVIOUS.
 */
export async function rotateWalletKeys(deps: WalletDeps, opts: { batch?: number } = {}): Promise<RotationReport> {
  const prefix = `v1.${deps.keyring.current.id}.%`;
  const stale = sql`(encrypted_private_key NOT LIKE ${prefix}
    OR (encrypted_api_secret IS NOT NULL AND encrypted_api_secret NOT LIKE ${prefix})
    OR (encrypted_api_passphrase IS NOT NULL AND encrypted_api_passphrase NOT LIKE ${prefix}))`;
  const rows = await deps.db.execute(sql`
    SELECT user_id, encrypted_private_key, encrypted_api_secret, encrypted_api_passphrase FROM wallets
    WHERE ${stale} ORDER BY user_id LIMIT ${opts.batch ?? 100}`);
  const report: RotationReport = { rotated: 0, failed: [], remaining: 0 };
  for (const r of rows.rows) {
    const userId = Number(r.user_id);
    let next: Array<string | null>;
    try {
      next = await Promise.all(FIELDS.map(([field, column]) => reseal(deps.keyring, userId, field, r[column])));
    } catch {
      report.failed.push(userId);
      continue;
    }
    const res = await deps.db.execute(sql`
      UPDATE wallets SET encrypted_private_key = ${next[0]}, encrypted_api_secret = ${next[1]}, encrypted_api_passphrase = ${next[2]}, updated_at = now()
      WHERE user_id = ${userId} AND encrypted_private_key = ${String(r.encrypted_private_key)}
        AND encrypted_api_secret IS NOT DISTINCT FROM ${r.encrypted_api_secret ?? null}
        AND encrypted_api_passphrase IS NOT DISTINCT FROM ${r.encrypted_api_passphrase ?? null}
      RETURNING user_id`);
    if (res.rows.length > 0) report.rotated++;
  }
  const left = await deps.db.execute(sql`SELECT count(*) AS n FROM wallets WHERE ${stale}`);
  report.remaining = Number(left.rows[0]?.n ?? 0);
  log.info("wallet_keys_rotated", { rotated: report.rotated, failed: report.failed.length, remaining: report.remaining, key_id: deps.keyring.current.id });
  return report;
}
