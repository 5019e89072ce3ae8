// Trading inside workerd, through the Neon driver, against the real Postgres: paper fills, races, live orders.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../workers/db/client";
import { fromMicros, toMicros } from "../../workers/money/micros";
import { ClobClient } from "../../workers/polymarket/clob-client";
import { executeBuy } from "../../workers/trading/execute-buy";
import { executeSell } from "../../workers/trading/execute-sell";
import { venueFor } from "../../workers/trading/live-venue";
import type { TradeResult } from "../../workers/trading/results";
import { book, testDeps } from "../support/trading";
import { loadKeyring } from "../../workers/wallets/envelope";
import { importWallet } from "../../workers/wallets/wallet-store";
import { seedMarket, seedUser } from "../support/db-seed";
import { dbHandle as harnessDb, localMarket, pm } from "./bot-harness";

const handle = createDb({ DATABASE_URL: env.DATABASE_URL, NEON_WS_PROXY: env.NEON_WS_PROXY }, { max: 6 });
const { db } = handle;
afterAll(async () => {
  await handle.close();
  await harnessDb.close();
});

const m = (s: string) => toMicros(s);
const isFill = (r: TradeResult) => r.status === "filled" || r.status === "partially_filled";

describe("paper trading in workerd", () => {
  it("buys, partially sells and closes a position with exact cash", async () => {
    const deps = testDeps(db);
    const market = await seedMarket(db);
    const userId = await seedUser(db);
    const tokenId = market.tokenIds[0];
    deps.books.set(book(tokenId, { asks: [["0.25", "1000"]], bids: [["0.30", "1000"]] }));
    const buy = await executeBuy(deps, { userId, tokenId, amountUsdc: m("25"), orderType: "FOK", intentId: `w-${userId}` });
    if (!isFill(buy)) throw new Error(`buy: ${buy.status}`);
    expect([fromMicros(buy.shares), buy.position.status]).toEqual(["100", "active"]);
    const half = await executeSell(deps, { userId, positionId: buy.position.id, shares: { fractionBps: 5000 }, reason: "manual" });
    if (!isFill(half)) throw new Error(`sell: ${half.status}`);
    expect([fromMicros(half.usdc), fromMicros(half.realizedPnl!)]).toEqual(["15", "2.5"]);
    const rest = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "take_profit" });
    if (!isFill(rest)) throw new Error(`sell: ${rest.status}`);
    expect(rest.position).toMatchObject({ status: "closed", realizedPnl: m("5") });
    const cash = await db.execute<{ paper_cash: string }>(sql`SELECT paper_cash FROM users WHERE id = ${userId}`);
    expect(cash.rows[0]!.paper_cash).toBe("1005.000000");
    expect(deps.streamer.events.map((e) => e.what)).toEqual(["opened", "closed"]);
  });

  it("20 concurrent sells of one position (the Worker's own pool): one fill", async () => {
    const deps = testDeps(db);
    const market = await seedMarket(db);
    const userId = await seedUser(db);
    const tokenId = market.tokenIds[0];
    deps.books.set(book(tokenId, { asks: [["0.5", "1000"]], bids: [["0.5", "1000"]] }));
    const buy = await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" });
    if (!isFill(buy)) throw new Error("buy failed");
    const results = await Promise.all(Array.from({ length: 20 }, () => executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })));
    expect(results.filter(isFill)).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected" && (r.reason === "already_being_sold" || r.reason === "position_closed"))).toHaveLength(19);
  });
});

describe("live trading in workerd (the local Polymarket)", () => {
  it("signs with viem and WebCrypto inside workerd; the exchange verifies the order", async () => {
    const market = await localMarket();
    const tokenId = market.tokenIds[0];
    await pm.setBook(tokenId, [["0.40", "100"]], [["0.50", "100"]]);
    const wallets = { db, keyring: await loadKeyring(env.WALLET_ENCRYPTION_KEY) };
    const clob = new ClobClient({ baseUrl: inject("polymarket").clobUrl, timeoutMs: 2_000 });
    const deps = { ...testDeps(db), venueFor: venueFor({ clob, wallets, now: () => Date.now(), rand01: () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32 }) };
    deps.books.set(book(tokenId, { asks: [["0.50", "100"]], bids: [["0.40", "100"]] }));
    const userId = await seedUser(db, { mode: "live" });
    const w = await importWallet(wallets, userId, { privateKey: generatePrivateKey() });
    expect(w.ok).toBe(true);
    const before = (await pm.orders()).length;
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FOK" });
    expect(r).toMatchObject({ status: "filled", shares: m("10"), mode: "live" });
    const received = ((await pm.orders()) as Array<{ signatureValid?: boolean; authOk: boolean; signer?: string; outcome: string }>).slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ signatureValid: true, authOk: true, outcome: "accepted" });
    expect(received[0]!.signer!.toLowerCase()).toBe(w.ok ? w.wallet.address.toLowerCase() : "");
  });
});
