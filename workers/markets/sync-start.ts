// Starting a market sync: the run is recorded first (one at a time; a stalled one is taken over),
// then its MarketSync workflow instance is created with the same id.
import type { Db } from "../db/client";
import { errorText, log } from "../lib/log";
import { failSync, openSync, type SyncKind, type SyncStart } from "./sync-run";

export async function startMarketSync(env: Pick<Env, "MARKET_SYNC">, db: Db, kind: SyncKind, now = Date.now()): Promise<SyncStart> {
  const id = `sync-${now.toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  const start = await openSync(db, { id, kind, now });
  if (!start.started) return start;
  try {
    await env.MARKET_SYNC.create({ id, params: { syncId: id } });
  } catch (err) {
    await failSync(db, id, `the workflow did not start: ${errorText(err)}`);
    throw err;
  }
  log.info("market_sync_started", { id, kind: start.row.kind, resumed_from: start.row.resumedFrom });
  return start;
}
