// Live buys and sells through our venue adapter against the local Polymarket (tools/local-polymarket),
// which verifies every order's auth and signature itself, matches against its book and injects faults.
import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../test/support/db-seed";
import { type LocalFault, type LocalMarket, type LocalPolymarket, seedLocalMarket, startLocalVenue } from "../../test/support/local-venue";
import { openTestDb } from "../../test/support/node-db";
import { book, fill, levels, testDeps } from "../../test/support/trading";
import { fromMicros, toMicros } from "../money/micros";
import { ClobClient } from "../polymarket/clob-client";
import { loadKeyring } from "../wallets/envelope";
import { importWallet, SEALED_WALLET_COLUMNS, withSealedSigner } from "../wallets/wallet-store";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { venueFor } from "./live-venue";
import { reconcileOrder } from "./reconcile";

const handle = openTestDb();
const { db } = handle;
let lp: LocalPolymarket;
beforeAll(async () => {
  lp = await startLocalVenue("execute-live");
});
afterEach(() => lp.faults.clear());
afterAll(async () => {
  await lp?.stop();
  await handle.close();
});

const m = (s: string) => toMicros(s);
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const EOA = privateKeyToAccount(KEY).address;
const FUNDER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const ENC = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 7) % 256)));

interface LiveSetup {
  pick?: (x: LocalMarket) => boolean;
  wallet?: { signatureType: 0 | 1 | 2 | 3; funderAddress?: string };
  asks?: Array<[string, string]>;
  bids?: Array<[string, string]>;
}

const plain = (x: LocalMarket) => !x.negRisk && x.version === "v1";

/** A market of the local Polymarket with a known book, our rows for it, and a live user holding KEY. */
async function live(opts: LiveSetup = {}) {
  const market = lp.markets().find((x) => !x.closed && (opts.pick ?? plain)(x))!;
  await seedLocalMarket(db, market);
  const tokenId = market.tokenIds[0];
  const asks = opts.asks ?? [["0.50", "100"], ["0.55", "100"]];
  const bids = opts.bids ?? [["0.45", "100"], ["0.40", "100"]];
  lp.setBook(tokenId, { bids: levels(bids), asks: levels(asks) });
  const clock = { now: Date.now() };
  const wallets = { db, keyring: await loadKeyring(ENC) };
  // The venue checks auth timestamps against its own clock: the client signs with the real one.
  const clob = new ClobClient({ baseUrl: lp.clobUrl, timeoutMs: 800 });
  const deps = { ...testDeps(db), now: () => clock.now, venueFor: venueFor({ clob, wallets, now: () => clock.now, rand01: Math.random }) };
  deps.books.set(book(tokenId, { asks, bids }));
  const userId = await seedUser(db, { mode: "live" });
  await importWallet(wallets, userId, { privateKey: KEY, ...(opts.wallet ?? {}) });
  return { deps, userId, tokenId, clock, market, wallets, received: () => lp.orders().slice(before), before };
}
let before = 0;
afterEach(() => void (before = lp.orders().length));
beforeAll(() => void (before = lp.orders().length));

const orderRow = async (id: number) =>
  (await db.execute(sql`SELECT status, venue_order_id, venue_status, error_code, signed_order, mode FROM orders WHERE id = ${id}`)).rows[0]!;
const positionRow = async (id: number) => (await db.execute(sql`SELECT status, claim_id FROM positions WHERE id = ${id}`)).rows[0];

