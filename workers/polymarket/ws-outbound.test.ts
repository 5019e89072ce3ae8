import { describe, expect, it } from "vitest";
import { initialSubscribe, PING, subscribeMore, unsubscribe } from "./ws-outbound";

const IDS = ["71321045679252212594626385532706912750332728571942532289631379312455583992563", "1"];

describe("market-channel outbound frames", () => {
  it.each([
    [initialSubscribe, `{"assets_ids":["${IDS[0]}","1"],"type":"market","custom_feature_enabled":true}`],
    [subscribeMore, `{"assets_ids":["${IDS[0]}","1"],"operation":"subscribe","custom_feature_enabled":true}`],
    [unsubscribe, `{"assets_ids":["${IDS[0]}","1"],"operation":"unsubscribe"}`],
  ])("%o builds the exact wire text", (build, want) => expect(build(IDS)).toBe(want));

  it("keeps token ids as strings (78 digits would lose precision as numbers) and allows an empty list", () => {
    expect(JSON.parse(initialSubscribe(IDS)).assets_ids).toEqual(IDS);
    expect(initialSubscribe([])).toBe('{"assets_ids":[],"type":"market","custom_feature_enabled":true}');
  });

  it("PING is the bare text frame", () => expect(PING).toBe("PING"));
});
