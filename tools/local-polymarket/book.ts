// One binary market's order book, kept once in outcome-0 terms; outcome 1 is its mirror (a bid at p is an ask at 1−p).
import { ONE } from "./decimal";
import type { Side } from "./types";

export type Outcome = 0 | 1;

export interface Level {
  price: bigint;
  size: bigint;
}

/** A level's new absolute size (0 = removed), in the terms of `outcome`. */
export interface LevelChange {
  outcome: Outcome;
  side: Side;
  price: bigint;
  size: bigint;
}

/** A level the taker can consume, in its own outcome's terms, with where it lives in the book. */
export interface TakeableLevel {
  price: bigint;
  size: bigint;
  baseSide: Side;
  basePrice: bigint;
}

const opposite = (side: Side): Side => (side === "BUY" ? "SELL" : "BUY");

/** The same level seen from the other outcome: BUY at p on one token is SELL at 1−p on the other. */
export function mirrorChange(change: LevelChange): LevelChange {
  return { outcome: change.outcome === 0 ? 1 : 0, side: opposite(change.side), price: ONE - change.price, size: change.size };
}

export class BinaryBook {
  private readonly bids = new Map<bigint, bigint>();
  private readonly asks = new Map<bigint, bigint>();

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  isEmpty(): boolean {
    return this.bids.size === 0 && this.asks.size === 0;
  }

  /** Sets a level (outcome-0 terms); returns the change, or undefined when nothing changed. */
  set(side: Side, price: bigint, size: bigint): LevelChange | undefined {
    const map = side === "BUY" ? this.bids : this.asks;
    const before = map.get(price) ?? 0n;
    if (before === size) return undefined;
    if (size === 0n) map.delete(price);
    else map.set(price, size);
    return { outcome: 0, side, price, size };
  }

  /** Same as set, with side and price given in the terms of `outcome`. */
  setFor(outcome: Outcome, side: Side, price: bigint, size: bigint): LevelChange | undefined {
    if (outcome === 0) return this.set(side, price, size);
    const change = this.set(opposite(side), ONE - price, size);
    return change && mirrorChange(change);
  }

  size(side: Side, price: bigint): bigint {
    return (side === "BUY" ? this.bids : this.asks).get(price) ?? 0n;
  }

  /** Size at a level given in the terms of `outcome`. */
  sizeFor(outcome: Outcome, side: Side, price: bigint): bigint {
    return outcome === 0 ? this.size(side, price) : this.size(opposite(side), ONE - price);
  }

  /** Best bid and ask of `outcome`, undefined when that side is empty. */
  best(outcome: Outcome): { bid: bigint | undefined; ask: bigint | undefined } {
    const bid0 = maxKey(this.bids);
    const ask0 = minKey(this.asks);
    if (outcome === 0) return { bid: bid0, ask: ask0 };
    return { bid: ask0 === undefined ? undefined : ONE - ask0, ask: bid0 === undefined ? undefined : ONE - bid0 };
  }

  /** Wire order for `outcome`: bids ascending and asks descending, so the best level is last. */
  view(outcome: Outcome): { bids: Level[]; asks: Level[] } {
    const bids0 = entries(this.bids);
    const asks0 = entries(this.asks);
    if (outcome === 0) {
      return { bids: bids0.sort((a, b) => cmp(a.price, b.price)), asks: asks0.sort((a, b) => cmp(b.price, a.price)) };
    }
    const flip = (l: Level): Level => ({ price: ONE - l.price, size: l.size });
    return {
      bids: asks0.map(flip).sort((a, b) => cmp(a.price, b.price)),
      asks: bids0.map(flip).sort((a, b) => cmp(b.price, a.price)),
    };
  }

  /** Levels a taker of `outcome` on `side` would consume, best first, in the taker's terms. */
  takeable(outcome: Outcome, side: Side): TakeableLevel[] {
    // Buying outcome 0 takes outcome-0 asks; buying outcome 1 takes outcome-0 bids (mirrored), and so on.
    const baseSide: Side = (outcome === 0) === (side === "BUY") ? "SELL" : "BUY";
    const map = baseSide === "BUY" ? this.bids : this.asks;
    const levels = entries(map).map((l) => ({
      price: outcome === 0 ? l.price : ONE - l.price,
      size: l.size,
      baseSide,
      basePrice: l.price,
    }));
    // A buyer wants the lowest price first, a seller the highest.
    return levels.sort((a, b) => (side === "BUY" ? cmp(a.price, b.price) : cmp(b.price, a.price)));
  }
}

function entries(map: Map<bigint, bigint>): Level[] {
  return [...map].map(([price, size]) => ({ price, size }));
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxKey(map: Map<bigint, bigint>): bigint | undefined {
  let best: bigint | undefined;
  for (const k of map.keys()) if (best === undefined || k > best) best = k;
  return best;
}

function minKey(map: Map<bigint, bigint>): bigint | undefined {
  let best: bigint | undefined;
  for (const k of map.keys()) if (best === undefined || k < best) best = k;
  return best;
}