describe("live venue against the local Polymarket (it verifies what it receives)", () => {
  it.each([
    ["a plain v1 market", plain],
    ["a neg-risk market", (x: LocalMarket) => x.negRisk && x.version === "v1"],
    ["a Protocol V2 market", (x: LocalMarket) => x.version === "v2"],
  ])("%s: buys and sells end to end with orders the exchange verifies, at the book's prices to the micro", async (_name, pick) => {
    const { deps, userId, tokenId, received } = await live({ pick });
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    expect([buy.status, fromMicros(buy.shares), fromMicros(buy.usdc), buy.mode]).toEqual(["filled", "20", "10", "live"]);
    const [sent] = received();
    expect(sent).toMatchObject({ signatureValid: true, authOk: true, outcome: "accepted" });
    expect(sent!.signer!.toLowerCase()).toBe(EOA.toLowerCase());
    expect(sent!.order).toMatchObject({ orderType: "FOK", order: { maker: EOA, signer: EOA, side: "BUY", signatureType: 0, makerAmount: "10000000" } });
    const row = await orderRow(buy.orderId);
    expect(row).toMatchObject({ status: "filled", venue_order_id: sent!.orderId, mode: "live" });
    expect(JSON.stringify(row.signed_order)).not.toContain("owner");
    const sell = fill(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" }));
    expect([fromMicros(sell.shares), fromMicros(sell.usdc), fromMicros(sell.realizedPnl!), sell.position.status]).toEqual(["20", "9", "-1", "closed"]);
    expect(received().map((r) => [r.order?.order?.side, r.signatureValid])).toEqual([["BUY", true], ["SELL", true]]);
  });

  it("signature type 2 (a proxy wallet): the maker is the funder, the EOA signs, and the exchange verifies it", async () => {
    const { deps, userId, tokenId, received } = await live({ wallet: { signatureType: 2, funderAddress: FUNDER } });
    fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    const [sent] = received();
    expect(sent).toMatchObject({ signatureValid: true, order: { order: { maker: FUNDER, signer: EOA, signatureType: 2 } } });
    expect(sent!.signer!.toLowerCase()).toBe(EOA.toLowerCase());
  });

  it("a timeout on POST /order ends reconciled by the order's hash: settled once, never re-sent", async () => {
    const { deps, userId, tokenId, received } = await live();
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1 });
    const r = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    expect(received()).toHaveLength(1);
    expect(r.shares).toBe(m("20"));
    expect(await orderRow(r.orderId)).toMatchObject({ status: "filled", error_code: "timeout" });
    // The FAK/FOK order record may be gone from the venue: its trades still settle it.
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1 });
    lp.faults.add({ kind: "null-answer", route: "GET /clob/data/order/*", count: 10 });
    const again = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK" }));
    expect(received()).toHaveLength(2);
    expect(again.position.shares).toBe(m("30"));
    expect((await orderRow(again.orderId)).venue_status).toBe("trades");
    expect(await reconcileOrder(deps, again.orderId)).toMatchObject({ outcome: "already_final" });
  });

  it("a 5xx leaves the sell in flight (position held) until the venue's answer is known", async () => {
    const { deps, userId, tokenId, clock, received } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    lp.faults.add({ kind: "error", status: 500, route: "POST /clob/order", count: 1 });
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
    expect(await positionRow(buy.position.id)).toEqual({ status: "active", claim_id: null });
    // The venue saw the buy only: the refused sell was never sent again.
    expect(received().map((r) => r.order?.order?.side)).toEqual(["BUY"]);
  });

  it("a buy whose outcome is unknown blocks selling that token until it is reconciled", async () => {
    const { deps, userId, tokenId, clock } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    lp.faults.add({ kind: "error", status: 502, message: "Bad Gateway", route: "POST /clob/order", count: 1 });
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FOK" })).toMatchObject({ status: "in_flight" });
    expect(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })).toMatchObject({ reason: "order_in_flight" });
    expect((await positionRow(buy.position.id))?.status).toBe("active");
    clock.now += 120_000;
    // The sell itself reconciles the stale buy first (the venue never saw it), then goes through.
    expect(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" })).toMatchObject({ status: "filled" });
  });

  it.each([
    [{ kind: "rate-limit", retryAfter: 2 }, "rate_limited"],
    [{ kind: "error", status: 400, message: "not enough balance / allowance" }, "insufficient_balance"],
    [{ kind: "reject-eoa" }, "deposit_wallet_required"],
    [{ kind: "trading-disabled" }, "trading_disabled"],
  ] as const)("venue refusal %o → %s, and a refused sell gives the position back", async (fault, reason) => {
    const { deps, userId, tokenId } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    lp.faults.add({ ...(fault as LocalFault), route: "POST /clob/order", count: 1 });
    const r = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" });
    expect(r).toMatchObject({ status: "rejected", reason });
    if (reason === "rate_limited") expect(r).toMatchObject({ retryAfterMs: 2000 });
    expect((await positionRow(buy.position.id))?.status).toBe("active");
  });

  it("a 401 (the venue does not know our API key) is sent again once under a key derived afresh, and fills", async () => {
    const { deps, userId, tokenId, received } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    lp.faults.add({ kind: "error", status: 401, message: "Unauthorized/Invalid api key", route: "POST /clob/order", count: 1 });
    const sell = fill(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "stop_loss" }));
    expect(sell.position.status).toBe("closed");
    expect(received().map((r) => r.order?.order?.side)).toEqual(["BUY", "SELL"]);
    expect((await db.execute(sql`SELECT api_key IS NOT NULL AS has_key FROM wallets WHERE user_id = ${userId}`)).rows[0]).toEqual({ has_key: true });
  });

  it("a second 401 in a row is a refusal: never a third attempt, the position kept", async () => {
    const { deps, userId, tokenId } = await live();
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" }));
    lp.faults.add({ kind: "error", status: 401, message: "Unauthorized/Invalid api key", route: "POST /clob/order", count: 3 });
    const r = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual" });
    expect(r.status).toBe("rejected");
    expect(lp.faults.list().find((f) => f.status === 401)).toMatchObject({ hits: 2, remaining: 1 });
    expect((await positionRow(buy.position.id))?.status).toBe("active");
  });

  it("a FOK the venue cannot fill (its book is thinner than our copy) is refused with nothing traded", async () => {
    const { deps, userId, tokenId, received } = await live();
    lp.setBook(tokenId, { bids: [], asks: levels([["0.50", "5"]]) });
    expect(await executeBuy(deps, { userId, tokenId, amountUsdc: m("10"), orderType: "FOK" })).toMatchObject({ status: "rejected", reason: "fok_not_filled" });
    expect((await db.execute(sql`SELECT count(*) AS n FROM positions WHERE user_id = ${userId}`)).rows[0]).toEqual({ n: "0" });
    expect(received().map((r) => r.outcome)).not.toContain("accepted");
  });

  it("a live sale signs with the wallet row its claim read: one round trip for the key material, not two", async () => {
    const { deps, userId, tokenId, clock, received } = await live();
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
    const clob = new ClobClient({ baseUrl: lp.clobUrl, timeoutMs: 800 });
    const wallets = { db: spied, keyring: await loadKeyring(ENC) };
    const spiedDeps = { ...deps, db: spied, venueFor: venueFor({ clob, wallets, now: () => clock.now, rand01: Math.random }) };
    const sell = fill(await executeSell(spiedDeps, { userId, positionId: buy.position.id, shares: "all", reason: "take_profit" }));
    expect(sell.position.status).toBe("closed");
    expect(received().map((r) => [r.order?.order?.side, r.signatureValid, r.signer?.toLowerCase()])).toEqual([
      ["BUY", true, EOA.toLowerCase()],
      ["SELL", true, EOA.toLowerCase()],
    ]);
    const keyReads = reads.filter((text) => text.includes("encrypted_private_key"));
    expect(keyReads).toHaveLength(1);
    expect(keyReads[0]).toMatch(/UPDATE positions SET status = 'closing'/);
  });

  it("a wallet row read for one user never signs for another", async () => {
    const { userId, wallets } = await live();
    const row = (await db.execute(sql`SELECT ${SEALED_WALLET_COLUMNS} FROM wallets WHERE user_id = ${userId}`)).rows[0]!;
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
