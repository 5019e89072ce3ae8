import { describe, expect, it } from "vitest";
import { ACTIVITY_GRACE_MS, cronMayRest, IDLE_ALARM_MS, IDLE_RECONCILE_MS, nextAlarmAt, RECONCILE_MS, reconcileDue, WATCHDOG_MS } from "./alarm-plan";
import { NO_BOOK_GRACE_MS, type ShardView, tokensToPoll } from "./poll-plan";

describe("nextAlarmAt", () => {
  const base = { now: 1_000_000, busy: true, polling: false, pollMs: 3_000, sweepAt: undefined, current: null };
  it.each([
    ["idle with nothing scheduled: the slow cadence", { busy: false }, 1_000_000 + IDLE_ALARM_MS],
    ["idle and polling (nothing to poll): still the slow cadence", { busy: false, polling: true }, 1_000_000 + IDLE_ALARM_MS],
    ["idle, the busy watchdog still set: left to fire, then slow", { busy: false, current: 1_000_000 + WATCHDOG_MS }, null],
    ["busy, no alarm yet: the watchdog", {}, 1_000_000 + WATCHDOG_MS],
    ["busy and polling: the poll cadence when sooner", { polling: true }, 1_003_000],
    ["polling slower than the watchdog: the watchdog", { polling: true, pollMs: 60_000 }, 1_000_000 + WATCHDOG_MS],
    ["a sweep sooner than the watchdog", { sweepAt: 1_005_000 }, 1_005_000],
    ["idle but a sweep is due before the slow alarm", { busy: false, sweepAt: 2_000_000 }, 2_000_000],
    ["idle, a sweep due after the slow alarm: the slow alarm", { busy: false, sweepAt: 1_000_000 + IDLE_ALARM_MS + 1 }, 1_000_000 + IDLE_ALARM_MS],
    ["an alarm already sooner stays", { current: 1_001_000 }, null],
    ["an alarm later than needed is moved sooner", { current: 1_100_000 }, 1_000_000 + WATCHDOG_MS],
  ] as const)("%s", (_name, over, want) => {
    expect(nextAlarmAt({ ...base, ...over })).toBe(want);
  });
});

describe("reconcileDue", () => {
  const now = 10_000_000;
  it.each([
    ["never reconciled, busy", 0, true, true],
    ["never reconciled, idle", 0, false, true],
    ["busy, just under the busy cadence", now - RECONCILE_MS + 1, true, false],
    ["busy, at the busy cadence", now - RECONCILE_MS, true, true],
    ["idle, past the busy cadence but not the idle one: no read", now - RECONCILE_MS - 1, false, false],
    ["idle, at the idle cadence", now - IDLE_RECONCILE_MS, false, true],
  ] as const)("%s", (_name, lastAt, busy, want) => {
    expect(reconcileDue(now, lastAt, busy)).toBe(want);
  });
});

describe("cronMayRest", () => {
  const now = 50_000_000;
  it.each([
    ["busy: never", true, 0, false],
    ["idle, no trading call ever", false, 0, true],
    ["idle, a quote a minute ago (a buy may be in flight)", false, now - 60_000, false],
    ["idle, the last trading call just past the grace", false, now - ACTIVITY_GRACE_MS, true],
  ] as const)("%s", (_name, busy, lastActivityAt, want) => {
    expect(cronMayRest(now, busy, lastActivityAt)).toBe(want);
  });
});

describe("tokensToPoll", () => {
  const shard = (healthy: boolean, openedAt: number | undefined, tokens: string[]): ShardView => ({ healthy: () => healthy, openedAt, tokens });
  const now = 100_000;
  it.each([
    ["the stream off: every wanted token", false, [shard(true, 0, ["a"])], [], ["w1", "w2"]],
    ["a down shard: all its tokens", true, [shard(false, undefined, ["a", "b"]), shard(true, now, ["c"])], [], ["a", "b"]],
    ["a healthy shard past the grace: only tokens without a book", true, [shard(true, now - NO_BOOK_GRACE_MS - 1, ["a", "b"])], ["a"], ["b"]],
    ["a young healthy shard: nothing yet", true, [shard(true, now - NO_BOOK_GRACE_MS, ["a", "b"])], [], []],
  ] as const)("%s", (_name, streaming, shards, booked, want) => {
    expect(tokensToPoll({ streaming, wanted: () => ["w1", "w2"], shards, hasBook: (t) => booked.includes(t as never), now })).toEqual(want);
  });
});
