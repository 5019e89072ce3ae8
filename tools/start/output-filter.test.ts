import { describe, expect, it } from "vitest";
import { WranglerOutputFilter } from "./output-filter";

// What wrangler 4 printed on an offline `npm start` (2026-12-03), colour codes included.
const START = [
  "[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...",
  "Error: getaddrinfo ENOTFOUND workers.cloudflare.com",
  "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)",
  "    at GetAddrInfoReqWrap.callbackTrampoline (node:internal/async_hooks:130:17)",
  "\x1b[33m▲ \x1b[43;33m[\x1b[43;30mWARNING\x1b[43;33m]\x1b[0m \x1b[1mScheduled Workers are not automatically triggered during local development.\x1b[0m",
  "",
  "  To manually trigger a scheduled event, run:",
  '    curl "http://127.0.0.1:18787/cdn-cgi/local/scheduled"',
  "  For more details, see \x1b[4mhttps://developers.cloudflare.com/workers/configuration/cron-triggers/#test-cron-triggers-locally\x1b[0m",
  "",
  "",
  "[wrangler:info] Ready on http://127.0.0.1:18787",
  "[wrangler:info] GET /healthz 200 OK (2507ms)",
  "[wrangler:info] POST /telegram/webhook 200 OK (47ms)",
  "[wrangler:info] GET /admin/overview 401 Unauthorized (3ms)",
  '{"ts":"2026-12-03T14:10:00.000Z","level":"error","event":"request_failed"}',
  "[wrangler:info] POST /admin/markets/sync 500 Internal Server Error (149ms)",
];

const run = (logRequests: boolean) => {
  const f = new WranglerOutputFilter({ logRequests });
  return START.flatMap((l) => f.line(l));
};

describe("npm start's view of wrangler's output", () => {
  it("drops the offline warnings and successful request lines, keeps failures and our own logs", () => {
    expect(run(false)).toEqual([
      "[wrangler:info] Ready on http://127.0.0.1:18787",
      "[wrangler:info] GET /admin/overview 401 Unauthorized (3ms)",
      '{"ts":"2026-12-03T14:10:00.000Z","level":"error","event":"request_failed"}',
      "[wrangler:info] POST /admin/markets/sync 500 Internal Server Error (149ms)",
    ]);
  });

  it("LOG_REQUESTS=true shows every request line", () => {
    const out = run(true);
    expect(out).toContain("[wrangler:info] GET /healthz 200 OK (2507ms)");
    expect(out).toContain("[wrangler:info] POST /telegram/webhook 200 OK (47ms)");
    expect(out.some((l) => l.includes("Request.cf"))).toBe(false);
  });

  it("an unrelated stack trace is not swallowed", () => {
    const f = new WranglerOutputFilter({ logRequests: false });
    expect(["✘ [ERROR] Uncaught TypeError: x is not a function", "    at worker.js:1:1"].flatMap((l) => f.line(l))).toHaveLength(2);
  });
});
