import { describe, expect, it } from "vitest";
import { readPending } from "./pending-input";
import { parseDefaultLevel, parsePresets, parseSlippage, readPrefs } from "./user-prefs";

describe("readPrefs", () => {
  it.each([
    ["nothing stored", {}, { buyPresets: ["5", "10", "25", "50"], slippageBps: 500, defaultTp: null, defaultSl: null }],
    ["null", null, { buyPresets: ["5", "10", "25", "50"], slippageBps: 500, defaultTp: null, defaultSl: null }],
    ["a string", "garbage", { buyPresets: ["5", "10", "25", "50"], slippageBps: 500, defaultTp: null, defaultSl: null }],
    [
      "custom values",
      { buyPresets: ["1", "2.5"], slippageBps: 200, defaultTp: "+50%", defaultSl: "-20%", other: 1 },
      { buyPresets: ["1", "2.5"], slippageBps: 200, defaultTp: "+50%", defaultSl: "-20%" },
    ],
    [
      "malformed fields fall back one by one",
      { buyPresets: ["-5"], slippageBps: 99999, defaultTp: "<b>", defaultSl: "-20%" },
      { buyPresets: ["5", "10", "25", "50"], slippageBps: 500, defaultTp: null, defaultSl: "-20%" },
    ],
  ])("%s", (_name, raw, want) => expect(readPrefs(raw)).toEqual(want));
});

describe("parsePresets", () => {
  it.each([
    ["5 10 25 50", ["5", "10", "25", "50"]],
    ["50, 5, $10", ["5", "10", "50"]],
    ["10 10 2.5", ["2.5", "10"]],
  ])("%j → %j", (text, presets) => expect(parsePresets(text)).toEqual({ ok: true, presets }));

  it.each([
    ["", "Send 1 to 4 amounts"],
    ["1 2 3 4 5", "Send 1 to 4 amounts"],
    ["5 abc", "abc: That does not look like an amount"],
    ["5 -3", "-3: The amount must be positive"],
    ["0.5", "minimum is $1.00"],
    ["5 1000000", "more than the $100,000.00"],
  ])("%j is refused", (text, error) => {
    const r = parsePresets(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
  });
});

describe("readPending", () => {
  const now = 1_000_000_000;
  it.each([
    ["a buy amount", { kind: "buy_amount", marketId: "123", outcome: 1, at: now - 1000 }, true],
    ["expired", { kind: "search", at: now - 16 * 60_000 }, false],
    ["unknown kind", { kind: "rm -rf", at: now }, false],
    ["missing fields", { kind: "trigger_level", at: now }, false],
    ["null", null, false],
  ])("%s", (_name, raw, ok) => expect(readPending(raw, now) !== null).toBe(ok));
});

describe("typed settings", () => {
  it.each([
    ["2", { ok: true, value: 200 }],
    ["2%", { ok: true, value: 200 }],
    [" 0.5 % ", { ok: true, value: 50 }],
    ["2,55%", { ok: true, value: 255 }],
    ["50%", { ok: true, value: 5000 }],
    ["0.05%", { ok: false }],
    ["51%", { ok: false }],
    ["two", { ok: false }],
    ["-2%", { ok: false }],
  ] as const)("slippage %j", (text, want) => expect(parseSlippage(text)).toMatchObject(want));

  it.each([
    ["30%", "tp", { ok: true, value: "+30%" }],
    ["+30%", "tp", { ok: true, value: "+30%" }],
    ["-30%", "tp", { ok: false }],
    ["20%", "sl", { ok: true, value: "-20%" }],
    ["-12.5%", "sl", { ok: true, value: "-12.5%" }],
    ["-100%", "sl", { ok: false }],
    ["+1001%", "tp", { ok: false }],
    ["0.70", "tp", { ok: false }],
    ["0%", "sl", { ok: false }],
  ] as const)("default level %j (%s)", (text, kind, want) => expect(parseDefaultLevel(text, kind)).toMatchObject(want));
});
