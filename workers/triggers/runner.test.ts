// Over 300 lines on purpose: every path of a fire (sold, refused, each failure, eviction, the exit rules) against one real-database rig.
// The fire runner against the real database and paper trading: what a fire sells, writes, records and tells.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedPosition, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { book, testDeps } from "../../test/support/trading";
import type { BookQuote } from "../polymarket/types";
import { BACKGROUND_RETRY_MS, CONFIRM_PRICE_OLDER_THAN_MS, runFiredTrigger, type RunnerDeps } from "./runner";
import { reconcileStale } from "../trading/reconcile";
import { RETRY_BASE_MS } from "./decide";
import { sweepFiredTriggers } from "./retry-store";
import { armReplacing, toArmed } from "./store";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "./types";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

async function armed(kind: "stop_loss" | "take_profit", level: string, bids: Array<[string, string]>, shares = "100") {
  const market = await seedMarket(db);
  const userId = await seedUser(db);
  const positionId = await seedPosition(db, { userId, market, shares, costBasis: "50" });
  const trading = testDeps(db);
  const build: { fail?: Error } = {};
  trading.books.set(book(market.tokenIds[0], { bids, asks: [["0.60", "1000"]] }));
  const r = await armReplacing(db, { positionId, userId, tokenId: market.tokenIds[0], kind, price: BigInt(Math.round(Number(level) * 1e6)), spec: level, onFailure: "rearm" });
  const trigger = toArmed(r!.row);
  const rearmed: ArmedTrigger[][] = [];
  const told: FireRecord[] = [];
  let now = 10_000;
  const confirm: { book: BookQuote | null } = { book: null };
  const deps: RunnerDeps = {
    db, trading: async () => {
      if (build.fail) throw build.fail;
      return trading;
    },
    now: () => now,
    confirmBook: async () => confirm.book,
    rearm: (list) => void rearmed.push(list),
    pause: () => [],
    notify: async (rec) => void told.push(rec),
    jumpConfirmBps: 3_000,
  };
  const fire = (bid: string, source: "ws" | "poll", receivedAt = now, prevBid?: string): FiredTrigger => ({
    trigger, level: trigger.level!, bid: Math.round(Number(bid) * 1e6), source, receivedAt, bookTime: 0, ...(prevBid ? { prevBid: Math.round(Number(prevBid) * 1e6) } : {}),
  });
  const row = async () => (await db.execute<{ status: string; attempts: number; retry_at: string | null }>(sql`SELECT status, attempts, retry_at FROM triggers WHERE id = ${trigger.id}`)).rows[0]!;
  const state = async () => ({
    trigger: (await row()).status,
    position: (await db.execute<{ status: string }>(sql`SELECT status FROM positions WHERE id = ${positionId}`)).rows[0]!.status,
    events: (await db.execute<{ outcome: string; price_source: string }>(sql`SELECT outcome, price_source FROM trigger_events WHERE trigger_id = ${trigger.id} ORDER BY id`)).rows,
  });
  const setLive = (bids: Array<[string, string]>, asks: Array<[string, string]> = [["0.60", "1000"]]) => trading.books.set(book(market.tokenIds[0], { bids, asks }));
  const sales = async () => (await db.execute<{ worst_price: string; filled_shares: string; avg_price: string | null }>(sql`SELECT trim_scale(worst_price)::text AS worst_price, trim_scale(filled_shares)::text AS filled_shares, trim_scale(avg_price)::text AS avg_price FROM orders WHERE position_id = ${positionId} ORDER BY id`)).rows;
  return { deps, fire, state, row, setLive, sales, rearmed, told, confirm, market, trading, build, trigger, positionId, now: () => now, advance: (ms: number) => (now += ms) };
}

