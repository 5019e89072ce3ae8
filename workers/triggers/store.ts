// Triggers in Postgres (the truth) and their wire form for the streamer's in-memory index.
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { positions, triggerEvents, triggers } from "../db/schema";
import { toMicroInt } from "../money/micros";
import type { TriggerKind } from "./levels";

/** What the streamer's index needs (prices in micros as safe integers). */
export interface ArmedTriggerWire {
  id: number;
  positionId: number;
  userId: number;
  tokenId: string;
  kind: TriggerKind;
  level?: number;
  trail?: number;
  highWater?: number;
  onFailure: "rearm" | "disarm";
}

type TriggerRow = typeof triggers.$inferSelect;

export function toWire(t: TriggerRow): ArmedTriggerWire {
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
  };
}

/** Every armed trigger of an open position (the streamer reconciles its index against this). */
export async function loadArmedTriggers(db: Db): Promise<ArmedTriggerWire[]> {
  const rows = await db
    .select({ t: triggers })
    .from(triggers)
    .innerJoin(positions, and(eq(positions.id, triggers.positionId), ne(positions.status, "closed")))
    .where(eq(triggers.status, "armed"));
  return rows.map((r) => toWire(r.t));
}

export async function listTriggers(db: Db, positionId: number, userId: number): Promise<TriggerRow[]> {
  return db
    .select()
    .from(triggers)
    .where(and(eq(triggers.positionId, positionId), eq(triggers.userId, userId), eq(triggers.status, "armed")))
    .orderBy(triggers.kind);
}

/** "Why did (or didn't) my stop fire?": the latest fires and refusals of a position. */
export async function triggerHistory(db: Db, positionId: number, userId: number, limit = 10) {
  return db
    .select()
    .from(triggerEvents)
    .where(and(eq(triggerEvents.positionId, positionId), eq(triggerEvents.userId, userId)))
    .orderBy(desc(triggerEvents.createdAt), desc(triggerEvents.id))
    .limit(limit);
}
