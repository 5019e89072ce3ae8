// The trigger vocabulary shared by the bot, the trigger store, the runner and the streamer's index:
// what a TP/SL/trailing trigger is, what a crossing of it carries, and what a fire ended as.
import type { MicroInt } from "../money/micros";
import type { TradeResult } from "../trading/results";

export type TriggerKind = "take_profit" | "stop_loss" | "trailing_stop";

/** How a trader reads each kind (screens and notifications). */
export const TRIGGER_LABELS: Record<TriggerKind, string> = { take_profit: "Take profit", stop_loss: "Stop loss", trailing_stop: "Trailing stop" };

/** What to do with a trigger whose sale failed: keep it armed, or mark it failed. */
export type OnFailure = "rearm" | "disarm";

/**
 * An armed trigger as the streamer's index holds it (prices in micros as safe integers, so it
 * crosses RPC and the object's SQLite unchanged). Postgres (`triggers`) is the truth it mirrors.
 */
export interface ArmedTrigger {
  id: number;
  positionId: number;
  userId: number;
  tokenId: string;
  kind: TriggerKind;
  /** Level for take_profit (fires when bid ≥ level) and stop_loss (fires when bid ≤ level). */
  level?: MicroInt;
  /** Trailing stop: distance below the high-water bid; fires when bid ≤ highWater − trail. */
  trail?: MicroInt;
  highWater?: MicroInt;
  onFailure: OnFailure;
  /** Stop loss: sell at any price (the trader accepted the warning) instead of the stop-limit floor. */
  anyPrice?: boolean;
  /** Failed fires in a row; the next fire waits until retryAt (ms epoch). */
  attempts?: number;
  retryAt?: number;
}

/** Where the price that crossed a level came from: the stream, the polling fallback, or a REST confirmation. */
export type CrossingSource = "ws" | "poll" | "rest";

/** A best bid that crossed an armed trigger's level. */
export interface FiredTrigger {
  trigger: ArmedTrigger;
  /** The level that was crossed (for trailing stops: highWater − trail at the moment). */
  level: MicroInt;
  /** Best bid that crossed the level. */
  bid: MicroInt;
  /** Best bid at the token's previous check (absent the first time): a jump in one frame is confirmed. */
  prevBid?: MicroInt;
  source: "ws" | "poll";
  /** Local receipt time of the frame or poll that carried the price (ms epoch). */
  receivedAt: number;
  /** Exchange time of the book state (ms epoch). */
  bookTime: number;
}

export type FireOutcome = "sold" | "partially_sold" | "sell_failed" | "in_flight" | "refused";

/** What one fire did, as recorded in `trigger_events`, counted, and told to the trader. */
export interface FireRecord {
  trigger: ArmedTrigger;
  outcome: FireOutcome;
  reason: string;
  bid: MicroInt;
  source: CrossingSource;
  priceAgeMs: number;
  /** Frame receipt (or poll) to the sell's answer, in ms. */
  latencyMs: number;
  result?: TradeResult;
  /** A failed fire: armed again, retried after this long (its `attempts`-th failure in a row). */
  retryInMs?: number;
  attempts?: number;
  /** Recorded but not told (a repeat failure: the trader was told about the first). */
  quiet?: boolean;
}

/** Does `bid` cross `level` for this kind? (Take profits fire at or above, stops at or below.) */
export function crosses(kind: TriggerKind, level: MicroInt, bid: MicroInt): boolean {
  return kind === "take_profit" ? bid >= level : bid <= level;
}
