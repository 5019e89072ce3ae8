// Counts what one invocation asks of the platform, in this isolate: subrequests (fetch, WebSockets
// opened — the Neon driver's connections and the market channel — and calls on the streamer's stub)
// and wall time. Everything the isolate does in the window is counted, so a figure is an upper bound
// for the invocation measured (the streamer object's own work in the same window is included).
// Wall time bounds CPU time from above: it includes every wait on I/O.
import { neonConfig } from "@neondatabase/serverless";
import { statementsSent } from "../../workers/db/client";

export interface Figures {
  subrequests: number;
  byKind: Record<string, number>;
  statements: number;
  wallMs: number;
}

type Ctor = new (url: string, protocols?: string | string[]) => WebSocket;

export class InvocationMeter {
  private counts = new Map<string, number>();
  private inflight = 0;
  private lastActivityAt = Date.now();
  private statementsAt = 0;
  private startedAt = 0;

  /** Wraps fetch, the WebSocket constructors and the streamer namespace once per isolate. */
  install(env: Env): void {
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      // The Bot API's path carries the bot token: only the method is kept.
      this.hit(`fetch ${url.pathname.replace(/^\/bot[^/]*\//, "telegram ").split("/").slice(0, 3).join("/")}`);
      this.inflight++;
      return realFetch(input, init).finally(() => {
        this.inflight--;
        this.lastActivityAt = Date.now();
      });
    }) as typeof fetch;
    const meter = this;
    const wrapSocket = (Real: Ctor, kind: string): Ctor =>
      class extends Real {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols);
          meter.hit(kind);
        }
      };
    neonConfig.webSocketConstructor = wrapSocket((neonConfig.webSocketConstructor as Ctor | undefined) ?? WebSocket, "postgres connection");
    globalThis.WebSocket = wrapSocket(WebSocket, "websocket (market channel)") as unknown as typeof WebSocket;
    const ns = env.STREAMER;
    const getByName = ns.getByName.bind(ns);
    ns.getByName = ((name: string) => {
      const stub = getByName(name);
      return new Proxy(stub, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (typeof v !== "function" || typeof prop !== "string") return v;
          return (...args: unknown[]) => {
            meter.hit("streamer RPC");
            return Reflect.apply(v as (...a: unknown[]) => unknown, target, args); // not v.apply: that is an RPC call named "apply"
          };
        },
      });
    }) as typeof ns.getByName;
  }

  private hit(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.lastActivityAt = Date.now();
  }

  start(): void {
    this.counts.clear();
    this.statementsAt = statementsSent();
    this.startedAt = Date.now();
  }

  /** Waits until nothing has been in flight for `quietMs` (the invocation's waitUntil work is done), then reads. */
  async stop(quietMs = 300): Promise<Figures> {
    const actDoneAt = Date.now();
    // The streamer's own polling may never fall quiet for long: wait at most 5 s (then it is counted as it stands).
    const deadline = actDoneAt + 5_000;
    while ((this.inflight > 0 || Date.now() - this.lastActivityAt < quietMs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const byKind = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    return {
      subrequests: [...this.counts.values()].reduce((a, b) => a + b, 0),
      byKind,
      statements: statementsSent() - this.statementsAt,
      wallMs: Math.max(actDoneAt, this.lastActivityAt) - this.startedAt,
    };
  }
}
