import { describe, expect, it } from "vitest";
import { attemptAfterClose, BACKOFF_BASE_MS, BACKOFF_CAP_MS, BACKOFF_STABLE_MS, delayForAttempt, nextDelay, RECONNECT_JITTER_MS } from "./backoff";

describe("nextDelay", () => {
  it.each([
    [0, 1, BACKOFF_BASE_MS],
    [1, 1, BACKOFF_BASE_MS * 2],
    [3, 1, BACKOFF_BASE_MS * 8],
    [20, 1, BACKOFF_CAP_MS],
    [1000, 1, BACKOFF_CAP_MS],
    [5, 0, 0],
    [2, 0.5, BACKOFF_BASE_MS * 2],
  ])("attempt %i with rand %f → %i ms", (attempt, rand, want) => expect(nextDelay(attempt, rand)).toBe(want));

  it("stays within [0, ceiling] for any random input", () => {
    for (let a = 0; a < 40; a++) {
      for (const r of [-1, 0, 0.3, 0.999, 2, NaN]) {
        const d = nextDelay(a, Number.isNaN(r) ? 0 : r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** a));
      }
    }
  });
});

describe("attemptAfterClose", () => {
  it.each([
    [3, undefined, 1000, 4], // never opened
    [3, 0, BACKOFF_STABLE_MS - 1, 4], // flapped
    [3, 0, BACKOFF_STABLE_MS, 0], // stayed up
  ])("attempt %i opened %s closed %i → %i", (attempt, openedAt, now, want) =>
    expect(attemptAfterClose(attempt, openedAt, now)).toBe(want),
  );

  it("a connection that carried data had been up, however briefly", () => {
    expect(attemptAfterClose(5, 0, 10, true)).toBe(0);
    expect(attemptAfterClose(5, undefined, 10, true)).toBe(6); // never opened: data flag is moot
  });
});

describe("delayForAttempt", () => {
  it("retries a dropped live connection within the jitter, failures with backoff", () => {
    expect(delayForAttempt(0, 1)).toBe(RECONNECT_JITTER_MS);
    expect(delayForAttempt(0, 0.42)).toBe(42);
    expect(delayForAttempt(2, 1)).toBe(nextDelay(2, 1));
  });
});
