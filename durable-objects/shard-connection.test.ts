import { describe, expect, it } from "vitest";
import { BACKOFF_STABLE_MS, RECONNECT_JITTER_MS } from "./backoff";
import { PING_INTERVAL_MS, ShardConnection, type ShardEvent, type SocketLike } from "./shard-connection";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed?: { code?: number; reason?: string };
  private listeners = new Map<string, ((ev: any) => void)[]>();
  addEventListener(type: string, fn: (ev: any) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  emit(type: string, ev: any = {}) {
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
}

function rig(staleMs = 60_000, rand = 1) {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  const sockets: FakeSocket[] = [];
  const events: ShardEvent[] = [];
  const data: string[] = [];
  const shard = new ShardConnection(0, {
    url: "ws://x/ws/market",
    staleMs,
    now: () => now,
    rand: () => rand,
    later: (fn, ms) => void timers.push({ at: now + ms, fn }),
    openSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onData: (_id, text) => data.push(text),
    onEvent: (_id, ev) => events.push(ev),
    initialFrame: (t) => JSON.stringify({ assets_ids: t, type: "market" }),
    subscribeFrame: (t) => JSON.stringify({ assets_ids: t, operation: "subscribe" }),
    unsubscribeFrame: (t) => JSON.stringify({ assets_ids: t, operation: "unsubscribe" }),
  });
  /** Moves the clock and runs the timers that came due (as setTimeout would). */
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (t.at <= now) t.fn();
      else timers.push(t);
    }
    return now;
  };
  return { shard, sockets, events, data, timers, advance, now: () => now };
}

