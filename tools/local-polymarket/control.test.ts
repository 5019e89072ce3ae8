// Control API of the local Polymarket over HTTP: every operation an out-of-process user (wrangler, npm start) needs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalPolymarket, type LocalPolymarket } from "./server";
import { openSocket, type TestSocket } from "./test-support";
import type { MarketInfo } from "./types";

let lp: LocalPolymarket;
let m: MarketInfo;
let s: TestSocket;
const control = async (path: string, body?: unknown, method = body === undefined ? "GET" : "POST"): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${lp.httpUrl}/_control${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  lp = await startLocalPolymarket({ seed: "control-test", noNewAssetsMs: 0 });
  m = lp.markets().find((x) => x.tickSize === "0.01" && !x.negRisk)!;
});
afterAll(() => lp.stop());
afterEach(() => s.close());
beforeEach(async () => {
  lp.reset();
  s = await openSocket(lp.wsUrl);
  s.send({ assets_ids: [...m.tokenIds], type: "market", custom_feature_enabled: true });
  await s.waitFor((o) => o.event_type === "book");
});

describe("market operations", () => {
  it("sets and reads a book, moves the price, prints a trade, changes the tick, resolves", async () => {
    expect((await control("/book", { tokenId: m.tokenIds[0], bids: [{ price: "0.30", size: "10" }], asks: [{ price: "0.35", size: "10" }] })).status).toBe(200);
    expect((await control(`/book?token_id=${m.tokenIds[1]}`)).body).toMatchObject({ bids: [{ price: "0.65", size: "10" }], asks: [{ price: "0.7", size: "10" }] });
    await control("/move", { tokenId: m.tokenIds[0], bid: "0.31", ask: "0.33" });
    await s.waitFor((o) => o.event_type === "price_change");
    expect((await control("/trade", { tokenId: m.tokenIds[0], price: "0.33", size: "4", side: "BUY" })).body).toMatchObject({ shares: "4", usdc: "1.32" });
    await s.waitFor((o) => o.event_type === "last_trade_price");
    await control("/tick-size", { marketId: m.id, tickSize: "0.001" });
    expect(await s.waitFor((o) => o.event_type === "tick_size_change")).toMatchObject({ old_tick_size: "0.01", new_tick_size: "0.001" });
    await control("/resolve", { marketId: m.conditionId, winningOutcome: 0 });
    await s.waitFor((o) => o.event_type === "market_resolved");
    expect((await fetch(`${lp.clobUrl}/book?token_id=${m.tokenIds[0]}`)).status).toBe(404);
  });

  it("runs a path and a scenario, and reports state", async () => {
    await control("/path", { tokenId: m.tokenIds[0], prices: ["0.60", "0.61"], everyMs: 10 });
    await s.until(() => s.objects.filter((o) => o.event_type === "price_change").length >= 2);
    await control("/scenario", { kind: "lively", everyMs: 50 });
    const state = (await control("/state")).body;
    expect(state).toMatchObject({ scenario: "lively", wsUrl: lp.wsUrl, counts: { markets: lp.markets().length } });
    expect(state.subscriptions).toEqual(expect.arrayContaining([...m.tokenIds]));
    expect(state.connections.at(-1)).toMatchObject({ custom: true, stalled: false, inboundCount: 1 });
    await control("/scenario", { kind: "quiet" });
    expect((await control("/state")).body.scenario).toBe("quiet");
  });
});

describe("socket faults", () => {
  it("emits raw text and frames, stalls and unstalls, sends garbage, drops", async () => {
    await control("/emit", { raw: "NO NEW ASSETS" });
    await control("/emit", { frames: [{ event_type: "custom", n: 1 }, { event_type: "custom", n: 2 }] });
    await s.waitFor((o) => o.n === 2);
    expect(s.texts).toContain("NO NEW ASSETS");
    await control("/stall", { ms: 60_000 });
    const mark = s.texts.length;
    await control("/move", { tokenId: m.tokenIds[0], bid: "0.20" });
    await s.sync();
    expect(s.texts.slice(mark)).toEqual(["PONG"]);
    await control("/unstall", {});
    await control("/garbage", { count: 2 });
    await s.until(() => s.texts.length >= mark + 3);
    expect((await control("/drop", {})).body.dropped).toBeGreaterThanOrEqual(1);
    expect(await s.closed).toBe(1006);
  });
});

describe("accounts and records", () => {
  it("sets balances, registers deposit wallets, lists orders, resets, and refuses bad bodies with 400", async () => {
    const address = "0x00000000000000000000000000000000000000aa";
    expect((await control("/balance", { address, pusd: "12.5", tokenId: m.tokenIds[0], shares: "3" })).body).toEqual({ pusd: "12.5", shares: "3" });
    const { wallet } = (await control("/deposit-wallet", { owner: address })).body;
    expect(wallet).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect((await control("/orders")).body).toEqual([]);
    expect((await control("/orders?last=1")).body).toBeNull();
    expect((await control("/move", { tokenId: m.tokenIds[0] })).status).toBe(400);
    expect((await control("/move", { tokenId: m.tokenIds[0], bid: "0.205" })).body).toEqual({ error: "bid 0.205 is not a valid price on tick 0.01" });
    expect((await control("/move", { tokenId: "1", bid: "0.2" })).status).toBe(400);
    expect((await control("/nope")).status).toBe(404);
    const preflight = await fetch(`${lp.httpUrl}/_control/move`, { method: "OPTIONS" });
    expect([preflight.status, preflight.headers.get("access-control-allow-origin")]).toEqual([204, "*"]);
    expect((await control("/reset", {})).body).toEqual({ ok: true });
    expect(lp.balance(address).pusd).toBe("1000000");
  });
});

describe("2026 account switches", () => {
  it("relayer keys and faults, fee schedules and venue rules over HTTP; reset puts them back", async () => {
    const owner = "0x00000000000000000000000000000000000000bb";
    const key = (await control("/relayer-key", { address: owner })).body;
    expect(key).toEqual({ address: owner, apiKey: lp.relayerApiKey(owner) });
    expect((await control("/relayer-fault", { mode: "stuck", state: "STATE_EXECUTED", count: 2 })).body).toEqual({ ok: true });
    expect((await control("/relayer-transactions")).body).toEqual([]);
    expect((await control("/fees", { marketId: m.id, rate: "0.07" })).status).toBe(200);
    expect(lp.markets().find((x) => x.id === m.id)!.fees).toEqual({ rate: "0.07", exponent: 1 });
    expect((await control("/rules", { newAccounts: true, region: { mode: "blocked", country: "FR" } })).body).toMatchObject({ newAccounts: true, requireDeployedWallet: true, region: { mode: "blocked", country: "FR" } });
    expect((await control("/rules", { region: { mode: "nowhere" } })).status).toBe(400);
    expect((await control("/fees", { marketId: m.id, rate: null })).status).toBe(200);
    expect(lp.markets().find((x) => x.id === m.id)!.fees).toBeUndefined();
    await control("/reset", {});
    expect((await control("/rules")).body).toMatchObject({ newAccounts: false, region: { mode: "allowed" } });
  });
});
