// The whole product on this machine: database, migrations, the Neon proxy, Polymarket (local
// simulator unless told otherwise), Telegram (playground unless a real token is given) and the
// Worker under wrangler. Used by `npm start`, the chaos suite, benchmarks and browser tests.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseSettings } from "../../workers/env";
import { botUsername } from "../telegram/get-me";
import { startEmbeddedPg } from "../dev/embedded-pg";
import { applyMigrations } from "../dev/migrate";
import { startPgWsProxy } from "../dev/pg-ws-proxy";
import { type LocalPolymarket, startLocalPolymarket } from "../local-polymarket/server";
import type { ScenarioKind } from "../local-polymarket/scenario";
import { startLongPollBridge } from "../telegram/long-poll-bridge";
import { type Playground, startPlayground } from "../telegram/playground";
import { loadLocalSecrets } from "./local-secrets";
import { startWranglerDev, waitForHttp } from "./wrangler-dev";

export interface StackOptions {
  root: string;
  /** Where the Worker listens (127.0.0.1). */
  port: number;
  /** Local state: secrets, the embedded database (when persistent) and wrangler's storage. */
  dataDir: string;
  /** Settings as environment variables (contract.md); empty strings mean "not set". */
  env: Record<string, string | undefined>;
  /** Keep the embedded database in dataDir across runs (npm start) or in memory (tests, chaos). */
  persistDatabase?: boolean;
  /** Scenario of the local Polymarket. */
  scenario?: ScenarioKind;
  /** Extra generated markets in the local Polymarket. */
  marketCount?: number;
  /**
   * The local Polymarket's 2026 new-account rule (signature types 0–2 refused: deposit wallets only). `npm start`
   * turns it on unless POLYMARKET_NEW_ACCOUNTS=0; harnesses (chaos, tests) leave it off unless they ask.
   */
  newAccounts?: boolean;
  /** The generated markets as at Polymarket's size (neg-risk events, closed and resolved ones). */
  scale?: boolean;
  /** Playground port (0 = any free port). */
  playgroundPort?: number;
  /** Hide wrangler's own output. */
  quiet?: boolean;
  /** Show every request line of wrangler (default: failed requests only). */
  logRequests?: boolean;
  /** Worker settings that only a harness sets (e.g. faster staleness for chaos runs). */
  extraVars?: Record<string, string>;
}

export interface Stack {
  workerUrl: string;
  adminToken: string;
  webhookSecret: string;
  databaseUrl: string;
  /** Where local secrets and state live. */
  dataDir: string;
  polymarket?: LocalPolymarket;
  playground?: Playground;
  /** What runs where, one line each. */
  lines: string[];
  /** Resolves when the Worker process exits. */
  workerExited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const hidePassword = (url: string) => url.replace(/:[^:@/]+@/, ":***@");
const given = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
const SETTING = /^(TELEGRAM_|CLOB_|GAMMA_|STREAMER_|TRADING_MODE$|ADMIN_TOKEN$|ADMIN_WEBHOOK_TOKEN$|WALLET_ENCRYPTION_KEY$|PAPER_START_BALANCE$|DATABASE_URL$)/;

/** Starts everything; on failure stops what it started and rethrows (the message names the problem). */
export async function startStack(opts: StackOptions): Promise<Stack> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    return await start(opts, stops, stopAll);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function start(opts: StackOptions, stops: Array<() => Promise<void>>, stopAll: () => Promise<void>): Promise<Stack> {
  const env = Object.fromEntries(Object.entries(opts.env).filter(([k, v]) => SETTING.test(k) && given(v) !== undefined)) as Record<string, string>;
  const secrets = loadLocalSecrets(opts.dataDir);
  const realBot = env.TELEGRAM_BOT_TOKEN !== undefined;
  const vars: Record<string, string> = { ...secrets, ...env, ...opts.extraVars };
  // Validate what was given before starting anything (one clear line naming the setting).
  // (The database and the bot's username are filled in below: an embedded Postgres, getMe.)
  parseSettings({ TELEGRAM_BOT_USERNAME: "from_get_me", ...vars, DATABASE_URL: env.DATABASE_URL ?? "postgres://embedded@127.0.0.1:1/postgres" });
  const lines: string[] = [];

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = opts.persistDatabase ? path.join(opts.dataDir, "pglite") : undefined;
    const pg = await startEmbeddedPg({ ...(dataDir ? { dataDir } : {}), port: await freePort() });
    stops.push(pg.stop);
    databaseUrl = pg.url;
    lines.push(`database     embedded Postgres (PGlite) ${hidePassword(pg.url)}${dataDir ? `, data in ${path.relative(opts.root, dataDir)}` : " (in memory)"}`);
  } else {
    lines.push(`database     ${hidePassword(databaseUrl)} (DATABASE_URL)`);
  }
  await applyMigrations(databaseUrl);
  lines.push("migrations   applied");
  const dbUrl = new URL(databaseUrl);
  const proxy = await startPgWsProxy({ allow: [`${dbUrl.hostname}:${dbUrl.port || 5432}`] });
  stops.push(proxy.close);
  vars.DATABASE_URL = databaseUrl;
  vars.NEON_WS_PROXY = `127.0.0.1:${proxy.port}`;
  lines.push(`neon proxy   ws://127.0.0.1:${proxy.port} (the Worker's Neon driver reaches Postgres through it)`);

