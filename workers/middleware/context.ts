// Per-request context: parsed settings (failing with one clear line) and a lazily opened database.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { createDb, type DbHandle } from "../db/client";
import { settingsOf } from "../env";

export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const settings = settingsOf(c.env);
    c.set("settings", settings);
    let handle: DbHandle | undefined;
    c.set("getDb", () => (handle ??= createDb(settings)));
    try {
      await next();
    } finally {
      if (handle) {
        const closing = handle.close();
        try {
          c.executionCtx.waitUntil(closing);
        } catch {
          await closing;
        }
      }
    }
  };
}
