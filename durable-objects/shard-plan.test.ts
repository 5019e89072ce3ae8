import { describe, expect, it } from "vitest";
import { ShardPlan } from "./shard-plan";

const toks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `t${from + i}`);

describe("ShardPlan", () => {
  it("fills shards up to capacity and opens new ones", () => {
    const plan = new ShardPlan(200);
    const diff = plan.assign(toks(1000));
    expect(plan.shardIds()).toEqual([0, 1, 2, 3, 4]);
    for (const id of plan.shardIds()) expect(plan.tokensOf(id)).toHaveLength(200);
    expect([...diff.values()].flat()).toHaveLength(1000);
    expect(plan.tokenCount).toBe(1000);
  });

  it("keeps placed tokens in place and reuses freed room", () => {
    const plan = new ShardPlan(3);
    plan.assign(toks(7)); // 0:[t0,t1,t2] 1:[t3,t4,t5] 2:[t6]
    expect(plan.shardOf("t4")).toBe(1);
    const released = plan.release(["t1", "t6", "nope"]);
    expect(released).toEqual(new Map([[0, ["t1"]], [2, ["t6"]]]));
    expect(plan.shardIds()).toEqual([0, 1]);
    const added = plan.assign(["t4", "n1", "n2"]);
    expect(added).toEqual(new Map([[0, ["n1"]], [2, ["n2"]]]));
    expect(plan.shardOf("t4")).toBe(1);
  });

  it("never exceeds capacity under random churn", () => {
    const plan = new ShardPlan(5);
    const live = new Set<string>();
    let next = 0;
    for (let i = 0; i < 2000; i++) {
      if (Math.random() < 0.6 || live.size === 0) {
        const t = `x${next++}`;
        plan.assign([t]);
        live.add(t);
      } else {
        const t = [...live][Math.floor(Math.random() * live.size)]!;
        plan.release([t]);
        live.delete(t);
      }
      for (const id of plan.shardIds()) expect(plan.tokensOf(id).length).toBeLessThanOrEqual(5);
    }
    expect(plan.tokenCount).toBe(live.size);
  });
});
