// An idle product (no open position, no armed trigger, no trading call for 10 minutes) lets Neon's compute and the streamer sleep:
// no flush, no polling, no socket, the alarm at the slow cadence, and no database statement from the
// cron or the object for a minute — counted at the pool, in this isolate (issue #24).
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, inject, it } from "vitest";
import { IDLE_ALARM_MS, RECONCILED_AT_KEY } from "../../durable-objects/alarm-plan";
import { IDLE_DB_EVERY_MINUTES, runCron } from "../../workers/cron";
import { createDb, statementsSent } from "../../workers/db/client";
import { claimMarket } from "../support/market-claims";
import { eventually, polymarketControl } from "../support/polymarket-control";

const MINUTE = 60_000;
const stub = env.STREAMER.getByName(`idle-${Math.random().toString(36).slice(2, 8)}`);

afterAll(async () => {
  await abortAllDurableObjects();
  await seedDb.close();
});

const pm = polymarketControl(inject("polymarket").controlUrl);
const seedDb = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY });

/**
 * An object that reconciled a moment ago and found nothing to do. Seeded, not read: the shared test
 * database holds other tests' open positions, which a real reconciliation would (rightly) subscribe to.
 */
async function reconciledJustNow(of: typeof stub = stub): Promise<void> {
  await runInDurableObject(of, (_instance, state) => state.storage.kv.put(RECONCILED_AT_KEY, Date.now()));
  await evictDurableObject(of); // the next call builds the object again from its storage
}

describe("idle product", () => {
  it("makes no database statement for a minute: cron runs, kicks, the alarm, the ticks", async () => {
    await reconciledJustNow();
    const before = statementsSent();
    // An hour boundary aligned so the minutes below are all off the idle database cadence.
    const hour = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE;
    const kick = await stub.kick();
    expect(kick).toEqual({ subscribed: 0, triggers: 0, idle: true });
    // Every cron run of the idle stretch (here 29 minutes' worth, the minute of the issue included).
    for (let minute = 1; minute < IDLE_DB_EVERY_MINUTES; minute++) await runCron(hour + minute * MINUTE, env, stub);
    // The alarm firing early changes nothing either.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The object's 1 s driver is not running: give it what would be a few ticks.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(statementsSent() - before).toBe(0);

    const status = await stub.status();
    expect(status.shards).toEqual([]);
    expect(status.connected).toBe(false);
    expect(status.subscribedCount).toBe(0);
    expect(status.poll).toMatchObject({ active: false, requests: 0 });
    expect(status.flush).toMatchObject({ pending: 0, ok: 0, errors: 0 });
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm! - Date.now()).toBeGreaterThan(IDLE_ALARM_MS - MINUTE);
  });

  it("going idle closes the sockets and moves the alarm to the slow cadence", async () => {
    const busy = env.STREAMER.getByName(`idle-busy-${Math.random().toString(36).slice(2, 8)}`);
    await reconciledJustNow(busy);
    const m = await claimMarket(seedDb.db, await pm.markets(), {});
    await busy.want([m.tokenIds[0]], "test:idle");
    await eventually(async () => ((await busy.status()).connected ? true : undefined), "the shard open");
    expect((await busy.kick()).idle).toBe(false);
    await busy.unwant([m.tokenIds[0]], "test:idle");
    const status = await busy.status();
    expect(status.shards).toEqual([]);
    expect(status.subscribedCount).toBe(0);
    await eventually(async () => ((await pm.connections()).some((c) => c.assetIds.includes(m.tokenIds[0])) ? undefined : true), "the socket closed at Polymarket");
    // The busy watchdog alarm fires once more, then the slow cadence takes over.
    expect(await runDurableObjectAlarm(busy)).toBe(true);
    const alarm = await runInDurableObject(busy, (_i, state) => state.storage.getAlarm());
    expect(alarm! - Date.now()).toBeGreaterThan(IDLE_ALARM_MS - MINUTE);
    // Still not idle for the cron: a trading call came a moment ago (a buy could be in flight).
    expect((await busy.kick()).idle).toBe(false);
  });

  it("the counter sees the object's statements (so the zero above is not blindness)", async () => {
    const before = statementsSent();
    await stub.reconcileNow(); // a real read of open positions and armed triggers
    expect(statementsSent() - before).toBeGreaterThan(0);
  });
});
