// Worker entry: the Hono app, the cron handler, and the streamer Durable Object class.
import { buildApp } from "./app";

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller: ScheduledController, _env: Env, _ctx: ExecutionContext): Promise<void> {},
} satisfies ExportedHandler<Env>;

export { Streamer } from "../durable-objects/streamer";
