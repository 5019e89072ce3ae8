// No header and no secret reaches a log line (issue #24): every line this isolate writes — the
// Worker's routes and bot, the cron, the streamer object (same isolate), libraries and runtime
// warnings alike, captured at the console — while a journey touches every secret: the webhook
// secret (right, wrong, forged), the admin token, the bot token, the wallet key, a pasted private
// key, a PIN and the key an export delivers, plus canary values in ordinary and credential headers.
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../workers/cron";
import { createDb } from "../../workers/db/client";
import { settingsOf } from "../../workers/env";
import { sweepHousekeeping } from "../../workers/security/housekeeping";
import { Conversation, dbHandle, labels, marketWithBook, post, setPin } from "./bot-harness";

const lines: string[] = [];
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
const originals = new Map<string, (...a: unknown[]) => void>();
const text = (a: unknown): string => {
  if (typeof a === "string") return a;
  if (a instanceof Error) return `${a.name}: ${a.message}\n${a.stack ?? ""}`;
  try {
    return JSON.stringify(a);
  } catch {
    return String(a);
  }
};

beforeAll(() => {
  for (const level of LEVELS) {
    const original = console[level].bind(console) as (...a: unknown[]) => void;
    originals.set(level, original);
    console[level] = (...args: unknown[]) => {
      lines.push(args.map(text).join(" "));
      original(...args);
    };
  }
});
afterAll(async () => {
  for (const level of LEVELS) console[level] = originals.get(level)! as never;
  await dbHandle.close();
});

const PIN = "913572";
const PASTED_KEY = `0x${"7c".repeat(32)}`;
const CANARY = `canary${Math.random().toString(36).slice(2, 10)}`;
const admin = (path: string, token: string) => exports.default.fetch(`http://bot.test${path}`, { headers: { authorization: `Bearer ${token}`, "x-canary": `${CANARY}-admin` } });

describe("log lines", () => {
  it("carry no secret and no header value, whatever the journey does", async () => {
    // Webhook: no secret, a wrong one, malformed JSON, canary headers.
    expect((await post({ update_id: 1 }, null)).status).toBe(401);
    expect((await post({ update_id: 2 }, `${env.TELEGRAM_WEBHOOK_SECRET}x`)).status).toBe(401);
    const headers = { "content-type": "application/json", "x-telegram-bot-api-secret-token": env.TELEGRAM_WEBHOOK_SECRET, "x-canary": `${CANARY}-hook`, cookie: `session=${CANARY}-cookie`, "user-agent": `${CANARY}-ua` };
    await exports.default.fetch("http://bot.test/telegram/webhook", { method: "POST", headers, body: "{not json" });
    // Admin: right and wrong tokens.
    expect((await admin("/admin/streamer", env.ADMIN_TOKEN)).status).toBe(200);
    expect((await admin("/admin/metrics", env.ADMIN_TOKEN)).status).toBe(200);
    expect((await admin("/admin/streamer", `${env.ADMIN_TOKEN}x`)).status).toBe(401);

    // A trader: pastes a key, buys, the cron runs, sells all, sets a PIN and exports the wallet key.
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("start");
    await c.say(`my key is ${PASTED_KEY}`);
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    await c.press("Confirm");
    await c.waitFor("Bought");
    await runCron(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 60_000, env);
    await c.press("View position");
    await c.press("Sell all");
    await c.press("Confirm");
    await c.waitFor("The position is closed");
    await c.command("wallet");
    await c.press("Generate wallet");
    await c.press("Generate");
    await setPin(c, PIN);
    await c.press("Export key");
    await c.press("Continue");
    await c.say(PIN);
    await c.waitFor("Key export requested");
    const own = createDb(settingsOf(env));
    try {
      await sweepHousekeeping({ db: own.db, settings: settingsOf(env) }, Date.now() + 11 * 60_000);
    } finally {
      await own.close();
    }
    const delivered = await c.waitFor(/0x[0-9a-f]{64}/i);
    const exportedKey = /0x[0-9a-f]{64}/i.exec(delivered.text)![0];

    const secrets: Record<string, string> = {
      "bot token": env.TELEGRAM_BOT_TOKEN,
      "bot token's secret part": env.TELEGRAM_BOT_TOKEN.split(":")[1]!,
      "webhook secret": env.TELEGRAM_WEBHOOK_SECRET,
      "admin token": env.ADMIN_TOKEN,
      "wallet encryption key": env.WALLET_ENCRYPTION_KEY,
      "pasted private key": PASTED_KEY.slice(2),
      "exported private key": exportedKey.slice(2),
      PIN,
      "a header value": CANARY,
    };
    expect(lines.length).toBeGreaterThan(10); // the capture sees the product's lines
    expect(lines.some((l) => l.includes('"event":"prices_updated"') || l.includes('"event":"subscribed"'))).toBe(true); // and the object's
    for (const [what, value] of Object.entries(secrets)) {
      const leaks = lines.filter((l) => l.toLowerCase().includes(value.toLowerCase()));
      expect(leaks, `${what} in a log line`).toEqual([]);
    }
  }, 60_000);
});
