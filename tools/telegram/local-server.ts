// A small HTTP server on 127.0.0.1 that can be closed at once (open keep-alive and streaming
// connections are cut), shared by the Bot API stand-in and the playground.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LocalServer {
  port: number;
  /** http://host:port, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

export async function listenLocal(handler: http.RequestListener, port = 0, host = "127.0.0.1"): Promise<LocalServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    url: `http://${host}:${bound}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
