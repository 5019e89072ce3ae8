import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { writePrices } from "../../durable-objects/price-statement";
import { seedMarket, seedUser, type SeededMarket } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { fromMicros, type Micros, toMicros } from "../money/micros";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { resetPaperAccount } from "./paper-account";
import { applySell, unrealizedPnl } from "./position-math";
import { settleResolution } from "./resolution";
import type { TradeResult } from "./results";
import { claimPosition } from "./store-settle";
import { book, testDeps, testId } from "../../test/support/trading";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const m = (s: string) => toMicros(s);
const isFill = (r: TradeResult) => r.status === "filled" || r.status === "partially_filled";

describe("claims: a position is sold exactly once", () => {
  async function held() {
    const deps = testDeps(db);
    const market = await seedMarket(db);
    const userId = await seedUser(db);
    const tokenId = market.tokenIds[0];
    deps.books.set(book(tokenId, { asks: [["0.50", "10000"]], bids: [["0.60", "10000"]] }));
    const buy = await executeBuy(deps, { userId, tokenId, amountUsdc: m("50"), orderType: "FOK" });
    if (!isFill(buy)) throw new Error("setup buy failed");
    return { deps, userId, positionId: buy.position.id };
  }

  it("100 concurrent sells of one position: one fills, 99 hear 'already being sold'", async () => {
    const { deps, userId, positionId } = await held();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => executeSell(deps, { userId, positionId, shares: "all", reason: "manual" })),
    );
    expect(results.filter(isFill)).toHaveLength(1);
    const others = results.filter((r) => !isFill(r));
    expect(others).toHaveLength(99);
    for (const r of others) expect(r).toMatchObject({ status: "rejected", reason: expect.stringMatching(/^(already_being_sold|position_closed)$/) });
    const sells = await db.execute(sql`SELECT count(*) AS n FROM orders WHERE position_id = ${positionId} AND side = 'SELL'`);
    expect(Number(sells.rows[0]!.n)).toBe(1);
    const cash = await db.execute<{ paper_cash: string }>(sql`SELECT paper_cash FROM users WHERE id = ${userId}`);
    expect(cash.rows[0]!.paper_cash).toBe("1010.000000"); // 100 shares bought for 50, sold for 60 once
  });

  it("a trigger-style sell (claim first) racing a manual sell: exactly one wins", async () => {
    for (let round = 0; round < 5; round++) {
      const { deps, userId, positionId } = await held();
      const trigger = (async () => {
        const claim = await claimPosition(db, { positionId, userId, claimId: testId(), claimedBy: "stop_loss" });
        if (!claim.ok) return { status: "rejected", reason: claim.reason } as const;
        return executeSell(deps, { userId, positionId, shares: "all", reason: "stop_loss", claim: { claimId: claim.claimId } });
      })();
      const manual = executeSell(deps, { userId, positionId, shares: "all", reason: "manual" });
      const outcomes = await Promise.all([trigger, manual]);
      expect(outcomes.filter((r) => isFill(r as TradeResult))).toHaveLength(1);
      expect(outcomes.filter((r) => r.status === "rejected")).toHaveLength(1);
    }
  });

  it("a sell with a claim that is not held is refused", async () => {
    const { deps, userId, positionId } = await held();
    expect(await executeSell(deps, { userId, positionId, shares: "all", reason: "take_profit", claim: { claimId: "nope" } })).toMatchObject({
      reason: "already_being_sold",
    });
  });
});

interface Book {
  bid: Micros;
  ask: Micros;
}

/** Per user and epoch: cash + Σ cost basis of open positions = deposits + Σ realised P&L. */
async function checkInvariants(userIds: number[]): Promise<void> {
  for (const userId of userIds) {
    const u = (await db.execute<{ paper_cash: string; paper_deposits: string; paper_epoch: number }>(
      sql`SELECT paper_cash, paper_deposits, paper_epoch FROM users WHERE id = ${userId}`,
    )).rows[0]!;
    const rows = (await db.execute<{ status: string; shares: string; cost_basis: string; realized_pnl: string; current_price: string | null; pnl_amount: string | null }>(
      sql`SELECT status, shares, cost_basis, realized_pnl, current_price, pnl_amount FROM positions WHERE user_id = ${userId} AND mode = 'paper' AND paper_epoch = ${u.paper_epoch}`,
    )).rows;
    const cash = toMicros(u.paper_cash);
    const deposits = toMicros(u.paper_deposits);
    let cost = 0n, realized = 0n, value = 0n, unrealized = 0n;
    for (const p of rows) {
      expect(toMicros(p.shares) >= 0n && toMicros(p.cost_basis) >= 0n).toBe(true);
      realized += toMicros(p.realized_pnl);
      if (p.status === "closed") continue;
      const h = { shares: toMicros(p.shares), costBasis: toMicros(p.cost_basis) };
      cost += h.costBasis;
      const price = p.current_price === null ? 0n : toMicros(p.current_price);
      const pnl = unrealizedPnl(h, price);
      if (p.pnl_amount !== null) expect(toMicros(p.pnl_amount)).toBe(pnl);
      value += pnl + h.costBasis;
      unrealized += pnl;
    }
    expect(cash >= 0n).toBe(true);
    expect(cash + cost).toBe(deposits + realized);
    expect(cash + value).toBe(deposits + realized + unrealized);
  }
}

