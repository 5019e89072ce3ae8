// Control API of the local Polymarket (/_control/*): the programmatic handle over HTTP, for out-of-process users.
import { z } from "zod";
import { FAULT_KINDS, type FaultKind } from "./faults";
import type { LocalPolymarket } from "./handle";
import { fail, json, parseJson, Router, type Answer, type Req } from "./http-util";
import { rulesPatchSchema } from "./rules";
import { SCENARIO_KINDS, type ScenarioKind } from "./scenario";

const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const level = z.object({ price: decimal, size: decimal });
const side = z.enum(["BUY", "SELL"]);
const count = z.number().int().nonnegative();

const schemas = {
  book: z.object({ tokenId: z.string(), bids: z.array(level), asks: z.array(level) }),
  move: z.object({ tokenId: z.string(), bid: decimal, ask: decimal.optional(), size: decimal.optional() }),
  trade: z.object({ tokenId: z.string(), price: decimal, size: decimal, side }),
  resolve: z.object({ marketId: z.string(), winningOutcome: z.union([z.string(), z.number().int()]) }),
  tickSize: z.object({ marketId: z.string(), tickSize: decimal }),
  emit: z.union([z.object({ raw: z.string() }), z.object({ frame: z.unknown() }), z.object({ frames: z.array(z.unknown()) })]),
  drop: z.object({ code: z.number().int().min(1000).max(4999).optional() }),
  stall: z.object({ ms: count.optional(), connectionId: z.number().int().optional() }),
  garbage: z.object({ count: count.max(10_000) }),
  burst: z.object({ perSecond: z.number().positive().max(100_000), ms: count }),
  fault: z.object({
    kind: z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]),
    route: z.string().optional(),
    count: count.optional(),
    durationMs: count.optional(),
    ms: count.optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: count.optional(),
    message: z.string().optional(),
  }),
  faultId: z.object({ id: z.number().int().optional() }),
  scenario: z.object({ kind: z.enum(SCENARIO_KINDS as [ScenarioKind, ...ScenarioKind[]]), everyMs: z.number().int().positive().optional(), perSecond: z.number().positive().optional(), ms: count.optional() }),
  path: z.object({ tokenId: z.string(), prices: z.array(decimal).min(1), everyMs: z.number().int().positive() }),
  balance: z.object({ address: z.string(), pusd: decimal.optional(), tokenId: z.string().optional(), shares: decimal.optional() }),
  depositWallet: z.object({ owner: z.string(), wallet: z.string().optional(), legacy: z.boolean().optional() }),
  fees: z.object({ marketId: z.string(), rate: decimal.nullable(), exponent: z.number().int().min(1).max(4).default(1) }),
  relayerKey: z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/) }),
  builderKey: z.object({ label: z.string().max(64).optional() }),
  relayerFault: z.object({
    mode: z.enum(["fail", "stuck"]),
    count: z.number().int().positive().optional(),
    state: z.enum(["STATE_NEW", "STATE_EXECUTED", "STATE_MINED"]).optional(),
    ms: count.optional(),
    errorMsg: z.string().optional(),
    owner: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
  }),
  rules: rulesPatchSchema,
};

/** Parses a JSON body with `schema` and runs `f`; a bad body answers 400 with zod's first issue. */
function withBody<T>(schema: z.ZodType<T>, f: (body: T) => unknown): (req: Req) => Answer {
  return (req) => {
    const parsed = schema.safeParse(req.body.trim() === "" ? {} : parseJson(req.body));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(400, `invalid body: ${issue ? `${issue.path.join(".") || "(root)"} ${issue.message}` : "not JSON"}`);
    }
    return json(200, f(parsed.data) ?? { ok: true });
  };
}

