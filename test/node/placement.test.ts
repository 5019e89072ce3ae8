// placementInfo against a real HTTP server speaking Polymarket's geoblock answer
// ({"blocked":…,"ip":…,"country":…,"region":…}, polymarket-2026-accounts.md §6): what each answer
// means for trading, that the public /healthz cannot fan out to Polymarket, and that no IP is kept.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessOf, PLACEMENT_CACHE_MS, placementInfo, resetPlacementCache } from "../../workers/placement";

let answer: { status: number; body: string } = { status: 200, body: "{}" };
let hits = 0;
let server: http.Server;
let url = "";

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/geoblock`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  resetPlacementCache();
  hits = 0;
});

const settings = () => ({ POLYMARKET_GEOBLOCK_URL: url, STREAMER_LOCATION_HINT: "weur" as const });
const geo = (blocked: boolean, country: string, region = "") => ({ status: 200, body: JSON.stringify({ blocked, ip: "203.0.113.42", country, region }) });

describe("placementInfo", () => {
  it.each([
    ["Ireland: trading allowed", geo(false, "IE", "D"), "allowed"],
    ["Poland: close-only", geo(false, "PL"), "close_only"],
    ["the United States: blocked", geo(true, "US", "NY"), "blocked"],
    ["Japan: the API is allowed but geoblock says blocked, so blocked is reported", geo(true, "JP"), "blocked"],
    ["an HTTP error: unknown", { status: 503, body: "busy" }, "unknown"],
    ["an answer of another shape: unknown", { status: 200, body: '{"ok":true}' }, "unknown"],
  ] as const)("%s", async (_name, a, access) => {
    answer = a;
    const info = await placementInfo(settings(), { cf: { colo: "DUB" } });
    expect(info.polymarket.access).toBe(access);
    expect(info.colo).toBe("DUB");
    expect(info.streamerLocationHint).toBe("weur");
    expect(JSON.stringify(info)).not.toContain("203.0.113.42"); // /healthz is public: no IP
  });

  it("looks up once per isolate per cache window, however often /healthz is asked", async () => {
    answer = geo(false, "IE");
    let now = 1_000_000;
    await Promise.all(Array.from({ length: 20 }, () => placementInfo(settings(), { now: () => now })));
    expect(hits).toBe(1);
    now += PLACEMENT_CACHE_MS - 1;
    await placementInfo(settings(), { now: () => now });
    expect(hits).toBe(1);
    now += 1;
    await placementInfo(settings(), { now: () => now });
    expect(hits).toBe(2);
  });

  it("accessOf reads only blocked and the country", () => {
    expect(accessOf({ blocked: false, country: "sg" })).toBe("close_only");
    expect(accessOf({ blocked: false })).toBe("allowed");
  });
});
