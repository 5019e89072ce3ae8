// The Hono app: routes mounted in one place, one error funnel with stable JSON codes.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { SettingsError } from "./env";
import { AppError } from "./lib/errors";
import { log } from "./lib/log";
import { requestContext } from "./middleware/context";
import { admin } from "./routes/admin";
import { DASHBOARD_HTML } from "./routes/dashboard-page";
import { health } from "./routes/health";
import { telegram } from "./routes/telegram";

export function buildApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext());
  app.route("/healthz", health);
  // The dashboard page itself holds no data (it asks for the token, then reads /admin/overview).
  app.get("/admin", (c) => c.html(DASHBOARD_HTML, 200, { "cache-control": "no-store", "x-frame-options": "DENY", "content-security-policy": "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'" }));
  app.route("/admin", admin);
  app.route("/telegram", telegram);
  app.get("/", (c) => c.json({ name: "polycool", ok: true }));
  app.notFound((c) => c.json({ error: { code: "not_found", message: "no such route" } }, 404));
  app.onError((err, c) => {
    if (err instanceof SettingsError) {
      log.error("config_invalid", { setting: err.setting, message: err.message });
      return c.json({ error: { code: "config_invalid", message: err.message } }, 500);
    }
    if (err instanceof AppError) {
      if (err.status >= 500) log.error("request_failed", { code: err.code, message: err.message });
      return c.json({ error: { code: err.code, message: err.message } }, err.status as 400);
    }
    if (err instanceof HTTPException) {
      return err.status === 401 ? c.body(null, 401) : c.json({ error: { code: "bad_request", message: err.message } }, err.status);
    }
    log.error("request_failed", { code: "internal", path: c.req.path, error: err });
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  return app;
}
