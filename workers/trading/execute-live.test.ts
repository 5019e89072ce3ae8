import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { seedMarket, seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { fromMicros, toMicros } from "../money/micros";
import { ClobClient } from "../polymarket/clob-client";
import { loadKeyring } from "../wallets/envelope";
import { importWallet, SEALED_WALLET_COLUMNS, withSealedSigner } from "../wallets/wallet-store";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { FakeClob } from "./fake-clob";
import { venueFor } from "./live-venue";
import { reconcileOrder } from "./reconcile";
import type { TradeResult } from "./results";
import { book, testDeps } from "../../test/support/trading";

const handle = openTestDb();
const { db } = handle;
afterAll(() => handle.close());

const m = (s: string) => toMicros(s);
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const EOA = privateKeyToAccount(KEY).address;
const FUNDER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const ENC = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 7) % 256)));
const fill = (r: TradeResult) => {
  if (r.status !== "filled" && r.status !== "partially_filled") throw new Error(`expected a fill: ${r.status} ${"reason" in r ? r.reason : ""}`);
  return r;
};

interface LiveSetup {
  negRisk?: boolean;
  version?: "v1" | "v2";
  wallet?: { signatureType: 0 | 1 | 2 | 3; funderAddress?: string };
  asks?: Array<[string, string]>;
  bids?: Array<[string, string]>;
}

async function live(opts: LiveSetup = {}) {
  const version = opts.version ?? "v1";
  const market = await seedMarket(db, { negRisk: opts.negRisk ?? false, version });
  const tokenId = market.tokenIds[0];
  const fake = new FakeClob(new Map([[tokenId, { negRisk: opts.negRisk ?? false, version, tick: 10_000n }]]));
  const asks = opts.asks ?? [["0.50", "100"], ["0.55", "100"]];
  const bids = opts.bids ?? [["0.45", "100"], ["0.40", "100"]];
  fake.setBook(tokenId, bids, asks);
  const clock = { now: Date.now() };
  const wallets = { db, keyring: await loadKeyring(ENC) };
  const clob = new ClobClient({ baseUrl: "http://clob.test", fetch: fake.fetch, timeoutMs: 300, now: () => clock.now });
  const deps = { ...testDeps(db), now: () => clock.now, venueFor: venueFor({ clob, wallets, now: () => clock.now, rand01: Math.random }) };
  deps.books.set(book(tokenId, { asks, bids }));
  const userId = await seedUser(db, { mode: "live" });
  await importWallet(wallets, userId, { privateKey: KEY, ...(opts.wallet ?? {}) });
  return { deps, fake, userId, tokenId, clock, market };
}

const orderRow = async (id: number) =>
  (await db.execute(sql`SELECT status, venue_order_id, venue_status, error_code, signed_order, mode FROM orders WHERE id = ${id}`)).rows[0]!;

