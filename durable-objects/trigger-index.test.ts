import { describe, expect, it } from "vitest";
import type { ArmedTrigger } from "../workers/triggers/types";
import { TriggerIndex } from "./trigger-index";

const c = (cents: number) => Math.round(cents * 10_000); // cents → micros
const tp = (id: number, level: number, positionId = id): ArmedTrigger => ({ id, positionId, userId: 1, onFailure: "rearm", tokenId: "T", kind: "take_profit", level: c(level) });
const sl = (id: number, level: number, positionId = id): ArmedTrigger => ({ id, positionId, userId: 1, onFailure: "rearm", tokenId: "T", kind: "stop_loss", level: c(level) });
const trail = (id: number, trailCents: number, hw: number, positionId = id): ArmedTrigger => ({
  id, positionId, userId: 1, onFailure: "rearm", tokenId: "T", kind: "trailing_stop", trail: c(trailCents), highWater: c(hw),
});
const ids = (fired: { trigger: ArmedTrigger }[]) => fired.map((f) => f.trigger.id).sort((a, b) => a - b);

describe("TriggerIndex: take profit and stop loss", () => {
  it.each([
    ["exact hit fires a take profit", [tp(1, 70)], 70, [1]],
    ["below the level does not", [tp(1, 70)], 69.9, []],
    ["a gap up fires every level passed", [tp(1, 60), tp(2, 65), tp(3, 80)], 70, [1, 2]],
    ["ties fire together", [tp(1, 70), tp(2, 70), tp(3, 70)], 70, [1, 2, 3]],
    ["exact hit fires a stop loss", [sl(1, 40)], 40, [1]],
    ["above the stop does not", [sl(1, 40)], 40.1, []],
    ["a gap down fires every stop above", [sl(1, 40), sl(2, 35), sl(3, 20)], 30, [1, 2]],
    ["mixed: only the crossed side", [tp(1, 70), sl(2, 40)], 71, [1]],
  ])("%s", (_name, triggers, bidCents, want) => {
    const idx = new TriggerIndex();
    for (const t of triggers) idx.upsert(t);
    const fired = idx.onBid("T", c(bidCents));
    expect(ids(fired)).toEqual(want);
    expect(idx.size).toBe(triggers.length - want.length);
    // A fired trigger never fires twice: the same crossing again fires nothing.
    expect(idx.onBid("T", c(bidCents))).toEqual([]);
  });

  it("reports the crossed level and ignores other tokens", () => {
    const idx = new TriggerIndex();
    idx.upsert(tp(1, 70));
    expect(idx.onBid("OTHER", c(99))).toEqual([]);
    const [f] = idx.onBid("T", c(75));
    expect(f!.level).toBe(c(70));
  });

  it("removes and replaces triggers at once", () => {
    const idx = new TriggerIndex();
    idx.upsert(tp(1, 70));
    idx.upsert(sl(2, 40, 1));
    idx.upsert({ ...tp(1, 80) }); // moved
    expect(idx.onBid("T", c(75))).toEqual([]);
    expect(idx.removePosition(1).map((t) => t.id).sort()).toEqual([1, 2]);
    expect(idx.onBid("T", c(10))).toEqual([]);
    expect(idx.size).toBe(0);
    expect(idx.tokens()).toEqual([]);
  });

  it("handles many triggers on one token", () => {
    const idx = new TriggerIndex();
    for (let i = 1; i <= 1000; i++) idx.upsert(tp(i, 50 + (i % 40)));
    expect(ids(idx.onBid("T", c(60)))).toHaveLength(1000 / 40 * 11);
  });
});

