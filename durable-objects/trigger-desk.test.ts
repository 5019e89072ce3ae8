import { describe, expect, it } from "vitest";
import { sqliteStorage } from "../test/do-support/sqlite-storage";
import type { BookQuote } from "../workers/polymarket/types";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "../workers/triggers/types";
import { Metrics } from "./metrics";
import { StreamerCore } from "./streamer-core";
import { StreamerSqlite } from "./streamer-sqlite";
import { TriggerDesk } from "./trigger-desk";

const quote = (tokenId: string, bid: number): BookQuote => ({
  tokenId, bids: [{ price: bid, size: 100_000_000 }], asks: [{ price: bid + 20_000, size: 100_000_000 }], tickSize: "0.01", lastTradePrice: undefined, updatedAt: 0, source: "poll",
});
const sl = (id: number, level: number, positionId = id): ArmedTrigger => ({ id, positionId, userId: 1, tokenId: "T", kind: "stop_loss", level, onFailure: "rearm" });

function desk(run: (f: FiredTrigger) => Promise<FireRecord>) {
  const core = new StreamerCore();
  const sqlite = new StreamerSqlite(sqliteStorage());
  const metrics = new Metrics();
  let now = 1_000;
  const d = new TriggerDesk({ core, sqlite, metrics, now: () => now, run });
  return { d, core, sqlite, metrics, tick: (ms: number) => (now += ms) };
}
const sold = (f: FiredTrigger): FireRecord => ({ trigger: f.trigger, outcome: "sold", reason: "position closed", bid: f.bid, source: f.source, priceAgeMs: 1, latencyMs: 12.3456 });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("TriggerDesk", () => {
  it("arms into the index and the object's storage; a recheck fires what the bid already crosses, once", async () => {
    const runs: FiredTrigger[] = [];
    const { d, core, sqlite, metrics } = desk(async (f) => (runs.push(f), sold(f)));
    core.ingestPolled(quote("T", 380_000), 0);
    d.arm([sl(1, 400_000), sl(2, 300_000)]);
    expect(sqlite.loadTriggers().map((t) => t.id).sort()).toEqual([1, 2]);
    d.recheck(["T", "T"]);
    await settle();
    expect(runs.map((f) => [f.trigger.id, f.bid, f.source])).toEqual([[1, 380_000, "poll"]]);
    expect(sqlite.loadTriggers().map((t) => t.id)).toEqual([2]); // a fired trigger leaves storage
    expect([d.armed, metrics.value("polycool_trigger_fires_total", { outcome: "sold" })]).toEqual([1, 1]);
    const status = d.statusInput(2_000);
    expect(status.recent[0]).toMatchObject({ triggerId: 1, outcome: "sold", latencyMs: 12.346 });
    expect(status.latencyP50).toBeCloseTo(12.3456);
  });

  it("a run that throws puts the trigger back in the index and storage for the next move", async () => {
    const { d, core, sqlite } = desk(async () => Promise.reject(new Error("database down")));
    core.ingestPolled(quote("T", 500_000), 0);
    d.arm([sl(1, 400_000)]);
    core.ingestPolled(quote("T", 390_000), 1).forEach((f) => d.fire(f));
    expect(sqlite.loadTriggers()).toEqual([]);
    await settle();
    expect([d.armed, d.waiting, sqlite.loadTriggers().map((t) => t.id)]).toEqual([1, 1, [1]]); // held back a few seconds, not lost
  });

  it("reconciles with Postgres: drops what it no longer holds unless armed after the read, keeps a higher high water", () => {
    const { d, core, sqlite, tick } = desk(async (f) => sold(f));
    const trail: ArmedTrigger = { id: 5, positionId: 5, userId: 1, tokenId: "T", kind: "trailing_stop", trail: 50_000, highWater: 600_000, onFailure: "rearm" };
    d.rearm([sl(1, 300_000), { ...trail, highWater: 700_000 }]); // restored from storage: not armed by RPC
    tick(10);
    const readAt = 1_010;
    tick(5);
    d.arm([sl(3, 200_000)]); // armed through RPC after the read began
    d.reconcile([trail, sl(4, 250_000)], readAt);
    expect(core.triggers.all().map((t) => t.id).sort()).toEqual([3, 4, 5]);
    expect(core.triggers.get(5)?.highWater).toBe(700_000);
    expect(sqlite.loadTriggers().map((t) => t.id).sort()).toEqual([3, 4, 5]);
    // A later reconcile whose read came after the RPC arm: Postgres decides.
    d.reconcile([trail], 2_000);
    expect(core.triggers.all().map((t) => t.id)).toEqual([5]);
  });

  it("a failed fire waits out its retry time: no fire on every frame meanwhile, then fires if still crossed", async () => {
    const runs: FiredTrigger[] = [];
    const { d, core, tick } = desk(async (f) => (runs.push(f), sold(f)));
    core.ingestPolled(quote("T", 390_000), 0);
    d.rearm([{ ...sl(1, 400_000), attempts: 1, retryAt: 6_000 }]); // the runner re-armed it with a 5 s backoff
    expect([d.armed, d.waiting]).toEqual([1, 1]);
    for (let i = 0; i < 5; i++) core.ingestPolled(quote("T", 380_000 - i * 1_000), i).forEach((f) => d.fire(f));
    d.recheck(["T"]);
    d.tick(5_999);
    await settle();
    expect(runs).toHaveLength(0);
    tick(5_000);
    d.tick(6_000);
    await settle();
    expect(runs.map((f) => f.trigger.id)).toEqual([1]);
    expect(d.waiting).toBe(0);
  });

  it("a reconcile keeps a retry time (Postgres' or its own, the later) and drops a waiting trigger Postgres no longer holds", () => {
    const { d, core } = desk(async (f) => sold(f));
    d.rearm([{ ...sl(1, 400_000), retryAt: 9_000 }, { ...sl(2, 300_000), retryAt: 9_000 }]);
    d.reconcile([{ ...sl(1, 400_000), retryAt: 4_000 }], 1_000);
    expect([d.armed, d.waiting, core.triggers.size]).toEqual([1, 1, 0]);
    d.tick(8_999);
    expect(core.triggers.size).toBe(0);
    d.tick(9_000);
    expect(core.triggers.all().map((t) => t.id)).toEqual([1]);
  });

  it("runs at most FIRES_AT_ONCE fires at a time, the rest in the order they came", async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const { d } = desk((f) => new Promise((resolve) => {
      started.push(f.trigger.id);
      finish.push(() => resolve(sold(f)));
    }));
    const crossing = (id: number): FiredTrigger => ({ trigger: sl(id, 400_000), level: 400_000, bid: 390_000, source: "ws", receivedAt: 0, bookTime: 0 });
    for (let id = 1; id <= 10; id++) d.fire(crossing(id));
    expect([started, d.queued]).toEqual([[1, 2, 3], 7]);
    while (finish.length) {
      finish.shift()!();
      await settle();
      await settle();
    }
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([d.queued, d.queuedPeak]).toEqual([0, 7]);
  });

  it("disarms from the index and storage", () => {
    const { d, sqlite } = desk(async (f) => sold(f));
    d.arm([sl(1, 300_000), sl(2, 200_000)]);
    d.disarm([1]);
    expect([d.armed, sqlite.loadTriggers().map((t) => t.id)]).toEqual([1, [2]]);
  });
});
