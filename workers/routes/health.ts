// GET /healthz: 200 when the Worker and the database answer, 503 with the reason otherwise.
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import { errorText } from "../lib/log";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const started = Date.now();
  try {
    await c.get("getDb")().db.execute(sql`select 1`);
    return c.json({ ok: true, database: "up", dbLatencyMs: Date.now() - started });
  } catch (err) {
    return c.json({ ok: false, database: "down", reason: errorText(err) }, 503);
  }
});
