// Dev tool: the local Telegram playground, a chat page at http://127.0.0.1:8788/ talking to the
// bot through the Bot API stand-in, which it serves on the same port (/bot<token>/…, /_control/*).
import fs from "node:fs";
import type http from "node:http";
import { z } from "zod";
import { BotApi } from "./bot-api-server";
import { listenLocal, sendJson } from "./local-server";
import type { BotApiOptions } from "./bot-api-core";
import { playgroundState, UserBook } from "./playground-state";

export interface PlaygroundOptions {
  /** Default 8788; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the bot's webhook listens, e.g. http://127.0.0.1:8787/telegram/webhook. */
  webhookUrl: string;
  webhookSecret: string;
  /** An existing stand-in to drive; by default the playground makes one and serves it on its port. */
  botApi?: BotApi;
  /** Options for the stand-in the playground makes (ignored when botApi is given). */
  botApiOptions?: BotApiOptions;
  /**
   * A file that keeps the chats and the update counter across restarts (npm start: .data/playground.json).
   * Without it a restarted playground would number updates from the start again, and the bot, which
   * remembers the ids it acted on, would take every new one for a redelivery and stay silent.
   */
  stateFile?: string;
}

export interface Playground {
  /** The page, e.g. http://127.0.0.1:8788/ (no trailing slash). */
  url: string;
  port: number;
  /** The Bot API base for the bot (TELEGRAM_API_ROOT): this same server. */
  apiRoot: string;
  botApi: BotApi;
  users: UserBook;
  close(): Promise<void>;
}

export const DEFAULT_PLAYGROUND_PORT = 8788;
/** SSE comment lines keep idle connections open through proxies and browser timeouts. */
const HEARTBEAT_MS = 15_000;
/** Changes arriving within this window are sent to the page as one state. */
const COALESCE_MS = 15;
/** The state file is rewritten at most this often. */
const PERSIST_MS = 200;
const PAGE_PATH = new URL("./playground.html", import.meta.url);

const sendBody = z.object({ userId: z.number().int(), text: z.string().min(1).max(4096) });
const pressBody = z.object({ userId: z.number().int(), messageId: z.number().int(), callbackData: z.string() });

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
}

interface Context {
  api: BotApi;
  users: UserBook;
  page: string;
  streams: Set<http.ServerResponse>;
}

const userOf = (ctx: Context, url: URL) => ctx.users.get(Number(url.searchParams.get("user"))) ?? ctx.users.first();

/** Server-sent events: the user's whole state on connect and after every change (coalesced, deduplicated). */
function streamState(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  const user = userOf(ctx, url);
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
  ctx.streams.add(res);
  let last = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const body = JSON.stringify(playgroundState(ctx.api, ctx.users, user));
    if (body === last) return;
    last = body;
    res.write(`event: state\ndata: ${body}\n\n`);
  };
  const unsubscribe = ctx.api.subscribe(() => void (timer ??= setTimeout(flush, COALESCE_MS)));
  const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
  flush();
  req.on("close", () => {
    unsubscribe();
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    ctx.streams.delete(res);
  });
}

/** The page's own routes; false hands the request to the Bot API stand-in. */
async function route(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  const { api, users } = ctx;
  switch (`${req.method} ${url.pathname}`) {
    case "GET /":
    case "GET /index.html":
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(ctx.page);
      return true;
    case "GET /_playground/state":
      sendJson(res, 200, playgroundState(api, users, userOf(ctx, url)));
      return true;
    case "GET /_playground/events":
      streamState(ctx, req, res, url);
      return true;
    case "POST /_playground/users":
      sendJson(res, 200, users.create());
      return true;
    case "POST /_playground/send": {
      const b = sendBody.parse(await readJson(req));
      // Typing goes through the simulated-user path, so the webhook gets a real update with the secret.
      void api.sendText(users.require(b.userId), b.text);
      sendJson(res, 202, { ok: true });
      return true;
    }
    case "POST /_playground/press": {
      const b = pressBody.parse(await readJson(req));
      void api.pressButton(users.require(b.userId), { messageId: b.messageId, callbackData: b.callbackData });
      sendJson(res, 202, { ok: true });
      return true;
    }
    default:
      return false;
  }
}

/** Writes the stand-in's state to `file` after changes (coalesced), atomically (a temp file renamed). */
function persistTo(api: BotApi, file: string): { flush(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(api.snapshot()));
    fs.renameSync(tmp, file);
  };
  const unsubscribe = api.subscribe(() => void (timer ??= setTimeout(flush, PERSIST_MS)));
  return { flush, stop: () => (unsubscribe(), flush()) };
}

function restoreFrom(api: BotApi, file: string): void {
  if (!fs.existsSync(file)) return;
  try {
    api.restore(JSON.parse(fs.readFileSync(file, "utf8")) as ReturnType<BotApi["snapshot"]>);
  } catch (err) {
    // A damaged file must not stop npm start: the chats start empty, and update ids still move on.
    fs.renameSync(file, `${file}.broken`);
    console.warn(`playground: could not read ${file} (${(err as Error).message}); kept it as ${file}.broken and started with empty chats`);
  }
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const api = opts.botApi ?? new BotApi(opts.botApiOptions);
  if (opts.stateFile) restoreFrom(api, opts.stateFile);
  const persist = opts.stateFile ? persistTo(api, opts.stateFile) : undefined;
  api.setWebhook({ url: opts.webhookUrl, secretToken: opts.webhookSecret });
  const ctx: Context = { api, users: new UserBook(api), page: fs.readFileSync(PAGE_PATH, "utf8"), streams: new Set() };
  const server = await listenLocal(
    (req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      route(ctx, req, res, url)
        .then((handled) => (handled ? undefined : api.handle(req, res)))
        .catch((err: Error) => sendJson(res, 400, { error: err instanceof z.ZodError ? z.prettifyError(err) : err.message }));
    },
    opts.port ?? DEFAULT_PLAYGROUND_PORT,
    opts.host ?? "127.0.0.1",
  );
  if (!opts.botApi) {
    api.url = server.url;
    api.port = server.port;
  }
  return {
    url: server.url,
    port: server.port,
    apiRoot: server.url,
    botApi: api,
    users: ctx.users,
    close: async () => {
      persist?.stop();
      for (const res of ctx.streams) res.end();
      if (!opts.botApi) await api.close();
      await server.close();
    },
  };
}
