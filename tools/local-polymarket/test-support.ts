// Test support for the local Polymarket's own tests: a WebSocket client that records frames and waits for them.
import type { WebSocket as WsSocket } from "ws";
import { nodeRequire } from "../dev/node-require";

const { WebSocket } = nodeRequire("ws") as typeof import("ws");

export interface Received {
  /** Raw text of every frame, in order. */
  texts: string[];
  /** Every JSON object received, arrays flattened, in order. */
  objects: Array<Record<string, unknown>>;
}

export interface TestSocket extends Received {
  ws: WsSocket;
  send(data: unknown): void;
  /** Resolves with the first frame text (from index `from`) matching `pred`; rejects after `timeoutMs`. */
  waitForText(pred: (text: string) => boolean, from?: number, timeoutMs?: number): Promise<string>;
  /** Resolves with the first object (from index `from`) matching `pred`. */
  waitFor(pred: (o: Record<string, unknown>) => boolean, from?: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves once `cond` holds, checked on every frame; rejects after `timeoutMs`. */
  until(cond: () => boolean, timeoutMs?: number): Promise<void>;
  /** Sends PING and resolves once the PONG arrives; everything sent before it has arrived too. */
  sync(): Promise<void>;
  closed: Promise<number>;
  close(): void;
}

export async function openSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  const texts: string[] = [];
  const objects: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  ws.on("message", (data) => {
    const text = String(data);
    texts.push(text);
    try {
      const parsed: unknown = JSON.parse(text);
      for (const o of Array.isArray(parsed) ? parsed : [parsed]) if (o && typeof o === "object") objects.push(o as Record<string, unknown>);
    } catch {
      // Text frames (PONG, NO NEW ASSETS, garbage) stay in texts only.
    }
    for (const l of [...listeners]) l();
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const waitUntil = <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; last frames: ${texts.slice(-3).map((t) => t.slice(0, 200)).join(" | ")}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  const sock: TestSocket = {
    ws,
    texts,
    objects,
    send: (data) => ws.send(typeof data === "string" ? data : JSON.stringify(data)),
    waitForText: (pred, from = 0, timeoutMs = 3000) => waitUntil(() => texts.slice(from).find(pred), timeoutMs, "a text frame"),
    waitFor: (pred, from = 0, timeoutMs = 3000) => waitUntil(() => objects.slice(from).find(pred), timeoutMs, "a frame"),
    until: async (cond, timeoutMs = 3000) => {
      await waitUntil(() => (cond() ? true : undefined), timeoutMs, "a condition");
    },
    sync: async () => {
      const pongs = () => texts.filter((t) => t === "PONG").length;
      const want = pongs() + 1;
      ws.send("PING");
      await waitUntil(() => (pongs() >= want ? true : undefined), 3000, "PONG");
    },
    closed,
    close: () => ws.close(),
  };
  return sock;
}