describe("runFiredTrigger", () => {
  it("a fresh crossing sells the position, stays fired, cancels the other triggers, records the fire and tells the trader", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    const f = t.fire("0.39", "ws");
    const tp = await armReplacing(db, { positionId: f.trigger.positionId, userId: f.trigger.userId, tokenId: f.trigger.tokenId, kind: "take_profit", price: 800_000n, spec: "0.80", onFailure: "rearm" });
    const r = await runFiredTrigger(t.deps, f);
    expect(r).toMatchObject({ outcome: "sold", source: "ws" });
    expect(await t.state()).toEqual({ trigger: "fired", position: "closed", events: [{ outcome: "sold", price_source: "ws" }] });
    expect((await db.execute(sql`SELECT status FROM triggers WHERE id = ${tp!.row.id}`)).rows[0]).toEqual({ status: "cancelled" });
    expect([t.told.map((x) => x.outcome), t.rearmed]).toEqual([["sold"], [[]]]);
  });

  it("a stale price is confirmed over REST first: not confirmed, nothing is sold and the trigger goes back", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    const f = t.fire("0.39", "ws");
    t.advance(CONFIRM_PRICE_OLDER_THAN_MS + 1);
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.45", "1000"]] });
    const r = await runFiredTrigger(t.deps, f);
    expect(r).toMatchObject({ outcome: "refused", reason: "stale price not confirmed (bid now 0.45)" });
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active", events: [{ outcome: "refused" }] });
    expect(t.rearmed.map((l) => l.map((x) => x.id))).toEqual([[f.trigger.id]]);
  });

  it("a polled crossing confirmed over REST sells on the REST price", async () => {
    const t = await armed("stop_loss", "0.40", [["0.38", "1000"]]);
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.38", "1000"]] });
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "poll"));
    expect(r).toMatchObject({ outcome: "sold", source: "rest", bid: 380_000 });
  });

  it("a sale the book refuses re-arms the trigger in Postgres and in the index, and says why", async () => {
    const t = await armed("stop_loss", "0.40", []); // no bids at all: nothing to sell into
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(r.outcome).toBe("sell_failed");
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active", events: [{ outcome: "sell_failed" }] });
    expect(t.rearmed.map((l) => l.length)).toEqual([1]);
    expect(t.told.map((x) => x.outcome)).toEqual(["sell_failed"]);
  });
});

describe("runFiredTrigger: no failure loses a fire", () => {
  it("trading that cannot be built (a key missing from the keyring) re-arms in Postgres with a backoff, records it, tells the trader once", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    t.build.fail = new Error("keyring: no key for envelope version 7");
    const first = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(first).toMatchObject({ outcome: "sell_failed", attempts: 1, retryInMs: RETRY_BASE_MS });
    expect(first.reason).toContain("no key for envelope version 7");
    expect(await t.row()).toMatchObject({ status: "armed", attempts: 1 });
    expect(new Date((await t.row()).retry_at!).getTime()).toBe(t.now() + RETRY_BASE_MS);
    expect(t.rearmed[0]![0]).toMatchObject({ id: t.trigger.id, attempts: 1, retryAt: t.now() + RETRY_BASE_MS });
    t.advance(RETRY_BASE_MS);
    const again = await runFiredTrigger(t.deps, { ...t.fire("0.39", "ws"), trigger: t.rearmed[0]![0]! });
    expect(again).toMatchObject({ outcome: "sell_failed", attempts: 2, retryInMs: 2 * RETRY_BASE_MS, quiet: true });
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active", events: [{ outcome: "sell_failed" }, { outcome: "sell_failed" }] });
    expect(t.told.map((r) => r.outcome)).toEqual(["sell_failed"]); // once, not on every retry
    t.build.fail = undefined;
    t.advance(2 * RETRY_BASE_MS);
    const sold = await runFiredTrigger(t.deps, { ...t.fire("0.39", "ws"), trigger: t.rearmed[1]![0]! });
    expect(sold.outcome).toBe("sold");
    expect(t.told.map((r) => r.outcome)).toEqual(["sell_failed", "sold"]);
  });

  it("a sale that throws after the claim (the book source fails) gives the position back and re-arms in Postgres", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    t.trading.books.getBook = async () => {
      throw new Error("CLOB /book: socket hang up");
    };
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(r).toMatchObject({ outcome: "sell_failed", attempts: 1 });
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active", events: [{ outcome: "sell_failed" }] });
    expect(t.told).toHaveLength(1);
  });

  it("a REST failure while confirming a polled price retries with a backoff and says so once", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    t.deps.confirmBook = async () => {
      throw new Error("CLOB /books: HTTP 503");
    };
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "poll"));
    expect(r).toMatchObject({ outcome: "sell_failed", attempts: 1 });
    expect(r.reason).toContain("HTTP 503");
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active" });
    expect(t.told).toHaveLength(1);
  });

  it("a bid of exactly 1 and a crossing bid of 0 bound the sale instead of throwing", async () => {
    const tp = await armed("take_profit", "0.90", [["1", "1000"], ["0.95", "1000"]]);
    tp.confirm.book = book(tp.market.tokenIds[0], { bids: [["0.95", "1000"]], asks: [["0.97", "1000"]] }); // REST drops the level at 1
    expect((await runFiredTrigger(tp.deps, tp.fire("1", "ws"))).outcome).toBe("sold");
    const sl = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    const r = await runFiredTrigger(sl.deps, sl.fire("0", "ws"));
    expect(r.outcome).not.toBe("sell_failed");
  });

  it("a refused sale backs off per failure; a trigger the trader removed meanwhile is not re-armed", async () => {
    const t = await armed("stop_loss", "0.40", []);
    await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(await t.row()).toMatchObject({ status: "armed", attempts: 1 });
    await db.execute(sql`UPDATE triggers SET status = 'cancelled' WHERE id = ${t.trigger.id}`);
    const r = await runFiredTrigger(t.deps, { ...t.fire("0.39", "ws"), trigger: t.rearmed[0]![0]! });
    expect(r.outcome).toBe("refused"); // not armed any more: nothing happened, nothing to tell
    expect(await t.row()).toMatchObject({ status: "cancelled" });
    expect(t.rearmed.at(-1)).toEqual([]);
  });
});

