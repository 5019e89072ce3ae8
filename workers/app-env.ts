// Hono's typed environment: bindings from `wrangler types`, per-request variables.
import type { DbHandle } from "./db/client";
import type { Settings } from "./env";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    settings: Settings;
    /** Lazily opened per request and closed after the response. */
    getDb: () => DbHandle;
  };
}
