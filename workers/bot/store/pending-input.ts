// What the bot waits for the user to type next (users.pending_input), parsed with zod on read.
import { z } from "zod";

/** An answer typed later than this is no longer taken as the answer to an old question. */
export const PENDING_TTL_MS = 15 * 60_000;

const base = { at: z.number().int() };
export const pendingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("buy_amount"), marketId: z.string().min(1).max(40), outcome: z.number().int().min(0).max(99), ...base }),
  z.object({ kind: z.literal("trigger_level"), positionId: z.number().int().positive(), trigger: z.enum(["take_profit", "stop_loss", "trailing_stop"]), ...base }),
  z.object({ kind: z.literal("search"), ...base }),
  z.object({ kind: z.literal("wallet_import"), ...base }),
  z.object({ kind: z.literal("presets"), ...base }),
  z.object({ kind: z.literal("slippage"), ...base }),
  z.object({ kind: z.literal("default_level"), level: z.enum(["tp", "sl"]), ...base }),
  z.object({ kind: z.literal("pin_new"), ...base }),
  /** The first entry of a new PIN, as its peppered HMAC (never the PIN): the second must match it. */
  z.object({ kind: z.literal("pin_confirm"), check: z.string().min(1).max(100), ...base }),
  /** The PIN asked before an action that moves money or keys out. */
  z.object({ kind: z.literal("pin_verify"), purpose: z.enum(["export", "live", "change", "slippage"]), bps: z.number().int().min(0).max(5_000).optional(), ...base }),
]);

export type Pending = z.infer<typeof pendingSchema>;
/** A pending question as stored (the time is added when it is saved). */
export type PendingQuestion = Pending extends infer P ? (P extends Pending ? Omit<P, "at"> : never) : never;

/** The stored question, or null when there is none, it is malformed, or it has expired. */
export function readPending(raw: unknown, now: number): Pending | null {
  const parsed = pendingSchema.safeParse(raw);
  if (!parsed.success) return null;
  return now - parsed.data.at > PENDING_TTL_MS ? null : parsed.data;
}
