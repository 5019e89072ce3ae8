// The venue waves must cover every fault the issue names, in both forms, and expect what the venue does.
import { describe, expect, it } from "vitest";
import { expectedStatus, SHORT_WAVES, WAVES } from "./venue-waves";

describe("venue waves", () => {
  it.each([
    ["full", WAVES],
    ["short", SHORT_WAVES],
  ])("the %s form covers 5xx, 429, slow answers, timeouts and a clean venue", (_form, waves) => {
    const kinds = waves.map((w) => (w.fault ? `${w.fault.kind}${w.fault.status ?? ""}` : "clean"));
    expect(kinds).toContain("error500");
    expect(kinds).toContain("rate-limit");
    expect(kinds).toContain("delay");
    expect(kinds).toContain("hang");
    expect(kinds).toContain("clean");
    expect(waves.some((w) => w.fault?.kind === "delay" && (w.fault.ms ?? 0) > 10_000)).toBe(true);
  });

  it.each(WAVES.map((w) => [w.name, w] as const))("%s: the ledger must end as the venue decided", (_name, w) => {
    // Errors and 429s answer before the venue processes anything; every other wave reaches the book.
    const processed = w.fault === null || w.fault.kind === "delay" || w.fault.kind === "hang";
    expect(w.matched).toBe(processed);
    expect(expectedStatus(w)).toBe(processed ? "filled" : "rejected");
  });
});
