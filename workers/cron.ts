// The cron trigger (every minute): keeps the streamer running, settles orders whose outcome was
// unknown, runs due deletions and security actions, checks the webhook is still pinned; every tenth minute syncs markets and checks resolutions.
import { notifyResolution } from "./notify/events";
import { checkWebhookPin } from "./ops/webhook-pin";
import { sweepHousekeeping } from "./security/housekeeping";
import { createDb } from "./db/client";
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
      step("streamer_kick", () => streamerStub(env).kick()),
      step("orders_reconciled", () => reconcileStale(trading, { olderThanMs: RECONCILE_ORDERS_OLDER_THAN_MS })),
      step("housekeeping_swept", () => sweepHousekeeping({ db: handle.db, settings }, Date.now())),
      step("webhook_checked", () => checkWebhookPin({ settings, db: handle.db, now: Date.now })),
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
