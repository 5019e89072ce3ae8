import { describe, expect, it } from "vitest";
import { toMicros } from "../money/micros";
import { age, cents, compactUsd, endDate, shares, signedPercent, signedUsd, usd } from "./format";

const m = (s: string) => toMicros(s);

describe("format", () => {
  it.each([
    [usd(m("1234.565")), "$1,234.57"],
    [usd(m("-0.4")), "-$0.40"],
    [usd(m("-0.004")), "$0.00"],
    [usd(0n), "$0.00"],
    [signedUsd(m("1.2")), "+$1.20"],
    [signedUsd(m("-0.005")), "-$0.01"],
    [signedUsd(m("0.004")), "$0.00"],
    [cents(m("0.655")), "65.5¢"],
    [cents(m("0.07")), "7¢"],
    [cents(m("0.0001")), "0.01¢"],
    [shares(m("15.629999")), "15.62"],
    [shares(m("1234567")), "1,234,567"],
    [signedPercent(m("1"), m("8")), "+12.5%"],
    [signedPercent(m("-3"), m("100")), "-3%"],
    [signedPercent(m("0.0001"), m("100")), "0%"],
    [signedPercent(m("-0.4"), m("1000")), "-0.04%"],
    [signedPercent(m("9.96"), m("100")), "+10%"],
    [signedPercent(m("1.04"), m("100")), "+1%"],
    [signedPercent(m("1.05"), m("100")), "+1.1%"],
    [signedPercent(m("1"), 0n), ""],
    [compactUsd("1234567.89"), "$1.2M"],
    [compactUsd("999"), "$999"],
    [compactUsd("34567"), "$34.5K"],
    [compactUsd("2000000000000"), "$2000B"],
    [compactUsd(null), "—"],
    [compactUsd("garbage"), "—"],
  ])("%s = %s", (got, want) => expect(got).toBe(want));

  it.each([
    [0, "just now"],
    [1_999, "just now"],
    [12_000, "12 s ago"],
    [180_000, "3 min ago"],
    [7_200_000, "2 h ago"],
    [4 * 86_400_000, "4 d ago"],
    [-5_000, "just now"],
  ])("age %i ms → %s", (ms, want) => expect(age(1_000_000_000_000, 1_000_000_000_000 + ms)).toBe(want));

  it.each([
    [Date.UTC(2026, 11, 5, 12), Date.UTC(2026, 10, 28), "5 Dec 2026 (in 7 d)"],
    [Date.UTC(2026, 10, 28, 5), Date.UTC(2026, 10, 28), "28 Nov 2026 (in 5 h)"],
    [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 28), "1 Nov 2026 (ended)"],
  ])("endDate", (at, now, want) => expect(endDate(new Date(at), now)).toBe(want));
});
