import { describe, expect, it } from "vitest";
import { type Action, decodeAction, encodeAction, MAX_CALLBACK_BYTES, specText } from "./callback-data";

const LONG_ID = "A".repeat(40);
const BIG = Number.MAX_SAFE_INTEGER;

const EVERY_ACTION: Action[] = [
  { a: "menu" },
  { a: "help" },
  { a: "noop" },
  { a: "trending", page: 1000 },
  { a: "categories" },
  { a: "category", cat: 99, page: 1000 },
  { a: "searchPrompt" },
  { a: "search", intent: "x".repeat(24), page: 1000 },
  { a: "market", market: LONG_ID },
  { a: "buy", market: LONG_ID, outcome: 99 },
  { a: "amount", market: LONG_ID, outcome: 99, cents: 100_000_000 },
  { a: "custom", market: LONG_ID, outcome: 99 },
  { a: "confirm", intent: "y".repeat(24) },
  { a: "positions", page: 1000 },
  { a: "closed", page: 0 },
  { a: "position", position: BIG },
  { a: "sell", position: BIG, bps: 10_000 },
  { a: "sellConfirm", intent: "AbCdEf123456" },
  { a: "trigger", position: BIG, kind: "tr" },
  { a: "setTrigger", position: BIG, kind: "tp", spec: "+1000.25%" },
  { a: "setTrigger", position: 7, kind: "tr", spec: "5c" },
  { a: "removeTrigger", position: BIG, kind: "sl" },
  { a: "anyPrice", position: BIG, kind: "tr", on: true, confirmed: false },
  { a: "exitLog", position: BIG },
  { a: "wallet" },
  { a: "walletImport" },
  { a: "walletGenerate", confirmed: true },
  { a: "walletExport", confirmed: false },
  { a: "walletSetup" },
  { a: "walletQr" },
  { a: "mode", mode: "live" },
  { a: "liveConfirm" },
  { a: "settings" },
  { a: "setPresets" },
  { a: "setSlippage", bps: 5000 },
  { a: "setSlippage", bps: null },
  { a: "setDefault", kind: "sl", spec: "-20%" },
  { a: "setDefault", kind: "tp", spec: null },
  { a: "setDefault", kind: "tp", spec: "off" },
  { a: "reset", confirmed: true },
  { a: "pinSet" },
  { a: "pinForgot", confirmed: true },
  { a: "secureCancel", id: BIG },
];

describe("callback data", () => {
  it.each(EVERY_ACTION.map((a) => [a.a, a] as const))("%s round-trips within 64 bytes", (_name, action) => {
    const data = encodeAction(action);
    expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(decodeAction(data)).toEqual({ ok: true, action });
  });

  it("every encoding is distinct", () => {
    const all = EVERY_ACTION.map(encodeAction);
    expect(new Set(all).size).toBe(all.length);
  });

  it.each([
    ["empty", "", "malformed"],
    ["undefined", undefined, "malformed"],
    ["unknown code", "1Q:1", "malformed"],
    ["older version", "0s:12:5000", "outdated"],
    ["newer version", "2s:12:5000", "outdated"],
    ["not ours at all", "hello", "malformed"],
    ["negative id", "1o:-5", "malformed"],
    ["non-numeric id", "1o:abc", "malformed"],
    ["float id", "1o:1.5", "malformed"],
    ["zero bps sell", "1s:12:0", "malformed"],
    ["over 100% sell", "1s:12:10001", "malformed"],
    ["missing argument", "1s:12", "malformed"],
    ["extra argument on menu", "1h:x", "malformed"],
    ["extra argument on a page", "1t:0:9", "malformed"],
    ["prototype key as a code", "1constructor", "malformed"],
    ["id with a quote", "1m:ab'c", "malformed"],
    ["id with html", "1m:<b>", "malformed"],
    ["zero amount", "1a:123:0:0", "malformed"],
    ["bad trigger kind", "1g:12:zz", "malformed"],
    ["hostile spec", "1G:12:tp:DROP", "malformed"],
    ["too long", `1m:${"a".repeat(70)}`, "malformed"],
    ["unsafe integer", "1o:99999999999999999", "malformed"],
  ])("%s → %s", (_name, data, why) => {
    expect(decodeAction(data as string | undefined)).toEqual({ ok: false, why });
  });

  it("refuses to encode ids that would not fit", () => {
    expect(() => encodeAction({ a: "amount", market: "m".repeat(60), outcome: 1, cents: 1000 })).toThrow(RangeError);
  });

  it.each([
    ["5c", "5¢"],
    ["+25%", "+25%"],
    ["-10%", "-10%"],
  ])("spec %s reads %s", (spec, text) => expect(specText(spec)).toBe(text));
});
