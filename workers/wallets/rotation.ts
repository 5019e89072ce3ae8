// Key rotation: envelopes sealed under an older WALLET_ENCRYPTION_KEY are re-sealed under the current one.
import { sql } from "drizzle-orm";
import { log } from "../lib/log";
import { ENVELOPE_VERSION, type Keyring, needsRotation, open, type SecretField, type SecretOwner, seal } from "./envelope";
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

async function reseal(ring: Keyring, owner: Omit<SecretOwner, "field">, field: SecretField, envelope: unknown): Promise<string | null> {
  if (envelope === null || envelope === undefined) return null;
  const text = String(envelope);
  if (!needsRotation(ring, text)) return text;
  return seal(ring, { ...owner, field }, await open(ring, { ...owner, field }, text));
}

/**
 * Re-seals up to `batch` wallets. Each row is updated only if its envelopes are still the ones
 * read (a concurrent import or credential refresh wins), so it is safe to run while trading.
 * Run it (e.g. from an admin route) until `remaining` is 0, then drop the old key from
 * WALLET_ENCRYPTION_KEY_PREVIOUS.
 */
export async function rotateWalletKeys(deps: WalletDeps, opts: { batch?: number } = {}): Promise<RotationReport> {
  const prefix = `${ENVELOPE_VERSION}.${deps.keyring.current.id}.%`;
  const stale = sql`(encrypted_private_key NOT LIKE ${prefix}
    OR (encrypted_api_secret IS NOT NULL AND encrypted_api_secret NOT LIKE ${prefix})
    OR (encrypted_api_passphrase IS NOT NULL AND encrypted_api_passphrase NOT LIKE ${prefix}))`;
  const rows = await deps.db.execute(sql`
    SELECT user_id, encrypted_private_key, encrypted_api_secret, encrypted_api_passphrase,
      (SELECT telegram_id FROM users WHERE users.id = wallets.user_id) AS telegram_id
    FROM wallets WHERE ${stale} ORDER BY user_id LIMIT ${opts.batch ?? 100}`);
  const report: RotationReport = { rotated: 0, failed: [], remaining: 0 };
  for (const r of rows.rows) {
    const userId = Number(r.user_id);
    let next: Array<string | null>;
    try {
      const owner = { userId, telegramId: Number(r.telegram_id) };
      next = await Promise.all(FIELDS.map(([field, column]) => reseal(deps.keyring, owner, field, r[column])));
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

/**
 * Rotation to the end, batch by batch (each batch commits on its own, so an interrupted run loses
 * nothing and the next run continues). Stops when nothing is left, or when a batch makes no progress
 * (only envelopes no key opens remain: they are reported).
 */
export async function rotateAll(deps: WalletDeps, opts: { batch?: number; maxBatches?: number; onBatch?: (r: RotationReport) => void } = {}): Promise<RotationReport> {
  const total: RotationReport = { rotated: 0, failed: [], remaining: 0 };
  for (let i = 0; i < (opts.maxBatches ?? Number.POSITIVE_INFINITY); i++) {
    const r = await rotateWalletKeys(deps, { batch: opts.batch ?? 100 });
    opts.onBatch?.(r);
    total.rotated += r.rotated;
    total.failed = [...new Set([...total.failed, ...r.failed])];
    total.remaining = r.remaining;
    if (r.remaining === 0 || r.rotated === 0) break;
  }
  return total;
}
