import { describe, expect, it } from "vitest";
import { toMicros } from "../../money/micros";
import { parseUsdAmount } from "./amount";

describe("parseUsdAmount", () => {
  it.each([
    ["10", "10"],
    ["$10", "10"],
    ["10$", "10"],
    [" 12.50 ", "12.5"],
    ["12.5", "12.5"],
    ["1,000", "1000"],
    ["1 000.25", "1000.25"],
    ["$ 25", "25"],
    ["25 USDC", "25"],
    ["+5", "5"],
    [".99e0", null],
    ["1.000", "1"],
  ])("%j → %s", (text, want) => {
    const r = parseUsdAmount(text);
    if (want === null) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, amount: toMicros(want) });
  });

  it.each([
    ["-5", "positive"],
    ["0", "more than zero"],
    ["0.00", "more than zero"],
    ["0.5", "minimum is $1.00"],
    ["abc", "does not look like an amount"],
    ["", "does not look like an amount"],
    ["10.555", "at most 2 decimals"],
    ["12,50", "dot for cents"],
    ["1e6", "does not look like an amount"],
    ["NaN", "does not look like an amount"],
    ["Infinity", "does not look like an amount"],
    ["100000.01", "more than the $100,000.00"],
    ["99999999999999999999", "more than the $100,000.00"],
    ["9".repeat(200), "does not look like an amount"],
    ["<b>10</b>", "does not look like an amount"],
  ])("%j is refused: %s", (text, message) => {
    const r = parseUsdAmount(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it("names the balance when the amount is above it", () => {
    const r = parseUsdAmount("50", { balance: toMicros("42.5") });
    expect(r).toEqual({ ok: false, error: "That is more than your balance of $42.50." });
    expect(parseUsdAmount("42.50", { balance: toMicros("42.5") }).ok).toBe(true);
  });
});
