// Bot API request parameters: read from the query, JSON, urlencoded or multipart body, then
// parsed per method with zod, failing with the descriptions api.telegram.org uses.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { ApiError } from "./bot-api-types";

export class ParamError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

export function badRequest(reason: string, code = 400): ApiError {
  const prefix = code === 403 ? "Forbidden" : code === 409 ? "Conflict" : code === 404 ? "Not Found" : "Bad Request";
  return { ok: false, error_code: code, description: `${prefix}: ${reason}` };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every parameter of a request: query string first, then the body (form values stay strings). */
export async function readRequestParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ParamError("can't parse JSON object");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new ParamError("can't parse JSON object");
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type.includes("multipart/form-data")) {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(String(req.headers["content-type"]))?.[2];
    if (!boundary) throw new ParamError("can't parse multipart body");
    const parts = parseMultipart(body, boundary);
    const files = new Map(parts.filter((p) => p.filename !== undefined).map((p) => [p.name, p]));
    for (const part of parts) {
      if (part.filename !== undefined) continue;
      const value = part.data.toString("utf8");
      // grammY sends a file as its own part and the parameter as "attach://<part name>", as Telegram allows.
      const attached = value.startsWith("attach://") ? files.get(value.slice("attach://".length)) : undefined;
      params[part.name] = attached ? fileParam(attached) : value;
    }
    for (const f of files.values()) if (!(f.name in params)) params[f.name] = fileParam(f);
  } else if (type.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = v;
  }
  return params;
}

interface Part {
  name: string;
  filename?: string;
  type: string;
  data: Buffer;
}

/** An uploaded file (sendPhoto): what a test may check of it, its bytes included. */
const fileParam = (p: Part) => ({ file: p.filename ?? p.name, type: p.type, bytes: new Uint8Array(p.data) });

/**
 * multipart/form-data as Telegram reads it. Node's FormData parser refuses what grammY sends (unquoted
 * `filename=a.png`), which Telegram accepts, so the stand-in reads the parts itself.
 */
function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const chunk = body.subarray(start + 2, next - 2); // after CRLF, before the CRLF that precedes the delimiter
    const split = chunk.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = chunk.subarray(0, split).toString("utf8");
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
      const name = /(?:^|;)\s*name=("?)([^";]*)\1/i.exec(disposition)?.[2];
      const filename = /filename=("?)([^";]*)\1/i.exec(disposition)?.[2];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
      if (name !== undefined) parts.push({ name, ...(filename !== undefined ? { filename } : {}), type, data: Buffer.from(chunk.subarray(split + 4)) });
    }
    at = next;
  }
  return parts;
}

// Form and query values arrive as strings; Telegram reads numbers, booleans and JSON from them.
const int = z.preprocess((v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), z.number().int());
const bool = z.preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v), z.boolean());
const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }, schema);
/** chat_id: an integer, or an "@username" string (which names no private chat here). */
const chatId = z.union([int, z.string().regex(/^@\w+$/)]);

const button = z.looseObject({
  text: z.string(),
  callback_data: z.string().optional(),
  url: z.string().optional(),
});
const inlineKeyboard = z.object({ inline_keyboard: z.array(z.array(button)) });
const replyKeyboard = z.object({ keyboard: z.array(z.array(z.union([z.string(), z.looseObject({ text: z.string() })]))) }).loose();
const removeKeyboard = z.object({ remove_keyboard: z.literal(true) }).loose();
const forceReply = z.object({ force_reply: z.literal(true) }).loose();
const replyMarkup = json(z.union([inlineKeyboard, replyKeyboard, removeKeyboard, forceReply]));
export type InlineKeyboard = z.infer<typeof inlineKeyboard>;
export type ReplyKeyboard = z.infer<typeof replyKeyboard>;
export type ReplyMarkup = z.infer<typeof replyMarkup>;

const entity = z.looseObject({ type: z.string(), offset: z.number().int().min(0), length: z.number().int().min(1) });
const text = {
  text: z.string(),
  parse_mode: z.string().optional(),
  entities: json(z.array(entity)).optional(),
};
const commandScope = json(z.looseObject({ type: z.string() })).optional();

