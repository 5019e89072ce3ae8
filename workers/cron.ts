// The cron trigger (every minute): keeps the streamer running, settles orders whose outcome was
// unknown, runs due deletions and security actions; every tenth minute syncs markets and checks resolutions.
import { notifyResolution } from "./notify/events";
import { sweepHousekeeping } from "./security/housekeeping";
import { createDb, type Db } from "./db/client";
import { sweepFiredTriggers } from "./triggers/retry-store";
import { settingsOf } from "./env";
import { log } from "./lib/log";
import { checkResolutions } from "./markets/resolution";
import { syncMarkets } from "./markets/sync";
import { clobClientFor } from "./polymarket/clob-client";
import { GammaClient } from "./polymarket/gamma-client";
import { streamerBookSource, streamerStub, streamerSubscriptions } from "./streamer-client";
import { buildTradingDeps } from "./trading/deps";
import { reconcileStale } from "./trading/reconcile";

/** Markets change slowly; Gamma's /markets budget is 300 requests per 10 s, a sync uses ~20. */
export const MARKET_SYNC_EVERY_MINUTES = 10;
/** Orders with an unknown outcome older than this are looked up at the venue (never re-sent). */
export const RECONCILE_ORDERS_OLDER_THAN_MS = 30_000;

/** A trigger left `fired` this long with its position open and no sale in flight lost its fire. */
export const FIRE_SWEEP_GRACE_MS = 2 * 60_000;

/**
 * Re-arms lost fires (the streamer reloads them at once when there were any), then kicks the streamer;
 * a sweep that fails (Postgres down) is logged and the kick still happens.
 */
async function sweepThenKick(env: Env, db: Db): Promise<{ rearmed: number; subscribed: number }> {
  const rearmed = await sweepFiredTriggers(db, new Date(Date.now() - FIRE_SWEEP_GRACE_MS)).catch((err: Error) => {
    log.error("cron_triggers_sweep_failed", { error: err.message });
    return [];
  });
  const stub = streamerStub(env);
  if (rearmed.length) await stub.reconcileNow();
  const { subscribed } = await stub.kick();
  return { rearmed: rearmed.length, subscribed };
}

const step = (name: string, work: () => Promise<unknown>) =>
  work()
    .then((r) => log.info(`cron_${name}`, { result: r as Record<string, unknown> }))
    .catch((err: Error) => log.error(`cron_${name}_failed`, { error: err.message }));

export async function runCron(scheduledTime: number, env: Env): Promise<void> {
  const settings = settingsOf(env);
  const handle = createDb(settings);
  try {
    const clob = clobClientFor(settings.CLOB_API_URL);
    const trading = await buildTradingDeps({ settings, db: handle.db, clob, books: streamerBookSource(env, clob), streamer: streamerSubscriptions(env) });
    const tasks = [
      step("streamer_kick", () => sweepThenKick(env, handle.db)),
      step("orders_reconciled", () => reconcileStale(trading, { olderThanMs: RECONCILE_ORDERS_OLDER_THAN_MS })),
      step("housekeeping_swept", () => sweepHousekeeping({ db: handle.db, settings }, Date.now())),
    ];
    if (new Date(scheduledTime).getUTCMinutes() % MARKET_SYNC_EVERY_MINUTES === 0) {
      tasks.push(
        step("markets_synced", () => syncMarkets({ db: handle.db, gamma: new GammaClient({ baseUrl: settings.GAMMA_API_URL }), now: Date.now })),
        step("resolutions_checked", () =>
          checkResolutions({ trading, clob, notify: (p) => notifyResolution(settings, handle.db, p) }, handle.db),
        ),
      );
    }
    await Promise.all(tasks);
  } finally {
    await handle.close();
  }
}
