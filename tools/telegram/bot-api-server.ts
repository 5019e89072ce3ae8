// Dev tool: a stand-in for api.telegram.org on 127.0.0.1 (`/bot<token>/<method>`), with its
// state open to tests in process and over HTTP under /_control/*.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BotApiCore, type BotApiOptions } from "./bot-api-core";
import { ParamError, readRequestParams, badRequest } from "./bot-api-params";
import { handleControl } from "./control-routes";

export interface StartBotApiOptions extends BotApiOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** `/bot<token>/<method>`, as grammY builds it from apiRoot. */
const API_PATH = /^\/bot([^/]+)\/([A-Za-z0-9_]*)$/;

export class BotApi extends BotApiCore {
  /** Base URL: give it to grammY as `apiRoot` (TELEGRAM_API_ROOT). Set once listening. */
  url = "";
  port = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<import("node:net").Socket>();

  /** Serves one HTTP request (Bot API or control route); the playground reuses it on its port. */
  readonly handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname.startsWith("/_control/")) return await handleControl(this, req, res, url);
      const m = API_PATH.exec(url.pathname);
      if (!m) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      const denied = this.authorize(decodeURIComponent(m[1]!));
      if (denied) return sendJson(res, denied.ok ? 200 : denied.error_code, denied);
      let params: Record<string, unknown>;
      try {
        params = await readRequestParams(req, url);
      } catch (err) {
        if (err instanceof ParamError) return sendJson(res, 400, badRequest(err.description));
        throw err;
      }
      const answer = await this.call(m[2]!, params);
      sendJson(res, answer.ok ? 200 : answer.error_code, answer);
    } catch (err) {
      // A bug in the stand-in must not look like a Telegram answer the bot could misread.
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: stand-in failure: ${(err as Error).message}` });
      else res.destroy();
    }
  };

  async listen(port = 0, host = "127.0.0.1"): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://${host}:${this.port}`;
  }

  /** Stops serving: pending long polls end, retries stop, open connections are closed. */
  override async close(): Promise<void> {
    super.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}

/** Starts the stand-in on 127.0.0.1 (a free port unless `port` is given). */
export async function startBotApi(opts: StartBotApiOptions = {}): Promise<BotApi> {
  const api = new BotApi(opts);
  await api.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return api;
}
