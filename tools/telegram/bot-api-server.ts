// Dev tool: a stand-in for api.telegram.org on 127.0.0.1 (`/bot<token>/<method>`), with its
// state open to tests in process and over HTTP under /_control/*.
import type http from "node:http";
import { BotApiCore, type BotApiOptions } from "./bot-api-core";
import { ParamError, readRequestParams, badRequest } from "./bot-api-params";
import { handleControl } from "./control-routes";
import { listenLocal, sendJson, type LocalServer } from "./local-server";

export interface StartBotApiOptions extends BotApiOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

/** `/bot<token>/<method>`, as grammY builds it from apiRoot. */
const API_PATH = /^\/bot([^/]+)\/([A-Za-z0-9_]*)$/;

export class BotApi extends BotApiCore {
  /** Base URL: give it to grammY as `apiRoot` (TELEGRAM_API_ROOT). Set once listening. */
  url = "";
  port = 0;
  private server: LocalServer | undefined;

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
    this.server = await listenLocal((req, res) => void this.handle(req, res), port, host);
    this.port = this.server.port;
    this.url = this.server.url;
  }

  /** Stops serving: pending long polls end, retries stop, open connections are closed. */
  override async close(): Promise<void> {
    super.close();
    await this.server?.close();
  }
}

/** Starts the stand-in on 127.0.0.1 (a free port unless `port` is given). */
export async function startBotApi(opts: StartBotApiOptions = {}): Promise<BotApi> {
  const api = new BotApi(opts);
  await api.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return api;
}
