import { describe, expect, it } from "vitest";
import { Guards } from "./guard";
import { Metrics } from "./metrics";

const errorsOf = (m: Metrics, callback: string) => m.value("polycool_callback_errors_total", { callback });

describe("Guards", () => {
  it("a wrapped callback that throws or rejects is counted under its name and never escapes", async () => {
    const metrics = new Metrics();
    const g = new Guards(metrics);
    const seen: number[] = [];
    const frame = g.wrap("frame", (n: number) => {
      if (n === 2) throw new Error("bad frame");
      seen.push(n);
    });
    const write = g.wrap("write", async () => Promise.reject(new Error("db down")));
    for (const n of [1, 2, 3]) expect(() => frame(n)).not.toThrow();
    write();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([1, 3]);
    expect([errorsOf(metrics, "frame"), errorsOf(metrics, "write")]).toEqual([1, 1]);
  });

  it("run awaits, catches and counts; a callback that succeeds counts nothing", async () => {
    const metrics = new Metrics();
    const g = new Guards(metrics);
    await expect(g.run("alarm", async () => { throw new Error("storage"); })).resolves.toBeUndefined();
    let ran = false;
    await g.run("alarm", () => { ran = true; });
    expect([ran, errorsOf(metrics, "alarm")]).toEqual([true, 1]);
  });
});
