// CLOB client calls that authenticate: L1 API-key management and L2 (HMAC) orders and account.
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setLogSink, type LogSink } from "../lib/log";
import { l1Headers } from "./auth-l1";
import { l2Signature } from "./auth-l2";
import { ClobClient, type L2Auth } from "./clob-client";
import type { FetchLike } from "./http";

interface Fs {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: "utf8"): string;
}
const NODE_FS = "node:fs";
const fs = (await import(NODE_FS)) as Fs;
const FIXTURES = "test/fixtures/polymarket/clob_rest/";

const NOW = Date.parse("2026-10-01T12:00:00.900Z");
const SECONDS = Math.floor(NOW / 1000);
const HARDHAT_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const AUTH: L2Auth = { address: HARDHAT_ADDRESS, creds: { key: "key-uuid", secret: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", passphrase: "pass" } };
const CREDS = { apiKey: "k1", secret: "c2VjcmV0", passphrase: "p1" };

interface Seen {
  method: string;
  /** Below the base's /clob mount, without the query: what L2 must sign. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

function fakeClob(route: (req: Seen, n: number) => Response | Promise<Response>, timeoutMs?: number) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const req = {
      method: init.method ?? "GET",
      path: u.pathname.replace(/^\/clob/, ""),
      query: u.searchParams,
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : "",
    };
    seen.push(req);
    if (init.signal?.aborted) throw new DOMException("aborted", "AbortError");
    return route(req, seen.length);
  };
  return { seen, clob: new ClobClient({ baseUrl: "http://127.0.0.1:9/clob", fetch, now: () => NOW, timeoutMs }) };
}

/** What the venue checks: the HMAC over timestamp, method, path (no query) and the exact body. */
async function expectSigned(req: Seen): Promise<void> {
  expect(req.headers.get("POLY_ADDRESS")).toBe(HARDHAT_ADDRESS);
  expect(req.headers.get("POLY_API_KEY")).toBe("key-uuid");
  expect(req.headers.get("POLY_PASSPHRASE")).toBe("pass");
  expect(req.headers.get("POLY_TIMESTAMP")).toBe(String(SECONDS));
  const expected = await l2Signature(AUTH.creds.secret, SECONDS, req.method, req.path, req.body || undefined);
  expect(req.headers.get("POLY_SIGNATURE")).toBe(expected);
}

let previousSink: LogSink;
beforeAll(() => {
  previousSink = setLogSink(() => undefined);
});
afterAll(() => {
  setLogSink(previousSink);
});

describe("getOrCreateApiKey: derive first, create only when no key exists", () => {
  const notFound404 = () => new Response("", { status: 404 });
  const notFound400 = () => Response.json({ error: "Could not derive api key!" }, { status: 400 });
  const ok = () => Response.json(CREDS);
  type Case = [string, Array<() => Response>, string[], "ok" | string];
  const CASES: Case[] = [
    ["an existing key is derived, never created", [ok], ["GET /auth/derive-api-key"], "ok"],
    ["404 → create → derive the canonical key", [notFound404, ok, ok], ["GET /auth/derive-api-key", "POST /auth/api-key", "GET /auth/derive-api-key"], "ok"],
    ["400 'Could not derive api key!' → create", [notFound400, ok, ok], ["GET /auth/derive-api-key", "POST /auth/api-key", "GET /auth/derive-api-key"], "ok"],
    ["re-derive fails after create → the created key", [notFound404, ok, notFound404], ["GET /auth/derive-api-key", "POST /auth/api-key", "GET /auth/derive-api-key"], "ok"],
    ["500 propagates and never creates", [() => new Response("", { status: 500 })], ["GET /auth/derive-api-key"], "server_error"],
    ["429 propagates and never creates", [() => new Response("", { status: 429 })], ["GET /auth/derive-api-key"], "rate_limited"],
    ["401 propagates and never creates", [() => Response.json({ error: "Invalid L1 Request headers" }, { status: 401 })], ["GET /auth/derive-api-key"], "unauthorized"],
    ["a failed create propagates", [notFound404, () => Response.json({ error: "Could not create api key" }, { status: 400 })], ["GET /auth/derive-api-key", "POST /auth/api-key"], "api_key_create_failed"],
  ];

  it.each(CASES)("%s", async (_name, answers, calls, outcome) => {
    const { clob, seen } = fakeClob((_req, n) => answers[n - 1]!());
    const result = clob.getOrCreateApiKey(HARDHAT_KEY);
    if (outcome === "ok") await expect(result).resolves.toEqual({ key: "k1", secret: "c2VjcmV0", passphrase: "p1" });
    else await expect(result).rejects.toMatchObject({ code: outcome });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(calls);
  });

  it("a create whose answer is lost is recovered by one derive, and not re-sent", async () => {
    const answers = [() => new Response("", { status: 404 }), () => new Promise<Response>(() => undefined), () => Response.json(CREDS)];
    const { clob, seen } = fakeClob((_req, n) => answers[n - 1]!(), 20);
    await expect(clob.getOrCreateApiKey(HARDHAT_KEY)).resolves.toMatchObject({ key: "k1" });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /auth/derive-api-key", "POST /auth/api-key", "GET /auth/derive-api-key"]);
  });

  it("sends the L1 headers for the clock's unix seconds", async () => {
    const { clob, seen } = fakeClob(() => Response.json(CREDS));
    await clob.deriveApiKey(HARDHAT_KEY);
    const expected = await l1Headers({ privateKey: HARDHAT_KEY, timestamp: SECONDS });
    for (const [name, value] of Object.entries(expected)) expect(seen[0]!.headers.get(name)).toBe(value);
    expect(expected.POLY_ADDRESS).toBe(HARDHAT_ADDRESS);
  });
});

describe("postOrder", () => {
  // Odd spacing on purpose: the signed string must be the one sent, byte for byte.
  const BODY = '{"order": {"salt": 479249096354, "tokenId": "123"},  "owner": "key-uuid", "orderType": "FOK"}';
  const matched = { success: true, errorMsg: "", orderID: "0xhash", status: "matched", takingAmount: "20", makingAmount: "9.8", transactionsHashes: ["0xtx"], tradeIDs: ["t1"] };

  it("signs and sends the exact body, and reads the answer", async () => {
    const { clob, seen } = fakeClob(() => Response.json(matched));
    const r = await clob.postOrder(AUTH, BODY);
    expect(seen[0]).toMatchObject({ method: "POST", path: "/order", body: BODY });
    await expectSigned(seen[0]!);
    expect(r).toEqual({ orderId: "0xhash", status: "matched", takingAmount: "20", makingAmount: "9.8", transactionHashes: ["0xtx"], tradeIds: ["t1"], errorMsg: undefined });
  });

  it.each([
    ["live, nothing matched yet", { success: true, errorMsg: "", orderID: "0xh", status: "LIVE", takingAmount: "", makingAmount: "" }, { status: "live", takingAmount: "0" }],
    ["delayed", { success: true, orderID: "0xh", status: "delayed" }, { status: "delayed" }],
    ["unmatched", { success: true, orderID: "0xh", status: "unmatched", takingAmount: "0", makingAmount: "0" }, { status: "unmatched" }],
  ])("accepts %s", async (_name, answer, expected) => {
    const { clob } = fakeClob(() => Response.json(answer));
    await expect(clob.postOrder(AUTH, BODY)).resolves.toMatchObject(expected);
  });

  type Failure = [string, () => Response, { code: string; outcomeUnknown: boolean; retryable: boolean }];
  const FAILURES: Failure[] = [
    ["200 success:false", () => Response.json({ success: false, errorMsg: "not enough balance / allowance", orderID: "", status: "" }), { code: "not_enough_balance", outcomeUnknown: false, retryable: false }],
    ["200 killed FOK with an order id but no status", () => Response.json({ success: true, errorMsg: "order couldn't be fully filled. FOK orders are fully filled or killed.", orderID: "0xh" }), { code: "fok_not_filled", outcomeUnknown: false, retryable: false }],
    ["200 errorMsg without an order id", () => Response.json({ success: true, errorMsg: "invalid post-only order: order crosses book", orderID: "" }), { code: "crosses_book", outcomeUnknown: false, retryable: false }],
    ["200 with a status we do not know", () => Response.json({ success: true, orderID: "0xh", status: "weird" }), { code: "bad_response", outcomeUnknown: true, retryable: false }],
    ["200 that is not JSON", () => new Response("<html>ok</html>"), { code: "bad_response", outcomeUnknown: true, retryable: false }],
    ["400 invalid signature", () => Response.json({ error: "invalid signature" }, { status: 400 }), { code: "invalid_signature", outcomeUnknown: false, retryable: false }],
    ["400 deposit wallet flow", () => Response.json({ error: "maker address not allowed, please use the deposit wallet flow" }, { status: 400 }), { code: "deposit_wallet_required", outcomeUnknown: false, retryable: false }],
    ["400 order_version_mismatch", () => Response.json({ error: "order_version_mismatch" }, { status: 400 }), { code: "order_version_mismatch", outcomeUnknown: false, retryable: false }],
    ["429", () => new Response("Too Many Requests", { status: 429, headers: { "retry-after": "1" } }), { code: "rate_limited", outcomeUnknown: false, retryable: true }],
    ["500", () => Response.json({ error: "Internal server error" }, { status: 500 }), { code: "server_error", outcomeUnknown: true, retryable: false }],
    ["503 cancel-only", () => Response.json({ error: "Trading is currently cancel-only. New orders are not accepted, but cancels are allowed." }, { status: 503 }), { code: "cancel_only", outcomeUnknown: false, retryable: false }],
  ];

  it.each(FAILURES)("%s → %o", async (_name, answer, expected) => {
    const { clob } = fakeClob(answer);
    await expect(clob.postOrder(AUTH, BODY)).rejects.toMatchObject(expected);
  });

  it("a timeout is outcome-unknown and not retryable", async () => {
    const { clob } = fakeClob(() => new Promise<Response>(() => undefined), 20);
    await expect(clob.postOrder(AUTH, BODY)).rejects.toMatchObject({ code: "timeout", status: 0, outcomeUnknown: true, retryable: false });
  });
});

describe("orders, trades and account", () => {
  const trade = JSON.parse(fs.readFileSync(`${FIXTURES}data_trade__nautilus_live_2024-09.json`, "utf8")) as Record<string, unknown>;

  it("walks trade pages from MA== to LTE=, signing the path without the query", async () => {
    const pages: Record<string, { data: unknown[]; next_cursor: string }> = {
      "MA==": { data: [trade], next_cursor: "MTAw" },
      MTAw: { data: [{ ...trade, id: "t2", status: "TRADE_STATUS_MINED" }], next_cursor: "MjAw" },
      MjAw: { data: [], next_cursor: "LTE=" },
    };
    const { clob, seen } = fakeClob((req) => Response.json(pages[req.query.get("next_cursor")!]));
    const trades = await clob.getTrades(AUTH, { market: "0xdd22" });
    expect(seen.map((r) => [r.path, r.query.get("next_cursor"), r.query.get("market")])).toEqual([
      ["/data/trades", "MA==", "0xdd22"],
      ["/data/trades", "MTAw", "0xdd22"],
      ["/data/trades", "MjAw", "0xdd22"],
    ]);
    for (const req of seen) await expectSigned(req);
    expect(trades.map((t) => [t.id, t.status])).toEqual([
      ["0c357886-b9d3-44bb-9aa9-72d8abc90e6e", "CONFIRMED"],
      ["t2", "MINED"],
    ]);
    expect(trades[0]).toMatchObject({ size: "5", price: "0.489", trader_side: "TAKER", match_time: "1726043102" });
    expect(trades[0]!.maker_orders[0]).toMatchObject({ matched_amount: "5", price: "0.489" });
  });

  it("stops a cursor that never ends", async () => {
    const { clob } = fakeClob((_req, n) => Response.json({ data: [], next_cursor: `c${n}` }));
    await expect(clob.getOpenOrders(AUTH, {}, 3)).rejects.toMatchObject({ code: "bad_response" });
  });

  it("getOrder splits a status with a reason; 404 is null", async () => {
    const order = {
      id: "0xh", status: "CANCELED_order couldn't be fully filled. FOK orders are fully filled or killed.", owner: "key-uuid",
      maker_address: HARDHAT_ADDRESS, market: "0xm", asset_id: "7", side: "BUY", original_size: "20", size_matched: "0",
      price: "0.5", associate_trades: null, outcome: "Yes", created_at: 1790000000, expiration: "0", order_type: "FOK",
    };
    const { clob, seen } = fakeClob((req) => (req.path === "/data/order/0xh" ? Response.json(order) : new Response("", { status: 404 })));
    const o = await clob.getOrder(AUTH, "0xh");
    expect(o).toMatchObject({ status: "CANCELED", reason: "order couldn't be fully filled. FOK orders are fully filled or killed.", size_matched: "0", associate_trades: [], created_at: "1790000000" });
    await expectSigned(seen[0]!);
    expect(await clob.getOrder(AUTH, "0xgone")).toBeNull();
  });

  it("cancelOrder sends a signed DELETE with the order id", async () => {
    const { clob, seen } = fakeClob(() => Response.json({ canceled: [], not_canceled: { "0xh": "already canceled or matched" } }));
    expect(await clob.cancelOrder(AUTH, "0xh")).toEqual({ canceled: [], notCanceled: { "0xh": "already canceled or matched" } });
    expect(seen[0]).toMatchObject({ method: "DELETE", path: "/order", body: '{"orderID":"0xh"}' });
    await expectSigned(seen[0]!);
  });

  it("balance and allowances are base units (micros) as bigint; the query is not signed", async () => {
    const max = (2n ** 256n - 1n).toString();
    const { clob, seen } = fakeClob((req) =>
      req.path === "/balance-allowance" ? Response.json({ balance: "12500000", allowances: { "0xE111": max } }) : new Response(""),
    );
    const b = await clob.getBalanceAllowance(AUTH, { assetType: "CONDITIONAL", tokenId: "7", signatureType: 0 });
    expect(b).toEqual({ balance: 12_500_000n, allowances: { "0xE111": 2n ** 256n - 1n } });
    await clob.updateBalanceAllowance(AUTH, { assetType: "COLLATERAL", signatureType: 3 });
    expect(seen.map((r) => [r.path, r.query.toString()])).toEqual([
      ["/balance-allowance", "asset_type=CONDITIONAL&token_id=7&signature_type=0"],
      ["/balance-allowance/update", "asset_type=COLLATERAL&signature_type=3"],
    ]);
    for (const req of seen) await expectSigned(req);
  });

  it("refuses a balance that is not an integer of base units", async () => {
    const { clob } = fakeClob(() => Response.json({ balance: "12.5", allowances: {} }));
    await expect(clob.getBalanceAllowance(AUTH, { assetType: "COLLATERAL", signatureType: 0 })).rejects.toMatchObject({ code: "bad_response" });
  });
});