describe("runFiredTrigger: the trader is told even when Postgres blinks", () => {
  it("a notification whose lookup failed is sent again a moment later", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    const calls: string[] = [];
    t.deps.notify = async (rec) => {
      calls.push(rec.outcome);
      if (calls.length === 1) throw new Error("Connection terminated unexpectedly");
    };
    expect((await runFiredTrigger(t.deps, t.fire("0.39", "ws"))).outcome).toBe("sold");
    expect(calls).toEqual(["sold"]);
    await new Promise((r) => setTimeout(r, BACKGROUND_RETRY_MS[0]! + 300));
    expect(calls).toEqual(["sold", "sold"]);
  });
});

describe("sweepFiredTriggers: an eviction mid-fire", () => {
  it("a fire that died after its claim is re-armed once the claim is released, and then sells", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    let reached!: () => void;
    const atBook = new Promise<void>((r) => (reached = r));
    const realGetBook = t.trading.books.getBook.bind(t.trading.books);
    t.trading.books.getBook = () => {
      reached();
      return new Promise(() => {}); // the object is evicted here: this fire never goes on
    };
    void runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    await atBook;
    await new Promise((r) => setTimeout(r, 50)); // markFired ran alongside the sale
    expect(await t.state()).toMatchObject({ trigger: "fired", position: "closing" });
    expect(await sweepFiredTriggers(db, new Date(Date.now() + 1_000))).not.toContain(t.trigger.id); // claimed: a sale may be in flight
    t.trading.now = () => Date.now() + 60_000;
    await reconcileStale(t.trading, { olderThanMs: 30_000 }); // the cron releases the orphaned claim
    expect((await t.state()).position).toBe("active");
    expect(await sweepFiredTriggers(db, new Date(Date.now() - 60_000))).not.toContain(t.trigger.id); // within the grace
    expect(await sweepFiredTriggers(db, new Date(Date.now() + 1_000))).toContain(t.trigger.id);
    expect(await t.state()).toMatchObject({ trigger: "armed", events: [{ outcome: "rearmed" }] });
    t.trading.books.getBook = realGetBook;
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(r.outcome).toBe("sold");
  });

  it("leaves a fired trigger alone while its sell order is in flight", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    await db.execute(sql`UPDATE triggers SET status = 'fired', fired_at = now() - interval '1 hour' WHERE id = ${t.trigger.id}`);
    await db.execute(sql`INSERT INTO orders (client_order_id, user_id, position_id, market_id, token_id, mode, side, order_type, requested_amount, status)
      VALUES (${`sell:sweep-${t.trigger.id}`}, ${t.trigger.userId}, ${t.positionId}, ${t.market.id}, ${t.trigger.tokenId}, 'live', 'SELL', 'FAK', '100', 'unknown')`);
    expect(await sweepFiredTriggers(db, new Date())).not.toContain(t.trigger.id);
    await db.execute(sql`UPDATE orders SET status = 'rejected' WHERE position_id = ${t.positionId}`);
    expect(await sweepFiredTriggers(db, new Date())).toContain(t.trigger.id);
  });
});

