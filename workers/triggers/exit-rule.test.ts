import { describe, expect, it } from "vitest";
import { book } from "../../test/support/trading";
import { depthWithin, needsConfirmation, saleBound, worstHitFirst } from "./exit-rule";
import type { ArmedTrigger } from "./types";

const t = (kind: ArmedTrigger["kind"], anyPrice = false): ArmedTrigger => ({ id: 1, positionId: 1, userId: 1, tokenId: "T", kind, level: 400_000, onFailure: "rearm", ...(anyPrice ? { anyPrice } : {}) });
const deep = book("T", { bids: [["0.39", "1000"], ["0.38", "500"], ["0.30", "5000"]], asks: [["0.41", "1000"]] });

describe("saleBound", () => {
  it("a stop sells from its level (a stop-limit), a take profit from the bid, an any-price stop at any price", () => {
    expect(saleBound({ trigger: t("stop_loss"), level: 400_000, bid: 50_000 })).toEqual({ referencePrice: 400_000n });
    expect(saleBound({ trigger: t("trailing_stop"), level: 550_000, bid: 100_000 })).toEqual({ referencePrice: 550_000n });
    expect(saleBound({ trigger: t("take_profit"), level: 800_000, bid: 830_000 })).toEqual({ referencePrice: 830_000n });
    expect(saleBound({ trigger: t("stop_loss", true), level: 400_000, bid: 50_000 })).toEqual({ anyPrice: true });
  });
});

describe("worstHitFirst", () => {
  it("orders one frame's fires by how far the bid went past each level", () => {
    const f = (id: number, kind: ArmedTrigger["kind"], level: number, bid: number) => ({ trigger: { ...t(kind), id }, level, bid });
    const order = worstHitFirst([f(1, "stop_loss", 400_000, 300_000), f(2, "stop_loss", 450_000, 300_000), f(3, "take_profit", 200_000, 300_000), f(4, "stop_loss", 310_000, 300_000)]);
    expect(order.map((x) => x.trigger.id)).toEqual([2, 1, 3, 4]);
  });
});

describe("needsConfirmation", () => {
  const shares = 1_000_000_000n; // 1,000 shares
  it("trusts a deep, uncrossed book whose bid moved calmly", () => {
    expect(needsConfirmation({ bid: 390_000, prevBid: 410_000 }, deep, shares, 380_000n, 3_000)).toBeNull();
    expect(depthWithin(deep, 380_000n)).toBe(1_500_000_000n);
  });

  it.each([
    ["a crossed book", { bid: 390_000 }, book("T", { bids: [["0.39", "5000"]], asks: [["0.35", "10"]] }), "the book was crossed (bid 0.39 ≥ ask 0.35)"],
    ["a jump beyond the share in one frame", { bid: 50_000, prevBid: 410_000 }, deep, "the bid moved from 0.41 to 0.05 in one frame"],
    ["a book thinner than the position within the floor", { bid: 390_000 }, book("T", { bids: [["0.39", "10"], ["0.10", "5000"]], asks: [["0.41", "10"]] }), "the book held 10 of 1000 shares within the floor 0.38"],
  ])("%s is confirmed", (_n, f, b, why) => expect(needsConfirmation(f, b, shares, 380_000n, 3_000)).toBe(why));

  it("the jump share is the setting", () => {
    expect(needsConfirmation({ bid: 300_000, prevBid: 400_000 }, deep, 1n, 1n, 3_000)).toBeNull(); // 25 %
    expect(needsConfirmation({ bid: 300_000, prevBid: 400_000 }, deep, 1n, 1n, 2_000)).toContain("in one frame");
  });
});
