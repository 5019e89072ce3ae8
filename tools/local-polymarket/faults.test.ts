// HTTP fault switches of the local Polymarket: 5xx, 429 with Retry-After, delays, counts, durations, routes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Faults } from "./faults";
import { startLocalPolymarket, type LocalPolymarket } from "./server";

describe("Faults (pure)", () => {
  it.each([
    ["*", "GET", "/gamma/markets", true],
    ["/clob/book", "GET", "/clob/book", true],
    ["/clob/book", "GET", "/clob/books", false],
    ["POST /clob/order", "POST", "/clob/order", true],
    ["POST /clob/order", "DELETE", "/clob/order", false],
    ["/clob/*", "GET", "/clob/price", true],
    ["/clob/*", "GET", "/gamma/markets", false],
    ["GET /gamma/*", "GET", "/gamma/events", true],
    ["GET /gamma/*", "POST", "/gamma/events", false],
  ])("route %s matches %s %s: %s", (route, method, path, hit) => {
    const f = new Faults(() => 0);
    f.add({ kind: "error", route });
    expect(f.take(["error"], method, path) !== undefined).toBe(hit);
  });

  it("disarms after count uses and after durationMs", () => {
    let now = 0;
    const f = new Faults(() => now);
    f.add({ kind: "error", count: 2 });
    f.add({ kind: "delay", durationMs: 100, ms: 5 });
    expect([1, 2, 3].map(() => f.take(["error"], "GET", "/x")?.hits)).toEqual([1, 2, undefined]);
    expect(f.take(["delay"], "GET", "/x")?.ms).toBe(5);
    now = 100;
    expect(f.take(["delay"], "GET", "/x")).toBeUndefined();
    expect(f.list()).toEqual([]);
    expect(() => f.add({ kind: "nope" as never })).toThrow(/unknown fault kind/);
  });
});

describe("over HTTP", () => {
  let lp: LocalPolymarket;
  beforeAll(async () => {
    lp = await startLocalPolymarket({ seed: "faults-test", noNewAssetsMs: 0 });
  });
  afterAll(() => lp.stop());
  beforeEach(() => lp.reset());

  it("answers 5xx for count requests of the route only, then recovers", async () => {
    lp.faults.add({ kind: "error", route: "GET /clob/version", count: 2, status: 502, message: "Bad Gateway" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${lp.clobUrl}/version`)).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(await (await fetch(`${lp.clobUrl}/ok`)).json()).toBe("OK");
  });

  it("answers 429 with Retry-After", async () => {
    lp.faults.add({ kind: "rate-limit", route: "/gamma/*", count: 1, retryAfter: 7 });
    const res = await fetch(`${lp.gammaUrl}/markets`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ error: "Too Many Requests" });
  });

  it("delays answers by ms", async () => {
    lp.faults.add({ kind: "delay", route: "/clob/time", count: 1, ms: 150 });
    const t0 = performance.now();
    expect((await fetch(`${lp.clobUrl}/time`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("is driven over the control API too, and the control API itself is never faulted", async () => {
    const add = await fetch(`${lp.httpUrl}/_control/fault`, { method: "POST", body: JSON.stringify({ kind: "error", route: "*", status: 500 }) });
    const rule = (await add.json()) as { id: number };
    expect((await fetch(`${lp.clobUrl}/version`)).status).toBe(500);
    const state = (await (await fetch(`${lp.httpUrl}/_control/state`)).json()) as { faults: unknown[] };
    expect(state.faults).toHaveLength(1);
    await fetch(`${lp.httpUrl}/_control/fault`, { method: "DELETE", body: JSON.stringify({ id: rule.id }) });
    expect((await fetch(`${lp.clobUrl}/version`)).status).toBe(200);
    expect((await fetch(`${lp.httpUrl}/_control/fault`, { method: "POST", body: JSON.stringify({ kind: "meltdown" }) })).status).toBe(400);
  });
});
