import { describe, expect, it } from "vitest";
import { cronPlan, IDLE_DB_EVERY_MINUTES, MARKET_SYNC_EVERY_MINUTES } from "./cron";

describe("cronPlan", () => {
  it.each([
    ["busy, an ordinary minute: Postgres work, no sync", 7, false, { database: true, sync: false }],
    ["busy, a tenth minute: Postgres work and the sync", MARKET_SYNC_EVERY_MINUTES, false, { database: true, sync: true }],
    ["idle, an ordinary minute: nothing", 7, true, { database: false, sync: false }],
    ["idle, a tenth minute off the idle cadence: no sync either", MARKET_SYNC_EVERY_MINUTES, true, { database: false, sync: false }],
    ["idle, on the idle cadence: everything (the sync falls on it too)", IDLE_DB_EVERY_MINUTES, true, { database: true, sync: true }],
    ["idle, the top of the hour", 0, true, { database: true, sync: true }],
  ] as const)("%s", (_name, minute, idle, want) => {
    expect(cronPlan(minute, idle)).toEqual(want);
  });
});
