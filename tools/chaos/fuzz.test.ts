// The hostile-update generator must be reproducible, cover every kind, and owe the right status.
import { describe, expect, it } from "vitest";
import { fuzzItem, type FuzzKind, type FuzzTargets } from "./fuzz";

const targets: FuzzTargets = { attackers: [7001, 7002, 7003], victimPositions: [11, 12], replayIds: [500_000_001, 500_000_002], victimTelegramIds: [8001, 8002], impostorChats: [9001, 9002] };
const items = Array.from({ length: 2_000 }, (_, i) => fuzzItem(i, targets));

describe("fuzzItem", () => {
  it("is reproducible from its index and seed", () => {
    expect(fuzzItem(123, targets)).toEqual(fuzzItem(123, targets));
    expect(fuzzItem(123, targets, 2).body).not.toBe(fuzzItem(123, targets, 1).body);
  });

  it("covers every kind, forged buttons and forged identities most", () => {
    const kinds = new Map<FuzzKind, number>();
    for (const x of items) kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
    expect(kinds.size).toBe(15);
    expect(kinds.get("forged-callback")!).toBeGreaterThan(items.length / 4);
    expect(kinds.get("forged-identity")!).toBeGreaterThanOrEqual(items.length / 4);
  });

  it("forges identities as a victim in a chat that is not the victim's, on every action", () => {
    const datas = new Set<string>();
    for (const x of items.filter((i) => i.kind === "forged-identity")) {
      const u = JSON.parse(x.body) as { callback_query?: { from: { id: number }; message: { chat: { id: number } }; data: string }; message?: { from: { id: number }; chat: { id: number } } };
      const from = u.callback_query?.from.id ?? u.message!.from.id;
      const chat = u.callback_query?.message.chat.id ?? u.message!.chat.id;
      expect(targets.victimTelegramIds).toContain(from);
      expect(targets.impostorChats).toContain(chat);
      if (u.callback_query) datas.add(u.callback_query.data.split(":")[0]!);
    }
    for (const code of ["1e", "1M", "1Y", "1y", "1X", "1s", "1G", "1z", "1l"]) expect(datas).toContain(code);
  });

  it("owes 401 exactly when the secret is wrong or missing", () => {
    for (const x of items) expect(x.expect).toBe(x.secret === "valid" ? 200 : 401);
  });

  it("forges buttons only for the victims' positions, within Telegram's 64 bytes", () => {
    for (const x of items.filter((i) => i.kind === "forged-callback")) {
      const data = (JSON.parse(x.body) as { callback_query: { data: string } }).callback_query.data;
      expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
      expect(Number(data.split(":")[1])).toSatisfy((id: number) => targets.victimPositions.includes(id));
    }
  });

  it("replays only ids real updates used", () => {
    for (const x of items.filter((i) => i.kind === "replay")) {
      expect(targets.replayIds).toContain((JSON.parse(x.body) as { update_id: number }).update_id);
    }
  });

  it("sends texts beyond Telegram's 4,096 characters as huge-text, and exactly 4,096 as max-text", () => {
    for (const x of items.filter((i) => i.kind === "huge-text")) expect((JSON.parse(x.body) as { message: { text: string } }).message.text.length).toBeGreaterThan(4_096);
    for (const x of items.filter((i) => i.kind === "max-text")) expect((JSON.parse(x.body) as { message: { text: string } }).message.text.length).toBe(4_096);
  });
});
