import { describe, expect, it } from "vitest";
import { timingSafeEqualStr } from "./constant-time";

describe("timingSafeEqualStr", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "abcd", false],
    ["", "", true],
    ["", "x", false],
    ["é", "é", true],
  ])("%j vs %j → %s", (a, b, want) => expect(timingSafeEqualStr(a, b)).toBe(want));
});
