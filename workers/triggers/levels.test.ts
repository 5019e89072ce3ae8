import { describe, expect, it } from "vitest";
import { toMicros } from "../money/micros";
import { type LevelContext, levelPresets, parseLevel } from "./levels";

const ctx = (over: Partial<LevelContext> = {}): LevelContext => ({
  kind: "take_profit",
  entryPrice: toMicros("0.43"),
  tickSize: "0.01",
  ...over,
});

describe("parseLevel: prices", () => {
  it.each([
    ["0.70", "0.7"],
    [".7", "0.7"],
    ["70¢", "0.7"],
    ["70c", "0.7"],
    ["70 cents", "0.7"],
    ["$0.70", "0.7"],
    ["0,70", "0.7"],
    [" 0.7 ", "0.7"],
  ])("%j → %s", (text, want) => {
    const r = parseLevel(text, ctx());
    expect(r).toMatchObject({ ok: true, kind: "take_profit" });
    if (r.ok) expect(r.price).toBe(toMicros(want));
  });

  it.each([
    ["", /Send a price/],
    ["abc", /could not read/],
    ["1.5", /between 1¢ and 99¢/],
    ["0", /between/],
    ["100¢", /between/],
    ["0.705", /steps of 0.01: try 0.7 or 0.71/],
    ["-0.5", /could not read/],
    ["0.7<b>", /could not read/],
    ["9".repeat(50), /Send a price/],
  ])("%j is refused: %s", (text, error) => {
    const r = parseLevel(text, ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it("accepts finer ticks", () => {
    const r = parseLevel("0.705", ctx({ tickSize: "0.001" }));
    expect(r.ok && r.price).toBe(toMicros("0.705"));
    expect(parseLevel("70.5¢", ctx({ tickSize: "0.001" }))).toMatchObject({ ok: true, price: toMicros("0.705") });
  });
});

describe("parseLevel: relative to entry", () => {
  it.each([
    ["take_profit", "+50%", "0.65"], // 0.43 × 1.5 = 0.645 → tie rounds away from entry
    ["take_profit", "50%", "0.65"],
    ["take_profit", "+10%", "0.47"], // 0.473
    ["stop_loss", "-20%", "0.34"], // 0.344
    ["stop_loss", "20%", "0.34"],
    ["stop_loss", "-50%", "0.21"], // 0.215 → tie rounds away from entry (down)
  ] as const)("%s %s → %s", (kind, text, want) => {
    const r = parseLevel(text, ctx({ kind }));
    expect(r).toMatchObject({ ok: true, price: toMicros(want) });
    if (r.ok) expect(r.note).toContain("from your entry 43¢");
  });

  it("refuses levels that leave (0, 1) or absurd percentages", () => {
    expect(parseLevel("+200%", ctx())).toMatchObject({ ok: false });
    expect(parseLevel("-100%", ctx({ kind: "stop_loss" }))).toMatchObject({ ok: false });
    expect(parseLevel("+5000%", ctx())).toMatchObject({ ok: false, error: expect.stringMatching(/1000%/) });
    expect(parseLevel("0%", ctx())).toMatchObject({ ok: false });
  });
});

describe("parseLevel: against the current bid", () => {
  it("refuses a take profit at or below the bid and a stop at or above it", () => {
    const bid = toMicros("0.55");
    expect(parseLevel("0.55", ctx({ currentBid: bid }))).toMatchObject({ ok: false, error: expect.stringMatching(/sell at once/) });
    expect(parseLevel("0.56", ctx({ currentBid: bid }))).toMatchObject({ ok: true });
    expect(parseLevel("0.55", ctx({ kind: "stop_loss", currentBid: bid }))).toMatchObject({ ok: false });
    expect(parseLevel("0.54", ctx({ kind: "stop_loss", currentBid: bid }))).toMatchObject({ ok: true });
  });
});

describe("parseLevel: trailing stops", () => {
  it.each([
    ["5¢", "0.05"],
    ["0.05", "0.05"],
    ["5c", "0.05"],
  ])("%j → trail %s", (text, want) => {
    expect(parseLevel(text, ctx({ kind: "trailing_stop" }))).toMatchObject({ ok: true, trail: toMicros(want) });
  });
  it.each(["0.005", "0.5", "50¢", "x", "-5¢"])("%j is refused", (text) => {
    expect(parseLevel(text, ctx({ kind: "trailing_stop" })).ok).toBe(false);
  });
});

describe("levelPresets", () => {
  const at = (entry: string, tickSize: "0.01" | "0.001" = "0.01", bid?: string) => ({ entryPrice: toMicros(entry), tickSize, ...(bid ? { currentBid: toMicros(bid) } : {}) });

  it("a 50¢ entry keeps the relative presets", () => {
    expect(levelPresets("take_profit", at("0.50", "0.01", "0.50"))).toEqual(["+10%", "+25%", "+50%"]);
    expect(levelPresets("stop_loss", at("0.50", "0.01", "0.50"))).toEqual(["-10%", "-20%", "-30%"]);
  });

  it("an 82¢ entry is never offered an impossible take profit: +10% and prices up to 99¢, in order", () => {
    const presets = levelPresets("take_profit", at("0.82", "0.01", "0.81"));
    expect(presets).toEqual(["87¢", "+10%", "93¢"]);
    for (const spec of presets) expect(parseLevel(spec, { kind: "take_profit", ...at("0.82", "0.01", "0.81") }).ok).toBe(true);
  });

  it("every preset parses for any entry and bid on the board, and none would sell at once", () => {
    for (let e = 1; e <= 99; e += 7) {
      for (const kind of ["take_profit", "stop_loss", "trailing_stop"] as const) {
        const ctx = at((e / 100).toFixed(2), "0.01", (e / 100).toFixed(2));
        for (const spec of levelPresets(kind, ctx)) expect(parseLevel(spec, { kind, ...ctx })).toMatchObject({ ok: true });
      }
    }
  });

  it("a 99¢ entry has no take profit to offer", () => {
    expect(levelPresets("take_profit", at("0.99", "0.01", "0.99"))).toEqual([]);
  });
});

describe("a relative level off the board says what it meant", () => {
  it("+50% of an 82¢ entry", () => {
    expect(parseLevel("+50%", { kind: "take_profit", entryPrice: toMicros("0.82"), tickSize: "0.01" })).toEqual({
      ok: false,
      error: "+50% from your entry 82¢ is 123¢, above the highest price a share can trade at. A level must be between 1¢ and 99¢.",
    });
  });
});
