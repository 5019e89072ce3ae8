// Short-lived server-side state that buttons point to (trade_intents): buy previews confirmed at
// most once, sell previews likewise, and search queries for paging (message deletions share the table: workers/notify/deletions.ts).
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";

export const buyIntentSchema = z.object({
  marketId: z.string(),
  outcome: z.number().int(),
  tokenId: z.string(),
  question: z.string(),
  outcomeName: z.string(),
  /** Decimal strings (exact). */
  amount: z.string(),
  bestAsk: z.string(),
  slippageBps: z.number().int(),
});
export type BuyIntent = z.infer<typeof buyIntentSchema>;

/** A sell preview: the position, the size pressed and the floor the preview showed (decimal strings). */
export const sellIntentSchema = z.object({
  positionId: z.number().int(),
  bps: z.number().int().min(1).max(10_000),
  floor: z.string(),
  bestBid: z.string(),
});
export type SellIntent = z.infer<typeof sellIntentSchema>;

export const listIntentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("words"), text: z.string(), words: z.array(z.string()) }),
  z.object({ kind: z.literal("event"), slug: z.string(), title: z.string() }),
]);
export type ListIntent = z.infer<typeof listIntentSchema>;

/** "delete_message" rows belong to workers/notify/deletions.ts. */
export type IntentKind = "buy" | "sell" | "list";

export async function createIntent(db: Db, i: { id: string; userId: number; kind: IntentKind; payload: unknown; expiresAt: number }): Promise<void> {
  await db.execute(sql`
    INSERT INTO trade_intents (id, user_id, kind, payload, expires_at)
    VALUES (${i.id}, ${i.userId}, ${i.kind}, ${JSON.stringify(i.payload)}::jsonb, ${new Date(i.expiresAt).toISOString()}::timestamptz)`);
}

export type Consumed<T> = { ok: true; payload: T } | { ok: false; why: "not_found" | "used" | "expired" };

/**
 * Marks a buy preview used and returns it, at most once across every concurrent tap and redelivery:
 * the conditional UPDATE decides. The same statement's snapshot says why it failed otherwise.
 */
export function consumeBuyIntent(db: Db, userId: number, id: string, now: number): Promise<Consumed<BuyIntent>> {
  return consumeIntent(db, userId, id, now, "buy", buyIntentSchema);
}

/** Marks a sell preview used and returns it, at most once (as a buy preview). */
export function consumeSellIntent(db: Db, userId: number, id: string, now: number): Promise<Consumed<SellIntent>> {
  return consumeIntent(db, userId, id, now, "sell", sellIntentSchema);
}

async function consumeIntent<T>(db: Db, userId: number, id: string, now: number, kind: "buy" | "sell", schema: z.ZodType<T>): Promise<Consumed<T>> {
  const at = new Date(now).toISOString();
  const res = await db.execute(sql`
    WITH u AS (
      UPDATE trade_intents SET used_at = ${at}::timestamptz
      WHERE id = ${id} AND user_id = ${userId} AND kind = ${kind} AND used_at IS NULL AND expires_at > ${at}::timestamptz
      RETURNING payload)
    SELECT (SELECT payload FROM u) AS taken, i.used_at, i.expires_at, i.payload
    FROM (SELECT 1) one LEFT JOIN trade_intents i ON i.id = ${id} AND i.user_id = ${userId} AND i.kind = ${kind}`);
  const r = res.rows[0];
  if (r?.taken) {
    const parsed = schema.safeParse(r.taken);
    return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, why: "not_found" };
  }
  if (!r || r.payload === null || r.payload === undefined) return { ok: false, why: "not_found" };
  // A concurrent tap that won the UPDATE is invisible to this statement's snapshot: an unexpired,
  // unused-looking row that could not be taken was taken by someone else.
  const expired = new Date(r.expires_at as string | Date).getTime() <= now;
  return { ok: false, why: r.used_at === null && expired ? "expired" : "used" };
}

/** A sell preview's payload without using it (to refresh an expired one). */
export async function peekSellIntent(db: Db, userId: number, id: string): Promise<SellIntent | null> {
  const res = await db.execute(sql`SELECT payload FROM trade_intents WHERE id = ${id} AND user_id = ${userId} AND kind = 'sell'`);
  const parsed = sellIntentSchema.safeParse(res.rows[0]?.payload);
  return parsed.success ? parsed.data : null;
}

/** A buy preview's payload without using it (to refresh an expired one). */
export async function peekBuyIntent(db: Db, userId: number, id: string): Promise<BuyIntent | null> {
  const res = await db.execute(sql`SELECT payload FROM trade_intents WHERE id = ${id} AND user_id = ${userId} AND kind = 'buy'`);
  const parsed = buyIntentSchema.safeParse(res.rows[0]?.payload);
  return parsed.success ? parsed.data : null;
}

export async function loadListIntent(db: Db, userId: number, id: string, now: number): Promise<ListIntent | null> {
  const res = await db.execute(sql`
    SELECT payload FROM trade_intents WHERE id = ${id} AND user_id = ${userId} AND kind = 'list' AND expires_at > ${new Date(now).toISOString()}::timestamptz`);
  const parsed = listIntentSchema.safeParse(res.rows[0]?.payload);
  return parsed.success ? parsed.data : null;
}
