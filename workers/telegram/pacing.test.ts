import { describe, expect, it } from "vitest";
import { BOT_WIDE_PACE, botWidePacedFetch, type PaceState, pacingTransformer, takeSlot } from "./pacing";

describe("takeSlot", () => {
  it("lets a burst of 3 through, then paces one a second", () => {
    let s: PaceState | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = takeSlot(s, 1_000, { burst: 3, perSecond: 1, maxWaitMs: 4_000 });
      s = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it("refills with time, never beyond the burst", () => {
    const drained = { tokens: 0, at: 0 };
    expect(takeSlot(drained, 500).waitMs).toBe(500);
    expect(takeSlot(drained, 1000).waitMs).toBe(0);
    expect(takeSlot(drained, 60_000).state.tokens).toBe(3);
  });

  it("does not hold a send longer than the cap (Telegram's retry_after decides then)", () => {
    const r = takeSlot({ tokens: -10, at: 0 }, 0);
    expect(r.waitMs).toBe(0);
    expect(r.state.tokens).toBe(-10);
  });
});

describe("pacingTransformer", () => {
  it("delays the 5th message to the same chat, not other chats, edits or answers", async () => {
    const slept: number[] = [];
    const t = pacingTransformer({ now: () => 0, sleep: async (ms) => void slept.push(ms), buckets: new Map() });
    const prev = (async () => ({ ok: true, result: true })) as never;
    for (let i = 0; i < 5; i++) await t(prev, "sendMessage", { chat_id: 1, text: "x" } as never, undefined);
    await t(prev, "sendMessage", { chat_id: 2, text: "x" } as never, undefined);
    await t(prev, "editMessageText", { chat_id: 1, message_id: 1, text: "y" } as never, undefined);
    await t(prev, "answerCallbackQuery", { callback_query_id: "1" } as never, undefined);
    expect(slept).toEqual([1000]);
  });

  it("paces across transformers of the same buckets (one Bot per request, one pace per chat)", async () => {
    const slept: number[] = [];
    const buckets = new Map();
    const prev = (async () => ({ ok: true, result: true })) as never;
    for (let i = 0; i < 5; i++) {
      const perRequest = pacingTransformer({ now: () => 0, sleep: async (ms) => void slept.push(ms), buckets });
      await perRequest(prev, "sendMessage", { chat_id: 9, text: "x" } as never, undefined);
    }
    expect(slept).toEqual([1000]);
  });
});

describe("botWidePacedFetch", () => {
  it("lets a burst of 25 through, then paces the rest at 25 a second", async () => {
    let now = 0;
    const waits: number[] = [];
    const sent: number[] = [];
    const f = botWidePacedFetch((async () => (sent.push(now), new Response("{}"))) as unknown as typeof fetch, { now: () => now, sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 30; i++) await f("https://api.telegram.org/botX/sendMessage");
    expect(sent).toHaveLength(30);
    expect(waits).toHaveLength(30 - BOT_WIDE_PACE.burst);
    expect(waits.at(-1)).toBe(Math.ceil((5 / BOT_WIDE_PACE.perSecond) * 1000));
  });
});
