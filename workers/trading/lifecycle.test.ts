import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedPosition, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { toMicros } from "../money/micros";
import { executeBuy } from "./execute-buy";
import { initialPaperFields, resetPaperAccount } from "./paper-account";
import { reconcileStale } from "./reconcile";
import { settleResolution } from "./resolution";
import { insertOrder } from "./store-orders";
import { claimPosition } from "./store-settle";
import { book, testDeps, testId } from "../../test/support/trading";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const m = (s: string) => toMicros(s);
const row = async (q: ReturnType<typeof sql>) => (await db.execute(q)).rows[0]!;

describe("resetPaperAccount", () => {
  it("archives open paper positions unsold, restores the start balance and bumps the epoch", async () => {
    const deps = testDeps(db, { paperStartBalance: m("500") });
    const market = await seedMarket(db);
    const userId = await seedUser(db);
    deps.books.set(book(market.tokenIds[0], { asks: [["0.5", "1000"]], bids: [["0.4", "1000"]] }));
    const buy = await executeBuy(deps, { userId, tokenId: market.tokenIds[0], amountUsdc: m("100"), orderType: "FOK" });
    const live = await seedPosition(db, { userId, market, outcomeIndex: 1, shares: "10", costBasis: "5", mode: "live" });
    const reset = await resetPaperAccount(deps, userId);
    expect(reset).toMatchObject({ epoch: 1, cash: m("500") });
    expect(reset!.closedPositionIds).toEqual([buy.status === "filled" ? buy.position.id : -1]);
    expect(await row(sql`SELECT paper_cash, paper_deposits, paper_epoch FROM users WHERE id = ${userId}`)).toEqual({
      paper_cash: "500.000000", paper_deposits: "500.000000", paper_epoch: 1,
    });
    expect(await row(sql`SELECT status, close_reason, shares FROM positions WHERE id = ${reset!.closedPositionIds[0]!}`)).toEqual({
      status: "closed", close_reason: "paper_reset", shares: "200.000000",
    });
    expect((await row(sql`SELECT status FROM positions WHERE id = ${live}`)).status).toBe("active");
    expect(deps.streamer.events.at(-1)).toMatchObject({ what: "closed", positionId: reset!.closedPositionIds[0] });
    expect(await resetPaperAccount(deps, 987654321)).toBeNull();
  });

  it("initialPaperFields funds a new user with the start balance", () => {
    expect(initialPaperFields(m("1000"))).toEqual({ paperCash: "1000.000000", paperDeposits: "1000.000000" });
  });
});

describe("settleResolution", () => {
  it("pays paper winners 1 per share, losers 0, marks live ones for redemption, and leaves busy ones", async () => {
    const deps = testDeps(db);
    const market = await seedMarket(db);
    const [a, b, c] = [await seedUser(db), await seedUser(db), await seedUser(db)];
    const win = await seedPosition(db, { userId: a, market, outcomeIndex: 0, shares: "100", costBasis: "40" });
    const lose = await seedPosition(db, { userId: b, market, outcomeIndex: 1, shares: "50", costBasis: "30" });
    const liveWin = await seedPosition(db, { userId: c, market, outcomeIndex: 0, shares: "10", costBasis: "6", mode: "live" });
    const busy = await seedPosition(db, { userId: c, market, outcomeIndex: 1, shares: "10", costBasis: "6" });
    await claimPosition(db, { positionId: busy, claimId: testId(), claimedBy: "manual" });
    expect(await settleResolution(deps, { marketId: market.id, winningTokenId: "nope" })).toMatchObject({ ok: false, reason: "unknown_winning_token" });
    const r = await settleResolution(deps, { marketId: market.id, winningTokenId: market.tokenIds[0] });
    expect(r).toEqual({ ok: true, paperClosed: 2, paperPayout: m("100"), liveClosed: 1, skippedBusy: 1 });
    const pos = async (id: number) => row(sql`SELECT status, realized_pnl, close_reason, current_price FROM positions WHERE id = ${id}`);
    expect(await pos(win)).toEqual({ status: "closed", realized_pnl: "60.000000", close_reason: "resolved", current_price: "1.000000" });
    expect(await pos(lose)).toEqual({ status: "closed", realized_pnl: "-30.000000", close_reason: "resolved", current_price: "0.000000" });
    expect(await pos(liveWin)).toEqual({ status: "closed", realized_pnl: "4.000000", close_reason: "resolved_redeemable", current_price: "1.000000" });
    expect((await pos(busy)).status).toBe("closing");
    expect((await row(sql`SELECT paper_cash FROM users WHERE id = ${a}`)).paper_cash).toBe("1100.000000");
    expect((await row(sql`SELECT paper_cash FROM users WHERE id = ${b}`)).paper_cash).toBe("1000.000000");
    // Idempotent: nothing more to close.
    expect(await settleResolution(deps, { marketId: market.id, winningTokenId: market.tokenIds[0] })).toMatchObject({ paperClosed: 0, liveClosed: 0, skippedBusy: 1 });
  });
});

describe("reconcileStale", () => {
  it("fails abandoned paper orders and releases orphan claims only after checking no order exists", async () => {
    const deps = testDeps(db);
    const market = await seedMarket(db);
    const userId = await seedUser(db);
    const orphan = await seedPosition(db, { userId, market, outcomeIndex: 0, shares: "10", costBasis: "5" });
    const withOrder = await seedPosition(db, { userId, market, outcomeIndex: 1, shares: "10", costBasis: "5" });
    const c1 = testId();
    const c2 = testId();
    await claimPosition(db, { positionId: orphan, claimId: c1, claimedBy: "stop_loss" });
    await claimPosition(db, { positionId: withOrder, claimId: c2, claimedBy: "manual" });
    const orderId = await insertOrder(db, {
      clientOrderId: `sell:${c2}`, userId, positionId: withOrder, marketId: market.id, tokenId: market.tokenIds[1], mode: "paper",
      side: "SELL", orderType: "FAK", reason: "manual", requestedAmount: m("10"), worstPrice: m("0.4"), venueOrderId: null, signedOrder: null, claimId: c2,
    });
    expect(orderId).not.toBeNull();
    // Too fresh: nothing is touched. (Other test files share the database, so this one ages its own
    // rows instead of moving the clock: their fresh rows stay out of reach.)
    const hour = 3_600_000;
    await reconcileStale(deps, { olderThanMs: hour });
    expect(await row(sql`SELECT status FROM positions WHERE id = ${orphan}`)).toEqual({ status: "closing" });
    await db.execute(sql`UPDATE positions SET claimed_at = now() - interval '2 hours' WHERE id IN (${orphan}, ${withOrder})`);
    await db.execute(sql`UPDATE orders SET created_at = now() - interval '2 hours' WHERE id = ${orderId}`);
    const report = await reconcileStale(deps, { olderThanMs: hour });
    expect(report.claimsReleased).toBeGreaterThanOrEqual(1);
    expect(report.notFilled).toBeGreaterThanOrEqual(1);
    expect(await row(sql`SELECT status, claim_id FROM positions WHERE id = ${orphan}`)).toEqual({ status: "active", claim_id: null });
    expect(await row(sql`SELECT status, claim_id FROM positions WHERE id = ${withOrder}`)).toEqual({ status: "active", claim_id: null });
    expect(await row(sql`SELECT status, error_code FROM orders WHERE id = ${orderId}`)).toEqual({ status: "rejected", error_code: "not_filled" });
  });
});