export function controlRouter(lp: LocalPolymarket): Router {
  const state = () => {
    const conns = lp.connections();
    return {
      ...lp.urls(),
      scenario: lp.scenario.current,
      connections: conns.map(({ inbound, ...c }) => ({ ...c, inboundCount: inbound.length })),
      subscriptions: [...new Set(conns.flatMap((c) => c.assetIds))],
      counts: { markets: lp.markets().length, connections: conns.length, ordersReceived: lp.orders().length, trades: lp.trades().length },
      faults: lp.faults.list(),
    };
  };
  return new Router()
    .on("GET", "/state", () => json(200, state()))
    .on("GET", "/markets", () => json(200, lp.markets()))
    .on("GET", "/connections", () => json(200, lp.connections()))
    .on("GET", "/orders", (req) => json(200, req.query.get("last") ? (lp.lastOrder() ?? null) : lp.orders()))
    .on("GET", "/trades", () => json(200, lp.trades()))
    .on("GET", "/book", (req) => json(200, lp.book(req.query.get("token_id") ?? "")))
    .on("GET", "/faults", () => json(200, lp.faults.list()))
    .on("POST", "/book", withBody(schemas.book, (b) => lp.setBook(b.tokenId, b)))
    .on("POST", "/move", withBody(schemas.move, (b) => lp.movePrice(b.tokenId, b)))
    .on("POST", "/trade", withBody(schemas.trade, (b) => lp.trade(b.tokenId, b.price, b.size, b.side)))
    .on("POST", "/resolve", withBody(schemas.resolve, (b) => lp.resolve(b.marketId, b.winningOutcome)))
    .on("POST", "/tick-size", withBody(schemas.tickSize, (b) => lp.setTickSize(b.marketId, b.tickSize)))
    .on("POST", "/emit", withBody(schemas.emit, (b) => lp.emit("raw" in b ? b.raw : "frame" in b ? b.frame : b.frames)))
    .on("POST", "/drop", withBody(schemas.drop, (b) => ({ dropped: lp.faults.drop(b.code) })))
    .on("POST", "/stall", withBody(schemas.stall, (b) => lp.faults.stall(b.ms, b.connectionId)))
    .on("POST", "/unstall", () => (lp.faults.unstall(), json(200, { ok: true })))
    .on("POST", "/garbage", withBody(schemas.garbage, (b) => lp.faults.garbage(b.count)))
    .on("POST", "/burst", withBody(schemas.burst, (b) => lp.faults.burst(b.perSecond, b.ms)))
    .on("POST", "/fault", withBody(schemas.fault, (b) => lp.faults.add(b)))
    .on("DELETE", "/fault", withBody(schemas.faultId, (b) => lp.faults.clear(b.id)))
    .on("POST", "/faults/clear", withBody(schemas.faultId, (b) => lp.faults.clear(b.id)))
    .on("POST", "/scenario", withBody(schemas.scenario, (b) => lp.scenario.start(b.kind, b)))
    .on("POST", "/path", withBody(schemas.path, (b) => void lp.scenario.path(b.tokenId, b.prices, b.everyMs)))
    .on("POST", "/balance", withBody(schemas.balance, (b) => (lp.setBalance(b.address, b), lp.balance(b.address, b.tokenId))))
    .on("POST", "/deposit-wallet", withBody(schemas.depositWallet, (b) => ({ wallet: lp.depositWallet(b.owner, b.wallet, b.legacy) })))
    .on("POST", "/fees", withBody(schemas.fees, (b) => (lp.setFees(b.marketId, b.rate === null ? null : { rate: b.rate, exponent: b.exponent }), { ok: true })))
    .on("POST", "/relayer-key", withBody(schemas.relayerKey, (b) => ({ address: b.address, apiKey: lp.relayerApiKey(b.address) })))
    .on("POST", "/builder-key", withBody(schemas.builderKey, (b) => lp.builderApiKey(b.label)))
    .on("POST", "/relayer-fault", withBody(schemas.relayerFault, (b) => lp.relayerFault(b)))
    .on("GET", "/relayer-transactions", () => json(200, lp.relayerTransactions()))
    .on("GET", "/rules", () => json(200, lp.rules()))
    .on("POST", "/rules", withBody(schemas.rules, (b) => lp.rules(b)))
    .on("POST", "/reset", () => (lp.reset(), json(200, { ok: true })));
}
