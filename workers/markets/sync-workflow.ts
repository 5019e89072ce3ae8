// The market sync as a Cloudflare Workflow: Polymarket's ~46,500 markets are ~466 Gamma pages, past
// what one invocation may fetch on the Free plan (50 subrequests) and a long way into the Paid plan's
// CPU default, so the sync runs as durable steps. Workflows (rather than Queues) because the work is
// one ordered listing whose cursor must pass from step to step: each step's result is checkpointed
// by the engine and retried on its own, and a run resumes after its last completed step. The cursor
// and counts are also written to `market_syncs`, so the operator sees progress and a run whose
// Worker died is taken over from its cursor (sync-run.ts openSync).
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { settingsOf } from "../env";
import { errorText } from "../lib/log";
import { GammaClient } from "../polymarket/gamma-client";
import { beginSync, closeMissing, failSync, finishSync, type SyncState, syncPages } from "./sync-run";

export interface MarketSyncParams {
  /** market_syncs.id, opened before the instance was created (sync-run.ts openSync). */
  syncId: string;
}

/** A step that fails (Gamma or Postgres down for a moment) is retried with backoff before the run fails. */
const STEP = { retries: { limit: 5, delay: "2 seconds" as const, backoff: "exponential" as const }, timeout: "2 minutes" as const };

export class MarketSync extends WorkflowEntrypoint<Env, MarketSyncParams> {
  override async run(event: Readonly<WorkflowEvent<MarketSyncParams>>, step: WorkflowStep): Promise<SyncState> {
    const settings = settingsOf(this.env);
    const withDb = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
      const handle = createDb(settings);
      try {
        return await work(handle.db);
      } finally {
        await handle.close();
      }
    };
    const gamma = new GammaClient({ baseUrl: settings.GAMMA_API_URL });
    const id = event.payload.syncId;
    let state = await step.do("begin", STEP, () => withDb((db) => beginSync(db, id)));
    try {
      while (!state.done) {
        const from = state;
        state = await step.do(`pages after ${from.pages}${from.phase ? ` (${from.phase})` : ""}`, STEP, () =>
          withDb((db) => syncPages({ db, gamma, now: Date.now }, from, settings.MARKET_SYNC_PAGES_PER_STEP)),
        );
      }
      if (state.kind === "full") {
        const seen = state;
        state = await step.do("close missing", STEP, () => withDb((db) => closeMissing(db, seen)));
      }
      const last = state;
      return await step.do("finish", STEP, () => withDb((db) => finishSync(db, last)));
    } catch (err) {
      await step.do("record failure", () => withDb((db) => failSync(db, id, errorText(err))));
      throw err;
    }
  }
}
