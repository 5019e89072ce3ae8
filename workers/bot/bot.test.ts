import { describe, expect, it } from "vitest";
import { isDatabaseDown, staticBotInfo } from "./bot";

describe("staticBotInfo", () => {
  it("takes the bot id from the token and the username from settings (no getMe)", () => {
    expect(staticBotInfo({ TELEGRAM_BOT_TOKEN: "100200300:abc", TELEGRAM_BOT_USERNAME: "polycool_bot" })).toMatchObject({ id: 100200300, is_bot: true, username: "polycool_bot" });
  });
});

describe("isDatabaseDown", () => {
  const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1\\nparams: "), { cause });
  it.each([
    ["connection refused", new Error("connect ECONNREFUSED 127.0.0.1:5432"), true],
    ["admin shutdown (57P01)", Object.assign(new Error("terminating connection"), { code: "57P01" }), true],
    ["connection failure class 08", Object.assign(new Error("x"), { code: "08006" }), true],
    ["pool timeout inside drizzle's wrapper", wrapped(new Error("timeout exceeded when trying to connect")), true],
    ["socket closed inside the wrapper", wrapped(new Error("WebSocket connection closed")), true],
    ["a unique violation", Object.assign(new Error("duplicate key value"), { code: "23505" }), false],
    ["a bug", new TypeError("cannot read properties of undefined"), false],
    ["a failed query whose cause is a bug", wrapped(new Error("column does not exist")), false],
    ["nothing", undefined, false],
  ])("%s → %s", (_n, err, want) => expect(isDatabaseDown(err)).toBe(want));
});
