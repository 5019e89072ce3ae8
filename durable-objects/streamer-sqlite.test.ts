import { describe, expect, it } from "vitest";
import { sqliteStorage } from "../test/do-support/sqlite-storage";
import type { ArmedTrigger } from "../workers/triggers/types";
import { StreamerSqlite } from "./streamer-sqlite";

const tp: ArmedTrigger = { id: 1, positionId: 10, userId: 5, tokenId: "A", kind: "take_profit", level: 700_000, onFailure: "rearm" };
const trail: ArmedTrigger = { id: 2, positionId: 10, userId: 5, tokenId: "A", kind: "trailing_stop", trail: 50_000, highWater: 640_000, onFailure: "disarm" };

describe("StreamerSqlite (the object's durable state)", () => {
  it("keeps wants per token and ref: add, remove, drop a ref, replace", () => {
    const sql = sqliteStorage();
    const s = new StreamerSqlite(sql);
    s.addWants(["A", "B"], "pos:1");
    s.addWants(["A"], "pos:2");
    s.addWants(["A"], "pos:2"); // idempotent
    s.removeWants(["B"], "pos:1");
    expect(s.loadWants().sort()).toEqual([["A", "pos:1"], ["A", "pos:2"]]);
    s.removeRef("pos:1");
    expect(s.loadWants()).toEqual([["A", "pos:2"]]);
    s.replaceWants([["C", "pos:3"]]);
    // A second instance over the same storage (an eviction) reads the same state.
    expect(new StreamerSqlite(sql).loadWants()).toEqual([["C", "pos:3"]]);
  });

  it("keeps the token→market mapping, replacing a token's row", () => {
    const s = new StreamerSqlite(sqliteStorage());
    s.saveMeta([{ tokenId: "A", marketId: "m1", outcomeIndex: 0, marketTokens: ["A", "B"] }]);
    s.saveMeta([{ tokenId: "A", marketId: "m1", outcomeIndex: 0, marketTokens: ["A", "B2"] }, { tokenId: "B2", marketId: "m1", outcomeIndex: 1, marketTokens: ["A", "B2"] }]);
    expect(s.loadMeta().sort((a, b) => a.tokenId.localeCompare(b.tokenId))).toEqual([
      { tokenId: "A", marketId: "m1", outcomeIndex: 0, marketTokens: ["A", "B2"] },
      { tokenId: "B2", marketId: "m1", outcomeIndex: 1, marketTokens: ["A", "B2"] },
    ]);
  });

  it("round-trips armed triggers exactly, deletes and replaces them", () => {
    const s = new StreamerSqlite(sqliteStorage());
    s.saveTriggers([tp, trail]);
    expect(s.loadTriggers().sort((a, b) => a.id - b.id)).toEqual([tp, trail]);
    s.saveTriggers([{ ...trail, highWater: 700_000 }]);
    expect(s.loadTriggers().find((t) => t.id === 2)?.highWater).toBe(700_000);
    s.deleteTriggers([1]);
    expect(s.loadTriggers().map((t) => t.id)).toEqual([2]);
    s.replaceTriggers([tp]);
    expect(s.loadTriggers()).toEqual([tp]);
  });

  it("keeps a stop's any-price choice and a failed fire's backoff, also in a table from before they existed", () => {
    const sql = sqliteStorage();
    sql.exec(`CREATE TABLE triggers (id INTEGER PRIMARY KEY, position_id INTEGER NOT NULL, token TEXT NOT NULL, kind TEXT NOT NULL, level INTEGER, trail INTEGER, high_water INTEGER, user_id INTEGER, on_failure TEXT)`);
    const s = new StreamerSqlite(sql);
    const stop: ArmedTrigger = { id: 3, positionId: 11, userId: 5, tokenId: "A", kind: "stop_loss", level: 400_000, onFailure: "rearm", anyPrice: true, attempts: 2, retryAt: 1_766_000_000_000 };
    s.saveTriggers([stop, tp]);
    expect(s.loadTriggers().sort((a, b) => a.id - b.id)).toEqual([tp, stop]);
    expect(() => new StreamerSqlite(sql)).not.toThrow(); // the columns are there now
  });

  it("skips trigger rows stored without an owner (the reconcile brings them back from Postgres)", () => {
    const sql = sqliteStorage();
    const s = new StreamerSqlite(sql);
    s.saveTriggers([tp]);
    sql.exec("INSERT INTO triggers (id, position_id, token, kind, level) VALUES (9, 90, 'A', 'stop_loss', 300000)");
    expect(s.loadTriggers()).toEqual([tp]);
  });

  it("counts every start of the object and keeps the latest start times, newest first", () => {
    const sql = sqliteStorage();
    expect(new StreamerSqlite(sql).recordStart(1_000, 3)).toEqual({ count: 1, recent: [1_000] });
    for (const at of [2_000, 3_000, 4_000]) new StreamerSqlite(sql).recordStart(at, 3);
    // A fifth instance (an eviction or a deploy) over the same storage: the count survives, only three times are kept.
    expect(new StreamerSqlite(sql).recordStart(5_000, 3)).toEqual({ count: 5, recent: [5_000, 4_000, 3_000] });
  });
});
