import { describe, expect, it } from "vitest";
import { CachedProbe } from "./cached-probe";

describe("CachedProbe", () => {
  it("answers a burst with one check and reuses it until it is ttl old", async () => {
    let t = 1_000;
    let calls = 0;
    const probe = new CachedProbe(async () => void calls++, 5_000, () => t);
    const burst = await Promise.all(Array.from({ length: 50 }, () => probe.read()));
    expect(calls).toBe(1);
    expect(new Set(burst).size).toBe(1);
    t += 4_999;
    await probe.read();
    expect(calls).toBe(1);
    t += 1;
    await probe.read();
    expect(calls).toBe(2);
  });

  it("a failing check is 'down' without its error, and is retried after the ttl", async () => {
    let t = 0;
    let fail = true;
    const probe = new CachedProbe(async () => {
      if (fail) throw new Error("password authentication failed for user \"neondb_owner\"");
    }, 1_000, () => t);
    const down = await probe.read();
    expect(down).toEqual({ up: false, latencyMs: 0, checkedAt: 0 });
    fail = false;
    expect((await probe.read()).up).toBe(false);
    t = 1_000;
    expect((await probe.read()).up).toBe(true);
    expect(probe.checks).toBe(2);
  });
});
