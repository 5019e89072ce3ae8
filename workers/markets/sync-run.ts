// One market sync as the MarketSync workflow runs it (sync-workflow.ts), in steps that fit one
// invocation each: a step pulls a bounded number of Gamma pages, upserts them and checkpoints the
// listing's cursor and counts in `market_syncs`. A run that stalled (its Worker killed mid-way) is
// taken over by the next one, which continues from the saved cursor. A full sync ends by marking
// closed the open markets Gamma no longer lists; a delta sync reads only the newest and busiest pages.
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { marketSyncs } from "../db/schema";
import { log } from "../lib/log";
import type { GammaClient, ListingCursor } from "../polymarket/gamma-client";
import { normalizeMarkets, type MarketRecord } from "./normalize";
import { firstSightings, SYNC_BATCH_SIZE, upsertMarkets } from "./sync";

/**
 * Gamma pages per step: 20 × 100 markets, 20 Gamma requests and 4 upserts of 500 (about 90 ms of CPU
 * per 1,600 markets measured, so ~0.1 s a step), far inside one invocation's limits on any plan.
 */
export const PAGES_PER_STEP = 20;
/** A running sync with no checkpoint for this long is taken to be dead (its Worker was killed). */
export const SYNC_STALL_MS = 2 * 60_000;
/** A delta sync: the newest markets (by Gamma id, descending) and the busiest (24 h volume). */
export const DELTA_NEW_PAGES = 3;
export const DELTA_BUSY_PAGES = 3;
/** The cron runs a full sync when none completed for this long, a delta sync otherwise. */
export const FULL_SYNC_EVERY_MS = 6 * 60 * 60_000;

export type SyncKind = "full" | "delta";

/** What a step hands the next (JSON: the workflow engine stores it). */
export interface SyncState {
  id: string;
  kind: SyncKind;
  /** ISO; a full sync marks closed what was not seen since then (a taken-over run keeps its original start). */
  startedAt: string;
  cursor: ListingCursor | null;
  /** Delta sync: the listing being read. */
  phase: "new" | "busy" | null;
  pages: number;
  fetched: number;
  upserted: number;
  inserted: number;
  skipped: number;
  closedMarked: number;
  done: boolean;
}

type SyncRow = typeof marketSyncs.$inferSelect;

const stateOf = (r: SyncRow): SyncState => ({
  id: r.id,
  kind: r.kind === "delta" ? "delta" : "full",
  startedAt: r.startedAt.toISOString(),
  cursor: (r.cursor as ListingCursor | null) ?? null,
  phase: r.kind === "delta" ? "new" : null,
  pages: r.pages,
  fetched: r.fetched,
  upserted: r.upserted,
  inserted: r.inserted,
  skipped: r.skipped,
  closedMarked: r.closedMarked,
  done: false,
});

/** The newest sync, or the one with this id. */
export async function loadSync(db: Db, id?: string): Promise<SyncRow | null> {
  const rows = id
    ? await db.select().from(marketSyncs).where(eq(marketSyncs.id, id)).limit(1)
    : await db.select().from(marketSyncs).orderBy(desc(marketSyncs.startedAt), desc(marketSyncs.updatedAt)).limit(1);
  return rows[0] ?? null;
}

export type SyncStart = { started: true; row: SyncRow } | { started: false; row: SyncRow };

/**
 * Records a new run before its workflow starts; answers the running one instead when a sync is in
 * progress (one at a time). A stalled full run is taken over: the new run carries its cursor, counts
 * and start time, and the old one is marked failed.
 */
export async function openSync(db: Db, p: { id: string; kind: SyncKind; now: number }): Promise<SyncStart> {
  const latest = await db.select().from(marketSyncs).where(eq(marketSyncs.status, "running")).orderBy(desc(marketSyncs.updatedAt)).limit(1);
  const running = latest[0];
  if (running && p.now - running.updatedAt.getTime() < SYNC_STALL_MS) return { started: false, row: running };
  const takeOver = running && running.kind === "full" && p.kind === "full" ? running : undefined;
  if (running) {
    await db.update(marketSyncs).set({ status: "failed", error: `stalled: no progress for ${Math.round((p.now - running.updatedAt.getTime()) / 1000)} s; taken over by ${p.id}`, finishedAt: new Date(p.now) }).where(eq(marketSyncs.id, running.id));
    log.warn("market_sync_stalled", { id: running.id, taken_over_by: p.id, pages: running.pages });
  }
  const [row] = await db
    .insert(marketSyncs)
    .values({
      id: p.id,
      kind: p.kind,
      ...(takeOver
        ? { resumedFrom: takeOver.id, cursor: takeOver.cursor, startedAt: takeOver.startedAt, pages: takeOver.pages, fetched: takeOver.fetched, upserted: takeOver.upserted, inserted: takeOver.inserted, skipped: takeOver.skipped }
        : { startedAt: new Date(p.now) }),
    })
    .returning();
  return { started: true, row: row! };
}

