// Market moves of the simulated venue: reshaping the top of a book, third-party trades, resolution, tick changes.
import type { LevelChange, Outcome } from "./book";
import { fromMicros, ONE, toMicros } from "./decimal";
import { seedSize, tickDecimalsOf, type Exchange } from "./exchange";
import { lastTradeFrame, marketResolvedFrame, tickSizeChangeFrame } from "./frames";
import { applyTake, planTake, type AppliedTrade } from "./match";
import type { Rng } from "./rng";
import type { Side, SimMarket } from "./types";

export interface MoveInput {
  /** New best bid of the token, a decimal string on the tick. */
  bid: string;
  /** New best ask; default one tick above the bid. */
  ask?: string;
  /** Size of the new top levels; default: keep the existing size or pick a seeded one. */
  size?: string;
}

function onTick(m: SimMarket, price: bigint, what: string): void {
  if (price % m.tick !== 0n || price < m.tick || price > ONE - m.tick) {
    throw new RangeError(`${what} ${fromMicros(price)} is not a valid price on tick ${m.tickSize}`);
  }
}

/**
 * Reshapes the top of the book around a new best bid (and ask), keeping a few levels of depth
 * behind each, and broadcasts one price_change carrying both outcomes.
 */
export function movePrice(ex: Exchange, tokenId: string, input: MoveInput): void {
  const { market: m, outcome: o } = ex.requireToken(tokenId);
  const bid = toMicros(input.bid);
  const ask = input.ask === undefined ? bid + m.tick : toMicros(input.ask);
  onTick(m, bid, "bid");
  onTick(m, ask, "ask");
  if (ask <= bid) throw new RangeError(`ask ${fromMicros(ask)} must be above bid ${fromMicros(bid)}`);
  const book = ex.book(m);
  const rng = ex.rng;
  const changes: Array<LevelChange | undefined> = [];
  const view = book.view(o);
  for (const l of view.bids) if (l.price > bid) changes.push(book.setFor(o, "BUY", l.price, 0n));
  for (const l of view.asks) if (l.price < ask) changes.push(book.setFor(o, "SELL", l.price, 0n));
  const topSize = (side: Side, price: bigint): bigint =>
    input.size !== undefined ? toMicros(input.size) : book.sizeFor(o, side, price) || seedSize(rng);
  changes.push(book.setFor(o, "BUY", bid, topSize("BUY", bid)));
  changes.push(book.setFor(o, "SELL", ask, topSize("SELL", ask)));
  for (let k = 1n; k <= 3n; k++) {
    const below = bid - k * m.tick;
    const above = ask + k * m.tick;
    if (below >= m.tick && book.sizeFor(o, "BUY", below) === 0n) changes.push(book.setFor(o, "BUY", below, seedSize(rng)));
    if (above <= ONE - m.tick && book.sizeFor(o, "SELL", above) === 0n) changes.push(book.setFor(o, "SELL", above, seedSize(rng)));
  }
  ex.publishChanges(m, changes.filter((c): c is LevelChange => c !== undefined), o);
}

/**
 * A third party's trade: the taker (side) takes up to `size` shares at `price` or better. With no
 * liquidity there, the print still happens (someone crossed at that price) and only
 * last_trade_price is sent.
 */
export function trade(ex: Exchange, tokenId: string, price: string, size: string, side: Side): AppliedTrade {
  const ref = ex.requireToken(tokenId);
  const p = toMicros(price);
  const shares = toMicros(size);
  onTick(ref.market, p, "price");
  const plan = planTake(ex.book(ref.market).takeable(ref.outcome, side), {
    outcome: ref.outcome,
    side,
    shares,
    limit: side === "BUY" ? (x) => x <= p : (x) => x >= p,
  });
  const applied = applyTake(ex, ref.market, ref.outcome, side, plan);
  if (applied) return applied;
  ex.setLastTrade(ref, p, side);
  const transactionHash = ex.txHash();
  const m = ref.market;
  ex.publish(m.tokenIds, lastTradeFrame({ market: m.conditionId, assetId: tokenId, price: p, size: shares, side, timestamp: ex.touch(m), transactionHash, priceDecimals: tickDecimalsOf(m) }));
  return { shares: 0n, usdc: 0n, lastPrice: p, transactionHash };
}

/** Finds a market by Gamma id, condition id or token id. */
export function findMarket(ex: Exchange, key: string): SimMarket | undefined {
  return ex.marketById(key) ?? ex.marketByCondition(key) ?? ex.token(key)?.market;
}

/** Accepts an outcome name ("Yes", case-insensitive), an index (0/1) or a token id. */
export function outcomeIndex(m: SimMarket, winning: string | number): Outcome {
  if (winning === 0 || winning === 1) return winning;
  const text = String(winning);
  const byToken = m.tokenIds.indexOf(text);
  if (byToken >= 0) return byToken as Outcome;
  const byName = m.outcomes.findIndex((o) => o.toLowerCase() === text.toLowerCase());
  if (byName >= 0) return byName as Outcome;
  throw new RangeError(`market ${m.id} has no outcome "${text}" (outcomes: ${m.outcomes.join(", ")})`);
}

