// Benchmark: reconnect after a single drop. The product's ShardConnection (its real timers, driven by
// the object's one-second tick as in the streamer) on a real WebSocket to the local Polymarket in this
// process; the venue drops every connection abruptly (no close frame, like a network loss) once the
// feed is live, and the figure is the time from the drop to the new connection's book snapshot.
import { WebSocket } from "ws";
import { ShardConnection, type SocketLike } from "../durable-objects/shard-connection";
import { initialSubscribe, subscribeMore, unsubscribe } from "../workers/polymarket/ws-outbound";
import { startLocalPolymarket } from "../tools/local-polymarket/server";
import { fmt, line, summary } from "./stats";

const DROPS = Number(process.env.BENCH_RECONNECT_DROPS ?? 50);
/** The feed runs this long between drops (a healthy session, well under the 30 s "stable" mark). */
const UP_MS = 300;

export async function benchReconnect(): Promise<Record<string, number>> {
  const lp = await startLocalPolymarket({ scenario: "quiet" });
  const tokens = lp.markets().slice(0, 20).flatMap((m) => m.tokenIds);
  let bookAt = 0;
  const shard = new ShardConnection(0, {
    url: lp.wsUrl,
    staleMs: 60_000,
    now: Date.now,
    rand: Math.random,
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    later: (fn, ms) => void setTimeout(fn, ms),
    onData: (_id, text, at) => {
      if (text.includes('"event_type":"book"')) bookAt ||= at;
    },
    onEvent: () => {},
    initialFrame: initialSubscribe,
    subscribeFrame: subscribeMore,
    unsubscribeFrame: unsubscribe,
  });
  const tick = setInterval(() => shard.tick(Date.now()), 1_000); // the object's in-memory driver
  const waitBook = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!bookAt) {
      if (Date.now() > deadline) throw new Error("no book snapshot after the reconnect");
      await new Promise((r) => setTimeout(r, 1));
    }
    return bookAt;
  };
  try {
    shard.add(tokens);
    shard.tick(Date.now());
    await waitBook(10_000);
    const ms: number[] = [];
    for (let i = 0; i < DROPS; i++) {
      await new Promise((r) => setTimeout(r, UP_MS));
      bookAt = 0;
      const t0 = Date.now();
      lp.faults.drop();
      ms.push((await waitBook(30_000)) - t0);
    }
    const s = summary(ms);
    line(`reconnect after a single drop (drop → book snapshot, ${s.n} drops) p50`, `${fmt(s.p50)} ms`);
    line("reconnect after a single drop: max (target <= 1,000 ms)", `${fmt(s.max)} ms`);
    return { reconnectP50: s.p50, reconnectMax: s.max };
  } finally {
    clearInterval(tick);
    shard.shutdown("bench done");
    await lp.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReconnect();
