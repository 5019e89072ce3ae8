// Admin sub-app (bearer-protected): streamer status and control, market sync, metrics.
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import { refusedUpdates } from "../bot/update-log";
import { syncMarkets } from "../markets/sync";
import { loadSync, syncView } from "../markets/sync-run";
import { startMarketSync } from "../markets/sync-start";
import { registerWebhookHandler } from "./admin-telegram";
import { bearerAuth } from "../middleware/bearer";
import { listChecks } from "../ops/checks";
import { placementInfo } from "../placement";
import { GammaClient } from "../polymarket/gamma-client";
import { streamerStub } from "../streamer-client";
import { loadRecentTriggerEvents, loadTriggerEvents } from "../triggers/store";
import { z } from "zod";

export const admin = new Hono<AppEnv>();
const syncBody = z.object({ kind: z.enum(["full", "delta"]).optional() }).strict();
admin.use("*", bearerAuth((s) => s.ADMIN_TOKEN));

admin.get("/ping", (c) => c.json({ ok: true }));

/** Registers the Telegram webhook (with the secret) and the command list. */
admin.post("/telegram/webhook", registerWebhookHandler);

admin.get("/streamer", async (c) => c.json(await streamerStub(c.env).status()));

/** Everything the dashboard shows: the streamer's status plus counts read from Postgres. */
admin.get("/overview", async (c) => {
  const [streamer, placement] = await Promise.all([streamerStub(c.env).status(), placementInfo(c.get("settings"), { cf: c.req.raw.cf as { colo?: unknown } | undefined })]);
  const positions = { active: 0, closing: 0, databaseUp: true };
  let alerts: Awaited<ReturnType<typeof listChecks>> = [];
  // The fires Postgres keeps (every one, across streamer restarts); null when the database did not answer.
  let fires: Awaited<ReturnType<typeof loadRecentTriggerEvents>> | null = null;
  try {
    const db = c.get("getDb")().db;
    alerts = (await listChecks(db)).filter((x) => !x.ok);
    const r = await db.execute<{ status: string; n: string }>(sql`SELECT status, count(*)::text AS n FROM positions WHERE status <> 'closed' GROUP BY status`);
    for (const row of r.rows) if (row.status === "active" || row.status === "closing") positions[row.status] = Number(row.n);
    fires = await loadRecentTriggerEvents(db, 20);
  } catch {
    positions.databaseUp = false;
  }
  return c.json({ streamer, positions, alerts, fires, placement });
});

/** A position's exit log (trigger_events, newest first): what the dashboard shows per position. */
admin.get("/positions/:id/exit-log", async (c) => {
  const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(c.req.param("id"));
  if (!id.success) return c.json({ error: "position id must be a positive integer" }, 400);
  const events = await loadTriggerEvents(c.get("getDb")().db, { positionId: id.data, limit: 50 });
  return c.json({ positionId: id.data, events });
});

admin.post("/streamer/reconnect", async (c) => c.json({ ok: true, ...(await streamerStub(c.env).reconnect()) }));

admin.post("/streamer/reconcile", async (c) => c.json({ ok: true, ...(await streamerStub(c.env).reconcileNow()) }));

/**
 * Starts a market sync in the background (the MarketSync workflow) and answers `{id, status}`; when
 * one is already running, answers that one (202 either way). `{"kind": "delta"}` reads only the
 * newest and busiest pages. `?wait=1` is the old synchronous sync in this request, answering `{count}`
 * (fine for a few thousand markets; at Polymarket's size use the workflow).
 */
admin.post("/markets/sync", async (c) => {
  const db = c.get("getDb")().db;
  if (c.req.query("wait") === "1") {
    const result = await syncMarkets({ db, gamma: new GammaClient({ baseUrl: c.get("settings").GAMMA_API_URL }), now: Date.now });
    return c.json({ ok: true, count: result.upserted, ...result });
  }
  const body = syncBody.safeParse(c.req.header("content-type")?.includes("json") ? await c.req.json().catch(() => null) : {});
  if (!body.success) return c.json({ error: "body must be {} or {\"kind\": \"full\" | \"delta\"}" }, 400);
  const start = await startMarketSync(c.env, db, body.data.kind ?? "full");
  return c.json({ ok: true, id: start.row.id, status: start.row.status, started: start.started, kind: start.row.kind }, 202);
});

/** The latest sync's progress (or `?id=`): status, pages, markets done, started and finished times. */
admin.get("/markets/sync", async (c) => {
  const id = c.req.query("id");
  if (id !== undefined && !/^[\w-]{1,64}$/.test(id)) return c.json({ error: "id must be a sync id" }, 400);
  const row = await loadSync(c.get("getDb")().db, id);
  if (!row) return c.json({ error: id ? "no such sync" : "no sync has run yet" }, 404);
  return c.json(syncView(row));
});

/** Prometheus text: the streamer's counters plus database gauges read here. */
admin.get("/metrics", async (c) => {
  const text = await streamerStub(c.env).metricsText();
  const db = c.get("getDb")().db;
  let extra = "";
  try {
    const r = await db.execute<{ status: string; n: string }>(sql`SELECT status, count(*)::text AS n FROM positions WHERE status <> 'closed' GROUP BY status`);
    extra += "# HELP polycool_open_positions Positions not closed, by status\n# TYPE polycool_open_positions gauge\n";
    for (const s of ["active", "closing"]) extra += `polycool_open_positions{status="${s}"} ${r.rows.find((x) => x.status === s)?.n ?? 0}\n`;
    const refused = await refusedUpdates(db, Date.now());
    extra += "# HELP polycool_telegram_updates_refused Webhook updates refused unread in the last 24 h (forged identity), by reason\n# TYPE polycool_telegram_updates_refused gauge\n";
    for (const reason of ["foreign_chat", "no_message"]) extra += `polycool_telegram_updates_refused{reason="${reason}"} ${refused[reason] ?? 0}\n`;
    extra += "# HELP polycool_operator_check_ok 1 when an operator check passed at its last run (telegram_webhook: the webhook is pinned to WORKER_URL)\n# TYPE polycool_operator_check_ok gauge\n";
    for (const check of await listChecks(db)) extra += `polycool_operator_check_ok{check="${check.name}",status="${check.status}"} ${check.ok ? 1 : 0}\n`;
  } catch {
    extra += "# HELP polycool_database_up 1 when the database answered\n# TYPE polycool_database_up gauge\npolycool_database_up 0\n";
  }
  return c.text(text + extra, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
});
