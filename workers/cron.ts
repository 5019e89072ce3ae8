// The cron trigger (every minute): keeps the streamer running, settles orders whose outcome was
// unknown, runs due deletions and security actions, checks resolutions (a rotation over held markets);
// every tenth minute syncs markets.
// Every minute, idle or not, it checks that the Telegram webhook is still pinned (a Bot API call; an
// idle run touches Postgres only when it found the webhook re-pointed). While the product is idle (the streamer has nothing wanted
// and nothing armed) it otherwise only kicks the streamer, and touches Postgres every
// IDLE_DB_EVERY_MINUTES, so Neon's compute can suspend (#24).
import { notifyResolution } from "./notify/events";
import { checkWebhookPin } from "./ops/webhook-pin";
import { sweepHousekeeping } from "./security/housekeeping";
import { createDb, type Db } from "./db/client";
import { sweepFiredTriggers } from "./triggers/retry-store";
import { settingsOf } from "./env";
import { log } from "./lib/log";
import { placementInfo } from "./placement";
import { checkResolutions } from "./markets/resolution";
import { nextSyncKind } from "./markets/sync-run";
import { startMarketSync } from "./markets/sync-start";
import { clobClientFor } from "./polymarket/clob-client";
import { GammaClient } from "./polymarket/gamma-client";
import { streamerBookSource, streamerStub, streamerSubscriptions } from "./streamer-client";
import { buildTradingDeps } from "./trading/deps";
import { reconcileStale } from "./trading/reconcile";

/** Markets change slowly; Gamma's /markets budget is 300 requests per 10 s, a sync uses ~20. */
export const MARKET_SYNC_EVERY_MINUTES = 10;
/**
 * Idle, the Postgres work (orders in flight, deletions, sync, resolutions) runs this often instead
 * of every minute: well above Neon's default 5-minute suspend timeout. The streamer calls itself
 * idle only 10 minutes after the last trading call (alarm-plan.ts ACTIVITY_GRACE_MS), so a buy in
 * flight is looked up every minute meanwhile; one still unknown after that, within this time.
 */
export const IDLE_DB_EVERY_MINUTES = 30;
/** Orders with an unknown outcome older than this are looked up at the venue (never re-sent). */
export const RECONCILE_ORDERS_OLDER_THAN_MS = 30_000;

/** A trigger left `fired` this long with its position open and no sale in flight lost its fire. */
export const FIRE_SWEEP_GRACE_MS = 2 * 60_000;

/** Re-arms lost fires; the streamer reloads them at once when there were any (it was kicked already). */
async function sweepLostFires(env: Env, db: Db): Promise<{ rearmed: number }> {
  const rearmed = await sweepFiredTriggers(db, new Date(Date.now() - FIRE_SWEEP_GRACE_MS));
  if (rearmed.length) await streamerStub(env).reconcileNow();
  return { rearmed: rearmed.length };
}

const step = (name: string, work: () => Promise<unknown>) =>
  work()
    .then((r) => log.info(`cron_${name}`, { result: r as Record<string, unknown> }))
    .catch((err: Error) => log.error(`cron_${name}_failed`, { error: err.message }));

type Kickable = Pick<ReturnType<typeof streamerStub>, "kick">;

/** What this minute's run does (pure): everything when busy (or the streamer did not answer), little when idle. */
export function cronPlan(minute: number, idle: boolean): { database: boolean; sync: boolean } {
  const database = !idle || minute % IDLE_DB_EVERY_MINUTES === 0;
  return { database, sync: database && minute % MARKET_SYNC_EVERY_MINUTES === 0 };
}

/** `streamer` is the object to kick (the one named instance; a test may pass its own). */
export async function runCron(scheduledTime: number, env: Env, streamer: Kickable = streamerStub(env)): Promise<void> {
  const settings = settingsOf(env);
  const kicked = await streamer.kick().then(
    (r) => (log.info("cron_streamer_kick", { result: r }), r),
    (err: Error) => (log.error("cron_streamer_kick_failed", { error: err.message }), null),
  );
  await placementInfo(settings); // cached per isolate; logs `placement` when first seen or changed
  const minute = new Date(scheduledTime).getUTCMinutes();
  const plan = cronPlan(minute, kicked?.idle === true);
  if (!plan.database) {
    await step("webhook_checked", () => checkWebhookPin({ settings, db: async () => createDb(settings), now: Date.now, idle: true }));
    log.info("cron_idle", { minute, nextDatabaseRunInMinutes: IDLE_DB_EVERY_MINUTES - (minute % IDLE_DB_EVERY_MINUTES) });
    return;
  }
  const handle = createDb(settings);
  try {
    const clob = clobClientFor(settings.CLOB_API_URL);
    const trading = await buildTradingDeps({ settings, db: handle.db, clob, books: streamerBookSource(env, clob), streamer: streamerSubscriptions(env) });
    const gamma = new GammaClient({ baseUrl: settings.GAMMA_API_URL });
    const tasks = [
      step("fires_swept", () => sweepLostFires(env, handle.db)),
      // Every minute that touches Postgres: one turn of the rotation over held markets (resolution.ts).
      step("resolutions_checked", () => checkResolutions({ trading, clob, gamma, notify: (p) => notifyResolution(settings, handle.db, p) }, handle.db)),
      step("orders_reconciled", () => reconcileStale(trading, { olderThanMs: RECONCILE_ORDERS_OLDER_THAN_MS })),
      step("housekeeping_swept", () => sweepHousekeeping({ db: handle.db, settings }, Date.now())),
      step("webhook_checked", () => checkWebhookPin({ settings, db: handle.db, now: Date.now })),
    ];
    if (plan.sync) {
      tasks.push(
        // A workflow in steps (sync-workflow.ts): a full sync when none completed in 6 h, else the newest and busiest pages.
        step("markets_sync_started", async () => {
          const s = await startMarketSync(env, handle.db, await nextSyncKind(handle.db, Date.now()));
          return { id: s.row.id, kind: s.row.kind, started: s.started };
        }),
      );
    }
    await Promise.all(tasks);
  } finally {
    await handle.close();
  }
}
