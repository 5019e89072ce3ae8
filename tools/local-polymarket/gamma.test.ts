// Gamma on the local Polymarket: paging (keyset and offset), real field shapes, lookups, events, search, lag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "./server";

let lp: LocalPolymarket;
const get = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${lp.gammaUrl}${path}`);
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "gamma-test", marketCount: 1_700, gammaLagMs: 0, noNewAssetsMs: 0 });
});
afterAll(() => lp.stop());

describe("paging", () => {
  it("keyset pages through every open market with after_cursor, 100 at most per page", async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get(`/markets/keyset?limit=500&active=true&closed=false${cursor ? `&after_cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      expect(body.markets.length).toBeLessThanOrEqual(100);
      ids.push(...body.markets.map((m: { id: string }) => m.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(ids).toHaveLength(lp.markets().length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(ids.length / 100));
    expect((await get("/markets/keyset?offset=100")).status).toBe(422);
  });

  it("offset pages cap limit at 100 and refuse offsets above 10,000 with 422", async () => {
    const first = await get("/markets?limit=1000&offset=0");
    const second = await get("/markets?limit=100&offset=100");
    expect(first.body).toHaveLength(100);
    expect(second.body[0].id).not.toBe(first.body[0].id);
    expect((await get("/markets?limit=100&offset=1700")).body).toHaveLength(lp.markets().length - 1700);
    expect((await get("/markets?offset=10000")).status).toBe(200);
    expect((await get("/markets?offset=10001")).status).toBe(422);
  });

  it("orders by volume24hr descending when asked", async () => {
    const { body } = await get("/markets?limit=50&order=volume24hr&ascending=false");
    const vols = body.map((m: { volume24hr: number }) => m.volume24hr);
    expect(vols).toEqual([...vols].sort((a: number, b: number) => b - a));
  });
});

describe("shapes", () => {
  it("prints outcomes, outcomePrices and clobTokenIds as JSON strings aligned with each other", async () => {
    const m = lp.markets().find((x) => x.version === "v1")!;
    const { body } = await get(`/markets/${m.id}`);
    expect(typeof body.outcomes).toBe("string");
    expect(JSON.parse(body.outcomes)).toEqual(m.outcomes);
    expect(JSON.parse(body.clobTokenIds)).toEqual(m.tokenIds);
    const prices = JSON.parse(body.outcomePrices) as string[];
    expect(prices.every((p) => /^\d(\.\d+)?$/.test(p))).toBe(true);
    expect(typeof body.volume).toBe("string");
    expect(typeof body.volume24hr).toBe("number");
    expect(typeof body.orderPriceMinTickSize).toBe("number");
    expect(body).toMatchObject({ version: "v1", orderMinSize: 5, negRisk: m.negRisk, conditionId: m.conditionId, active: true, closed: false });
    expect(body.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
    for (const t of m.tokenIds) expect(t).toMatch(/^\d{77,78}$/);
    expect(body.events[0].id).toBe(m.eventId);
  });

  it("gives version v2 markets positionIds and no clobTokenIds", async () => {
    const m = lp.markets().find((x) => x.version === "v2")!;
    const { body } = await get(`/markets/slug/${m.slug}`);
    expect(body.version).toBe("v2");
    expect(body.positionIds).toEqual(m.tokenIds);
    expect(body).not.toHaveProperty("clobTokenIds");
  });

  it("lists a neg-risk event with its Yes/No markets, by slug in both spellings", async () => {
    const m = lp.markets().find((x) => x.negRisk)!;
    const byId = await get(`/events/${m.eventId}`);
    const slug = byId.body.slug as string;
    const viaQuery = await get(`/events?slug=${slug}`);
    const viaPath = await get(`/events/slug/${slug}`);
    expect(viaQuery.body[0].id).toBe(m.eventId);
    expect(viaPath.body).toMatchObject({ id: m.eventId, negRisk: true, enableNegRisk: true });
    expect(viaPath.body.markets.length).toBeGreaterThanOrEqual(4);
    expect(viaPath.body.markets.every((x: { negRisk: boolean; outcomes: string }) => x.negRisk && x.outcomes === '["Yes", "No"]')).toBe(true);
    expect(viaPath.body.tags.length).toBeGreaterThan(0);
  });

  it("filters by clob_token_ids, condition_ids and repeated id, and answers 404 for unknown ids", async () => {
    const [a, b] = lp.markets();
    expect((await get(`/markets?clob_token_ids=${a!.tokenIds[1]}`)).body.map((m: { id: string }) => m.id)).toEqual([a!.id]);
    expect((await get(`/markets?condition_ids=${b!.conditionId}`)).body.map((m: { id: string }) => m.id)).toEqual([b!.id]);
    expect((await get(`/markets?id=${a!.id}&id=${b!.id}`)).body).toHaveLength(2);
    expect((await get("/markets/1")).status).toBe(404);
    expect((await get("/markets?include_tag=true&limit=1")).body[0].tags[0]).toMatchObject({ id: expect.any(String), label: expect.any(String), slug: expect.any(String) });
  });

  it("finds events by words with /public-search", async () => {
    const { body } = await get("/public-search?q=nba%20champion");
    expect(body.events.map((e: { title: string }) => e.title)).toEqual(["NBA Champion 2027"]);
    expect(body.pagination).toEqual({ hasMore: false, totalResults: 1 });
  });
});

describe("prices and resolution", () => {
  it("outcomePrices follow the book: midpoint, or the last trade when the spread is above $0.10", async () => {
    const m = lp.markets().find((x) => x.tickSize === "0.01" && !x.negRisk && x.version === "v1")!;
    lp.movePrice(m.tokenIds[0], { bid: "0.40", ask: "0.42" });
    expect(JSON.parse((await get(`/markets/${m.id}`)).body.outcomePrices)).toEqual(["0.41", "0.59"]);
    lp.trade(m.tokenIds[0], "0.42", "1", "BUY");
    lp.movePrice(m.tokenIds[0], { bid: "0.30", ask: "0.45" });
    expect(JSON.parse((await get(`/markets/${m.id}`)).body.outcomePrices)).toEqual(["0.42", "0.58"]);
  });

  it("lags the book by gammaLagMs", async () => {
    let now = 1_800_000_000_000;
    const lagged = await startLocalPolymarket({ seed: "gamma-lag", gammaLagMs: 5_000, now: () => now, noNewAssetsMs: 0 });
    try {
      const m = lagged.markets()[0]!;
      const price = async () => JSON.parse(((await (await fetch(`${lagged.gammaUrl}/markets/${m.id}`)).json()) as { outcomePrices: string }).outcomePrices)[0];
      const before = await price();
      lagged.movePrice(m.tokenIds[0], { bid: "0.80", ask: "0.82" });
      expect(await price()).toBe(before);
      now += 5_000;
      expect(await price()).toBe("0.81");
    } finally {
      await lagged.stop();
    }
  });

  it("a resolved market leaves the default listing and shows closed=true with the winner at 1", async () => {
    const m = lp.markets().find((x) => x.outcomes[0] === "Lakers")!;
    lp.resolve(m.id, "Celtics");
    expect((await get(`/markets?id=${m.id}`)).body).toEqual([]);
    const [closed] = (await get(`/markets?id=${m.id}&closed=true`)).body;
    expect(closed).toMatchObject({ closed: true, acceptingOrders: false, outcomePrices: '["0", "1"]' });
    expect(closed.closedTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00$/);
  });
});
