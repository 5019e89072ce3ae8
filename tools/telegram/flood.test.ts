import { describe, expect, it } from "vitest";
import type { FloodSetting } from "./bot-api-types";
import { FloodGate } from "./flood";

type Step = [method: string, chat: number, atMs: number, want: number | "ok"];

describe("FloodGate", () => {
  it.each<[string, FloodSetting, Step[]]>([
    ["off lets everything through", { mode: "off" }, [["sendMessage", 1, 0, "ok"], ["sendMessage", 1, 0, "ok"], ["sendMessage", 1, 0, "ok"], ["sendMessage", 1, 0, "ok"]]],
    [
      "rate: a burst of 3, then about one a second",
      { mode: "rate", perSecond: 1, burst: 3 },
      [
        ["sendMessage", 1, 0, "ok"],
        ["editMessageText", 1, 0, "ok"],
        ["sendMessage", 1, 0, "ok"],
        ["sendMessage", 1, 0, 1],
        ["sendMessage", 1, 400, 1],
        ["sendMessage", 1, 1000, "ok"],
        ["sendMessage", 1, 1000, 1],
      ],
    ],
    ["rate: chats have their own buckets", { mode: "rate", perSecond: 1, burst: 1 }, [["sendMessage", 1, 0, "ok"], ["sendMessage", 2, 0, "ok"], ["sendMessage", 1, 0, 1]]],
    ["rate: a slow refill asks for a longer wait", { mode: "rate", perSecond: 0.2, burst: 1 }, [["sendMessage", 1, 0, "ok"], ["sendMessage", 1, 0, 5]]],
    ["rate: answering callbacks is not limited", { mode: "rate", perSecond: 1, burst: 1 }, [["sendMessage", 1, 0, "ok"], ["answerCallbackQuery", 1, 0, "ok"], ["getMe", 1, 0, "ok"]]],
    [
      "force: the next `count` message calls get 429",
      { mode: "force", retryAfter: 7, count: 2 },
      [["answerCallbackQuery", 1, 0, "ok"], ["sendMessage", 1, 0, 7], ["editMessageText", 2, 0, 7], ["sendMessage", 1, 0, "ok"]],
    ],
    ["force: chosen methods only", { mode: "force", methods: ["answerCallbackQuery"] }, [["sendMessage", 1, 0, "ok"], ["answerCallbackQuery", 1, 0, 3]]],
  ])("%s", (_name, setting, steps) => {
    const gate = new FloodGate(setting);
    const got = steps.map(([method, chat, at]) => {
      const v = gate.check(method, chat, at);
      return v.ok ? "ok" : v.retryAfter;
    });
    expect(got).toEqual(steps.map((s) => s[3]));
  });

  it("set() starts from full buckets", () => {
    const gate = new FloodGate({ mode: "rate", perSecond: 1, burst: 1 });
    expect(gate.check("sendMessage", 1, 0).ok).toBe(true);
    expect(gate.check("sendMessage", 1, 0).ok).toBe(false);
    gate.set(gate.current());
    expect(gate.check("sendMessage", 1, 0).ok).toBe(true);
  });
});
