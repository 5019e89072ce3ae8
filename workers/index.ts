// Worker entry: the Hono app, the cron handler, and the streamer Durable Object class.
import { buildApp } from "./app";
import { runCron } from "./cron";

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(runCron(controller.scheduledTime, env));
  },
} satisfies ExportedHandler<Env>;

export { Streamer } from "../durable-objects/streamer";
export { MarketSync } from "./markets/sync-workflow";
