import { describe, expect, it } from "vitest";
import type { TradeResult } from "../trading/results";
import { type AfterSell, decideAfterSell, RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from "./decide";

const fill = (status: "filled" | "partially_filled", position: "closed" | "active") => ({ status, position: { status: position } }) as unknown as TradeResult;
const rejected = (reason: string) => ({ status: "rejected", reason, message: `why: ${reason}` }) as TradeResult;
const inFlight = { status: "in_flight", orderId: 1, clientOrderId: "sell:x", message: "sent, outcome unknown" } as TradeResult;

describe("decideAfterSell", () => {
  it.each<[string, TradeResult, "rearm" | "disarm", boolean, Omit<AfterSell, "reason">]>([
    ["a sale that closed the position cancels the position's triggers", fill("filled", "closed"), "rearm", true, { write: "position_done", rearm: "none", outcome: "sold" }],
    ["a partial sale leaves the rest armed", fill("partially_filled", "active"), "rearm", true, { write: "rearmed", rearm: "all", outcome: "partially_sold" }],
    ["a sale in flight stays fired until reconciled", inFlight, "rearm", true, { write: "unchanged", rearm: "none", outcome: "in_flight" }],
    ["another sale holds the position: retried later, in case that sale fails", rejected("already_being_sold"), "rearm", true, { write: "retry", rearm: "all", outcome: "refused" }],
    ["the position closed meanwhile", rejected("position_closed"), "rearm", true, { write: "cancelled", rearm: "none", outcome: "refused" }],
    ["a refused sale re-arms a rearm trigger, with backoff", rejected("no_liquidity"), "rearm", true, { write: "retry", rearm: "all", outcome: "sell_failed" }],
    ["a refused sale fails a disarm trigger, its siblings go back", rejected("no_liquidity"), "disarm", true, { write: "failed", rearm: "siblings", outcome: "sell_failed" }],
    ["not armed any more and refused: nothing happened", rejected("no_liquidity"), "rearm", false, { write: "unchanged", rearm: "siblings", outcome: "refused" }],
    ["not marked (a write failed) but sold: still a sale", fill("filled", "closed"), "rearm", false, { write: "position_done", rearm: "none", outcome: "sold" }],
  ])("%s", (_name, result, onFailure, marked, want) => {
    const d = decideAfterSell(result, { onFailure }, marked);
    expect({ write: d.write, rearm: d.rearm, outcome: d.outcome }).toEqual(want);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it("a refusal says why in the venue's words", () => {
    expect(decideAfterSell(rejected("no_liquidity"), { onFailure: "rearm" }, true).reason).toBe("why: no_liquidity");
  });
});

describe("retryDelayMs", () => {
  it("doubles per failure in a row from the base, capped", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS, 4 * RETRY_BASE_MS, 8 * RETRY_BASE_MS]);
    expect(retryDelayMs(50)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(0)).toBe(RETRY_BASE_MS);
  });
});