  let polymarket: LocalPolymarket | undefined;
  const livePolymarket = opts.env.POLYMARKET === "live" || ["CLOB_WSS_URL", "CLOB_API_URL", "GAMMA_API_URL"].some((k) => env[k] !== undefined);
  if (!livePolymarket) {
    const newAccounts = opts.newAccounts === true;
    polymarket = await startLocalPolymarket({ scenario: opts.scenario ?? "calm", newAccounts, ...(opts.marketCount ? { marketCount: opts.marketCount, scale: opts.scale === true } : {}) });
    stops.push(() => polymarket!.stop());
    vars.CLOB_WSS_URL = polymarket.wsUrl;
    vars.CLOB_API_URL = polymarket.clobUrl;
    vars.GAMMA_API_URL = polymarket.gammaUrl;
    vars.POLYMARKET_GEOBLOCK_URL = polymarket.urls().geoblockUrl;
    // The local relayer, and builder credentials it accepts: generated wallets become deposit wallets the bot deploys.
    vars.RELAYER_URL = polymarket.relayerUrl;
    vars.DATA_API_URL = polymarket.dataUrl;
    vars.POLYGON_RPC_URL = polymarket.rpcUrl;
    if (env.POLY_BUILDER_API_KEY === undefined) {
      const builder = polymarket.builderApiKey("npm-start");
      Object.assign(vars, { POLY_BUILDER_API_KEY: builder.key, POLY_BUILDER_SECRET: builder.secret, POLY_BUILDER_PASSPHRASE: builder.passphrase });
    }
    lines.push(`polymarket   local simulator ${polymarket.httpUrl} (scenario ${opts.scenario ?? "calm"}; control API ${polymarket.httpUrl}/_control)`);
    lines.push(`relayer      ${polymarket.relayerUrl} (deposit wallets; new-account rule ${newAccounts ? "on: only deposit wallets (type 3) trade" : "off"})`);
  } else {
    lines.push(`polymarket   ${vars.CLOB_API_URL ?? "https://clob.polymarket.com"} / ${vars.CLOB_WSS_URL ?? "wss://ws-subscriptions-clob.polymarket.com/ws/market"}`);
  }

  const workerUrl = `http://127.0.0.1:${opts.port}`;
  const webhookUrl = `${workerUrl}/telegram/webhook`;
  let playground: Playground | undefined;
  if (!realBot) {
    playground = await startPlayground({
      port: opts.playgroundPort ?? 8788,
      webhookUrl,
      webhookSecret: vars.TELEGRAM_WEBHOOK_SECRET!,
      // npm start keeps the chats across restarts, as Telegram does; tests and chaos runs start clean.
      ...(opts.persistDatabase ? { stateFile: path.join(opts.dataDir, "playground.json") } : {}),
    });
    stops.push(() => playground!.close());
    vars.TELEGRAM_API_ROOT = playground.apiRoot;
    // The webhook is pinned to this Worker; with a real bot (long polling) there is no webhook to pin.
    vars.WORKER_URL = workerUrl;
    lines.push(`telegram     playground ${playground.url}/  (a chat with the bot in your browser)`);
  }

