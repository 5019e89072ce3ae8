// The cron trigger (every minute): keeps the streamer running and, every tenth minute, syncs markets.
import { createDb } from "./db/client";
import { settingsOf } from "./env";
import { log } from "./lib/log";
import { syncMarkets } from "./markets/sync";
import { GammaClient } from "./polymarket/gamma-client";
import { streamerStub } from "./streamer-client";

/** Markets change slowly; Gamma's /markets budget is 300 requests per 10 s, a sync uses ~20. */
export const MARKET_SYNC_EVERY_MINUTES = 10;

export async function runCron(scheduledTime: number, env: Env): Promise<void> {
  const settings = settingsOf(env);
  const tasks: Promise<unknown>[] = [
    streamerStub(env)
      .kick()
      .catch((err: Error) => log.error("cron_streamer_kick_failed", { error: err.message })),
  ];
  if (new Date(scheduledTime).getUTCMinutes() % MARKET_SYNC_EVERY_MINUTES === 0) {
    const handle = createDb(settings);
    tasks.push(
      syncMarkets({ db: handle.db, gamma: new GammaClient({ baseUrl: settings.GAMMA_API_URL }), now: Date.now })
        .then((r) => log.info("markets_synced", { upserted: r.upserted, skipped: r.skipped, pages: r.pages, ms: r.ms }))
        .catch((err: Error) => log.error("markets_sync_failed", { error: err.message }))
        .finally(() => handle.close()),
    );
  }
  await Promise.all(tasks);
}
