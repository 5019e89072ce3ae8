import { describe, expect, it } from "vitest";
import { NO_FEE } from "../money/fees";
import { toMicros } from "../money/micros";
import type { BookQuote } from "../polymarket/types";
import { estimateSell } from "./sell-estimate";

const m = (s: string) => toMicros(s);
const book = (bids: Array<[number, number]>): BookQuote => ({
  tokenId: "t", bids: bids.map(([price, size]) => ({ price, size })), asks: [], tickSize: "0.01", lastTradePrice: undefined, updatedAt: 0, source: "rest",
});
const base = { held: m("20"), slippageBps: 500, tick: "0.01" as const, fees: NO_FEE };

describe("estimateSell: what the book gives now", () => {
  it("walks the bids down to the floor, level by level", () => {
    // 27¢ × 5, 26¢ × 100: selling 10 takes 5 at 27¢ and 5 at 26¢.
    const e = estimateSell({ ...base, book: book([[270_000, 5_000_000], [260_000, 100_000_000]]), size: { fractionBps: 5000 } });
    expect(e).toMatchObject({ ok: true, shares: m("10"), filled: m("10"), bestBid: m("0.27"), avgPrice: m("0.265"), worstLevel: m("0.26"), usdc: m("2.65"), fee: 0n, receive: m("2.65") });
    // 27¢ less 5% is 25.65¢: the floor is on the tick, never below the bound.
    expect(e.ok && e.floor).toBe(m("0.26"));
    // Below the floor a level is not taken: 25¢ bids leave the rest unsold.
    expect(estimateSell({ ...base, book: book([[270_000, 5_000_000], [250_000, 100_000_000]]), size: { fractionBps: 5000 } })).toMatchObject({ ok: true, filled: m("5") });
  });

  it("bids below the floor leave part unsold; a promised floor above the book is refused with both prices", () => {
    const thin = estimateSell({ ...base, book: book([[500_000, 4_000_000], [100_000, 1_000_000_000]]), size: "all" });
    expect(thin).toMatchObject({ ok: true, shares: m("20"), filled: m("4"), receive: m("2") });
    expect(estimateSell({ ...base, book: book([[230_000, 100_000_000]]), size: "all", floor: m("0.25") })).toEqual({ ok: false, reason: "below_floor", bestBid: m("0.23"), floor: m("0.25") });
  });

  it("an empty book and a size that rounds to nothing", () => {
    expect(estimateSell({ ...base, book: book([]), size: "all" })).toEqual({ ok: false, reason: "empty_book", bestBid: null });
    expect(estimateSell({ ...base, held: m("0.01"), book: book([[500_000, 1_000_000]]), size: { fractionBps: 2500 } })).toMatchObject({ ok: false, reason: "nothing_to_sell" });
  });

  it("a fee-enabled market: the fee comes off what you get", () => {
    const e = estimateSell({ ...base, fees: { rate: m("0.07"), exponent: 2 }, book: book([[500_000, 100_000_000]]), size: "all" });
    expect(e.ok && e.fee > 0n && e.receive === e.usdc - e.fee).toBe(true);
  });
});
