// The socket scenario's plan, pure: which triggers each position holds, the price path each token
// walks and when, and — from those alone — which trigger must fire (at most one per position).

export type TriggerSet = "tp" | "sl" | "both";
export type PathKind = "up-exact" | "up-over" | "up-near" | "down-exact" | "down-over" | "down-near" | "flat";
/** During a stall the stream is silent, so a crossing there can only be seen by polling. */
export type Phase = "stall" | "live";

export const PATH_KINDS: readonly PathKind[] = ["up-exact", "up-over", "up-near", "down-exact", "down-over", "down-near", "flat"];
const SETS: readonly TriggerSet[] = ["tp", "sl", "both"];
/** Every position is bought at 50¢ and the book starts with its best bid there. */
export const START_BID_CENTS = 50;

export interface PlannedPosition {
  index: number;
  set: TriggerSet;
  /** Take-profit level (fires when the best bid is at or above it). */
  tpCents: number;
  /** Stop-loss level (fires when the best bid is at or below it). */
  slCents: number;
  path: PathKind;
  /** Best bids the token walks through, in order; the last one is held to the end. */
  steps: number[];
  cycle: number;
  phase: Phase;
}

/**
 * Prices relative to the levels: "exact" lands on the level, "over" goes 4¢ past it, "near" stops
 * 1¢ short and falls back, "flat" wiggles around the entry. Crossings are held, never undone, so a
 * poll (which only sees the latest book) observes them as surely as the stream does.
 */
export function pathSteps(kind: PathKind, tp: number, sl: number): number[] {
  switch (kind) {
    case "up-exact": return [tp - 3, tp - 1, tp];
    case "up-over": return [tp - 2, tp + 4];
    case "up-near": return [tp - 3, tp - 1, START_BID_CENTS + 2];
    case "down-exact": return [sl + 3, sl + 1, sl];
    case "down-over": return [sl + 2, sl - 4];
    case "down-near": return [sl + 3, sl + 1, START_BID_CENTS - 2];
    case "flat": return [START_BID_CENTS + 1, START_BID_CENTS - 1, START_BID_CENTS];
  }
}

export function planPositions(count: number, cycles: number): PlannedPosition[] {
  return Array.from({ length: count }, (_, i) => {
    const tpCents = 56 + (i % 7);
    const slCents = 44 - (i % 7);
    const path = PATH_KINDS[Math.floor(i / SETS.length) % PATH_KINDS.length]!;
    return {
      index: i,
      set: SETS[i % SETS.length]!,
      tpCents,
      slCents,
      path,
      steps: pathSteps(path, tpCents, slCents),
      cycle: i % cycles,
      // Whole blocks of every set × path alternate between the phases, so both see every case.
      phase: Math.floor(i / (SETS.length * PATH_KINDS.length)) % 2 === 0 ? "stall" : "live",
    };
  });
}

/** The trigger that must fire: the first level the path reaches among those the position holds. */
export function expectedFire(p: Pick<PlannedPosition, "set" | "tpCents" | "slCents" | "steps">): "take_profit" | "stop_loss" | null {
  const hasTp = p.set !== "sl";
  const hasSl = p.set !== "tp";
  for (const bid of p.steps) {
    if (hasTp && bid >= p.tpCents) return "take_profit";
    if (hasSl && bid <= p.slCents) return "stop_loss";
  }
  return null;
}

export function triggerCount(p: Pick<PlannedPosition, "set">): number {
  return p.set === "both" ? 2 : 1;
}

/** How many of `total` events land in cycle `k` of `cycles` (spread as evenly as possible). */
export function share(total: number, cycles: number, k: number): number {
  return Math.floor(total / cycles) + (k < total % cycles ? 1 : 0);
}
