// Setting and removing TP/SL/trailing triggers: Postgres first (the truth), then mirrored into the
// streamer, which fires them. Changes take effect at once.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { markets, positions } from "../db/schema";
import { errorText, log } from "../lib/log";
import { type Micros, toMicros } from "../money/micros";
import type { TickSize } from "../polymarket/types";
import { parseLevel } from "./levels";
import { armReplacing, cancelArmed, setAnyPrice, type TriggerRow, toArmed } from "./store";
import type { ArmedTrigger, OnFailure, TriggerKind } from "./types";

/** The streamer side of triggers (the Durable Object in production). */
export interface TriggerMirror {
  arm(triggers: ArmedTrigger[]): Promise<void>;
  disarm(ids: number[]): Promise<void>;
  /** Best bid now, if the streamer knows it (micros). */
  currentBid(tokenId: string): Promise<Micros | undefined>;
}

export interface TriggerDeps {
  db: Db;
  mirror: TriggerMirror;
}

export type SetTriggerResult =
  | { ok: true; trigger: TriggerRow; note?: string; replaced: number[] }
  | { ok: false; error: string };

export interface SetTriggerRequest {
  userId: number;
  positionId: number;
  kind: TriggerKind;
  /** What the user typed: "0.70", "70¢", "+50%", "-20%", "5¢" (trailing). */
  spec: string;
  onFailure?: OnFailure;
}

export async function setTrigger(deps: TriggerDeps, req: SetTriggerRequest): Promise<SetTriggerResult> {
  const [pos] = await deps.db
    .select({ p: positions, tick: markets.tickSize })
    .from(positions)
    .innerJoin(markets, eq(markets.id, positions.marketId))
    .where(and(eq(positions.id, req.positionId), eq(positions.userId, req.userId)));
  if (!pos) return { ok: false, error: "That position was not found." };
  if (pos.p.status !== "active") return { ok: false, error: pos.p.status === "closed" ? "That position is already closed." : "That position is being sold right now." };
  const bid = await deps.mirror.currentBid(pos.p.tokenId).catch(() => undefined);
  const currentBid = bid ?? (pos.p.currentPrice !== null ? toMicros(pos.p.currentPrice) : undefined);
  const parsed = parseLevel(req.spec, { kind: req.kind, entryPrice: toMicros(pos.p.avgPrice), tickSize: pos.tick as TickSize, currentBid });
  if (!parsed.ok) return parsed;
  const highWater = req.kind === "trailing_stop" ? (currentBid ?? toMicros(pos.p.avgPrice)) : undefined;
  const result = await armReplacing(deps.db, {
    positionId: req.positionId,
    userId: req.userId,
    tokenId: pos.p.tokenId,
    kind: req.kind,
    price: parsed.price,
    trail: parsed.trail,
    highWater,
    spec: parsed.spec,
    onFailure: req.onFailure ?? "rearm",
  });
  if (!result) return { ok: false, error: "That position is being sold right now." };
  await mirror(deps, () => deps.mirror.arm([toArmed(result.row)]), result.replaced);
  return { ok: true, trigger: result.row, replaced: result.replaced, ...(parsed.note ? { note: parsed.note } : {}) };
}

/** A stop (not a take profit) sells at any price, or again as a stop-limit; Postgres first, then the streamer. */
export async function setStopAnyPrice(deps: TriggerDeps, req: { userId: number; positionId: number; kind: TriggerKind; anyPrice: boolean }): Promise<TriggerRow | null> {
  if (req.kind === "take_profit") return null;
  const row = await setAnyPrice(deps.db, req);
  if (row) await mirror(deps, () => deps.mirror.arm([toArmed(row)]), []);
  return row;
}

/** Removes the armed trigger(s) of a kind (or all kinds) from a position. */
export async function removeTrigger(deps: TriggerDeps, req: { userId: number; positionId: number; kind?: TriggerKind }): Promise<number[]> {
  const ids = await cancelArmed(deps.db, req);
  if (ids.length) await mirror(deps, async () => undefined, ids);
  return ids;
}

/** Postgres is already right; a failed mirror call is healed by the streamer's reconcile. */
async function mirror(deps: TriggerDeps, arm: () => Promise<void>, disarmIds: number[]): Promise<void> {
  try {
    if (disarmIds.length) await deps.mirror.disarm(disarmIds);
    await arm();
  } catch (err) {
    log.warn("trigger_mirror_failed", { error: errorText(err) });
  }
}
