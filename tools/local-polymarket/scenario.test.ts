// Scenarios and determinism of the local Polymarket: seeds, scripted paths, lively and burst feeds, control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildSeed } from "./seed";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import { openSocket } from "./test-support";

describe("seed", () => {
  it("is deterministic and covers the cases the product must handle", () => {
    const a = buildSeed({ seed: "s", marketCount: 50 });
    const b = buildSeed({ seed: "s", marketCount: 50 });
    const c = buildSeed({ seed: "t" });
    expect(a).toEqual(b);
    expect(c.markets[0]!.tokenIds).not.toEqual(a.markets[0]!.tokenIds);
    const ticks = new Set(a.markets.map((m) => m.tickSize));
    expect([...ticks].sort()).toEqual(["0.0001", "0.001", "0.01"]);
    expect(a.markets.filter((m) => m.version === "v2").length).toBeGreaterThanOrEqual(2);
    expect(a.events.filter((e) => e.negRisk && e.marketIds.length >= 4).length).toBeGreaterThanOrEqual(2);
    expect(a.markets.some((m) => m.outcomes[0] !== "Yes")).toBe(true);
    const ids = a.markets.flatMap((m) => m.tokenIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((t) => /^\d{77,78}$/.test(t))).toBe(true);
    expect(new Set(a.markets.map((m) => m.slug)).size).toBe(a.markets.length);
    expect(a.markets.length).toBe(24 + 50);
  });
});

describe("scenarios", () => {
  let lp: LocalPolymarket;
  beforeAll(async () => {
    lp = await startLocalPolymarket({ seed: "scenario-test", noNewAssetsMs: 0 });
  });
  afterAll(() => lp.stop());
  beforeEach(() => lp.reset());

  it("walks a scripted path of best bids, one step per interval", async () => {
    const m = lp.markets().find((x) => x.tickSize === "0.01")!;
    const s = await openSocket(lp.wsUrl);
    s.send({ assets_ids: [m.tokenIds[0]], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    const path = lp.scenario.path(m.tokenIds[0], ["0.40", "0.38", "0.35"], 20);
    await path.done;
    await s.sync();
    const bids = s.objects
      .filter((o) => o.event_type === "price_change")
      .map((o) => (o.price_changes as Array<{ asset_id: string; best_bid: string }>).find((c) => c.asset_id === m.tokenIds[0])!.best_bid);
    expect(bids).toEqual(["0.4", "0.38", "0.35"]);
    expect((lp.book(m.tokenIds[0]).bids as Array<{ price: string }>).at(-1)!.price).toBe("0.35");
    expect(() => lp.scenario.path(m.tokenIds[0], ["0.995"], 10)).toThrow(/not a best bid/);
    s.close();
  });

  it("lively moves prices and prints trades on its own; quiet stops it", async () => {
    const ids = lp.markets().flatMap((m) => m.tokenIds);
    const s = await openSocket(lp.wsUrl);
    s.send({ assets_ids: ids, type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    lp.scenario.start("lively", { everyMs: 20 });
    await s.waitFor((o) => o.event_type === "price_change");
    await s.waitFor((o) => o.event_type === "last_trade_price", 0, 10_000);
    lp.scenario.start("quiet");
    await s.sync();
    const mark = s.objects.length;
    lp.movePrice(lp.markets()[0]!.tokenIds[0], { bid: "0.20" });
    await s.waitFor((o) => o.event_type === "price_change", mark);
    await s.sync();
    expect(s.objects.slice(mark).filter((o) => o.event_type === "price_change")).toHaveLength(1);
    s.close();
  });

  it("calm (npm start's default) moves a market a tick at a time and keeps it within a few ticks over a simulated minute", async () => {
    lp.scenario.start("quiet");
    const markets = lp.markets().filter((m) => !m.closed && m.tickSize === "0.01");
    const bidOf = (tokenId: string) => Number((lp.book(tokenId) as { bids: Array<{ price: string }> }).bids.at(-1)?.price ?? "NaN");
    const start = new Map(markets.map((m) => [m.id, bidOf(m.tokenIds[0])]));
    // 200 ticks of the calm driver: one minute at its default 300 ms, run at 5 ms.
    lp.scenario.start("calm", { everyMs: 5 });
    await new Promise((r) => setTimeout(r, 1_000));
    lp.scenario.start("quiet");
    const moves = markets.map((m) => Math.round(Math.abs(bidOf(m.tokenIds[0]) - start.get(m.id)!) * 100));
    expect(moves.some((t) => t > 0)).toBe(true);
    // The lively scenario once took a market 12 ticks down in a minute; calm stays near where it was.
    expect(Math.max(...moves)).toBeLessThanOrEqual(5);
  });

  it("bursts thousands of frames per second over the subscribed markets, via the control API", async () => {
    const m = lp.markets()[1]!;
    const s = await openSocket(lp.wsUrl);
    s.send({ assets_ids: [m.tokenIds[0]], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    const res = await fetch(`${lp.httpUrl}/_control/burst`, { method: "POST", body: JSON.stringify({ perSecond: 5000, ms: 200 }) });
    expect(res.status).toBe(200);
    await s.until(() => s.objects.filter((o) => o.event_type === "price_change").length >= 200, 5_000);
    expect(s.objects.filter((o) => o.event_type === "price_change").every((o) => o.market === m.conditionId)).toBe(true);
    s.close();
  });
});
