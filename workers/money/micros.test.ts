import { describe, expect, it } from "vitest";
import { div, fromMicroInt, fromMicros, mul, mulDiv, roundTo, toMicroInt, toMicros, toMicrosOpt, toNumericString } from "./micros";

describe("toMicros", () => {
  it.each([
    ["0.505", 505_000n],
    ["12", 12_000_000n],
    [".7", 700_000n],
    ["0.000001", 1n],
    ["-3.25", -3_250_000n],
    ["1000.500000", 1_000_500_000n],
    ["0.5000000", 500_000n],
    ["123456789012.123456", 123_456_789_012_123_456n],
  ])("%s → %s", (text, want) => expect(toMicros(text)).toBe(want));

  it.each(["", ".", "abc", "1e6", "NaN", "1.2.3", "--1", "0x10"])("rejects %j", (text) => {
    expect(() => toMicros(text)).toThrow(RangeError);
  });

  it("refuses hidden precision unless told how to round", () => {
    expect(() => toMicros("0.1234567")).toThrow(RangeError);
    expect(toMicros("0.1234567", "down")).toBe(123_456n);
    expect(toMicros("0.1234567", "up")).toBe(123_457n);
    expect(toMicros("0.1234565", "half-up")).toBe(123_457n);
    expect(toMicros("0.1234564", "half-up")).toBe(123_456n);
    expect(toMicros("-0.1234567", "down")).toBe(-123_457n);
  });

  it("treats empty wire decimals as absent", () => {
    expect(toMicrosOpt("")).toBeUndefined();
    expect(toMicrosOpt(undefined)).toBeUndefined();
    expect(toMicrosOpt("0.49")).toBe(490_000n);
  });
});

describe("fromMicros", () => {
  it.each([
    [505_000n, "0.505"],
    [12_000_000n, "12"],
    [1n, "0.000001"],
    [-1n, "-0.000001"],
    [0n, "0"],
  ])("%s → %s", (m, want) => expect(fromMicros(m)).toBe(want));
  it("pads to numeric(…,6)", () => expect(toNumericString(500_000n)).toBe("0.500000"));
  it("round-trips random values", () => {
    for (let i = 0; i < 1000; i++) {
      const v = BigInt(Math.floor(Math.random() * 1e12)) - 500_000_000_000n;
      expect(toMicros(fromMicros(v))).toBe(v);
    }
  });
});

describe("arithmetic", () => {
  it("multiplies and divides with explicit rounding", () => {
    expect(mul(toMicros("10.01"), toMicros("0.57"))).toBe(toMicros("5.7057"));
    expect(div(toMicros("10"), toMicros("0.3"), "down")).toBe(toMicros("33.333333"));
    expect(div(toMicros("10"), toMicros("0.3"), "up")).toBe(toMicros("33.333334"));
    expect(mulDiv(toMicros("100"), 1n, 3n, "down")).toBe(toMicros("33.333333"));
    expect(roundTo(toMicros("1.23456"), 2, "down")).toBe(toMicros("1.23"));
    expect(roundTo(toMicros("1.23156"), 2, "up")).toBe(toMicros("1.24"));
    expect(roundTo(toMicros("-1.235"), 2, "half-up")).toBe(toMicros("-1.24"));
  });
});

describe("toMicroInt (hot path)", () => {
  it.each([
    ["0.505", 505_000],
    ["55", 55_000_000],
    ["0.49", 490_000],
    [".5", 500_000],
    ["1.", 1_000_000],
    ["0.1000000", 100_000],
  ])("%s → %s", (text, want) => expect(toMicroInt(text)).toBe(want));
  it.each(["", ".", "-1", "1e3", "0.1234567", "abc", "1.2.3", "99999999999999999999"])("%j is NaN", (text) => {
    expect(toMicroInt(text)).toBeNaN();
  });
  it("agrees with toMicros on random decimals", () => {
    for (let i = 0; i < 2000; i++) {
      const text = `${Math.floor(Math.random() * 1e6)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
      expect(BigInt(toMicroInt(text))).toBe(toMicros(text));
      expect(fromMicroInt(toMicroInt(text))).toBe(fromMicros(toMicros(text)));
    }
  });
});
