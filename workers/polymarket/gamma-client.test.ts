import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLogSink, type LogSink } from "../lib/log";
import { GammaClient, parseMarkets, type GammaMarketsPage } from "./gamma-client";
import type { FetchLike } from "./http";

interface Fs {
  existsSync(path: string): boolean;
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: "utf8"): string;
}
const NODE_FS = "node:fs";
const fs = (await import(NODE_FS)) as Fs;
const FIXTURES = "test/fixtures/polymarket/gamma/";
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(`${FIXTURES}${name}`, "utf8"));

interface Seen {
  path: string;
  query: URLSearchParams;
}

/** Gamma stand-in under a base that carries a path, as the local simulator serves it. */
function fakeGamma(route: (req: Seen, n: number) => Response) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url) => {
    const u = new URL(url);
    const req = { path: u.pathname.replace(/^\/gamma/, ""), query: u.searchParams };
    seen.push(req);
    return route(req, seen.length);
  };
  return { seen, gamma: new GammaClient({ baseUrl: "http://127.0.0.1:9/gamma", fetch }) };
}

const market = (id: number, over: Record<string, unknown> = {}) => ({
  id: String(id),
  question: `Q${id}?`,
  conditionId: `0x${id.toString(16).padStart(64, "0")}`,
  outcomes: '["Yes", "No"]',
  outcomePrices: '["0.5", "0.5"]',
  clobTokenIds: `["${id}1", "${id}2"]`,
  ...over,
});

