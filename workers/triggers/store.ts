// Triggers in Postgres, the truth: every read and write of `triggers` and `trigger_events` lives here
// (the bot's settings, the runner's fires, the streamer's reconcile), in the index's armed form.
import { and, eq, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { positions, triggerEvents, triggers } from "../db/schema";
import { fromMicroInt, type Micros, toMicroInt, toNumericString } from "../money/micros";
import type { ArmedTrigger, FireRecord, OnFailure, TriggerKind } from "./types";

export type TriggerRow = typeof triggers.$inferSelect;

/** A row as the streamer's index holds it (prices in micros as safe integers). */
export function toArmed(t: TriggerRow): ArmedTrigger {
  return {
    id: t.id,
    positionId: t.positionId,
    userId: t.userId,
    tokenId: t.tokenId,
    kind: t.kind as TriggerKind,
    ...(t.price !== null ? { level: toMicroInt(t.price) } : {}),
    ...(t.trail !== null ? { trail: toMicroInt(t.trail) } : {}),
    ...(t.highWater !== null ? { highWater: toMicroInt(t.highWater) } : {}),
    onFailure: t.onFailure === "disarm" ? "disarm" : "rearm",
    ...(t.anyPrice ? { anyPrice: true } : {}),
    ...(t.attempts > 0 ? { attempts: t.attempts } : {}),
    ...(t.retryAt !== null ? { retryAt: t.retryAt.getTime() } : {}),
  };
}

/** Every armed trigger of an open position (the streamer reconciles its index against this). */
export async function loadArmedTriggers(db: Db): Promise<ArmedTrigger[]> {
  const rows = await db
    .select({ t: triggers })
    .from(triggers)
    .innerJoin(positions, and(eq(positions.id, triggers.positionId), ne(positions.status, "closed")))
    .where(eq(triggers.status, "armed"));
  return rows.map((r) => toArmed(r.t));
}

export interface NewTrigger {
  positionId: number;
  userId: number;
  tokenId: string;
  kind: TriggerKind;
  price?: Micros | undefined;
  trail?: Micros | undefined;
  highWater?: Micros | undefined;
  spec: string;
  onFailure: OnFailure;
}

const numeric = (m: Micros | undefined) => (m === undefined ? null : toNumericString(m));

/**
 * Arms `t`, replacing the armed trigger of the same kind, while the position is locked and active
 * (a concurrent sell or a second tap cannot interleave). Null when the position is not active.
 */
export async function armReplacing(db: Db, t: NewTrigger): Promise<{ row: TriggerRow; replaced: number[] } | null> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`SELECT status FROM positions WHERE id = ${t.positionId} FOR UPDATE`);
    if ((locked.rows[0] as { status?: string } | undefined)?.status !== "active") return null;
    const old = await tx
      .update(triggers)
      .set({ status: "cancelled", updatedAt: new Date() })
      .where(and(eq(triggers.positionId, t.positionId), eq(triggers.kind, t.kind), eq(triggers.status, "armed")))
      .returning({ id: triggers.id });
    const [row] = await tx
      .insert(triggers)
      .values({ positionId: t.positionId, userId: t.userId, tokenId: t.tokenId, kind: t.kind, price: numeric(t.price), trail: numeric(t.trail), highWater: numeric(t.highWater), spec: t.spec, onFailure: t.onFailure })
      .returning();
    return { row: row!, replaced: old.map((o) => o.id) };
  });
}

/** Cancels a user's armed trigger(s) of one kind (or every kind) on a position; returns their ids. */
export async function cancelArmed(db: Db, q: { userId: number; positionId: number; kind?: TriggerKind | undefined }): Promise<number[]> {
  const removed = await db
    .update(triggers)
    .set({ status: "cancelled", updatedAt: new Date() })
    .where(and(eq(triggers.positionId, q.positionId), eq(triggers.userId, q.userId), eq(triggers.status, "armed"), q.kind ? eq(triggers.kind, q.kind) : undefined))
    .returning({ id: triggers.id });
  return removed.map((r) => r.id);
}

/** Sets whether a user's armed stop of one kind sells at any price; the updated row, or null when none is armed. */
export async function setAnyPrice(db: Db, q: { userId: number; positionId: number; kind: TriggerKind; anyPrice: boolean }): Promise<TriggerRow | null> {
  const [row] = await db
    .update(triggers)
    .set({ anyPrice: q.anyPrice, updatedAt: new Date() })
    .where(and(eq(triggers.positionId, q.positionId), eq(triggers.userId, q.userId), eq(triggers.kind, q.kind), eq(triggers.status, "armed")))
    .returning();
  return row ?? null;
}

