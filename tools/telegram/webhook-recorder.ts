// Test helper: a tiny webhook server that records every POST (headers and JSON body) and answers
// as told (status and body per request), to check what the Bot API stand-in delivers.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type WebhookAnswer = { status: number; body?: unknown };

export interface WebhookRecorder {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Resolves once `n` requests have arrived (checked on each arrival, no polling). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** `answer` decides each reply (default 200 with an empty body). */
export async function startWebhookRecorder(answer: (req: RecordedRequest, index: number) => WebhookAnswer | Promise<WebhookAnswer> = () => ({ status: 200 })): Promise<WebhookRecorder> {
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a hostile update may not be JSON at all.
      }
      const rec: RecordedRequest = { at: Date.now(), path: req.url ?? "/", headers: req.headers, body };
      const index = requests.push(rec) - 1;
      for (const w of [...waiters]) w();
      void Promise.resolve(answer(rec, index)).then((a) => {
        const out = a.body === undefined ? "" : typeof a.body === "string" ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status, { "content-type": typeof a.body === "object" ? "application/json" : "text/plain" });
        res.end(out);
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/telegram/webhook`,
    port,
    requests,
    waitForRequests: (n, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return;
          cleanup();
          resolve(requests.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`webhook recorder: ${requests.length} of ${n} requests within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