describe("ledger invariants over random sequences (real Postgres)", () => {
  it("buys, partial and full sells, price moves, resets and resolutions keep every account exact", async () => {
    const deps = testDeps(db);
    const users = [await seedUser(db), await seedUser(db), await seedUser(db)];
    let markets: SeededMarket[] = [await seedMarket(db), await seedMarket(db)];
    const books = new Map<string, Book>();
    let seed = 20261128;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const setBook = (tokenId: string) => {
      const bid = BigInt(5 + Math.floor(rand() * 85)) * 10_000n;
      const b = { bid, ask: bid + BigInt(1 + Math.floor(rand() * 3)) * 10_000n };
      books.set(tokenId, b);
      const lvl = (p: Micros, i: number): [string, string] => [fromMicros(p), `${1 + Math.floor(rand() * 300)}.${i}7`];
      deps.books.set(book(tokenId, {
        bids: [lvl(b.bid, 1), lvl(b.bid - 10_000n, 2), lvl(b.bid - 20_000n, 3)].filter(([p]) => m(p) > 0n),
        asks: [lvl(b.ask, 1), lvl(b.ask + 10_000n, 2), lvl(b.ask + 20_000n, 3)].filter(([p]) => m(p) < 1_000_000n),
      }));
    };
    for (const mk of markets) for (const t of mk.tokenIds) setBook(t);
    const counts: Record<string, number> = {};
    for (let step = 0; step < 160; step++) {
      const userId = pick(users);
      const roll = rand();
      let kind: string;
      if (roll < 0.4) {
        kind = "buy";
        const tokenId = pick(pick(markets).tokenIds);
        const amount = BigInt(1 + Math.floor(rand() * 80)) * 1_000_000n + BigInt(Math.floor(rand() * 1_000_000));
        const r = await executeBuy(deps, { userId, tokenId, amountUsdc: amount, orderType: rand() < 0.5 ? "FOK" : "FAK", slippageBps: Math.floor(rand() * 800) });
        if (isFill(r)) {
          counts.buyFilled = (counts.buyFilled ?? 0) + 1;
          for (const k of ["shares", "usdc", "avgPrice", "fees"] as const) expect(typeof r[k]).toBe("bigint");
        }
      } else if (roll < 0.75) {
        kind = "sell";
        const open = await db.execute<{ id: string; shares: string; cost_basis: string }>(
          sql`SELECT id, shares, cost_basis FROM positions WHERE user_id = ${userId} AND status = 'active' AND mode = 'paper'`,
        );
        if (open.rows.length === 0) continue;
        const size = pick(["all", { fractionBps: 1 + Math.floor(rand() * 9999) }, m("1.5")] as const);
        const target = pick(open.rows);
        const r = await executeSell(deps, { userId, positionId: Number(target.id), shares: size, reason: "manual", slippageBps: Math.floor(rand() * 1500) });
        if (isFill(r)) {
          // The settlement SQL and position-math.ts applySell are the same rule.
          const want = applySell({ shares: m(target.shares), costBasis: m(target.cost_basis) }, r.shares, r.usdc - r.fees);
          expect([r.position.shares, r.position.costBasis, r.realizedPnl, r.position.status === "closed"]).toEqual([want.shares, want.costBasis, want.realized, want.closed]);
        }
        if (isFill(r)) counts[r.position.status === "closed" ? "sellClosed" : "sellPartial"] = (counts[r.position.status === "closed" ? "sellClosed" : "sellPartial"] ?? 0) + 1;
      } else if (roll < 0.93) {
        kind = "price";
        const tokenId = pick(pick(markets).tokenIds);
        setBook(tokenId);
        const b = books.get(tokenId)!;
        await writePrices(db, [{ token_id: tokenId, bid: fromMicros(b.bid), ask: fromMicros(b.ask), last: null, src: "ws", at: new Date().toISOString() }], []);
      } else if (roll < 0.97) {
        kind = "reset";
        await resetPaperAccount(deps, userId);
      } else {
        kind = "resolve";
        const mk = markets.shift()!;
        await db.execute(sql`UPDATE markets SET closed = true, accepting_orders = false WHERE id = ${mk.id}`);
        await settleResolution(deps, { marketId: mk.id, winningTokenId: pick(mk.tokenIds) });
        const fresh = await seedMarket(db);
        for (const t of fresh.tokenIds) setBook(t);
        markets = [...markets, fresh];
      }
      counts[kind] = (counts[kind] ?? 0) + 1;
      await checkInvariants(users);
    }
    expect(Object.keys(counts).sort()).toEqual(["buy", "buyFilled", "price", "reset", "resolve", "sell", "sellClosed", "sellPartial"]);
    expect(counts.buyFilled! + counts.sellClosed! + counts.sellPartial!).toBeGreaterThan(50);
  });

  it("no binary floating point in trading code", () => {
    // This file is type-checked with Workers types (no node:fs); the test itself runs in Node.
    const { process } = globalThis as unknown as { process: { cwd(): string; getBuiltinModule(id: string): unknown } };
    const fs = process.getBuiltinModule("node:fs") as { readdirSync(p: string): string[]; readFileSync(p: string, e: "utf8"): string };
    const dir = `${process.cwd()}/workers/trading`;
    const sources = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(5);
    for (const f of sources) {
      const text = fs.readFileSync(`${dir}/${f}`, "utf8");
      expect([f, /parseFloat|toFixed|\bMath\.(round|floor|ceil)\b|\d\.\d+e[-+]?\d|\b1e6\b/.test(text)]).toEqual([f, false]);
    }
  });
});