async function collect(pages: AsyncIterable<GammaMarketsPage>): Promise<GammaMarketsPage[]> {
  const out: GammaMarketsPage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

let previousSink: LogSink;
beforeAll(() => {
  previousSink = setLogSink(() => undefined);
});
afterAll(() => {
  setLogSink(previousSink);
});

describe("every gamma fixture parses", () => {
  it("market_btc_updown_5m: JSON-string arrays decoded, numbers and strings as on the wire", async () => {
    const { gamma, seen } = fakeGamma(() => Response.json(fixture("market_btc_updown_5m__nautilus_live_2026-03.json")));
    const m = await gamma.getMarket("1557558");
    expect(seen[0]!.path).toBe("/markets/1557558");
    expect(m).toMatchObject({
      id: "1557558",
      outcomes: ["Up", "Down"],
      outcomePrices: ["0.505", "0.495"],
      clobTokenIds: ["104239898038807136052399800151408521467737075933964991162589336683346093173875", "71183960810705820955071415844881728181970340514894896943812046065452395013351"],
      umaResolutionStatuses: [],
      orderPriceMinTickSize: 0.01,
      volume: "9.999997",
      volume24hr: 9.999997,
      acceptingOrders: true,
    });
    expect(m!.version).toBeUndefined();
    expect(m!.events![0]).toMatchObject({ slug: "btc-updown-5m-1773307200", title: "Bitcoin Up or Down - March 12, 5:20AM-5:25AM ET" });
  });

  it("market_sports_moneyline_closed: closedTime in Gamma's non-ISO form is kept as text", async () => {
    const { gamma, seen } = fakeGamma(() => Response.json(fixture("market_sports_moneyline_closed__nautilus_live_2026-04.json")));
    const m = await gamma.getMarketBySlug("cs2-faze-ill-2026-04-05");
    expect(seen[0]!.path).toBe("/markets/slug/cs2-faze-ill-2026-04-05");
    expect(m).toMatchObject({ closed: true, acceptingOrders: false, closedTime: "2026-04-05 19:37:33+00", umaResolutionStatuses: ["proposed"], outcomePrices: ["1", "0"] });
  });

  it("events_list: events with nested markets and tags", async () => {
    const { gamma, seen } = fakeGamma(() => Response.json(fixture("events_list__nautilus_live.json")));
    const event = await gamma.getEventBySlug("democratic-presidential-nominee-2028");
    expect(seen[0]!.path).toBe("/events");
    expect(seen[0]!.query.get("slug")).toBe("democratic-presidential-nominee-2028");
    expect(event).toMatchObject({ slug: "democratic-presidential-nominee-2028", title: "Democratic Presidential Nominee 2028", malformed: 0 });
    expect(event!.markets.map((m) => m.id)).toEqual(["559657", "559659"]);
    expect(event!.tags!.map((t) => t.slug)).toContain("politics");
  });

  it("covers every file in the fixture directory", () => {
    expect(fs.readdirSync(FIXTURES).sort()).toEqual([
      "events_list__nautilus_live.json",
      "market_btc_updown_5m__nautilus_live_2026-03.json",
      "market_sports_moneyline_closed__nautilus_live_2026-04.json",
    ]);
  });
});

describe("parseMarkets tolerates real-world mess", () => {
  it.each([
    ["positionIds as an array", { version: "v2", positionIds: ["11", "12"] }, { positionIds: ["11", "12"] }],
    ["positionIds as a JSON string", { version: "v2", positionIds: '["11", "12"]' }, { positionIds: ["11", "12"] }],
    ["a numeric id", { id: 42 }, { id: "42" }],
    ["nulls everywhere optional", { slug: null, events: null, feeType: null, negRisk: null }, { slug: null }],
    ["cosmetic fields of the wrong type", { image: 5, volume: { x: 1 }, events: "nope" }, { image: undefined, volume: undefined, events: undefined }],
    ["numeric outcome prices", { outcomePrices: [0.25, 0.75] }, { outcomePrices: ["0.25", "0.75"] }],
  ])("%s", (_name, over, expected) => {
    const { markets, malformed } = parseMarkets([market(7, over)]);
    expect(malformed).toBe(0);
    expect(markets[0]).toMatchObject(expected);
  });

  it("counts and skips a malformed market without failing the others", () => {
    const { markets, malformed } = parseMarkets([market(1), { id: "2", question: null }, market(3, { outcomes: "[not json" }), "garbage", market(4)]);
    expect(markets.map((m) => m.id)).toEqual(["1", "4"]);
    expect(malformed).toBe(3);
  });
});

describe("listActiveMarkets", () => {
  it("follows the keyset cursor with after_cursor until it is absent", async () => {
    const pages: Record<string, object> = {
      "": { markets: [market(1), market(2)], next_cursor: "c1" },
      c1: { markets: [market(3), { id: "bad" }], next_cursor: "c2" },
      c2: { markets: [market(4)] },
    };
    const { gamma, seen } = fakeGamma((req) => Response.json(pages[req.query.get("after_cursor") ?? ""]));
    const got = await collect(gamma.listActiveMarkets());
    expect(got.map((p) => [p.mode, p.index, p.markets.map((m) => m.id), p.malformed])).toEqual([
      ["keyset", 0, ["1", "2"], 0],
      ["keyset", 1, ["3"], 1],
      ["keyset", 2, ["4"], 0],
    ]);
    expect(seen.map((r) => r.path)).toEqual(["/markets/keyset", "/markets/keyset", "/markets/keyset"]);
    expect(Object.fromEntries(seen[1]!.query)).toEqual({ limit: "100", active: "true", closed: "false", include_tag: "true", after_cursor: "c1" });
  });

  it.each([404, 410, 422])("falls back to offset paging when keyset answers %i", async (status) => {
    const full = Array.from({ length: 100 }, (_, i) => market(i + 1));
    const { gamma, seen } = fakeGamma((req) => {
      if (req.path === "/markets/keyset") return Response.json({ error: "not here" }, { status });
      return Response.json(req.query.get("offset") === "0" ? full : [market(101), market(102)]);
    });
    const got = await collect(gamma.listActiveMarkets());
    expect(got.map((p) => [p.mode, p.markets.length])).toEqual([
      ["offset", 100],
      ["offset", 2],
    ]);
    expect(seen.map((r) => `${r.path}?${r.query.toString()}`)).toEqual([
      "/markets/keyset?limit=100&active=true&closed=false&include_tag=true",
      "/markets?limit=100&offset=0&active=true&closed=false&include_tag=true",
      "/markets?limit=100&offset=100&active=true&closed=false&include_tag=true",
    ]);
  });

  it("stops at Gamma's offset ceiling", async () => {
    const full = Array.from({ length: 100 }, (_, i) => market(i + 1));
    const { gamma, seen } = fakeGamma((req) => (req.path === "/markets/keyset" ? new Response("", { status: 404 }) : Response.json(full)));
    const got = await collect(gamma.listActiveMarkets());
    expect(got).toHaveLength(101);
    expect(seen.at(-1)!.query.get("offset")).toBe("10000");
  });

  it("does not fall back on a server error, nor after the first page", async () => {
    const down = fakeGamma(() => new Response("", { status: 503 }));
    await expect(collect(down.gamma.listActiveMarkets())).rejects.toMatchObject({ code: "server_error" });
    expect(down.seen.map((r) => r.path)).toEqual(["/markets/keyset"]);
    const later = fakeGamma((_req, n) => (n === 1 ? Response.json({ markets: [market(1)], next_cursor: "c1" }) : new Response("", { status: 404 })));
    await expect(collect(later.gamma.listActiveMarkets())).rejects.toMatchObject({ code: "not_found" });
  });

  it("stops when the server hands back the same cursor (it ignored ours)", async () => {
    const { gamma, seen } = fakeGamma(() => Response.json({ markets: [market(1)], next_cursor: "same" }));
    const got = await collect(gamma.listActiveMarkets());
    expect(got).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });
});

describe("lookups", () => {
  it("getMarket is null for an unknown id", async () => {
    const { gamma } = fakeGamma(() => Response.json({ type: "not found" }, { status: 404 }));
    expect(await gamma.getMarket("999")).toBeNull();
  });

  it("search asks /public-search for active events and parses their markets", async () => {
    const { gamma, seen } = fakeGamma(() => Response.json({ events: [{ id: "9", slug: "e", title: "E", markets: [market(5), { nope: 1 }] }], pagination: { hasMore: false } }));
    const events = await gamma.search("bitcoin up", { limitPerType: 5 });
    expect(seen[0]!.path).toBe("/public-search");
    expect(Object.fromEntries(seen[0]!.query)).toEqual({ q: "bitcoin up", limit_per_type: "5", events_status: "active", keep_closed_markets: "0" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ slug: "e", malformed: 1 });
    expect(events[0]!.markets.map((m) => m.id)).toEqual(["5"]);
  });

  it("closedAmong asks for the given condition ids with closed=true and keeps only closed markets it asked about", async () => {
    const asked = [market(1).conditionId, market(2).conditionId];
    // A server that ignores the filter answers more than was asked, some of it open: only asked and closed ones count.
    const { gamma, seen } = fakeGamma(() => Response.json([market(1, { closed: true }), market(2, { closed: false }), market(3, { closed: true })]));
    const closed = await gamma.closedAmong(asked);
    expect(seen[0]!.path).toBe("/markets");
    expect(seen[0]!.query.getAll("condition_ids")).toEqual(asked);
    expect(seen[0]!.query.get("closed")).toBe("true");
    expect(closed.map((m) => m.id)).toEqual(["1"]);
    await expect(gamma.closedAmong(Array.from({ length: 51 }, (_, i) => market(i).conditionId))).rejects.toThrow(RangeError);
  });

  it("getEventBySlug passes closed explicitly: open events first, then a closed one", async () => {
    const { gamma, seen } = fakeGamma((req) => Response.json(req.query.get("closed") === "true" ? [{ id: "7", slug: "ended", title: "Ended", closed: true, markets: [market(8)] }] : []));
    const ev = await gamma.getEventBySlug("ended");
    expect(seen.map((r) => [r.path, r.query.get("slug"), r.query.get("closed")])).toEqual([["/events", "ended", "false"], ["/events", "ended", "true"]]);
    expect(ev?.id).toBe("7");
  });
});