  // The bot's username, as deploy stores it: asked of the Bot API (the playground's, or Telegram's).
  vars.TELEGRAM_BOT_USERNAME ??= await botUsername(vars.TELEGRAM_BOT_TOKEN!, vars.TELEGRAM_API_ROOT ?? "https://api.telegram.org");
  const worker = await startWranglerDev({ root: opts.root, port: opts.port, vars, dataDir: opts.dataDir, quiet: opts.quiet ?? false, logRequests: opts.logRequests ?? false });
  stops.push(worker.stop);
  await waitForHttp(`${workerUrl}/healthz`, 60_000, worker.exited);
  lines.push(`worker       ${workerUrl}  (GET /healthz · operator dashboard ${workerUrl}/admin)`);
  lines.push(`admin token  ${vars.ADMIN_TOKEN}`);

  if (realBot) {
    const bridge = await startLongPollBridge({ token: vars.TELEGRAM_BOT_TOKEN!, ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}), webhookUrl, webhookSecret: vars.TELEGRAM_WEBHOOK_SECRET! });
    stops.push(async () => bridge.stop());
    lines.push("telegram     your bot, through long polling forwarded to the local webhook");
  }

  if (playground) lines.push(`commands     ${await registerWithTelegram(workerUrl, vars.ADMIN_TOKEN!, vars.ADMIN_WEBHOOK_TOKEN!)}`);
  const sync = await syncMarkets(workerUrl, vars.ADMIN_TOKEN!);
  lines.push(`markets      ${sync}`);
  const cron = setInterval(() => void fetch(`${workerUrl}/cdn-cgi/local/scheduled`).catch(() => undefined), 60_000);
  stops.push(async () => clearInterval(cron));

  return {
    workerUrl,
    adminToken: vars.ADMIN_TOKEN!,
    webhookSecret: vars.TELEGRAM_WEBHOOK_SECRET!,
    databaseUrl,
    dataDir: opts.dataDir,
    ...(polymarket ? { polymarket } : {}),
    ...(playground ? { playground } : {}),
    lines,
    workerExited: worker.exited,
    stop: stopAll,
  };
}

/** POST /admin/telegram/webhook, as an operator would after a deploy: the playground gets the webhook and the `/` command menu. */
async function registerWithTelegram(workerUrl: string, adminToken: string, webhookToken: string): Promise<string> {
  try {
    const res = await fetch(`${workerUrl}/admin/telegram/webhook`, { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "x-polycool-webhook-token": webhookToken } });
    const body = (await res.json()) as { commands?: string[]; error?: { message?: string } };
    if (res.ok) return `registered with the playground (${body.commands?.join(" ") ?? ""})`;
    return `registration failed (${body.error?.message ?? `HTTP ${res.status}`}); the \`/\` menu stays empty`;
  } catch (err) {
    return `registration failed (${(err as Error).message})`;
  }
}

/**
 * POST /admin/markets/sync (retried briefly: the Worker may still be warming up) starts the MarketSync
 * workflow; then GET /admin/markets/sync?id= until it is done.
 */
async function syncMarkets(workerUrl: string, adminToken: string): Promise<string> {
  const headers = { authorization: `Bearer ${adminToken}` };
  let last = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await fetch(`${workerUrl}/admin/markets/sync`, { method: "POST", headers });
      const body = (await res.json()) as { id?: string; error?: string | { message?: string } };
      if (res.ok && body.id) return await followSync(workerUrl, headers, body.id);
      last = (typeof body.error === "string" ? body.error : body.error?.message) ?? `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return `sync failed (${last}); the cron retries every 10 minutes`;
}

/** How long npm start waits for the first sync (46,500 markets take a few minutes). */
const SYNC_WAIT_MS = 15 * 60_000;

async function followSync(workerUrl: string, headers: Record<string, string>, id: string): Promise<string> {
  const deadline = Date.now() + SYNC_WAIT_MS;
  for (;;) {
    const res = await fetch(`${workerUrl}/admin/markets/sync?id=${encodeURIComponent(id)}`, { headers });
    const s = (await res.json()) as { status?: string; marketsDone?: number; pages?: number; error?: string | null; startedAt?: string; finishedAt?: string | null };
    if (s.status === "complete") {
      const secs = s.startedAt && s.finishedAt ? ` in ${((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s` : "";
      return `${s.marketsDone ?? 0} active markets synced from Gamma (${s.pages ?? 0} pages${secs})`;
    }
    if (s.status === "failed") return `sync ${id} failed (${s.error ?? "no reason given"}); the cron retries every 10 minutes`;
    if (Date.now() > deadline) return `sync ${id} still running after ${SYNC_WAIT_MS / 60_000} min (${s.marketsDone ?? 0} markets so far): GET /admin/markets/sync shows its progress`;
    await new Promise((r) => setTimeout(r, 250));
  }
}
