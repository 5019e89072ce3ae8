// Checks inline their parameters (see rows()): the literals must be exact and injection-proof.
import { describe, expect, it } from "vitest";
import { literal } from "./harness";

describe("literal", () => {
  it.each([
    [42, "42"],
    [8_200_000_000, "8200000000"],
    [12n, "12"],
    [null, "NULL"],
    [true, "TRUE"],
    ["buy:abc", "'buy:abc'"],
    ["O'Brien'); DROP TABLE users; --", "'O''Brien''); DROP TABLE users; --'"],
    [[1, 2, 3], "ARRAY[1, 2, 3]"],
    [[], "ARRAY[]"],
    [["a'b"], "ARRAY['a''b']"],
    [new Date("2026-01-02T03:04:05.006Z"), "'2026-01-02T03:04:05.006Z'"],
  ])("case %# → %s", (value, sql) => expect(literal(value)).toBe(sql));

  it("refuses what it cannot write exactly", () => {
    expect(() => literal(Number.NaN)).toThrow(/finite/);
    expect(() => literal({})).toThrow(/unsupported/);
  });
});
