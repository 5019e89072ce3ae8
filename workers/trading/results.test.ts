import { describe, expect, it } from "vitest";
import { toMicros } from "../money/micros";
import { reject } from "./results";

describe("refusals a trader reads", () => {
  it("speak in cents, as every screen does", () => {
    expect(reject("slippage_exceeded", { worstPrice: toMicros("0.77"), bestPrice: toMicros("0.8") }).message).toBe(
      "No liquidity within your slippage bound: your worst price is 77¢, the book is at 80¢.",
    );
    expect(reject("slippage_exceeded", { worstPrice: toMicros("0.775"), bestPrice: toMicros("0.805") }).message).toContain("77.5¢, the book is at 80.5¢");
  });
});
