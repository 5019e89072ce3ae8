// /_control/* — the stand-in's state and simulated users over HTTP, for tests that run in
// another process (workerd) or another language; bodies are parsed with zod.
import type http from "node:http";
import { z } from "zod";
import type { BotApiCore } from "./bot-api-core";
import type { FloodSetting } from "./bot-api-types";
import { sendJson } from "./local-server";

const user = z.object({
  id: z.number().int(),
  first_name: z.string().min(1),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
const deliver = z.boolean().optional();
const bodies = {
  "send-text": z.object({ user, text: z.string(), deliver }),
  "send-command": z.object({ user, command: z.string().min(1), args: z.string().optional(), deliver }),
  "press-button": z.object({ user, messageId: z.number().int().optional(), label: z.string().optional(), callbackData: z.string().optional(), deliver }),
  block: z.object({ user, blocked: z.boolean() }),
  webhook: z.object({ url: z.string().url(), secretToken: z.string().optional(), maxConnections: z.number().int().min(1).max(100).optional(), dropPending: z.boolean().optional() }),
  flood: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("off") }),
    z.object({ mode: z.literal("rate"), perSecond: z.number().positive().optional(), burst: z.number().min(1).optional() }),
    z.object({ mode: z.literal("force"), retryAfter: z.number().int().min(1).optional(), count: z.number().int().min(0).optional(), methods: z.array(z.string()).optional() }),
  ]),
  ingest: z.object({ update: z.looseObject({ update_id: z.number().int() }) }),
  fail: z.object({ method: z.string().min(1), count: z.number().int().min(1).max(1000).optional(), errorCode: z.number().int().optional(), description: z.string().min(1) }),
};

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? {} : (JSON.parse(text) as unknown);
}


function num(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  return v === null || v === "" ? undefined : Number(v);
}

type Route = (api: BotApiCore, url: URL, body: () => Promise<unknown>) => Promise<[number, unknown]>;

const routes: Record<string, Route> = {
  "GET calls": async (api, url) => {
    const method = url.searchParams.get("method");
    const after = num(url, "after") ?? 0;
    return [200, api.calls().filter((c) => c.seq > after && (!method || c.method === method))];
  },
  "POST reset": async (api) => (api.reset(), [200, { ok: true }]),
  "GET chats": async (api) => [200, api.chatList()],
  "GET deliveries": async (api) => [200, api.deliveries()],
  "GET webhook": async (api) => [200, api.webhookInfo()],
  "POST webhook": async (api, _u, body) => {
    const b = bodies.webhook.parse(await body());
    api.setWebhook({ url: b.url, ...(b.secretToken ? { secretToken: b.secretToken } : {}), ...(b.maxConnections ? { maxConnections: b.maxConnections } : {}) }, b.dropPending);
    return [200, api.webhookInfo()];
  },
  "DELETE webhook": async (api) => (api.deleteWebhook(), [200, api.webhookInfo()]),
  "GET flood": async (api) => [200, api.flooding()],
  "POST flood": async (api, _u, body) => (api.setFlood(bodies.flood.parse(await body()) as FloodSetting), [200, api.flooding()]),
  "GET commands": async (api, url) => [200, api.myCommands(undefined, url.searchParams.get("language_code") ?? undefined)],
  "POST send-text": async (api, _u, body) => {
    const b = bodies["send-text"].parse(await body());
    return [200, await api.sendText(b.user, b.text, { deliver: b.deliver ?? true })];
  },
  "POST send-command": async (api, _u, body) => {
    const b = bodies["send-command"].parse(await body());
    return [200, await api.sendCommand(b.user, b.command, b.args, { deliver: b.deliver ?? true })];
  },
  "POST press-button": async (api, _u, body) => {
    const { user: u, deliver: d, ...query } = bodies["press-button"].parse(await body());
    return [200, await api.pressButton(u, query, { deliver: d ?? true })];
  },
  "POST deliver-raw": async (api, _u, body) => [200, await api.deliverRaw(await body())],
  "POST ingest": async (api, _u, body) => {
    api.ingest(bodies.ingest.parse(await body()).update as never);
    return [200, { ok: true }];
  },
  "POST fail": async (api, _u, body) => {
    const b = bodies.fail.parse(await body());
    api.failNext(b.method, { description: b.description, ...(b.count !== undefined ? { count: b.count } : {}), ...(b.errorCode !== undefined ? { errorCode: b.errorCode } : {}) });
    return [200, { ok: true }];
  },
  "POST block": async (api, _u, body) => {
    const b = bodies.block.parse(await body());
    api.setBlocked(b.user, b.blocked);
    return [200, { ok: true }];
  },
  "GET wait-message": async (api, url) => {
    const chatId = num(url, "chatId");
    if (chatId === undefined) return [400, { error: "chatId is required" }];
    const contains = url.searchParams.get("contains");
    const regex = url.searchParams.get("regex");
    const from = url.searchParams.get("from") === "user" ? "user" : "bot";
    const match = regex !== null ? new RegExp(regex) : (contains ?? "");
    return [200, await api.waitForMessage(chatId, match, { timeoutMs: num(url, "timeoutMs") ?? 5_000, from })];
  },
  "GET wait-call": async (api, url) => {
    const method = url.searchParams.get("method");
    if (!method) return [400, { error: "method is required" }];
    return [200, await api.waitForCall(method, undefined, { afterSeq: num(url, "after") ?? 0, timeoutMs: num(url, "timeoutMs") ?? 5_000 })];
  },
};

/** Serves /_control/<name>; a failed wait answers 408, a bad body 400, both with { error }. */
export async function handleControl(api: BotApiCore, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice("/_control/".length);
  const chat = /^chats\/(-?\d+)$/.exec(name);
  if (chat && req.method === "GET") {
    const view = api.chat(Number(chat[1]));
    return sendJson(res, view ? 200 : 404, view ?? { error: `no chat ${chat[1]}` });
  }
  const route = routes[`${req.method} ${name}`];
  if (!route) return sendJson(res, 404, { error: `no control route ${req.method} /_control/${name}` });
  try {
    const [status, body] = await route(api, url, () => readJson(req));
    sendJson(res, status, body);
  } catch (err) {
    const message = err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message;
    sendJson(res, message.startsWith("waitFor:") ? 408 : 400, { error: message });
  }
}
