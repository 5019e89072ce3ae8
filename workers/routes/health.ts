// GET /healthz (anonymous): 200 when the Worker and the database answer, 503 otherwise. The database
// probe is cached per isolate (one check in flight, reused for HEALTH_PROBE_TTL_MS) and the answer
// never carries the database's own error text. It also says where the Worker runs (`placement`).
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import type { Db } from "../db/client";
import { CachedProbe } from "../lib/cached-probe";
import { placementInfo } from "../placement";

export const HEALTH_PROBE_TTL_MS = 5_000;

/** One probe per settings object (per env): the check runs on the connection of the request that needed it. */
const probes = new WeakMap<object, { probe: CachedProbe; db: () => Db }>();

function probeFor(settings: object, getDb: () => Db): CachedProbe {
  let entry = probes.get(settings);
  if (!entry) {
    const e: { probe?: CachedProbe; db: () => Db } = { db: getDb };
    e.probe = new CachedProbe(() => e.db().execute(sql`select 1`), HEALTH_PROBE_TTL_MS);
    entry = e as { probe: CachedProbe; db: () => Db };
    probes.set(settings, entry);
  }
  entry.db = getDb;
  return entry.probe;
}

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const settings = c.get("settings");
  const [r, where] = await Promise.all([probeFor(settings, () => c.get("getDb")().db).read(), placementInfo(settings, { cf: c.req.raw.cf as { colo?: unknown } | undefined })]);
  const ageMs = Date.now() - r.checkedAt;
  // Where it runs and whether Polymarket lets it trade from there (cached per isolate); no error text, no IP.
  const { error: _hidden, ...polymarket } = where.polymarket;
  const placement = { ...where, polymarket };
  if (r.up) return c.json({ ok: true, database: "up", dbLatencyMs: r.latencyMs, checkedAgoMs: ageMs, placement });
  return c.json({ ok: false, database: "down", reason: "the database did not answer", checkedAgoMs: ageMs, placement }, 503);
});