/** The state the workflow starts from (the row openSync wrote). */
export async function beginSync(db: Db, id: string): Promise<SyncState> {
  const row = await loadSync(db, id);
  if (!row) throw new Error(`market sync ${id} was never opened`);
  return stateOf(row);
}

export interface SyncPagesDeps {
  db: Db;
  gamma: Pick<GammaClient, "activeMarketsPage">;
  now: () => number;
}

/** Up to `maxPages` pages from the saved cursor: normalised, upserted in batches, checkpointed. */
export async function syncPages(deps: SyncPagesDeps, state: SyncState, maxPages = PAGES_PER_STEP): Promise<SyncState> {
  const s: SyncState = { ...state };
  const at = new Date(deps.now());
  const seenIds = new Set<string>();
  const seenTokens = new Set<string>();
  let buffer: MarketRecord[] = [];
  const write = async () => {
    const counts = await upsertMarkets(deps.db, buffer, at);
    s.upserted += counts.written;
    s.inserted += counts.inserted;
    buffer = [];
  };
  for (let n = 0; n < maxPages && !s.done; n++) {
    const order = s.kind === "delta" ? (s.phase === "new" ? "id" : "volume24hr") : undefined;
    const { page, next } = await deps.gamma.activeMarketsPage(s.cursor, order);
    s.pages++;
    s.fetched += page.markets.length + page.malformed;
    const normalized = normalizeMarkets(page.markets);
    s.skipped += page.malformed + normalized.malformed + normalized.noTokens + normalized.unsupported;
    // Within one step a market is written once (a later step rewriting it is harmless).
    buffer.push(...firstSightings(normalized.markets, seenIds, seenTokens).fresh);
    if (buffer.length >= SYNC_BATCH_SIZE) await write();
    s.cursor = next;
    if (s.kind === "delta") {
      if (!next || next.index >= (s.phase === "new" ? DELTA_NEW_PAGES : DELTA_BUSY_PAGES)) {
        s.cursor = null;
        if (s.phase === "new") s.phase = "busy";
        else s.done = true;
      }
    } else if (!next) s.done = true;
  }
  if (buffer.length) await write();
  await deps.db
    .update(marketSyncs)
    .set({ cursor: s.cursor, pages: s.pages, fetched: s.fetched, upserted: s.upserted, inserted: s.inserted, skipped: s.skipped, updatedAt: at })
    .where(eq(marketSyncs.id, s.id));
  return s;
}

/**
 * Full sync, at the end: open markets this sync did not see (synced before it started) are no longer
 * listed by Gamma as open, so they are closed; their holders' positions wait for the resolution check.
 * Markets never synced (imported from a link, or written by hand) are left alone.
 */
export async function closeMissing(db: Db, state: SyncState): Promise<SyncState> {
  const res = await db.execute(sql`
    UPDATE markets SET closed = true, active = false, accepting_orders = false, updated_at = now()
    WHERE NOT closed AND synced_at < ${state.startedAt}::timestamptz
    RETURNING id`);
  const closedMarked = res.rows.length;
  await db.update(marketSyncs).set({ closedMarked, updatedAt: new Date() }).where(eq(marketSyncs.id, state.id));
  return { ...state, closedMarked };
}

export async function finishSync(db: Db, state: SyncState): Promise<SyncState> {
  await db.update(marketSyncs).set({ status: "complete", cursor: null, finishedAt: new Date(), updatedAt: new Date() }).where(eq(marketSyncs.id, state.id));
  log.info("market_sync_complete", { id: state.id, kind: state.kind, pages: state.pages, upserted: state.upserted, inserted: state.inserted, skipped: state.skipped, closed_marked: state.closedMarked });
  return { ...state, done: true };
}

export async function failSync(db: Db, id: string, error: string): Promise<void> {
  await db.update(marketSyncs).set({ status: "failed", error: error.slice(0, 500), finishedAt: new Date(), updatedAt: new Date() }).where(eq(marketSyncs.id, id));
  log.error("market_sync_failed", { id, error });
}

/** What the cron starts this time: a full sync when none completed recently, else a delta. */
export async function nextSyncKind(db: Db, now: number): Promise<SyncKind> {
  const res = await db.execute<{ at: string | null }>(sql`SELECT max(finished_at)::text AS at FROM market_syncs WHERE kind = 'full' AND status = 'complete'`);
  const at = res.rows[0]?.at;
  return at && now - Date.parse(at) < FULL_SYNC_EVERY_MS ? "delta" : "full";
}

/** GET /admin/markets/sync: a run as the operator reads it. */
export function syncView(r: SyncRow) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    pages: r.pages,
    marketsDone: r.upserted,
    fetched: r.fetched,
    inserted: r.inserted,
    skipped: r.skipped,
    closedMarked: r.closedMarked,
    resumedFrom: r.resumedFrom,
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}
