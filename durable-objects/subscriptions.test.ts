import { describe, expect, it } from "vitest";
import { SubscriptionIntent } from "./subscriptions";
import { TouchLog } from "./touch-log";

describe("SubscriptionIntent", () => {
  it("reference-counts tokens per ref", () => {
    const s = new SubscriptionIntent();
    expect(s.want(["a", "b"], "pos:1")).toEqual({ added: ["a", "b"], removed: [] });
    expect(s.want(["a"], "pos:2")).toEqual({ added: [], removed: [] });
    expect(s.unwant(["a", "b"], "pos:1")).toEqual({ added: [], removed: ["b"] });
    expect(s.refs("a")).toEqual(["pos:2"]);
    expect(s.unwant(["a"], "pos:3")).toEqual({ added: [], removed: [] });
    expect(s.heldBy("pos:2")).toEqual(["a"]);
    expect(s.dropRef("pos:2")).toEqual({ added: [], removed: ["a"] });
    expect(s.size).toBe(0);
  });

  it("reconciles one kind of ref against the database's truth", () => {
    const s = new SubscriptionIntent();
    s.want(["a"], "pos:1"); // closed while we were away
    s.want(["b"], "pos:2"); // still open
    s.want(["c"], "alert:9"); // another kind: untouched
    const change = s.reconcile(
      "pos:",
      new Map([
        ["pos:2", ["b"]],
        ["pos:3", ["d", "e"]], // opened, subscribe call lost
      ]),
      1_000,
    );
    expect(change.removed).toEqual(["a"]);
    expect(change.added.sort()).toEqual(["d", "e"]);
    expect(s.tokens().sort()).toEqual(["b", "c", "d", "e"]);
    expect(s.entries().length).toBe(4);
  });

  // The race the guard exists for: the reconcile read Postgres at t=100; meanwhile (t ≥ 100) one
  // position opened and one closed through RPC. The database's answer predates both changes.
  it.each([
    ["a position opened after the read stays subscribed", (s: SubscriptionIntent) => s.want(["n"], "pos:7", 150), new Map<string, string[]>(), ["n"]],
    ["a position released after the read is not brought back", (s: SubscriptionIntent) => s.dropRef("pos:1", 100), new Map([["pos:1", ["a"]]]), []],
    ["a change before the read yields to the database", (s: SubscriptionIntent) => s.want(["n"], "pos:7", 99), new Map<string, string[]>(), []],
  ] as const)("%s", (_name, change, truth, expected) => {
    const s = new SubscriptionIntent();
    s.want(["a"], "pos:1", 10);
    change(s);
    s.reconcile("pos:", truth, 100);
    expect(s.tokens().sort()).toEqual([...expected]);
  });

  it("forgets a change once a reconcile that read after it has run", () => {
    const s = new SubscriptionIntent();
    s.want(["n"], "pos:7", 150);
    s.reconcile("pos:", new Map(), 100); // kept: newer than this read
    expect(s.tokens()).toEqual(["n"]);
    s.reconcile("pos:", new Map(), 200); // this read is newer than the change: the database wins
    expect(s.tokens()).toEqual([]);
  });
});

describe("TouchLog", () => {
  it("answers which keys changed at or after a read and forgets the older ones", () => {
    const log = new TouchLog<number>();
    log.touch(1, 10);
    log.touch(2, 20);
    log.touch(3, 30);
    expect([log.isNewer(1, 20), log.isNewer(2, 20), log.isNewer(4, 0)]).toEqual([false, true, false]);
    expect(log.settle(20)).toEqual([2, 3]);
    expect(log.isNewer(1, 0)).toBe(false); // forgotten
    expect(log.settle(31)).toEqual([]);
  });
});