/** armed → fired (with the trailing stop's high water); false when it was no longer armed. */
export async function markFired(db: Db, t: ArmedTrigger): Promise<boolean> {
  const marked = await db
    .update(triggers)
    .set({ status: "fired", firedAt: new Date(), highWater: t.highWater !== undefined ? fromMicroInt(t.highWater) : undefined, updatedAt: new Date() })
    .where(and(eq(triggers.id, t.id), eq(triggers.status, "armed")))
    .returning({ id: triggers.id });
  return marked.length > 0;
}

/** What a fire leaves in Postgres (decided by decide.ts); "retry" is written by scheduleRetry. */
export type AfterFireWrite = "rearmed" | "retry" | "cancelled" | "position_done" | "failed" | "unchanged";

export async function writeAfterFire(db: Db, t: ArmedTrigger, write: AfterFireWrite): Promise<void> {
  const now = new Date();
  switch (write) {
    case "rearmed":
      await db.update(triggers).set({ status: "armed", attempts: 0, retryAt: null, updatedAt: now }).where(and(eq(triggers.id, t.id), eq(triggers.status, "fired")));
      return;
    case "retry": // scheduleRetry writes it (it needs the attempt count back)
      return;
    case "cancelled":
      await db.update(triggers).set({ status: "cancelled", updatedAt: now }).where(eq(triggers.id, t.id));
      return;
    case "position_done":
      await db.update(triggers).set({ status: "cancelled", updatedAt: now }).where(and(eq(triggers.positionId, t.positionId), eq(triggers.status, "armed")));
      return;
    case "failed":
      await db.update(triggers).set({ status: "failed", updatedAt: now }).where(eq(triggers.id, t.id));
      return;
    case "unchanged":
      return;
  }
}

/** One fire or refusal in `trigger_events` (what the exit log and the dashboard show). */
export async function recordFire(db: Db, r: FireRecord): Promise<void> {
  await db.insert(triggerEvents).values({
    positionId: r.trigger.positionId,
    triggerId: r.trigger.id,
    userId: r.trigger.userId,
    outcome: r.outcome,
    reason: r.reason.slice(0, 500),
    price: fromMicroInt(r.bid),
    priceSource: r.source,
    priceAgeMs: Math.max(0, Math.round(r.priceAgeMs)),
    latencyMs: r.latencyMs.toFixed(3),
    orderId: r.result && "orderId" in r.result ? (r.result.orderId ?? null) : null,
  });
}

/** One row of a position's exit log: a fire, a refusal or a re-arm, as trigger_events holds it (decimals as text). */
export interface TriggerEventRow {
  at: Date;
  kind: TriggerKind | null;
  outcome: string;
  reason: string | null;
  price: string | null;
  source: string | null;
  priceAgeMs: number | null;
  latencyMs: string | null;
  orderId: number | null;
}

/** A position's trigger_events, newest first; with `userId`, only when the position is that user's. */
export async function loadTriggerEvents(db: Db, q: { positionId: number; userId?: number; limit: number }): Promise<TriggerEventRow[]> {
  const rows = await selectTriggerEvents(db, sql`WHERE e.position_id = ${q.positionId} ${q.userId === undefined ? sql`` : sql`AND e.user_id = ${q.userId}`}`, q.limit);
  return rows.map(({ positionId: _, ...row }) => row);
}

/** The newest trigger_events of every position (the operator's dashboard: what Postgres holds, across streamer restarts). */
export async function loadRecentTriggerEvents(db: Db, limit: number): Promise<Array<TriggerEventRow & { positionId: number }>> {
  return selectTriggerEvents(db, sql``, limit);
}

async function selectTriggerEvents(db: Db, where: SQL, limit: number): Promise<Array<TriggerEventRow & { positionId: number }>> {
  const res = await db.execute<Record<string, unknown>>(sql`
    SELECT e.created_at, e.position_id, e.outcome, e.reason, e.price::text AS price, e.price_source, e.price_age_ms, e.latency_ms::text AS latency_ms, e.order_id, t.kind
    FROM trigger_events e LEFT JOIN triggers t ON t.id = e.trigger_id
    ${where}
    ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`);
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return res.rows.map((r) => ({
    at: new Date(r.created_at as string | Date),
    positionId: Number(r.position_id),
    kind: r.kind === "stop_loss" || r.kind === "trailing_stop" || r.kind === "take_profit" ? r.kind : null,
    outcome: String(r.outcome),
    reason: text(r.reason),
    price: text(r.price),
    source: text(r.price_source),
    priceAgeMs: r.price_age_ms === null || r.price_age_ms === undefined ? null : Number(r.price_age_ms),
    latencyMs: text(r.latency_ms),
    orderId: r.order_id === null || r.order_id === undefined ? null : Number(r.order_id),
  }));
}
