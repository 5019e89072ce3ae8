// The fire runner against the real database and paper trading: what a fire sells, writes, records and tells.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedPosition, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { book, testDeps } from "../../test/support/trading";
import type { BookQuote } from "../polymarket/types";
import { CONFIRM_PRICE_OLDER_THAN_MS, runFiredTrigger, type RunnerDeps } from "./runner";
import { armReplacing, toArmed } from "./store";
import type { ArmedTrigger, FiredTrigger, FireRecord } from "./types";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

async function armed(kind: "stop_loss" | "take_profit", level: string, bids: Array<[string, string]>) {
  const market = await seedMarket(db);
  const userId = await seedUser(db);
  const positionId = await seedPosition(db, { userId, market, shares: "100", costBasis: "50" });
  const trading = testDeps(db);
  trading.books.set(book(market.tokenIds[0], { bids, asks: [["0.60", "1000"]] }));
  const r = await armReplacing(db, { positionId, userId, tokenId: market.tokenIds[0], kind, price: BigInt(Math.round(Number(level) * 1e6)), spec: level, onFailure: "rearm" });
  const trigger = toArmed(r!.row);
  const rearmed: ArmedTrigger[][] = [];
  const told: FireRecord[] = [];
  let now = 10_000;
  const confirm: { book: BookQuote | null } = { book: null };
  const deps: RunnerDeps = {
    db, trading, now: () => now,
    confirmBook: async () => confirm.book,
    rearm: (list) => void rearmed.push(list),
    pause: () => [],
    notify: async (rec) => void told.push(rec),
  };
  const fire = (bid: string, source: "ws" | "poll", receivedAt = now): FiredTrigger => ({ trigger, level: trigger.level!, bid: Math.round(Number(bid) * 1e6), source, receivedAt, bookTime: 0 });
  const state = async () => ({
    trigger: (await db.execute<{ status: string }>(sql`SELECT status FROM triggers WHERE id = ${trigger.id}`)).rows[0]!.status,
    position: (await db.execute<{ status: string }>(sql`SELECT status FROM positions WHERE id = ${positionId}`)).rows[0]!.status,
    events: (await db.execute<{ outcome: string; price_source: string }>(sql`SELECT outcome, price_source FROM trigger_events WHERE trigger_id = ${trigger.id} ORDER BY id`)).rows,
  });
  return { deps, fire, state, rearmed, told, confirm, market, advance: (ms: number) => (now += ms) };
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
