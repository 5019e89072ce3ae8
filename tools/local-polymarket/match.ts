// Taking liquidity from the simulated book: plan a fill (pure), then apply it (mutate and publish the frames).
import type { LevelChange, Outcome, TakeableLevel } from "./book";
import { ONE } from "./decimal";
import type { Exchange } from "./exchange";
import { tickDecimalsOf } from "./exchange";
import { lastTradeFrame } from "./frames";
import type { Side, SimMarket } from "./types";

export interface Fill {
  /** Price in the taker's outcome terms. */
  price: bigint;
  shares: bigint;
  usdc: bigint;
  level: TakeableLevel;
}

export interface FillPlan {
  fills: Fill[];
  shares: bigint;
  usdc: bigint;
  /** True when the requested amount was filled entirely. */
  complete: boolean;
}

/**
 * What the taker wants. `budget`: spend up to this much pUSD (market BUY). `shares`: buy or sell
 * this many shares. `limit` says whether a level's price is acceptable.
 */
export interface TakeRequest {
  outcome: Outcome;
  side: Side;
  budget?: bigint;
  shares?: bigint;
  limit: (price: bigint) => boolean;
}

const ceilDiv = (n: bigint, d: bigint): bigint => (n + d - 1n) / d;

/** Walks the levels best first. Pure: the book is not changed. */
export function planTake(levels: TakeableLevel[], req: TakeRequest): FillPlan {
  const fills: Fill[] = [];
  let shares = 0n;
  let usdc = 0n;
  let budget = req.budget;
  let wanted = req.shares;
  for (const level of levels) {
    if (!req.limit(level.price)) break;
    let take: bigint;
    let cost: bigint;
    if (budget !== undefined) {
      const full = ceilDiv(level.size * level.price, ONE);
      if (full <= budget) {
        take = level.size;
        cost = full;
      } else {
        take = (budget * ONE) / level.price;
        cost = ceilDiv(take * level.price, ONE);
      }
      budget -= cost;
    } else {
      take = wanted! < level.size ? wanted! : level.size;
      // A buyer pays the level price rounded up to the micro; a seller receives it rounded down.
      cost = req.side === "BUY" ? ceilDiv(take * level.price, ONE) : (take * level.price) / ONE;
      wanted = wanted! - take;
    }
    if (take <= 0n) break;
    fills.push({ price: level.price, shares: take, usdc: cost, level });
    shares += take;
    usdc += cost;
    if ((budget !== undefined && budget * ONE < level.price) || wanted === 0n) break;
  }
  // With a budget, "complete" means not even one more micro-share is affordable at the last price.
  const last = fills.at(-1)?.price ?? ONE;
  const complete = budget !== undefined ? budget * ONE < last && fills.length > 0 : wanted === 0n;
  return { fills, shares, usdc, complete };
}

export interface AppliedTrade {
  shares: bigint;
  usdc: bigint;
  /** Volume-weighted price is not needed by the venue; the last fill's price is what last_trade_price shows. */
  lastPrice: bigint;
  transactionHash: string;
}

/**
 * Consumes the planned levels, then sends what the real feed sends after a trade: price_change for
 * the consumed levels (both outcomes), last_trade_price (sometimes in one array with the price_change,
 * chosen by the seeded generator), and single-object book frames for both outcomes.
 */
export function applyTake(ex: Exchange, market: SimMarket, outcome: Outcome, side: Side, plan: FillPlan): AppliedTrade | undefined {
  if (plan.fills.length === 0) return undefined;
  const book = ex.book(market);
  const changes: LevelChange[] = [];
  for (const f of plan.fills) {
    const left = book.size(f.level.baseSide, f.level.basePrice) - f.shares;
    const change = book.set(f.level.baseSide, f.level.basePrice, left > 0n ? left : 0n);
    if (change) changes.push(change);
  }
  const lastPrice = plan.fills.at(-1)!.price;
  const ref = { market, outcome };
  ex.setLastTrade(ref, lastPrice, side);
  const transactionHash = ex.txHash();
  const ts = ex.touch(market);
  const trade = lastTradeFrame({
    market: market.conditionId,
    assetId: market.tokenIds[outcome],
    price: lastPrice,
    size: plan.shares,
    side,
    timestamp: ts,
    transactionHash,
    priceDecimals: tickDecimalsOf(market),
  });
  const frames = ex.changeFrames(market, changes, outcome);
  // The real feed sometimes batches the level updates and the trade print into one array.
  if (ex.rng.chance(0.4)) ex.publish(market.tokenIds, changes.length > 0 ? [frames.priceChange, trade] : [trade]);
  else {
    if (changes.length > 0) ex.publish(market.tokenIds, frames.priceChange);
    ex.publish(market.tokenIds, trade);
  }
  if (changes.length > 0) ex.publishBestBidAsk(frames);
  ex.publishBooks(market, false);
  ex.notifyChange(market);
  return { shares: plan.shares, usdc: plan.usdc, lastPrice, transactionHash };
}
