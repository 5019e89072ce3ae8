// npm run rotate-keys: re-seals every wallet secret under WALLET_ENCRYPTION_KEY in the current
// envelope format (v2: bound to the users row AND its Telegram id). Needs DATABASE_URL,
// WALLET_ENCRYPTION_KEY and, after a key change, WALLET_ENCRYPTION_KEY_PREVIOUS (the old keys).
// Resumable: every batch commits, so run it again after an interruption; safe while trading (a row is
// only rewritten if its envelopes are still the ones read).
import { nodeRequire } from "./dev/node-require";
import type { Db } from "../workers/db/client";
import { loadKeyring } from "../workers/wallets/envelope";
import { rotateAll, type RotationReport } from "../workers/wallets/rotation";

export async function rotateKeys(env: Record<string, string | undefined>, print: (line: string) => void, opts: { batch?: number; maxBatches?: number } = {}): Promise<RotationReport> {
  const url = env.DATABASE_URL;
  const current = env.WALLET_ENCRYPTION_KEY;
  if (!url || !current) throw new Error("rotate-keys needs DATABASE_URL and WALLET_ENCRYPTION_KEY (and WALLET_ENCRYPTION_KEY_PREVIOUS for the old keys)");
  const keyring = await loadKeyring(current, env.WALLET_ENCRYPTION_KEY_PREVIOUS);
  const pg = nodeRequire("pg") as typeof import("pg");
  const { drizzle } = nodeRequire("drizzle-orm/node-postgres") as typeof import("drizzle-orm/node-postgres");
  // The owner's connection (as migrations use): maintenance across every user, not a user's scope.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client }) as unknown as Db;
    const report = await rotateAll({ db, keyring }, { ...opts, onBatch: (r) => print(`batch: ${r.rotated} re-sealed, ${r.remaining} left${r.failed.length ? `, ${r.failed.length} no key opens` : ""}`) });
    print(`rotate-keys: ${report.rotated} wallets re-sealed under key ${keyring.current.id}, ${report.remaining} left${report.failed.length ? `; users whose envelopes no key opens: ${report.failed.join(", ")}` : ""}`);
    return report;
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rotateKeys(process.env, (l) => console.log(l)).then(
    (r) => process.exit(r.remaining === 0 ? 0 : 1),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