/** Gamma's closedTime format ("2026-04-05 19:37:33+00", not ISO). */
function closedTimeText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}+00`;
}

/** Resolves a market: closed, book gone, market_resolved to custom-feature subscribers. */
export function resolve(ex: Exchange, marketKey: string, winning: string | number): SimMarket {
  const m = findMarket(ex, marketKey);
  if (!m) throw new RangeError(`unknown market ${marketKey}`);
  const w = outcomeIndex(m, winning);
  m.winner = w;
  m.closed = true;
  m.acceptingOrders = false;
  const ts = ex.touch(m);
  m.closedTime = closedTimeText(ts);
  ex.book(m).clear();
  ex.publish(
    m.tokenIds,
    marketResolvedFrame({ id: m.id, market: m.conditionId, assetIds: [...m.tokenIds], winningAssetId: m.tokenIds[w], winningOutcome: m.outcomes[w], timestamp: ts, tags: m.tags.map((t) => t.slug) }),
    { customOnly: true },
  );
  return m;
}

/** Changes a market's tick size; levels off the new grid are removed first, then tick_size_change is sent. */
export function setTickSize(ex: Exchange, marketKey: string, tickSize: string): void {
  const m = findMarket(ex, marketKey);
  if (!m) throw new RangeError(`unknown market ${marketKey}`);
  const tick = toMicros(tickSize);
  if (tick <= 0n || ONE % tick !== 0n) throw new RangeError(`invalid tick size ${tickSize}`);
  const book = ex.book(m);
  const view = book.view(0);
  const changes: Array<LevelChange | undefined> = [];
  for (const l of view.bids) if (l.price % tick !== 0n) changes.push(book.set("BUY", l.price, 0n));
  for (const l of view.asks) if (l.price % tick !== 0n) changes.push(book.set("SELL", l.price, 0n));
  ex.publishChanges(m, changes.filter((c): c is LevelChange => c !== undefined));
  const old = m.tickSize;
  m.tickSize = fromMicros(tick);
  m.tick = tick;
  const ts = ex.touch(m);
  for (const o of [0, 1] as const) ex.publish([m.tokenIds[o]], tickSizeChangeFrame(m.conditionId, m.tokenIds[o], old, m.tickSize, ts));
}

/** Lively step: the best bid walks a tick or two (pulled back towards the seed price), now and then a trade. */
export interface StepShape {
  /** How far (in ticks) prices wander from the market's start before they lean back. */
  bandTicks: number;
  /** The largest move of one step, in ticks. */
  maxStepTicks: number;
  /** Chance that a step also prints a trade. */
  tradeChance: number;
}

/** Lively: up to 2 ticks a step, ±10 ticks around the start. */
export const LIVELY_STEP: StepShape = { bandTicks: 10, maxStepTicks: 2, tradeChance: 0.08 };
/** Calm: one tick a step, ±3 ticks around the start, few trades (a quiet real market). */
export const CALM_STEP: StepShape = { bandTicks: 3, maxStepTicks: 1, tradeChance: 0.03 };

export function randomStep(ex: Exchange, m: SimMarket, rng: Rng, shape: StepShape = LIVELY_STEP): void {
  if (m.closed) return;
  const { bid } = ex.book(m).best(0);
  const current = bid ?? m.startPrice;
  const band = BigInt(shape.bandTicks) * m.tick;
  const drift = current > m.startPrice + band ? -1 : current < m.startPrice - band ? 1 : 0;
  const step = BigInt(1 + rng.int(shape.maxStepTicks)) * m.tick;
  const up = drift === 0 ? rng.chance(0.5) : drift > 0 ? rng.chance(0.7) : rng.chance(0.3);
  let next = up ? current + step : current - step;
  if (next < m.tick) next = m.tick;
  if (next > ONE - 3n * m.tick) next = ONE - 3n * m.tick;
  const spread = BigInt(1 + rng.int(2)) * m.tick;
  movePrice(ex, m.tokenIds[0], { bid: fromMicros(next), ask: fromMicros(next + spread) });
  if (rng.chance(shape.tradeChance)) {
    const side: Side = rng.chance(0.5) ? "BUY" : "SELL";
    const best = ex.book(m).best(0);
    const price = side === "BUY" ? best.ask : best.bid;
    if (price !== undefined) trade(ex, m.tokenIds[0], fromMicros(price), String(5 + rng.int(195)), side);
  }
}

/** Burst step: one level behind the top changes size; one small price_change frame. */
export function burstStep(ex: Exchange, m: SimMarket, rng: Rng): void {
  if (m.closed) return;
  const book = ex.book(m);
  const view = book.view(0);
  const side: Side = rng.chance(0.5) ? "BUY" : "SELL";
  const levels = side === "BUY" ? view.bids : view.asks;
  if (levels.length === 0) return;
  const level = levels[rng.int(levels.length)]!;
  const change = book.set(side, level.price, seedSize(rng));
  if (change) ex.publishChanges(m, [change]);
}