describe("TriggerIndex: trailing stops", () => {
  it("follows the highest bid and fires the trail below it", () => {
    const idx = new TriggerIndex();
    idx.upsert(trail(1, 5, 50)); // stop at 45
    expect(idx.onBid("T", c(48))).toEqual([]);
    expect(idx.onBid("T", c(60))).toEqual([]); // high water 60 → stop at 55
    expect(idx.get(1)!.highWater).toBe(c(60));
    expect(idx.onBid("T", c(56))).toEqual([]);
    const fired = idx.onBid("T", c(55)); // exact hit
    expect(ids(fired)).toEqual([1]);
    expect(fired[0]!.level).toBe(c(55));
    expect(fired[0]!.trigger.highWater).toBe(c(60));
  });

  it("keeps separate high waters for stops armed at different times", () => {
    const idx = new TriggerIndex();
    idx.upsert(trail(1, 10, 80)); // armed at 80: stop 70
    idx.onBid("T", c(60)); // fires #1 (60 ≤ 70)
    idx.upsert(trail(2, 10, 60)); // armed at 60: stop 50
    expect(idx.onBid("T", c(55))).toEqual([]);
    expect(ids(idx.onBid("T", c(50)))).toEqual([2]);
  });

  it("merges high waters on a rise and unmerges nothing wrongly", () => {
    const idx = new TriggerIndex();
    idx.upsert(trail(1, 3, 50));
    idx.upsert(trail(2, 8, 40));
    idx.upsert(trail(3, 1, 45));
    idx.onBid("T", c(55)); // all at 55: stops 52, 47, 54
    expect([1, 2, 3].map((i) => idx.get(i)!.highWater)).toEqual([c(55), c(55), c(55)]);
    expect(ids(idx.onBid("T", c(53)))).toEqual([3]);
    idx.remove(1);
    expect(ids(idx.onBid("T", c(47)))).toEqual([2]);
  });
});

describe("TriggerIndex regressions", () => {
  it("a rise onto an existing high water keeps one group per high water (wrong group spliced)", () => {
    const idx = new TriggerIndex();
    idx.upsert(trail(1, 2, 60)); // stop 58
    idx.upsert(trail(2, 9, 55)); // stop 46
    idx.onBid("T", c(60)); // #2 rises onto #1's high water
    expect(ids(idx.onBid("T", c(58)))).toEqual([1]);
    expect(idx.get(2)!.highWater).toBe(c(60));
    expect(ids(idx.onBid("T", c(51)))).toEqual([2]);
    expect(idx.size).toBe(0);
  });
});

describe("TriggerIndex agrees with a naive scan", () => {
  it("on random arming, removal and price paths", () => {
    for (let round = 0; round < 30; round++) {
      const idx = new TriggerIndex();
      const naive = new Map<number, ArmedTrigger>();
      let nextId = 1;
      let bid = c(50);
      for (let step = 0; step < 400; step++) {
        const r = Math.random();
        if (r < 0.25) {
          const kind = (["take_profit", "stop_loss", "trailing_stop"] as const)[Math.floor(Math.random() * 3)]!;
          const t: ArmedTrigger =
            kind === "trailing_stop"
              ? { id: nextId, positionId: nextId, userId: 1, onFailure: "rearm", tokenId: "T", kind, trail: c(1 + Math.floor(Math.random() * 10)), highWater: bid }
              : { id: nextId, positionId: nextId, userId: 1, onFailure: "rearm", tokenId: "T", kind, level: c(1 + Math.floor(Math.random() * 98)) };
          nextId++;
          idx.upsert(t);
          naive.set(t.id, { ...t });
        } else if (r < 0.3 && naive.size) {
          const id = [...naive.keys()][Math.floor(Math.random() * naive.size)]!;
          idx.remove(id);
          naive.delete(id);
        } else {
          bid = Math.max(c(1), Math.min(c(99), bid + c(Math.floor(Math.random() * 9) - 4)));
          const want: number[] = [];
          for (const t of naive.values()) {
            if (t.kind === "trailing_stop") t.highWater = Math.max(t.highWater!, bid);
            const hit =
              t.kind === "take_profit" ? bid >= t.level! : t.kind === "stop_loss" ? bid <= t.level! : bid <= t.highWater! - t.trail!;
            if (hit) want.push(t.id);
          }
          for (const id of want) naive.delete(id);
          expect(ids(idx.onBid("T", bid))).toEqual(want.sort((a, b) => a - b));
          for (const t of naive.values()) if (t.kind === "trailing_stop") expect(idx.get(t.id)!.highWater).toBe(t.highWater);
        }
      }
      expect(idx.size).toBe(naive.size);
    }
  });
});
