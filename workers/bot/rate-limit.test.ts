import { describe, expect, it } from "vitest";
import { windowOf } from "./rate-limit";

describe("windowOf", () => {
  it.each([
    [60_000, 60_000, 60_000, 60],
    [119_999, 60_000, 60_000, 1],
    [90_500, 60_000, 60_000, 30],
  ])("now %i in windows of %i starts at %i, next in %i s", (now, size, start, retry) => expect(windowOf(now, size)).toEqual({ start, retryAfterS: retry }));
});
