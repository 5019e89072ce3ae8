// The socket plan decides what must fire from the levels and the path alone; these pin its rules.
import { describe, expect, it } from "vitest";
import { expectedFire, pathSteps, PATH_KINDS, planPositions, share, START_BID_CENTS, triggerCount } from "./socket-plan";

describe("expectedFire", () => {
  it.each([
    // [set, path, expected]
    ["tp", "up-exact", "take_profit"],
    ["tp", "up-over", "take_profit"],
    ["tp", "up-near", null],
    ["tp", "down-exact", null],
    ["tp", "down-over", null],
    ["tp", "flat", null],
    ["sl", "down-exact", "stop_loss"],
    ["sl", "down-over", "stop_loss"],
    ["sl", "down-near", null],
    ["sl", "up-over", null],
    ["both", "up-exact", "take_profit"],
    ["both", "down-over", "stop_loss"],
    ["both", "up-near", null],
    ["both", "down-near", null],
    ["both", "flat", null],
  ] as const)("%s on %s → %s", (set, path, expected) => {
    expect(expectedFire({ set, tpCents: 58, slCents: 42, steps: pathSteps(path, 58, 42) })).toBe(expected);
  });

  it("a bid exactly at a level crosses it (take profit ≥, stop loss ≤)", () => {
    expect(expectedFire({ set: "tp", tpCents: 60, slCents: 40, steps: [60] })).toBe("take_profit");
    expect(expectedFire({ set: "sl", tpCents: 60, slCents: 40, steps: [40] })).toBe("stop_loss");
    expect(expectedFire({ set: "both", tpCents: 60, slCents: 40, steps: [59, 41] })).toBeNull();
  });

  it("the first level reached wins when a path reaches both", () => {
    expect(expectedFire({ set: "both", tpCents: 60, slCents: 40, steps: [39, 61] })).toBe("stop_loss");
    expect(expectedFire({ set: "both", tpCents: 60, slCents: 40, steps: [61, 39] })).toBe("take_profit");
  });
});

describe("planPositions", () => {
  const plan = planPositions(210, 10);

  it("never starts across a level and keeps every price on the book", () => {
    for (const p of plan) {
      expect(p.tpCents).toBeGreaterThan(START_BID_CENTS);
      expect(p.slCents).toBeLessThan(START_BID_CENTS);
      for (const bid of p.steps) expect(bid).toBeGreaterThanOrEqual(5), expect(bid).toBeLessThanOrEqual(94);
    }
  });

  it("covers every trigger set with every path, in both phases", () => {
    const seen = new Set(plan.map((p) => `${p.set}/${p.path}/${p.phase}`));
    expect(seen.size).toBe(3 * PATH_KINDS.length * 2);
  });

  it("spreads positions over the cycles", () => {
    const perCycle = Array.from({ length: 10 }, (_, k) => plan.filter((p) => p.cycle === k).length);
    expect(perCycle).toEqual(Array(10).fill(21));
  });

  it("counts one trigger per level held", () => {
    expect(plan.reduce((n, p) => n + triggerCount(p), 0)).toBe(280);
  });
});

describe("share", () => {
  it.each([
    [50, 10, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]],
    [7, 3, [3, 2, 2]],
    [2, 4, [1, 1, 0, 0]],
  ])("%i over %i cycles", (total, cycles, expected) => {
    const got = Array.from({ length: cycles }, (_, k) => share(total, cycles, k));
    expect(got).toEqual(expected);
    expect(got.reduce((a, b) => a + b, 0)).toBe(total);
  });
});
