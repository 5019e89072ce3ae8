// The operator's endpoints (contract.md): streamer status, reconnect, metrics, dashboard, overview.
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../workers/db/client";

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const get = (path: string, headers: Record<string, string> = ADMIN) => exports.default.fetch(`http://x${path}`, { headers });

describe("admin endpoints", () => {
  it("GET /admin/streamer answers the contract's fields", async () => {
    const res = await get("/admin/streamer");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    for (const key of ["connected", "subscriptions", "lastMessageAt", "reconnects", "messages", "parseErrors"]) expect(body).toHaveProperty(key);
    expect(Array.isArray(body.subscriptions)).toBe(true);
  });

  it("POST /admin/streamer/reconnect drops and reopens", async () => {
    const res = await exports.default.fetch("http://x/admin/streamer/reconnect", { method: "POST", headers: ADMIN });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("GET /admin/metrics is Prometheus text with the streamer's series", async () => {
    const res = await get("/admin/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of ["polycool_connected", "polycool_reconnects_total", "polycool_messages_total", "polycool_parse_errors_total", "polycool_subscribed_tokens", "polycool_last_message_age_seconds", "polycool_poll_requests_total", "polycool_open_positions", "polycool_telegram_updates_refused"]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, "m"));
    }
    // Every sample line is `name{labels} value`.
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
  });

  it("GET /admin serves the dashboard page; its data needs the token", async () => {
    const page = await get("/admin", {});
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="latency-chart"');
    expect((await get("/admin/overview", {})).status).toBe(401);
    const overview = await get("/admin/overview");
    expect(overview.status).toBe(200);
    const body = (await overview.json()) as { streamer: { startedAt: string; restarts: { count: number; recent: string[] } }; fires: Array<{ positionId: number; outcome: string }> };
    expect(body).toMatchObject({ streamer: { subscriptions: expect.any(Array) }, positions: { databaseUp: true }, fires: expect.any(Array) });
    // The object's starts as its storage counted them: the newest is this instance's own start.
    expect(body.streamer.restarts.count).toBeGreaterThanOrEqual(0);
    expect(body.streamer.restarts.recent[0]).toBe(body.streamer.startedAt);
    // Polymarket's verdict on this Worker's region, as /healthz gives it (the local geoblock allows IE).
    expect((body as unknown as { placement: { polymarket: { access: string; country: string } } }).placement.polymarket).toMatchObject({ access: "allowed", country: "IE" });
  });

  it("GET /admin/positions/:id/exit-log answers the position's trigger events, newest first, behind the token", async () => {
    const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }).db;
    const positionId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    // Dated ahead, so they stay the newest rows of the table while other test files write fires of their own.
    await db.execute(sql`INSERT INTO trigger_events (position_id, user_id, outcome, reason, price, price_source, price_age_ms, latency_ms, created_at)
      VALUES (${positionId}, 1, 'sell_failed', 'first', 0.39, 'ws', 2, 10.5, now() + interval '1 day'), (${positionId}, 1, 'sold', 'position closed', 0.39, 'rest', 3, 20.25, now() + interval '1 day 1 second')`);
    expect((await get(`/admin/positions/${positionId}/exit-log`, {})).status).toBe(401);
    expect((await get("/admin/positions/abc/exit-log")).status).toBe(400);
    const r = await get(`/admin/positions/${positionId}/exit-log`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { events: Array<{ outcome: string; price: string; source: string; latencyMs: string }> };
    expect(body.events.map((e) => [e.outcome, e.price, e.source, e.latencyMs])).toEqual([["sold", "0.390000", "rest", "20.250"], ["sell_failed", "0.390000", "ws", "10.500"]]);
    const page = await (await get("/admin", {})).text();
    expect(page).toContain('data-testid="exit-log"');
    // The dashboard's recent fires come from the same table, across positions, newest first.
    const fires = ((await (await get("/admin/overview")).json()) as { fires: Array<{ positionId: number; outcome: string; reason: string }> }).fires;
    expect(fires.filter((f) => f.positionId === positionId).map((f) => f.outcome)).toEqual(["sold", "sell_failed"]);
  });
});