describe("live venue (against a fake CLOB that verifies what it receives)", () => {
  it.each([
    [false, "v1"],
    [true, "v1"],
    [false, "v2"],
  ] as const)("buys and sells end to end with orders the exchange verifies (neg risk %s, Gamma %s)", async (negRisk, version) => {
    const { deps, fake, userId, tokenId } = await live({ negRisk, version });
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    expect([buy.status, fromMicros(buy.shares), fromMicros(buy.usdc), buy.mode]).toEqual(["filled", "20", "10", "live"]);
    expect(fake.received).toHaveLength(1);
    const sent = fake.received[0]!;
    expect(sent).toMatchObject({ verified: true, recoveredSigner: EOA, orderType: "FOK" });
    expect(sent.order).toMatchObject({ maker: EOA, signer: EOA, side: "BUY", signatureType: 0, makerAmount: "10000000" });
    const row = await orderRow(buy.orderId);
    expect(row).toMatchObject({ status: "filled", venue_order_id: sent.hash, venue_status: "matched", mode: "live" });
    expect(JSON.stringify(row.signed_order)).not.toContain("owner");
    const sell = fill(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" }));
    expect([fromMicros(sell.shares), fromMicros(sell.usdc), fromMicros(sell.realizedPnl!), sell.position.status]).toEqual(["20", "9", "-1", "closed"]);
    expect(fake.received.map((r) => [r.order.side, r.verified])).toEqual([["BUY", true], ["SELL", true]]);
  });

  it.each([
    [2, { maker: FUNDER, signer: EOA }],
    [3, { maker: FUNDER, signer: FUNDER }],
  ] as const)("signature type %i: the order's maker and signer are the ones the exchange expects", async (signatureType, parties) => {
    const { deps, fake, userId, tokenId } = await live({ wallet: { signatureType, funderAddress: FUNDER } });
    fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    expect(fake.received[0]).toMatchObject({ verified: true, order: { ...parties, signatureType } });
    if (signatureType === 2) expect(fake.received[0]!.recoveredSigner).toBe(EOA);
  });

  it("a timeout on POST /order ends reconciled by the order's hash: settled once, never re-sent", async () => {
    const { deps, fake, userId, tokenId } = await live();
    fake.faults.push({ kind: "hang_after_processing" });
    const r = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    expect(fake.received).toHaveLength(1);
    expect(r.shares).toBe(m("20"));
    expect(await orderRow(r.orderId)).toMatchObject({ status: "filled", venue_status: "MATCHED", error_code: "timeout" });
    // The FAK/FOK order record may vanish on the venue: the trades still settle it.
    fake.faults.push({ kind: "hang_after_processing" });
    fake.hideOrders = true;
    const again = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK" }));
    expect(fake.received).toHaveLength(2);
    expect(again.position.shares).toBe(m("30"));
    expect((await orderRow(again.orderId)).venue_status).toBe("trades");
    expect(await reconcileOrder(deps, again.orderId)).toMatchObject({ outcome: "already_final" });
  });

  it("a 5xx leaves the sell in flight (position held) until the venue's answer is known", async () => {
    const { deps, fake, userId, tokenId, clock } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    fake.faults.push({ kind: "status", status: 500, message: "Internal Server Error" });
    const sell = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "stop_loss" });
    expect(sell).toMatchObject({ status: "in_flight" });
    const orderId = sell.status === "in_flight" ? sell.orderId : -1;
    expect(await orderRow(orderId)).toMatchObject({ status: "unknown", error_code: "server_error" });
    // Nothing else happens to the position meanwhile.
    expect(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })).toMatchObject({ reason: "already_being_sold" });
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FOK" })).toMatchObject({ reason: "order_in_flight" });
    expect(await reconcileOrder(deps, orderId)).toMatchObject({ outcome: "still_in_flight" });
    clock.now += 120_000;
    expect(await reconcileOrder(deps, orderId)).toMatchObject({ outcome: "not_filled" });
    expect(await orderRow(orderId)).toMatchObject({ status: "rejected", error_code: "not_filled" });
    expect((await db.execute(sql`SELECT status, claim_id FROM positions WHERE id = ${buy.position.id}`)).rows[0]).toEqual({ status: "active", claim_id: null });
    expect(fake.posts).toBe(2); // the buy and the one sell attempt: never re-sent
  });

  it("a buy whose outcome is unknown blocks selling that token until it is reconciled", async () => {
    const { deps, fake, userId, tokenId, clock } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    fake.faults.push({ kind: "status", status: 502, message: "Bad Gateway" });
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FOK" })).toMatchObject({ status: "in_flight" });
    expect(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })).toMatchObject({ reason: "order_in_flight" });
    expect((await db.execute(sql`SELECT status FROM positions WHERE id = ${buy.position.id}`)).rows[0]).toEqual({ status: "active" });
    clock.now += 120_000;
    // The sell itself reconciles the stale buy first (the venue never saw it), then goes through.
    expect(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })).toMatchObject({ status: "filled" });
  });

  it.each([
    [{ kind: "status", status: 429, message: "Too Many Requests", retryAfterS: 2 }, "rate_limited"],
    [{ kind: "status", status: 400, message: "not enough balance / allowance" }, "insufficient_balance"],
    [{ kind: "status", status: 400, message: "maker address not allowed, please use the deposit wallet flow" }, "deposit_wallet_required"],
    [{ kind: "status", status: 503, message: "Trading is currently disabled. Check polymarket.com for updates" }, "trading_disabled"],
  ] as const)("venue refusal %o → %s, and a refused sell gives the position back", async (fault, reason) => {
    const { deps, fake, userId, tokenId } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    fake.faults.push(fault);
    const r = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" });
    expect(r).toMatchObject({ status: "rejected", reason });
    if (reason === "rate_limited") expect(r).toMatchObject({ retryAfterMs: 2000 });
    expect((await db.execute(sql`SELECT status FROM positions WHERE id = ${buy.position.id}`)).rows[0]).toEqual({ status: "active" });
  });

  it("a FOK the venue cannot fill (its book moved) is refused with nothing traded", async () => {
    const { deps, fake, userId, tokenId } = await live();
    fake.setBook(tokenId, [], [["0.50", "5"]]);
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" })).toMatchObject({ status: "rejected", reason: "fok_not_filled" });
    expect((await db.execute(sql`SELECT count(*) AS n FROM positions WHERE user_id = ${userId}`)).rows[0]).toEqual({ n: "0" });
  });

  it("a live sale signs with the wallet row its claim read: one round trip for the key material, not two", async () => {
    const { deps, fake, userId, tokenId, clock } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    const reads: string[] = [];
    const dialect = (db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string } } }).dialect;
    const spied = new Proxy(db, {
      get: (target, prop, receiver) =>
        prop === "execute"
          ? (q: Parameters<typeof db.execute>[0]) => {
              reads.push(dialect.sqlToQuery(q).sql);
              return target.execute(q);
            }
          : Reflect.get(target, prop, receiver),
    });
    const clob = new ClobClient({ baseUrl: "http://clob.test", fetch: fake.fetch, timeoutMs: 300, now: () => clock.now });
    const wallets = { db: spied, keyring: await loadKeyring(ENC) };
    const spiedDeps = { ...deps, db: spied, venueFor: venueFor({ clob, wallets, now: () => clock.now, rand01: Math.random }) };
    const sell = fill(await executeSell(spiedDeps, { userId, positionId: buy.position.id, shares: "all", reason: "take_profit" }));
    expect(sell.position.status).toBe("closed");
    expect(fake.received.map((r) => [r.order.side, r.verified, r.recoveredSigner])).toEqual([["BUY", true, EOA], ["SELL", true, EOA]]);
    const keyReads = reads.filter((text) => text.includes("encrypted_private_key"));
    expect(keyReads).toHaveLength(1);
    expect(keyReads[0]).toMatch(/UPDATE positions SET status = 'closing'/);
  });

  it("a wallet row read for one user never signs for another", async () => {
    const { userId } = await live();
    const row = (await db.execute(sql`SELECT ${SEALED_WALLET_COLUMNS} FROM wallets WHERE user_id = ${userId}`)).rows[0]!;
    const wallets = { db, keyring: await loadKeyring(ENC) };
    await expect(withSealedSigner(wallets, userId + 1, row, async () => "signed")).rejects.toThrow(/another user/);
    expect(await withSealedSigner(wallets, userId, row, async (s) => s?.address)).toBe(EOA);
  });

  it("a live user without a wallet, or without live trading configured, is refused before anything is recorded", async () => {
    const { deps, tokenId } = await live();
    const bare = await seedUser(db, { mode: "live" });
    expect(await executeBuy(deps, { userId: bare, tokenId, amountUsdc: m("10"), orderType: "FOK" })).toMatchObject({ reason: "no_wallet" });
    const off = { ...deps, venueFor: venueFor(null) };
    expect(await executeBuy(off, { userId: bare, tokenId, amountUsdc: m("10"), orderType: "FOK" })).toMatchObject({ reason: "trading_disabled" });
    expect((await db.execute(sql`SELECT count(*) AS n FROM orders WHERE user_id = ${bare}`)).rows[0]).toEqual({ n: "0" });
  });
});
