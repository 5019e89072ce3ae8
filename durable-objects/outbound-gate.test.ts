import { describe, expect, it } from "vitest";
import { OutboundGate } from "./outbound-gate";

describe("OutboundGate", () => {
  it("never has more than the limit waiting for headers; the rest queue in order", async () => {
    const pending: Array<{ url: string; answer: () => void }> = [];
    const gate = new OutboundGate(6, (url) => new Promise((resolve) => pending.push({ url, answer: () => resolve(new Response("ok")) })));
    const done: string[] = [];
    const calls = Array.from({ length: 20 }, (_, i) => gate.fetch(`u${i}`).then(() => void done.push(`u${i}`)));
    await Promise.resolve();
    expect([pending.length, gate.active, gate.waiting]).toEqual([6, 6, 14]);
    while (pending.length) {
      pending.shift()!.answer();
      await new Promise((r) => setTimeout(r, 0));
      expect(gate.active).toBeLessThanOrEqual(6);
    }
    await Promise.all(calls);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`));
    expect([gate.peak, gate.active, gate.total]).toEqual([6, 0, 20]);
  });

  it("a failed call frees its slot", async () => {
    const gate = new OutboundGate(1, async () => Promise.reject(new Error("down")));
    await expect(gate.fetch("a")).rejects.toThrow("down");
    await expect(gate.fetch("b")).rejects.toThrow("down");
    expect(gate.active).toBe(0);
  });
});
