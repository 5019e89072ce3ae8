// Market channel of the local Polymarket: subscribe, operations, keep-alive, mirrored updates, faults.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import { openSocket, type TestSocket } from "./test-support";
import type { MarketInfo } from "./types";

let lp: LocalPolymarket;
let binary: MarketInfo;
let negRisk: MarketInfo;
const sockets: TestSocket[] = [];

async function socket(): Promise<TestSocket> {
  const s = await openSocket(lp.wsUrl);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "ws-test", noNewAssetsMs: 0 });
  binary = lp.markets().find((m) => !m.negRisk && m.tickSize === "0.01")!;
  negRisk = lp.markets().find((m) => m.negRisk)!;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await lp.stop();
});
beforeEach(() => lp.reset());

const num = (x: unknown) => Number(x as string);

describe("subscribe", () => {
  it("answers the first frame with ONE array of book snapshots, known assets only, in wire order", async () => {
    const s = await socket();
    s.send({ assets_ids: [...binary.tokenIds, "123456789", negRisk.tokenIds[0]], type: "market" });
    const first = await s.waitForText((t) => t.startsWith("["));
    const books = JSON.parse(first) as Array<Record<string, unknown>>;
    expect(books.map((b) => b.asset_id)).toEqual([...binary.tokenIds, negRisk.tokenIds[0]]);
    for (const b of books) {
      expect(b.event_type).toBe("book");
      expect(Object.keys(b).slice(-3)).toEqual(["tick_size", "event_type", "last_trade_price"]);
      const bids = (b.bids as Array<{ price: string }>).map((l) => num(l.price));
      const asks = (b.asks as Array<{ price: string }>).map((l) => num(l.price));
      expect(bids).toEqual([...bids].sort((x, y) => x - y));
      expect(asks).toEqual([...asks].sort((x, y) => y - x));
      expect(bids.at(-1)!).toBeLessThan(asks.at(-1)!);
      expect(b.hash).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(books[0]!.tick_size).toBe(binary.tickSize);
    // The two outcomes mirror: best bid of one is 1 − best ask of the other.
    const [yes, no] = books as Array<{ bids: Array<{ price: string }>; asks: Array<{ price: string }> }>;
    expect(Math.round((1 - num(yes!.asks.at(-1)!.price)) * 1e6)).toBe(Math.round(num(no!.bids.at(-1)!.price) * 1e6));
    // The snapshot hash is the REST /book hash of the same state.
    expect(books[0]!.hash).toBe(lp.book(binary.tokenIds[0]).hash);
  });

  it("operation subscribe adds assets with snapshots; unsubscribe stops their updates", async () => {
    const s = await socket();
    s.send({ assets_ids: [binary.tokenIds[0]], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    s.send({ assets_ids: [negRisk.tokenIds[1]], operation: "subscribe" });
    await s.waitFor((o) => o.event_type === "book" && o.asset_id === negRisk.tokenIds[1]);
    s.send({ assets_ids: [binary.tokenIds[0]], operation: "unsubscribe" });
    await s.sync();
    const mark = s.objects.length;
    lp.movePrice(binary.tokenIds[0], { bid: "0.20" });
    lp.movePrice(negRisk.tokenIds[1], { bid: "0.700" });
    await s.waitFor((o) => o.event_type === "price_change" && o.market === lp.markets().find((m) => m.id === negRisk.id)!.conditionId, mark);
    await s.sync();
    expect(s.objects.slice(mark).some((o) => o.market === binary.conditionId)).toBe(false);
    expect(lp.connections().find((c) => c.assetIds.includes(negRisk.tokenIds[1]))!.assetIds).toEqual([negRisk.tokenIds[1]]);
  });

  it("answers text PING with text PONG and records every inbound frame in order", async () => {
    const s = await socket();
    s.send("PING");
    await s.waitForText((t) => t === "PONG");
    s.send({ assets_ids: [], type: "market" });
    s.send("not json");
    await s.sync();
    const inbound = lp.connections().at(-1)!.inbound.map((f) => f.text);
    expect(inbound).toEqual(["PING", '{"assets_ids":[],"type":"market"}', "not json", "PING"]);
  });

  it("sends no snapshot for assets beyond 500 on one connection, but their updates still flow", async () => {
    const s = await socket();
    const filler = Array.from({ length: 500 }, (_, i) => String(10n ** 76n + BigInt(i)));
    s.send({ assets_ids: [...filler, binary.tokenIds[0]], type: "market" });
    await s.sync();
    expect(s.objects.some((o) => o.event_type === "book")).toBe(false);
    lp.movePrice(binary.tokenIds[0], { bid: "0.30" });
    await s.waitFor((o) => o.event_type === "price_change");
  });
});

describe("updates", () => {
  it("mirrors a move as price_change entries for both outcomes (BUY p on one = SELL 1−p on the other)", async () => {
    const s = await socket();
    s.send({ assets_ids: [...binary.tokenIds], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    lp.movePrice(binary.tokenIds[0], { bid: "0.41", ask: "0.43", size: "250" });
    const frame = await s.waitFor((o) => o.event_type === "price_change");
    expect(Object.keys(frame)).toEqual(["market", "price_changes", "timestamp", "event_type"]);
    const changes = frame.price_changes as Array<Record<string, string>>;
    const bid = changes.find((c) => c.asset_id === binary.tokenIds[0] && c.side === "BUY" && c.price === "0.41")!;
    expect(bid).toMatchObject({ size: "250", best_bid: "0.41", best_ask: "0.43" });
    expect(changes).toContainEqual(expect.objectContaining({ asset_id: binary.tokenIds[1], side: "SELL", price: "0.59", size: "250", best_bid: "0.57", best_ask: "0.59" }));
    expect(changes.every((c) => /^[0-9a-f]{40}$/.test(c.hash!))).toBe(true);
    expect(lp.book(binary.tokenIds[1])).toMatchObject({ asks: expect.arrayContaining([{ price: "0.59", size: "250" }]) });
  });

  it("after a trade sends last_trade_price and single-object post-trade books without tick_size", async () => {
    const s = await socket();
    s.send({ assets_ids: [...binary.tokenIds], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    const mark = s.objects.length;
    lp.movePrice(binary.tokenIds[0], { bid: "0.50", ask: "0.52", size: "100" });
    lp.trade(binary.tokenIds[0], "0.52", "40", "BUY");
    const trade = await s.waitFor((o) => o.event_type === "last_trade_price", mark);
    expect(trade).toMatchObject({ asset_id: binary.tokenIds[0], price: "0.52", size: "40", side: "BUY", fee_rate_bps: "0" });
    expect(trade.transaction_hash).toMatch(/^0x[0-9a-f]{64}$/);
    const bookText = await s.waitForText((t) => t.startsWith("{") && t.includes('"event_type":"book"'), 1);
    expect(JSON.parse(bookText)).not.toHaveProperty("tick_size");
    expect(lp.book(binary.tokenIds[0]).asks).toContainEqual({ price: "0.52", size: "60" });
  });

  it("gives custom_feature_enabled clients best_bid_ask and market_resolved, and others neither", async () => {
    const plain = await socket();
    const custom = await socket();
    plain.send({ assets_ids: [...binary.tokenIds], type: "market" });
    custom.send({ assets_ids: [...binary.tokenIds], type: "market", custom_feature_enabled: true });
    await plain.waitFor((o) => o.event_type === "book");
    await custom.waitFor((o) => o.event_type === "book");
    lp.movePrice(binary.tokenIds[0], { bid: "0.60" });
    expect(await custom.waitFor((o) => o.event_type === "best_bid_ask" && o.asset_id === binary.tokenIds[0])).toMatchObject({ best_bid: "0.6", best_ask: "0.61", spread: "0.01" });
    lp.resolve(binary.id, binary.outcomes[0]);
    expect(await custom.waitFor((o) => o.event_type === "market_resolved")).toMatchObject({ winning_asset_id: binary.tokenIds[0], winning_outcome: binary.outcomes[0] });
    await plain.sync();
    expect(plain.objects.some((o) => o.event_type === "best_bid_ask" || o.event_type === "market_resolved")).toBe(false);
  });
});

describe("feed shape", () => {
  it("sometimes batches price_change and last_trade_price in one array, the same way for the same seed", async () => {
    const kinds = async (seed: string): Promise<string[]> => {
      const other = await startLocalPolymarket({ seed, noNewAssetsMs: 0 });
      try {
        const m = other.markets()[0]!;
        const s = await openSocket(other.wsUrl);
        s.send({ assets_ids: [...m.tokenIds], type: "market" });
        await s.waitFor((o) => o.event_type === "book");
        for (let i = 0; i < 12; i++) {
          other.movePrice(m.tokenIds[0], { bid: "0.30", ask: "0.31", size: "1000" });
          other.trade(m.tokenIds[0], "0.31", "1", "BUY");
        }
        await s.sync();
        // The venue's own count of events sent matches what arrived, arrays counted per event.
        const arrived: Record<string, number> = {};
        for (const t of s.texts.slice(1)) {
          if (!t.startsWith("[") && !t.startsWith("{")) continue;
          for (const o of [JSON.parse(t)].flat() as Array<{ event_type: string }>) arrived[o.event_type] = (arrived[o.event_type] ?? 0) + 1;
        }
        expect(other.connections()[0]!.sent).toEqual(arrived);
        s.close();
        return s.texts.slice(1).map((t) => (t.startsWith("[") ? `[${(JSON.parse(t) as Array<{ event_type: string }>).map((o) => o.event_type).join(",")}]` : t.startsWith("{") ? (JSON.parse(t) as { event_type: string }).event_type : t));
      } finally {
        await other.stop();
      }
    };
    const a = await kinds("mix-seed");
    expect(a).toContain("[price_change,last_trade_price]");
    expect(a).toContain("last_trade_price");
    expect(await kinds("mix-seed")).toEqual(a);
  });

  it("sends NO NEW ASSETS now and then to custom-feature clients only, and no dump with initial_dump false", async () => {
    const other = await startLocalPolymarket({ seed: "nna", noNewAssetsMs: 20 });
    try {
      const m = other.markets()[0]!;
      const custom = await openSocket(other.wsUrl);
      const plain = await openSocket(other.wsUrl);
      custom.send({ assets_ids: [...m.tokenIds], type: "market", custom_feature_enabled: true, initial_dump: false });
      plain.send({ assets_ids: [...m.tokenIds], type: "market" });
      await custom.waitForText((t) => t === "NO NEW ASSETS");
      await plain.waitFor((o) => o.event_type === "book");
      await plain.sync();
      expect(plain.texts).not.toContain("NO NEW ASSETS");
      expect(custom.objects.some((o) => o.event_type === "book")).toBe(false);
      custom.close();
      plain.close();
    } finally {
      await other.stop();
    }
  });
});

describe("faults", () => {
  it("stall keeps PONG going but sends no data until cleared", async () => {
    const s = await socket();
    s.send({ assets_ids: [...binary.tokenIds], type: "market" });
    await s.waitFor((o) => o.event_type === "book");
    lp.faults.stall();
    const mark = s.texts.length;
    lp.movePrice(binary.tokenIds[0], { bid: "0.33" });
    await s.sync();
    expect(s.texts.slice(mark)).toEqual(["PONG"]);
    expect(lp.connections()[0]!.stalled).toBe(true);
    lp.faults.unstall();
    lp.movePrice(binary.tokenIds[0], { bid: "0.35" });
    await s.waitFor((o) => o.event_type === "price_change");
  });

  it("drop closes every socket", async () => {
    const a = await socket();
    const b = await socket();
    expect(lp.faults.drop()).toBeGreaterThanOrEqual(2);
    expect(await a.closed).toBe(1006);
    expect(await b.closed).toBe(1006);
  });

  it("garbage sends truncated JSON, wrong types, unknown events and a huge frame", async () => {
    const s = await socket();
    s.send({ assets_ids: [], type: "market" });
    lp.faults.garbage(8);
    await s.sync();
    const got = s.texts.slice(0, -1);
    expect(got).toHaveLength(8);
    expect(() => JSON.parse(got[0]!)).toThrow();
    expect(got.some((t) => t.includes('"mystery_event"'))).toBe(true);
    expect(Math.max(...got.map((t) => t.length))).toBeGreaterThan(1_000_000);
  });

  it("refuses the upgrade while an error fault is armed for the socket route", async () => {
    lp.faults.add({ kind: "error", route: "/ws/market", count: 1, status: 503 });
    await expect(openSocket(lp.wsUrl)).rejects.toThrow(/503/);
    const s = await socket();
    expect(s.ws.readyState).toBe(s.ws.OPEN);
  });
});