export const methodParams = {
  getMe: z.object({}),
  sendMessage: z.object({ chat_id: chatId, ...text, reply_markup: replyMarkup.optional(), protect_content: z.boolean().optional() }),
  editMessageText: z.object({ chat_id: chatId, message_id: int, ...text, reply_markup: json(inlineKeyboard).optional() }),
  editMessageReplyMarkup: z.object({ chat_id: chatId, message_id: int, reply_markup: json(inlineKeyboard).optional() }),
  deleteMessage: z.object({ chat_id: chatId, message_id: int }),
  deleteMessages: z.object({ chat_id: chatId, message_ids: json(z.array(int).min(1).max(100)) }),
  answerCallbackQuery: z.object({ callback_query_id: z.string(), text: z.string().optional(), show_alert: bool.optional(), url: z.string().optional(), cache_time: int.optional() }),
  sendChatAction: z.object({ chat_id: chatId, action: z.string() }),
  setWebhook: z.object({
    url: z.string(),
    secret_token: z.string().optional(),
    max_connections: int.optional(),
    allowed_updates: json(z.array(z.string())).optional(),
    drop_pending_updates: bool.optional(),
  }),
  deleteWebhook: z.object({ drop_pending_updates: bool.optional() }),
  getWebhookInfo: z.object({}),
  setMyCommands: z.object({
    commands: json(z.array(z.object({ command: z.string(), description: z.string() }))),
    scope: commandScope,
    language_code: z.string().optional(),
  }),
  getMyCommands: z.object({ scope: commandScope, language_code: z.string().optional() }),
  deleteMyCommands: z.object({ scope: commandScope, language_code: z.string().optional() }),
  getUpdates: z.object({
    offset: int.optional(),
    limit: int.optional(),
    timeout: int.optional(),
    allowed_updates: json(z.array(z.string())).optional(),
  }),
  /** A photo uploaded in a multipart body (the bot's QR codes); file ids and URLs are not simulated. */
  sendPhoto: z.object({
    chat_id: chatId,
    photo: z.object({ file: z.string(), type: z.string(), bytes: z.instanceof(Uint8Array) }),
    caption: z.string().max(1024).optional(),
    parse_mode: z.string().optional(),
    reply_markup: replyMarkup.optional(),
  }),
  pinChatMessage: z.object({ chat_id: chatId, message_id: int, disable_notification: bool.optional() }),
} as const;

export type MethodName = keyof typeof methodParams;
export type Params<M extends MethodName> = z.infer<(typeof methodParams)[M]>;

export function isMethod(name: string): name is MethodName {
  return Object.hasOwn(methodParams, name);
}

/** Telegram's wording when a required parameter is missing or unusable. */
const FIELD_ERRORS: Record<string, { missing: string; invalid?: string }> = {
  chat_id: { missing: "chat_id is empty", invalid: "chat not found" },
  text: { missing: "message text is empty" },
  message_id: { missing: "message identifier is not specified", invalid: "message identifier is not specified" },
  message_ids: { missing: "message identifiers are not specified", invalid: "message identifiers are invalid" },
  callback_query_id: { missing: "QUERY_ID_INVALID" },
  photo: { missing: "there is no photo in the request", invalid: "wrong remote file identifier specified: Wrong string length" },
  reply_markup: { missing: "can't parse reply keyboard markup JSON object", invalid: "can't parse reply keyboard markup JSON object" },
  url: { missing: "bad webhook: Failed to resolve host: Name or service not known" },
  commands: { missing: "parameter \"commands\" is required", invalid: "can't parse commands JSON object" },
  action: { missing: "action is empty" },
  entities: { missing: "can't parse entities JSON object", invalid: "can't parse entities JSON object" },
};

/** Parses `raw` as the parameters of `method`; throws ParamError with Telegram's description. */
export function parseParams<M extends MethodName>(method: M, raw: Record<string, unknown>): Params<M> {
  const res = methodParams[method].safeParse(raw);
  if (res.success) return res.data as Params<M>;
  const issue = res.error.issues[0]!;
  const field = String(issue.path[0] ?? "");
  const known = FIELD_ERRORS[field];
  const missing = raw[field] === undefined || raw[field] === null;
  if (known) throw new ParamError(missing ? known.missing : (known.invalid ?? known.missing));
  throw new ParamError(`wrong parameter "${issue.path.join(".")}": ${issue.message}`);
}
