// Bearer-token guard for /admin/*: constant-time check, 401 and nothing more otherwise.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { timingSafeEqualStr } from "../lib/constant-time";

export function bearerAuth(tokenOf: (settings: AppEnv["Variables"]["settings"]) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!given || !timingSafeEqualStr(given, tokenOf(c.get("settings")))) {
      return c.body(null, 401);
    }
    await next();
  };
}
