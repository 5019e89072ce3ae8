// Regions against the local Polymarket: a blocked or close-only region, or an account in closed-only
// mode, refuses live buys before anything is signed; sells still go where close-only permits them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../test/support/db-seed";
import { openTestDb } from "../../test/support/node-db";
import { type LocalMarket, type LocalPolymarket, seedLocalMarket, startLocalVenue } from "../../test/support/local-venue";
import { testDeps } from "../../test/support/trading";
import { toMicros } from "../money/micros";
import { accessOf } from "../placement";
import { ClobClient } from "../polymarket/clob-client";
import { loadKeyring } from "../wallets/envelope";
import { generateWallet } from "../wallets/wallet-store";
import { executeBuy } from "./execute-buy";
import { executeSell } from "./execute-sell";
import { venueFor } from "./live-venue";

const handle = openTestDb();
const { db } = handle;
let lp: LocalPolymarket;
beforeAll(async () => {
  lp = await startLocalVenue("live-region");
  lp.scenario.stop();
});
afterAll(async () => {
  await lp?.stop();
  await handle.close();
});

const m = (s: string) => toMicros(s);
const ENC = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 11 + 1) % 256)));
/** What placementInfo asks, on the local Polymarket's /api/geoblock (uncached here, so a test can switch regions). */
const geoblock = async () => accessOf((await (await fetch(lp.geoblockUrl)).json()) as { blocked: boolean; country?: string });

async function setup(askRegion: boolean) {
  const market = [...lp.markets()].reverse().find((x: LocalMarket) => !x.closed && !x.negRisk && x.version === "v1")!;
  await seedLocalMarket(db, market);
  const clob = new ClobClient({ baseUrl: lp.clobUrl, timeoutMs: 800 });
  const wallets = { db, keyring: await loadKeyring(ENC) };
  const live = { clob, wallets, now: Date.now, rand01: Math.random, ...(askRegion ? { access: geoblock } : {}) };
  const deps = { ...testDeps(db), books: { getBook: (t: string) => clob.getBook(t) }, venueFor: venueFor(live) };
  const userId = await seedUser(db, { mode: "live" });
  await generateWallet(wallets, userId);
  return { deps, userId, tokenId: market.tokenIds[0] };
}

describe("live buys and the venue's region rules", () => {
  it("a blocked region refuses a live buy before signing, in a plain sentence", async () => {
    const { deps, userId, tokenId } = await setup(true);
    lp.rules({ region: { mode: "blocked" } });
    const before = lp.orders().length;
    const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK", slippageBps: 1000 });
    lp.rules({ region: { mode: "allowed" } });
    expect(r).toMatchObject({ status: "rejected", reason: "region_blocked" });
    expect(r.status === "rejected" && r.message).toContain("The operator must run it where Polymarket allows trading.");
    expect(lp.orders().length).toBe(before);
  });

  it("close-only: a buy is refused before signing, a sell of what is held still goes through", async () => {
    const { deps, userId, tokenId } = await setup(true);
    const buy = await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK", slippageBps: 1000 });
    expect(buy.status).toBe("filled");
    lp.rules({ region: { mode: "close-only" } });
    try {
      const before = lp.orders().length;
      const again = await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK", slippageBps: 1000 });
      expect(again).toMatchObject({ status: "rejected", reason: "close_only" });
      expect(lp.orders().length).toBe(before);
      if (buy.status !== "filled") return;
      const sell = await executeSell(deps, { userId, positionId: buy.position.id, shares: "all", reason: "stop_loss", slippageBps: 2000 });
      expect(sell.status).toBe("filled");
    } finally {
      lp.rules({ region: { mode: "allowed" } });
    }
  });

  it("an account in closed-only mode (GET /auth/ban-status/closed-only) is refused a buy even when the region is not asked", async () => {
    const { deps, userId, tokenId } = await setup(false);
    lp.rules({ region: { mode: "close-only" } });
    try {
      const before = lp.orders().length;
      const r = await executeBuy(deps, { userId, tokenId, amountUsdc: m("5"), orderType: "FAK", slippageBps: 1000 });
      expect(r).toMatchObject({ status: "rejected", reason: "close_only" });
      expect(r.status === "rejected" && r.message).toContain("selling still is");
      expect(lp.orders().length).toBe(before);
    } finally {
      lp.rules({ region: { mode: "allowed" } });
    }
  });
});
