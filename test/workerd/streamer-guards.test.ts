// Every runtime callback of the streamer is guarded: an exception thrown inside one (a frame, a
// socket event, a timer tick, a polled book, the alarm, a reconcile, a resolution) is counted in
// polycool_callback_errors_total and the object keeps streaming.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../workers/db/client";
import { claimMarket } from "../support/market-claims";
import { eventually, type PmMarket, polymarketControl } from "../support/polymarket-control";

const pm = polymarketControl(inject("polymarket").controlUrl);
const db = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }).db;
let markets: PmMarket[] = [];
beforeAll(async () => {
  markets = await pm.markets();
});

type Stub = ReturnType<typeof env.STREAMER.getByName>;
// The object's parts are private: the tests reach in to make one call throw, exactly once.
type Parts = Record<string, Record<string, unknown>> & Record<string, unknown>;

/** Makes `owner[method]` throw (or reject) on its next call only; later calls behave as before. */
function failOnce(owner: Record<string, unknown>, method: string, async = false): void {
  const original = owner[method] as (...a: unknown[]) => unknown;
  let armed = true;
  owner[method] = (...args: unknown[]) => {
    if (!armed) return original.apply(owner, args);
    armed = false;
    const err = new Error(`injected failure in ${method}`);
    if (async) return Promise.reject(err);
    throw err;
  };
}

async function caught(stub: Stub, callback: string): Promise<number> {
  const text = await stub.metricsText();
  const m = new RegExp(`^polycool_callback_errors_total\\{callback="${callback}"\\} (\\d+)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

/** A fresh object streaming one fresh market, with a book. */
async function streaming(name: string) {
  const m = await claimMarket(db, markets, { tickSize: "0.01" });
  const stub = env.STREAMER.getByName(`${name}-${Math.random().toString(36).slice(2, 8)}`);
  await stub.want([m.tokenIds[0]], `test:${name}`);
  await eventually(async () => (await stub.quote(m.tokenIds[0])) !== null, "a live book");
  return { m, stub };
}

/** A move after the failure still reaches the object's book: it keeps streaming. */
async function stillStreaming(stub: Stub, m: PmMarket, bid: string) {
  await pm.move(m.tokenIds[0], bid);
  const micros = Math.round(Number(bid) * 1e6);
  await eventually(async () => (await stub.quote(m.tokenIds[0]))?.bids[0]?.price === micros, `the book at ${bid} after the failure`, 15_000);
}

describe("streamer: guarded runtime callbacks", () => {
  it("a frame handler that throws is counted; the next frames are applied", async () => {
    const { m, stub } = await streaming("guard-frame");
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).core!, "ingest"));
    await pm.move(m.tokenIds[0], "0.31");
    await eventually(async () => (await caught(stub, "frame")) === 1, "one frame failure counted");
    await stillStreaming(stub, m, "0.33");
  });

  it("a timer tick that throws is counted; the next ticks run", async () => {
    const { m, stub } = await streaming("guard-tick");
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).poller!, "tick"));
    await eventually(async () => (await caught(stub, "tick")) === 1, "one tick failure counted", 5_000);
    await stillStreaming(stub, m, "0.34");
  });

  it("a socket event handler that throws is counted; the shard still reconnects", async () => {
    const { m, stub } = await streaming("guard-event");
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).w!, "onShardEvent"));
    await pm.drop();
    await eventually(async () => (await caught(stub, "shard_event")) === 1, "one event failure counted");
    await stillStreaming(stub, m, "0.35");
  });

  it("a polled book that throws is counted; polling and the stream carry on", async () => {
    const { m, stub } = await streaming("guard-poll");
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).core!, "ingestPolled"));
    const [conn] = (await pm.connections()).filter((c) => c.assetIds.includes(m.tokenIds[0]));
    await pm.stall(6_000, conn!.id); // data silence past STREAMER_STALE_MS: the token is polled
    await eventually(async () => (await caught(stub, "polled_book")) === 1, "one polled-book failure counted", 15_000);
    await stillStreaming(stub, m, "0.36");
  }, 30_000);

  it("an alarm that throws is counted, resolves, and sets the next alarm", async () => {
    const { m, stub } = await streaming("guard-alarm");
    await runInDurableObject(stub, async (inst, state) => {
      failOnce((inst as unknown as Parts).housekeeping!, "runIfDue", true);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await caught(stub, "alarm")).toBe(1);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
    await stillStreaming(stub, m, "0.37");
  });

  it("a reconcile that throws is counted; the next reconcile works", async () => {
    const { m, stub } = await streaming("guard-reconcile");
    // The reconcile's own read fails (learning the markets of what Postgres holds), nothing else's.
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).directory!, "learn", true));
    await stub.reconcileNow();
    expect(await caught(stub, "reconcile")).toBe(1);
    await stub.reconcileNow();
    expect(await caught(stub, "reconcile")).toBe(1);
    expect((await stub.status()).lastReconcileAt).not.toBeNull();
    await stillStreaming(stub, m, "0.38");
  });

  it("a resolution that throws is counted; the stream goes on", async () => {
    const { m, stub } = await streaming("guard-resolution");
    await runInDurableObject(stub, (inst) => failOnce((inst as unknown as Parts).w!, "resolve", true));
    const other = await claimMarket(db, markets, { tickSize: "0.01" });
    await stub.want([other.tokenIds[0]], "test:guard-resolution");
    await eventually(async () => (await stub.quote(other.tokenIds[0])) !== null, "the second market's book");
    await pm.resolve(other.id, 0);
    await eventually(async () => (await caught(stub, "resolution")) === 1, "one resolution failure counted");
    await stillStreaming(stub, m, "0.39");
  });
});

