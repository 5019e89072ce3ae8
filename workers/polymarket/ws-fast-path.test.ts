import { describe, expect, it } from "vitest";
import { parseBookFast, parsePriceChangeFast } from "./ws-fast-path";
import { parseMarketEvent, parseMarketEventSlow } from "./ws-messages";
import { prng } from "../../test/support/prng";

// The fast path is only an optimisation: wherever it answers, it must answer exactly what the zod
// definition answers, and the combined parser must equal the zod parser on every input.

const AT = 1_700_000_000_123;

/** A seeded PRNG so failures reproduce. */
const rng = prng;

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

function tokenId(r: Rand): string {
  let s = String(1 + int(r, 9));
  for (let i = 0; i < 76; i++) s += String(int(r, 10));
  return s;
}

/** A valid wire price in (0, 1] with 1–4 decimals, sometimes with trailing zeros. */
function wirePrice(r: Rand): string {
  const decimals = 1 + int(r, 4);
  const unit = 10 ** decimals;
  const v = 1 + int(r, unit);
  const text = v === unit ? "1" : `0.${String(v).padStart(decimals, "0")}`;
  return r() < 0.1 ? `${text}${text.includes(".") ? "" : "."}00` : text;
}

function wireSize(r: Rand): string {
  if (r() < 0.15) return "0";
  return `${int(r, 100_000)}${r() < 0.7 ? `.${String(int(r, 100)).padStart(2, "0")}` : ""}`;
}

const optPrices = (r: Rand): unknown => pick(r, [undefined, null, "", wirePrice(r), wirePrice(r), wirePrice(r)]);
const timestampOf = (r: Rand): unknown => (r() < 0.9 ? String(1_700_000_000_000 + int(r, 1e9)) : 1_700_000_000_000 + int(r, 1e9));

function priceChange(r: Rand): Record<string, unknown> {
  const assets = [tokenId(r), tokenId(r)];
  const changes = Array.from({ length: int(r, 5) }, () => {
    const c: Record<string, unknown> = { asset_id: pick(r, assets), price: wirePrice(r), size: wireSize(r), side: pick(r, ["BUY", "SELL"]) };
    if (r() < 0.9) c.hash = pick(r, ["56621a121a47ed9333273e21c83b660cff37ae50", null, ""]);
    const bid = optPrices(r);
    const ask = optPrices(r);
    if (bid !== undefined) c.best_bid = bid;
    if (ask !== undefined) c.best_ask = ask;
    return c;
  });
  return { market: `0x${int(r, 1e9).toString(16)}`, price_changes: changes, timestamp: timestampOf(r), event_type: "price_change" };
}

function book(r: Rand): Record<string, unknown> {
  const levels = () => Array.from({ length: int(r, 30) }, () => ({ price: wirePrice(r), size: wireSize(r) }));
  const b: Record<string, unknown> = { market: "0xabc", asset_id: tokenId(r), timestamp: timestampOf(r), bids: levels(), asks: levels(), event_type: "book" };
  if (r() < 0.8) b.hash = "655a38d4977427b086c25b985993691b753ed166";
  if (r() < 0.7) b.tick_size = pick(r, ["0.01", "0.001", "0.1", "0.0001", "0.02", "", 0.01, null]);
  if (r() < 0.7) b.last_trade_price = optPrices(r);
  return b;
}

const JUNK: unknown[] = [
  null, 0, 1, -1, 0.5, true, [], {}, [1], "", " ", "0", "1", "1.0", "1.000001", "0.0000001", "0.1234567", "1e-3", "-0.5", "+0.5",
  "0x1", ".5", "5.", "00.5", "0.5 ", " 0.5", "١", "BUY", "buy", "SELL ", "book", "price_change", "99999999999999999999999", "x".repeat(300),
  "17000000000000000", "-1", "1.5", "Infinity", "NaN",
];

/** A copy with one value somewhere (top level, a change, a level) replaced by junk or deleted. */
function mutate(r: Rand, value: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const containers: Array<Record<string, unknown> | unknown[]> = [copy];
  for (const k of ["price_changes", "bids", "asks"]) {
    const list = copy[k];
    if (Array.isArray(list)) {
      containers.push(list);
      for (const item of list) if (item && typeof item === "object") containers.push(item as Record<string, unknown>);
    }
  }
  const target = pick(r, containers);
  const keys = Array.isArray(target) ? target.map((_, i) => String(i)) : [...Object.keys(target), "best_bid", "hash", "tick_size"];
  if (keys.length === 0) return copy;
  const key = pick(r, keys);
  const t = target as Record<string, unknown>;
  if (r() < 0.15 && !Array.isArray(target)) delete t[key];
  else t[key] = pick(r, JUNK);
  return copy;
}

function checkSame(value: unknown): { fast: boolean; ok: boolean } {
  const slow = parseMarketEventSlow(value, AT);
  const combined = parseMarketEvent(value, AT);
  expect(combined).toStrictEqual(slow);
  const v = value as object;
  const fast = parsePriceChangeFast(v, AT) ?? parseBookFast(v, AT);
  if (fast !== undefined) {
    if (!slow.ok) throw new Error(`fast path accepted what zod rejects (${slow.reason}): ${JSON.stringify(value).slice(0, 300)}`);
    expect(fast).toStrictEqual(slow.event);
  }
  return { fast: fast !== undefined, ok: slow.ok };
}

describe("fast path ≡ zod definition", () => {
  it.each([
    ["price_change", priceChange],
    ["book", book],
  ] as const)("generated valid %s frames take the fast path and match zod exactly", (_name, gen) => {
    const r = rng(0xc0ffee);
    for (let i = 0; i < 3000; i++) {
      const value = JSON.parse(JSON.stringify(gen(r))) as unknown;
      expect(checkSame(value)).toEqual({ fast: true, ok: true });
    }
  });

  it.each([
    ["price_change", priceChange, 1],
    ["book", book, 2],
  ] as const)("generated broken %s frames: same result with and without the fast path", (_name, gen, seed) => {
    const r = rng(seed);
    let rejected = 0;
    let stillValid = 0;
    for (let i = 0; i < 5000; i++) {
      let value = gen(r);
      for (let m = 1 + int(r, 2); m > 0; m--) value = mutate(r, value);
      const { ok } = checkSame(value);
      if (ok) stillValid++;
      else rejected++;
    }
    // Both kinds must be well represented, or the comparison proves little.
    expect(rejected).toBeGreaterThan(2500);
    expect(stillValid).toBeGreaterThan(100);
  });

  it("older price_change schemas are left to zod", () => {
    const flat = { asset_id: "1", event_type: "price_change", market: "m", price: "0.5", side: "SELL", size: "1", timestamp: "1" };
    expect(parsePriceChangeFast(flat, AT)).toBeUndefined();
    expect(parseMarketEvent(flat, AT)).toMatchObject({ ok: true, event: { changes: [{ assetId: "1", price: 500_000 }] } });
  });
});
