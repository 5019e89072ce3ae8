// Public CLOB REST of the local Polymarket: books, batch limits, price semantics, market details, error texts.
import { ClobClient } from "@polymarket/clob-client-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import type { MarketInfo } from "./types";

let lp: LocalPolymarket;
let m: MarketInfo;
const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${lp.clobUrl}${path}`, init);
  return { status: res.status, body: await res.json() };
};
const post = (path: string, body: unknown) => call(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "clob-test", noNewAssetsMs: 0 });
  m = lp.markets().find((x) => x.tickSize === "0.01" && !x.negRisk)!;
});
afterAll(() => lp.stop());
beforeEach(() => {
  lp.reset();
  lp.setBook(m.tokenIds[0], { bids: [{ price: "0.40", size: "10" }, { price: "0.45", size: "20" }], asks: [{ price: "0.55", size: "30" }, { price: "0.50", size: "40" }] });
});

describe("books", () => {
  it("GET /book answers the current summary shape, best level last, with a SHA-1 hash the official client reproduces", async () => {
    const { status, body } = await call(`/book?token_id=${m.tokenIds[0]}`);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["market", "asset_id", "timestamp", "hash", "bids", "asks", "min_order_size", "tick_size", "neg_risk", "last_trade_price"]);
    expect(body).toMatchObject({
      market: m.conditionId,
      asset_id: m.tokenIds[0],
      bids: [{ price: "0.4", size: "10" }, { price: "0.45", size: "20" }],
      asks: [{ price: "0.55", size: "30" }, { price: "0.5", size: "40" }],
      min_order_size: "5",
      tick_size: "0.01",
      neg_risk: false,
    });
    const hash = body.hash;
    expect(await new ClobClient({ host: lp.clobUrl, chain: 137 }).getOrderBookHash({ ...body })).toBe(hash);
    const no = (await call(`/book?token_id=${m.tokenIds[1]}`)).body;
    expect(no.bids.at(-1)).toEqual({ price: "0.5", size: "40" });
    expect(no.asks.at(-1)).toEqual({ price: "0.55", size: "20" });
  });

  it.each([
    ["not a number", "abc", 400, "Invalid token id"],
    ["missing", "", 400, "Invalid token id"],
    ["unknown", "1234567890", 404, "No orderbook exists for the requested token id"],
  ])("answers a %s token id with %i", async (_name, id, status, error) => {
    expect(await call(`/book?token_id=${id}`)).toEqual({ status, body: { error } });
  });

  it("POST /books answers up to 500 tokens and refuses 501 with 'Payload exceeds the limit'", async () => {
    const ids = lp.markets().flatMap((x) => x.tokenIds);
    const ok = await post("/books", ids.map((token_id) => ({ token_id })));
    expect(ok.body.map((b: { asset_id: string }) => b.asset_id)).toEqual(ids);
    const filler = Array.from({ length: 500 - ids.length }, (_, i) => ({ token_id: String(i + 1) }));
    expect((await post("/books", [...ids.map((token_id) => ({ token_id })), ...filler])).status).toBe(200);
    expect(await post("/books", [...ids.map((token_id) => ({ token_id })), ...filler, { token_id: "1" }])).toEqual({ status: 400, body: { error: "Payload exceeds the limit" } });
  });
});

describe("prices", () => {
  it("/price side=BUY answers the best BID and side=SELL the best ASK", async () => {
    expect((await call(`/price?token_id=${m.tokenIds[0]}&side=BUY`)).body).toEqual({ price: "0.45" });
    expect((await call(`/price?token_id=${m.tokenIds[0]}&side=SELL`)).body).toEqual({ price: "0.5" });
    expect((await call(`/price?token_id=${m.tokenIds[1]}&side=BUY`)).body).toEqual({ price: "0.5" });
    expect((await post("/prices", [{ token_id: m.tokenIds[0], side: "BUY" }, { token_id: m.tokenIds[0], side: "SELL" }])).body).toEqual({ [m.tokenIds[0]]: { BUY: "0.45", SELL: "0.5" } });
  });

  it("answers midpoint, spread, last trade, tick size, neg-risk, fee rate, version and time", async () => {
    lp.trade(m.tokenIds[0], "0.50", "5", "BUY");
    expect((await call(`/midpoint?token_id=${m.tokenIds[0]}`)).body).toEqual({ mid: "0.475" });
    expect((await post("/midpoints", [{ token_id: m.tokenIds[0] }])).body).toEqual({ [m.tokenIds[0]]: "0.475" });
    expect((await call(`/spread?token_id=${m.tokenIds[0]}`)).body).toEqual({ spread: "0.05" });
    expect((await call(`/last-trade-price?token_id=${m.tokenIds[0]}`)).body).toEqual({ price: "0.50", side: "BUY" });
    expect((await call(`/tick-size?token_id=${m.tokenIds[0]}`)).body).toEqual({ minimum_tick_size: 0.01 });
    expect((await call(`/neg-risk?token_id=${m.tokenIds[0]}`)).body).toEqual({ neg_risk: false });
    expect((await call(`/fee-rate?token_id=${m.tokenIds[0]}`)).body).toEqual({ base_fee: 0 });
    expect((await call("/version")).body).toEqual({ version: 2 });
    expect(Math.abs((await call("/time")).body - Date.now() / 1000)).toBeLessThan(5);
  });

  it("describes markets the way the official client reads them (tick size and neg-risk per token)", async () => {
    const nr = lp.markets().find((x) => x.negRisk)!;
    const client = new ClobClient({ host: lp.clobUrl, chain: 137 });
    await client.getClobMarketInfo(nr.conditionId);
    expect(await client.getTickSize(nr.tokenIds[1])).toBe(nr.tickSize);
    expect(await client.getNegRisk(nr.tokenIds[1])).toBe(true);
    const full = (await call(`/markets/${nr.conditionId}`)).body;
    expect(full).toMatchObject({ condition_id: nr.conditionId, neg_risk: true, minimum_tick_size: Number(nr.tickSize), tokens: [{ token_id: nr.tokenIds[0], outcome: "Yes", winner: false }, { token_id: nr.tokenIds[1], outcome: "No", winner: false }] });
  });
});