describe("ShardConnection", () => {
  it("sends the whole set as the first frame, then operation frames", () => {
    const r = rig();
    r.shard.add(["a", "b"]);
    r.shard.tick(r.now());
    expect(r.shard.state).toBe("connecting");
    r.sockets[0]!.emit("open");
    expect(r.sockets[0]!.sent).toEqual([JSON.stringify({ assets_ids: ["a", "b"], type: "market" })]);
    r.shard.add(["b", "c"]);
    r.shard.remove(["a", "zzz"]);
    expect(r.sockets[0]!.sent.slice(1)).toEqual([
      JSON.stringify({ assets_ids: ["c"], operation: "subscribe" }),
      JSON.stringify({ assets_ids: ["a"], operation: "unsubscribe" }),
    ]);
  });

  it("pings every 10 s and counts only data frames as liveness", () => {
    const r = rig(60_000);
    r.shard.add(["a"]);
    r.shard.tick(r.now());
    r.sockets[0]!.emit("open");
    r.advance(PING_INTERVAL_MS);
    r.shard.tick(r.now());
    expect(r.sockets[0]!.sent.at(-1)).toBe("PING");
    r.sockets[0]!.emit("message", { data: "PONG" });
    expect(r.shard.lastDataAt).toBeUndefined();
    r.sockets[0]!.emit("message", { data: '{"event_type":"book"}' });
    expect(r.shard.lastDataAt).toBe(r.now());
    expect(r.data).toEqual(["PONG", '{"event_type":"book"}']);
  });

  it("reconnects a stalled feed (PONG only) and replays the whole set", () => {
    const r = rig(60_000);
    r.shard.add(["a", "b"]);
    r.shard.tick(r.now());
    r.sockets[0]!.emit("open");
    for (let i = 0; i < 6; i++) {
      r.advance(PING_INTERVAL_MS);
      r.shard.tick(r.now());
      r.sockets[0]!.emit("message", { data: "PONG" });
    }
    expect(r.events.some((e) => e.kind === "stale")).toBe(true);
    expect(r.shard.state).toBe("waiting");
    expect(r.sockets[0]!.closed).toBeDefined();
    r.advance(60_000);
    r.shard.tick(r.now());
    r.sockets[1]!.emit("open");
    expect(r.sockets[1]!.sent[0]).toBe(JSON.stringify({ assets_ids: ["a", "b"], type: "market" }));
    expect(r.shard.reconnects).toBe(1);
  });

  it("backs off while the feed flaps and resets after a stable connection", () => {
    const r = rig();
    r.shard.add(["a"]);
    const delays: number[] = [];
    r.shard.tick(r.now());
    for (let i = 0; i < 4; i++) {
      r.sockets.at(-1)!.emit("close", { code: 1006 });
      const ev = r.events.filter((e) => e.kind === "reconnecting").at(-1) as { delayMs: number };
      delays.push(ev.delayMs);
      r.advance(ev.delayMs);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(r.sockets).toHaveLength(5); // each retry ran on its own timer, not on a tick
    r.sockets.at(-1)!.emit("open");
    r.sockets.at(-1)!.emit("message", { data: "[]" });
    r.advance(BACKOFF_STABLE_MS);
    r.sockets.at(-1)!.emit("message", { data: "[]" });
    r.sockets.at(-1)!.emit("close", { code: 1001 });
    expect(r.shard.attempt).toBe(0);
  });

  it("reconnects at once (within the jitter, on its own timer) after a live connection drops", () => {
    const r = rig(60_000, 0.7);
    r.shard.add(["a", "b"]);
    r.shard.tick(r.now());
    r.sockets[0]!.emit("open");
    r.sockets[0]!.emit("message", { data: '{"event_type":"book"}' });
    r.advance(2_000); // up for two seconds only: not a "stable" connection, yet it had been up
    r.sockets[0]!.emit("close", { code: 1006 });
    const ev = r.events.filter((e) => e.kind === "reconnecting").at(-1) as { delayMs: number; attempt: number };
    expect(ev).toMatchObject({ delayMs: Math.floor(0.7 * RECONNECT_JITTER_MS), attempt: 0 });
    r.advance(ev.delayMs - 1);
    expect(r.sockets).toHaveLength(1);
    r.advance(1); // no tick: the retry timer opens the socket
    expect(r.sockets).toHaveLength(2);
    r.sockets[1]!.emit("open");
    expect(r.sockets[1]!.sent[0]).toBe(JSON.stringify({ assets_ids: ["a", "b"], type: "market" }));
    r.sockets[1]!.emit("close", { code: 1006 }); // refused before any data: now it is a failure
    const again = r.events.filter((e) => e.kind === "reconnecting").at(-1) as { delayMs: number; attempt: number };
    expect(again.attempt).toBe(1);
    expect(again.delayMs).toBeGreaterThan(RECONNECT_JITTER_MS);
  });

  it("a superseded retry timer does nothing", () => {
    const r = rig();
    r.shard.add(["a"]);
    r.shard.tick(r.now());
    r.sockets[0]!.emit("close", { code: 1006 }); // retry due in 1000 ms
    r.shard.remove(["a"]);
    r.shard.tick(r.now()); // shut: no tokens
    r.advance(5_000);
    expect(r.sockets).toHaveLength(1);
    expect(r.shard.state).toBe("idle");
  });

  it("ignores events from a socket it already replaced", () => {
    const r = rig();
    r.shard.add(["a"]);
    r.shard.tick(r.now());
    const old = r.sockets[0]!;
    old.emit("open");
    r.shard.reconnectNow(r.now());
    r.shard.tick(r.now());
    old.emit("close", { code: 1006 });
    old.emit("message", { data: '{"x":1}' });
    expect(r.shard.state).toBe("connecting");
    expect(r.data).toEqual([]);
  });

  it("closes when its last token goes", () => {
    const r = rig();
    r.shard.add(["a"]);
    r.shard.tick(r.now());
    r.sockets[0]!.emit("open");
    r.shard.remove(["a"]);
    r.shard.tick(r.now());
    expect(r.shard.state).toBe("idle");
    expect(r.sockets[0]!.closed?.code).toBe(1000);
  });
});
