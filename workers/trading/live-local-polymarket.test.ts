// Live trading against the local Polymarket (tools/local-polymarket): its own signature checks, matching and faults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../../test/support/node-db";
import { seedUser } from "../../test/support/db-seed";
import { fromMicros, toMicros } from "../money/micros";
import { ClobClient } from "../polymarket/clob-client";
import { loadKeyring } from "../wallets/envelope";
import { generateWallet, withSigner } from "../wallets/wallet-store";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { venueFor } from "./live-venue";
import { fill, testDeps } from "../../test/support/trading";
import { type LocalMarket, type LocalPolymarket, seedLocalMarket, startLocalVenue } from "../../test/support/local-venue";

const handle = openTestDb();
const { db } = handle;
let lp: LocalPolymarket;
beforeAll(async () => {
  lp = await startLocalVenue("trading-tests");
});
afterAll(async () => {
  await lp?.stop();
  await handle.close();
});

const m = (s: string) => toMicros(s);
const ENC = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 13 + 5) % 256)));

/** Our rows for one of the local markets, a live user with a fresh wallet. */
async function setup(pick: (x: LocalMarket) => boolean) {
  const market = lp.markets().find((x) => !x.closed && pick(x))!;
  await seedLocalMarket(db, market);
  const clob = new ClobClient({ baseUrl: lp.clobUrl, timeoutMs: 800 });
  const wallets = { db, keyring: await loadKeyring(ENC) };
  const deps = { ...testDeps(db), books: { getBook: (t: string) => clob.getBook(t) }, venueFor: venueFor({ clob, wallets, now: Date.now, rand01: Math.random }) };
  const userId = await seedUser(db, { mode: "live" });
  await generateWallet(wallets, userId);
  const address = await withSigner(wallets, userId, async (s) => s!.address);
  return { deps, userId, tokenId: market.tokenIds[0], address };
}

describe("live venue against the local Polymarket", () => {
  it.each([
    ["a plain v1 market", (x: LocalMarket) => !x.negRisk && x.version === "v1"],
    ["a neg-risk market", (x: LocalMarket) => x.negRisk && x.version === "v1"],
    ["a Protocol V2 market", (x: LocalMarket) => x.version === "v2"],
  ])("%s: a buy and a sell go through and the exchange verifies both orders", async (_name, pick) => {
    const { deps, userId, tokenId, address } = await setup(pick);
    const before = lp.orders().length;
    const buy = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK", slippageBps: 1000 }));
    expect(buy.shares > 0n && buy.usdc <= m("5")).toBe(true);
    const sell = fill(await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "manual", slippageBps: 2000 }));
    expect(sell.shares).toBe(buy.shares - (buy.shares % 10_000n));
    const received = lp.orders().slice(before);
    expect(received.map((o) => [o.signatureValid, o.signer?.toLowerCase(), o.outcome])).toEqual([
      [true, address.toLowerCase(), "accepted"],
      [true, address.toLowerCase(), "accepted"],
    ]);
    expect(received[0]!.orderId).toBeDefined();
  });

  it("a POST /order that times out after the venue processed it is reconciled by hash, not sent again", async () => {
    const { deps, userId, tokenId } = await setup((x) => !x.negRisk && x.version === "v1");
    lp.faults.add({ kind: "hang", route: "POST /clob/order", count: 1 });
    const before = lp.orders().length;
    const r = fill(await executeBuy(deps, { userId, tokenId, amountUsdc: m("3"), orderType: "FAK", slippageBps: 1000 }));
    expect(lp.orders().length - before).toBe(1);
    expect(fromMicros(r.usdc)).not.toBe("0");
    lp.faults.clear();
  });

  it.each([
    [{ kind: "error", status: 500 }, "in_flight"],
    [{ kind: "rate-limit", retryAfter: 2 }, "rate_limited"],
    [{ kind: "reject-eoa" }, "deposit_wallet_required"],
    [{ kind: "trading-disabled" }, "trading_disabled"],
  ] as const)("fault %o → %s", async (fault, want) => {
    const { deps, userId, tokenId } = await setup((x) => !x.negRisk && x.version === "v1");
    lp.faults.add({ ...fault, route: "POST /clob/order", count: 1 });
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("3"), orderType: "FAK", slippageBps: 1000 });
    expect(r.status === "rejected" ? r.reason : r.status).toBe(want);
    lp.faults.clear();
  });
});
