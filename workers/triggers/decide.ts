// What a fire leaves behind once the sale answered (pure): the trigger's status in Postgres, which
// triggers go back into the streamer's index, and the outcome the trader and the exit log see.
import type { TradeResult } from "../trading/results";
import type { AfterFireWrite } from "./store";
import type { ArmedTrigger, FireOutcome } from "./types";

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
      // Someone else's sale holds (or closed) the position: this trigger has nothing left to do.
      if (result.reason === "already_being_sold" || result.reason === "position_closed") {
        return { write: "cancelled", rearm: "none", outcome: "refused", reason: result.message };
      }
      return trigger.onFailure === "disarm"
        ? { write: "failed", rearm: "siblings", outcome: "sell_failed", reason: result.message }
        : { write: "rearmed", rearm: "all", outcome: "sell_failed", reason: result.message };
  }
}
