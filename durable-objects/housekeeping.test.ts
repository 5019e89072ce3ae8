import { describe, expect, it } from "vitest";
import { Housekeeping, type KeyValueStorage } from "./housekeeping";

function memory(): KeyValueStorage {
  const m = new Map<string, unknown>();
  return {
    get: (async (k: string) => m.get(k)) as KeyValueStorage["get"],
    put: (async (k: string, v: unknown) => void m.set(k, v)) as KeyValueStorage["put"],
    delete: (async (k: string) => m.delete(k)) as KeyValueStorage["delete"],
  };
}

describe("Housekeeping", () => {
  it("keeps the earliest requested sweep, runs it once when due, retries a failed one later, and schedules what falls due next", async () => {
    let now = 1_000;
    let fail = true;
    const sweeps: number[] = [];
    const h = new Housekeeping(memory(), async (at) => {
      sweeps.push(at);
      if (fail) throw new Error("Telegram down");
      return { report: { deleted: 1 }, nextAt: at + 60_000 };
    }, () => now);
    await h.schedule(61_000);
    await h.schedule(90_000); // later: the earlier one stands
    expect(await h.dueAt()).toBe(61_000);
    await h.runIfDue(); // not due yet
    expect(sweeps).toEqual([]);
    now = 61_000;
    await h.runIfDue();
    expect([sweeps, await h.dueAt()]).toEqual([[61_000], 91_000]); // failed: tried again 30 s later
    fail = false;
    now = 91_000;
    await h.runIfDue();
    expect([sweeps.length, await h.dueAt()]).toEqual([2, 151_000]); // what falls due next is scheduled
  });
});
