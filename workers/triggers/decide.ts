// What a fire leaves behind once the sale answered (pure): the trigger's status in Postgres, which
// triggers go back into the streamer's index, and the outcome the trader and the exit log see.
import type { TradeResult } from "../trading/results";
import type { AfterFireWrite } from "./store";
import type { ArmedTrigger, FireOutcome } from "./types";

/** A failed fire is retried after this long, doubling with each failure in a row... */
export const RETRY_BASE_MS = 2_000;
/**
 * ...up to this: a stop that keeps failing is still tried every minute, never given up on. (A short
 * database outage mid-stampede fails many fires at once; a longer cap left them waiting minutes.)
 */
export const RETRY_CAP_MS = 60_000;

/** Wait before the next fire of a trigger that has now failed `attempts` times in a row (≥ 1). */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(Math.max(0, attempts - 1), 20));
}

export interface AfterSell {
  write: AfterFireWrite;
  /** "all": the trigger and its paused siblings; "siblings": only the others; "none". */
  rearm: "all" | "siblings" | "none";
  outcome: FireOutcome;
  reason: string;
}

/**
 * `marked`: whether this fire moved the trigger armed → fired. A fire that did not (the trader removed
 * it, or another fire won) and whose sale was refused did nothing: it is a refusal, not a failure.
 */
export function decideAfterSell(result: TradeResult, trigger: Pick<ArmedTrigger, "onFailure">, marked: boolean): AfterSell {
  if (!marked && result.status === "rejected") {
    return { write: "unchanged", rearm: "siblings", outcome: "refused", reason: `trigger no longer armed (removed or already fired); ${result.message}` };
  }
  switch (result.status) {
    case "filled":
    case "partially_filled":
      return result.position.status === "closed"
        ? { write: "position_done", rearm: "none", outcome: "sold", reason: "position closed" }
        : { write: "rearmed", rearm: "all", outcome: "partially_sold", reason: "sold what the book took within the bound; the rest stays open and armed" };
    case "in_flight":
      // The sale's outcome is unknown: it stays fired until reconciliation settles the order.
      return { write: "unchanged", rearm: "none", outcome: "in_flight", reason: result.message };
    case "rejected":
      // The position closed meanwhile: this trigger has nothing left to do.
      if (result.reason === "position_closed") return { write: "cancelled", rearm: "none", outcome: "refused", reason: result.message };
      // Someone else's sale holds the position: if it fails, the position is still to be protected.
      if (result.reason === "already_being_sold") return { write: "retry", rearm: "all", outcome: "refused", reason: result.message };
      // A suspicious book that REST did not confirm: nothing was sold, the level is looked at again after a pause.
      if (result.reason === "price_unconfirmed") return { write: "retry", rearm: "all", outcome: "refused", reason: result.message };
      return trigger.onFailure === "disarm"
        ? { write: "failed", rearm: "siblings", outcome: "sell_failed", reason: result.message }
        : { write: "retry", rearm: "all", outcome: "sell_failed", reason: result.message };
  }
}
