// Admin sub-app (bearer-protected): streamer status and control, market sync, metrics.
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { bearerAuth } from "../middleware/bearer";

export const admin = new Hono<AppEnv>();
admin.use("*", bearerAuth((s) => s.ADMIN_TOKEN));
admin.get("/ping", (c) => c.json({ ok: true }));
