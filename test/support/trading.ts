// Test helpers for trading: books from decimal strings, a settable book source, a recording streamer, deps.
import type { Db } from "../../workers/db/client";
import { type Micros, toMicroInt } from "../../workers/money/micros";
import type { BookQuote, Level, TickSize } from "../../workers/polymarket/types";
import { paperVenue } from "../../workers/trading/paper-venue";
import type { BookSource, SubscriptionSink, TradingDeps, Venue } from "../../workers/trading/ports";
import type { TradeResult } from "../../workers/trading/results";

type Side = Array<[string, string]>;

/** A book from [price, size] pairs given best FIRST. */
export function book(tokenId: string, sides: { bids?: Side; asks?: Side; tick?: TickSize }): BookQuote {
  const levels = (s: Side | undefined): Level[] => (s ?? []).map(([p, q]) => ({ price: toMicroInt(p), size: toMicroInt(q) }));
  return { tokenId, bids: levels(sides.bids), asks: levels(sides.asks), tickSize: sides.tick ?? "0.01", lastTradePrice: undefined, updatedAt: 0, source: "ws" };
}

export class FakeBooks implements BookSource {
  readonly books = new Map<string, BookQuote>();
  set(q: BookQuote): void {
    this.books.set(q.tokenId, q);
  }
  async getBook(tokenId: string): Promise<BookQuote | null> {
    return this.books.get(tokenId) ?? null;
  }
}

export class RecordingStreamer implements SubscriptionSink {
  readonly events: Array<{ what: "opened" | "closed"; tokenId: string; positionId: number }> = [];
  async positionOpened(tokenId: string, positionId: number): Promise<void> {
    this.events.push({ what: "opened", tokenId, positionId });
  }
  async positionClosed(tokenId: string, positionId: number): Promise<void> {
    this.events.push({ what: "closed", tokenId, positionId });
  }
}

let ids = 0;
export const testId = () => `t${Date.now().toString(36)}-${(ids++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export interface TestDeps extends TradingDeps {
  books: FakeBooks;
  streamer: RecordingStreamer;
}

export function testDeps(db: Db, over: { live?: Venue; now?: () => number; paperStartBalance?: Micros } = {}): TestDeps {
  const paper = paperVenue();
  return {
    db,
    books: new FakeBooks(),
    streamer: new RecordingStreamer(),
    venueFor: (user) => (user.mode === "live" && over.live ? over.live : paper),
    now: over.now ?? (() => Date.now()),
    newId: testId,
    ...(over.paperStartBalance !== undefined ? { paperStartBalance: over.paperStartBalance } : {}),
  };
}

/** The result as a fill, or a failure naming what came instead. */
export function fill(r: TradeResult): Extract<TradeResult, { status: "filled" | "partially_filled" }> {
  if (r.status !== "filled" && r.status !== "partially_filled") throw new Error(`expected a fill: ${JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`);
  return r;
}

/** [price, size] pairs as the local Polymarket's level objects. */
export const levels = (xs: Array<[string, string]>) => xs.map(([price, size]) => ({ price, size }));
