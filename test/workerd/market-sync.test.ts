// The market sync as a Cloudflare Workflow in steps (workers/markets/sync-workflow.ts), started through
// the admin route and followed through GET /admin/markets/sync, against the local Polymarket's Gamma.
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { createDb } from "../../workers/db/client";
import { settingsOf } from "../../workers/env";
import { GammaClient, type ListingCursor } from "../../workers/polymarket/gamma-client";
import { polymarketControl } from "../support/polymarket-control";

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const settings = settingsOf(env);
const db = createDb(settings).db;
const pm = polymarketControl(inject("polymarket").controlUrl);

interface SyncView {
  id: string;
  kind: string;
  status: string;
  pages: number;
  marketsDone: number;
  fetched: number;
  closedMarked: number;
  resumedFrom: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const post = async (body?: unknown) => {
  const res = await exports.default.fetch("http://x/admin/markets/sync", { method: "POST", headers: { ...ADMIN, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as { id: string; status: string; started: boolean; kind: string } };
};
const view = async (id?: string) => (await (await exports.default.fetch(`http://x/admin/markets/sync${id ? `?id=${id}` : ""}`, { headers: ADMIN })).json()) as SyncView;
const openMarkets = async () => (await pm.markets()).filter((m) => !m.closed).length;

async function until(id: string, status: string, timeoutMs = 60_000): Promise<SyncView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await view(id);
    if (v.status === status) return v;
    if (v.status !== "running" || Date.now() > deadline) throw new Error(`sync ${id} is ${v.status}, not ${status} (${v.error ?? ""})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("market sync as a workflow", () => {
  it("POST starts a full sync in steps and answers its id; a second POST meanwhile answers the same run", async () => {
    const before = await openMarkets();
    const first = await post();
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ ok: true, status: "running", started: true, kind: "full" });
    const second = await post();
    expect(second.body).toMatchObject({ id: first.body.id, started: false });
    const done = await until(first.body.id, "complete");
    const after = await openMarkets();
    // Every open market of the local Polymarket, 100 a page, 3 pages a step (vitest.config.ts).
    expect(done.marketsDone).toBeGreaterThanOrEqual(after);
    expect(done.marketsDone).toBeLessThanOrEqual(before);
    expect(done.pages).toBe(Math.ceil(done.fetched / 100));
    expect(done.finishedAt).not.toBeNull();
    expect(await view()).toMatchObject({ id: first.body.id }); // the latest run, without ?id
  });

  it("marks closed the open markets a full sync no longer sees", async () => {
    // A market synced before (an hour ago) that Gamma does not list any more.
    const id = `gone-${Date.now().toString(36)}`;
    await db.execute(sql`INSERT INTO markets (id, condition_id, question, clob_token_ids, outcomes, outcome_prices, synced_at)
      VALUES (${id}, ${`0x${"e".repeat(64)}`}, 'A market Gamma stopped listing', '[]', '["Yes","No"]', '["0.5","0.5"]', now() - interval '1 hour')`);
    const run = await post();
    const done = await until(run.body.id, "complete");
    expect(done.closedMarked).toBeGreaterThanOrEqual(1);
    const row = (await db.execute<{ closed: boolean; active: boolean }>(sql`SELECT closed, active FROM markets WHERE id = ${id}`)).rows[0];
    expect(row).toEqual({ closed: true, active: false });
  });

  it("a stalled run (its Worker killed mid-way) is taken over from its saved cursor", async () => {
    // Where a run stood after 10 pages, as it checkpointed them; then nothing for 10 minutes.
    const gamma = new GammaClient({ baseUrl: settings.GAMMA_API_URL });
    let cursor: ListingCursor | null = null;
    let fetched = 0;
    for (let i = 0; i < 10; i++) {
      const r = await gamma.activeMarketsPage(cursor);
      fetched += r.page.markets.length;
      cursor = r.next;
    }
    const dead = `sync-dead-${Date.now().toString(36)}`;
    await db.execute(sql`INSERT INTO market_syncs (id, kind, status, cursor, pages, fetched, upserted, started_at, updated_at)
      VALUES (${dead}, 'full', 'running', ${JSON.stringify(cursor)}::jsonb, 10, ${fetched}, ${fetched}, now() - interval '11 minutes', now() - interval '10 minutes')`);
    const run = await post();
    expect(run.body.started).toBe(true);
    const done = await until(run.body.id, "complete");
    expect(done.resumedFrom).toBe(dead);
    expect(done.startedAt).toBe((await view(dead)).startedAt); // "not seen since the start" keeps the first run's start
    // It went on from page 10: the pages it read itself are the rest of the listing.
    const total = Math.ceil((await openMarkets()) / 100);
    expect(done.pages).toBeGreaterThanOrEqual(10 + total - 10 - 1);
    expect(done.fetched - fetched).toBeLessThan(done.fetched);
    expect(await view(dead)).toMatchObject({ status: "failed", error: expect.stringMatching(/^stalled: no progress for \d+ s; taken over by /) });
  });

  it("a step that fails is retried by the workflow engine, and the run completes", async () => {
    await pm.fault({ kind: "error", route: "GET /gamma/markets/keyset", count: 2, status: 500 });
    const run = await post({ kind: "delta" });
    expect(run.body.kind).toBe("delta");
    const done = await until(run.body.id, "complete", 90_000);
    // A delta sync: the three newest pages and the three busiest.
    expect(done.pages).toBe(6);
    expect(done.marketsDone).toBeGreaterThan(0);
  });

  it("refuses a body it does not understand", async () => {
    const res = await exports.default.fetch("http://x/admin/markets/sync", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ kind: "everything" }) });
    expect(res.status).toBe(400);
    expect((await exports.default.fetch("http://x/admin/markets/sync?id=../../etc", { headers: ADMIN })).status).toBe(400);
  });
});
