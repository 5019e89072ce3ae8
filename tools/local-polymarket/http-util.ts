// Minimal HTTP plumbing for the local Polymarket: request/answer records, JSON bodies and a path-pattern router.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

export interface Req {
  method: string;
  /** Path inside the mounted API (e.g. "/order" for POST /clob/order): what L2 signatures cover. */
  path: string;
  /** Path as requested, with the mount prefix. */
  fullPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text, exactly as received. */
  body: string;
  params: Record<string, string>;
  /** When the request arrived (the venue's clock), before its body was read or anything was checked. */
  arrivedAt?: number;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Plain text instead of JSON. */
  text?: boolean;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({ status, body, ...(headers ? { headers } : {}) });

/** The venue's error shape: {"error": "..."}. */
export const fail = (status: number, message: string): Answer => json(status, { error: message });

export type Handler = (req: Req) => Answer | Promise<Answer>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** Routes "METHOD /a/:param/b" patterns; the first match wins. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segs = path.split("/").filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method || r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      const ok = r.parts.every((p, i) => {
        if (p.startsWith(":")) {
          params[p.slice(1)] = decodeURIComponent(segs[i]!);
          return true;
        }
        return p === segs[i];
      });
      if (ok) return { handler: r.handler, params };
    }
    return undefined;
  }

  /** True when some route has this path under another method (→ 405 rather than 404). */
  hasPath(path: string): boolean {
    const segs = path.split("/").filter(Boolean);
    return this.routes.some((r) => r.parts.length === segs.length && r.parts.every((p, i) => p.startsWith(":") || p === segs[i]));
  }
}

/** Bodies above this are refused; the largest real payload (POST /books with 500 ids) is ~45 KB. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Any page on this machine (the Telegram playground, browser tests) may call the simulator and its control API. */
export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
  "access-control-allow-headers": "*",
};

export function writeAnswer(res: ServerResponse, a: Answer): void {
  if (res.writableEnded || res.destroyed) return;
  const body = a.text ? String(a.body) : JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": a.text ? "text/plain; charset=utf-8" : "application/json", ...CORS_HEADERS, ...a.headers });
  res.end(body);
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function header(req: Req, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Repeated and comma-separated query values ("id=1&id=2" or "id=1,2"). */
export function multi(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** "true"/"false" query flags; undefined when absent or anything else. */
export function flag(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  return v === "true" ? true : v === "false" ? false : undefined;
}