describe("runFiredTrigger: exit rules that cannot be hunted", () => {
  it("the hunted stop: a 0.05 print on a 0.40 stop sells at 0.39 from the deep book, never near 0.05", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    t.setLive([["0.05", "10"]], [["0.06", "1000"]]); // the stream: a planted bid at 0.05, prices before it were 0.41
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.39", "1000"], ["0.38", "1000"]], asks: [["0.41", "1000"]] });
    const r = await runFiredTrigger(t.deps, t.fire("0.05", "ws", undefined, "0.41"));
    expect(r).toMatchObject({ outcome: "sold", source: "rest", bid: 390_000 });
    expect(await t.sales()).toEqual([{ worst_price: "0.38", filled_shares: "100", avg_price: "0.39" }]); // floor 0.40 × (1 − 5 %) on the tick
  });

  it("without a REST look the floor still holds: a thin stream book below the floor sells nothing", async () => {
    const t = await armed("stop_loss", "0.40", []);
    t.setLive([["0.05", "1000"]], [["0.06", "1000"]]);
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.05", "1000"]], asks: [["0.06", "1000"]] }); // the crash is real
    const r = await runFiredTrigger(t.deps, t.fire("0.05", "ws"));
    expect(r.outcome).toBe("sell_failed");
    expect(r.result).toMatchObject({ status: "rejected", reason: "slippage_exceeded" });
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active" });
    expect(t.told).toHaveLength(1); // told at once (the message offers "Sell the rest at the market")
  });

  it("a crossed book is confirmed over REST first: not confirmed, nothing is sold", async () => {
    const t = await armed("stop_loss", "0.40", []);
    t.setLive([["0.39", "1000"]], [["0.30", "1000"]]); // bid above the ask
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.45", "1000"]], asks: [["0.47", "1000"]] });
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(r).toMatchObject({ outcome: "refused" });
    expect(r.reason).toContain("the book was crossed (bid 0.39 ≥ ask 0.3)");
    expect(r.reason).toContain("REST shows the bid at 0.45");
    expect(await t.sales()).toEqual([]);
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active" });
  });

  it("a crossed book that REST confirms sells against the REST book", async () => {
    const t = await armed("stop_loss", "0.40", []);
    t.setLive([["0.39", "1000"]], [["0.30", "1000"]]);
    t.confirm.book = book(t.market.tokenIds[0], { bids: [["0.39", "1000"]], asks: [["0.41", "1000"]] });
    expect(await runFiredTrigger(t.deps, t.fire("0.39", "ws"))).toMatchObject({ outcome: "sold", source: "rest" });
  });

  it("a gap below the floor sells what the book takes within it; the rest stays open and armed, and the trader is told", async () => {
    const t = await armed("stop_loss", "0.40", []);
    const gapped = book(t.market.tokenIds[0], { bids: [["0.39", "40"], ["0.20", "1000"]], asks: [["0.41", "1000"]] });
    t.trading.books.set(gapped);
    t.confirm.book = gapped; // thin within the floor: confirmed over REST, the same
    const r = await runFiredTrigger(t.deps, t.fire("0.39", "ws"));
    expect(r).toMatchObject({ outcome: "partially_sold" });
    expect(await t.sales()).toEqual([{ worst_price: "0.38", filled_shares: "40", avg_price: "0.39" }]);
    expect(await t.state()).toMatchObject({ trigger: "armed", position: "active" });
    expect(t.told.map((x) => x.outcome)).toEqual(["partially_sold"]);
  });

  it("a stop set to sell at any price takes what the book has", async () => {
    const t = await armed("stop_loss", "0.40", []);
    await db.execute(sql`UPDATE triggers SET any_price = true WHERE id = ${t.trigger.id}`);
    const anyPrice = { ...t.trigger, anyPrice: true };
    t.setLive([["0.05", "1000"]], [["0.06", "1000"]]);
    const r = await runFiredTrigger(t.deps, { ...t.fire("0.05", "ws"), trigger: anyPrice });
    expect(r.outcome).toBe("sold");
    expect(await t.sales()).toEqual([{ worst_price: "0.01", filled_shares: "100", avg_price: "0.05" }]); // 100 shares make $1 at one tick
  });

  it("a small any-price stop is bounded only by the venue's $1 minimum", async () => {
    const t = await armed("stop_loss", "0.40", [], "20");
    t.setLive([["0.05", "1000"]], [["0.06", "1000"]]);
    const r = await runFiredTrigger(t.deps, { ...t.fire("0.05", "ws"), trigger: { ...t.trigger, anyPrice: true } });
    expect(r.outcome).toBe("sold");
    expect(await t.sales()).toEqual([{ worst_price: "0.05", filled_shares: "20", avg_price: "0.05" }]);
  });
});

describe("runFiredTrigger: a sale that went through stays a sale", () => {
  it("Postgres failing after the sale (the trigger's own write) still records and tells a sale", async () => {
    const t = await armed("stop_loss", "0.40", [["0.39", "1000"]]);
    const realExecute = t.deps.db.execute.bind(t.deps.db);
    let failWrites = false;
    t.trading.streamer.positionClosed = async () => void (failWrites = true); // the sale settled: Postgres goes away now
    const flaky = new Proxy(t.deps.db, {
      get(target, prop, receiver) {
        if (failWrites && prop === "update") return () => { throw new Error("Connection terminated unexpectedly"); };
        return Reflect.get(target, prop, receiver);
      },
    });
    const r = await runFiredTrigger({ ...t.deps, db: flaky }, t.fire("0.39", "ws"));
    expect(r.outcome).toBe("sold");
    expect(t.told.map((x) => x.outcome)).toEqual(["sold"]);
    expect((await realExecute(sql`SELECT status FROM positions WHERE id = ${t.positionId}`)).rows[0]).toEqual({ status: "closed" });
  });
});
