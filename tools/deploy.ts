// `npm run deploy`: prints a checklist of what it verified and refuses on a failed item (issue #24):
// the database URL's kind, secrets' strength, the Worker's URL, placement, the bot's username (getMe,
// stored with the deploy), migrations applied, secrets present in Cloudflare; then `wrangler deploy`,
// the webhook registered and pinned to WORKER_URL, and where the deployed Worker says it runs.
// `npm run deploy -- --dry-run` checks what needs no Cloudflare account and builds the bundle.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Check, databaseUrlCheck, formatCheck, placementCheck, secretStrengthCheck, workerUrlCheck } from "./deploy-checks";
import { rotateKeys } from "./rotate-keys";
import { applyMigrations, MIGRATIONS_DIR } from "./dev/migrate";
import { nodeRequire } from "./dev/node-require";
import { botUsername } from "./telegram/get-me";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Secrets the Worker refuses to start without (contract.md); set with `wrangler secret put NAME`. */
export const REQUIRED_SECRETS = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DATABASE_URL", "ADMIN_TOKEN", "ADMIN_WEBHOOK_TOKEN", "WALLET_ENCRYPTION_KEY"] as const;

const checks: Check[] = [];
function record<T extends Check>(c: T): T {
  checks.push(c);
  console.log(formatCheck(c));
  return c;
}
/** Stops with one line naming what failed, before anything further is done. */
function refuseOnFailure(stage: string): void {
  const failed = checks.filter((c) => c.status === "failed");
  if (!failed.length) return;
  console.error(`deploy: refused ${stage}: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
  process.exit(1);
}

function wrangler(args: string[], capture = false): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), ...args], {
      cwd: ROOT,
      stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

async function botCheck(dryRun: boolean): Promise<Check & { username?: string }> {
  const token = process.env.TELEGRAM_BOT_TOKEN;
  const name = "bot username";
  if (!token) return { name, status: dryRun ? "skipped" : "failed", detail: "TELEGRAM_BOT_TOKEN is not in this environment: it is needed to ask getMe for the username" };
  try {
    const username = await botUsername(token, process.env.TELEGRAM_API_ROOT);
    return { name, status: "ok", detail: `@${username} (from getMe; deployed as TELEGRAM_BOT_USERNAME)`, username };
  } catch (err) {
    return { name, status: "failed", detail: (err as Error).message };
  }
}

async function migrationsCheck(url: string): Promise<Check> {
  const name = "migrations";
  try {
    await applyMigrations(url);
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
    const pg = nodeRequire("pg") as typeof import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM drizzle.__drizzle_migrations");
      const applied = Number(r.rows[0]!.n);
      if (applied < journal.entries.length) return { name, status: "failed", detail: `${applied} of ${journal.entries.length} recorded after migrating` };
      return { name, status: "ok", detail: `applied (${applied} of ${journal.entries.length} in drizzle.__drizzle_migrations)` };
    } finally {
      await client.end();
    }
  } catch (err) {
    return { name, status: "failed", detail: `migrations failed: ${(err as Error).message}` };
  }
}

async function secretsPresentCheck(): Promise<Check> {
  const name = "secrets present";
  const { code, out } = await wrangler(["secret", "list", "--format", "json"], true);
  if (code !== 0) return { name, status: "failed", detail: "could not list the Worker's secrets (is `wrangler login` done, or CLOUDFLARE_API_TOKEN set?)" };
  let names: string[] = [];
  try {
    names = (JSON.parse(out) as { name: string }[]).map((s) => s.name);
  } catch {
    return { name, status: "failed", detail: "wrangler secret list did not answer JSON" };
  }
  const missing = REQUIRED_SECRETS.filter((s) => !names.includes(s));
  if (missing.length) return { name, status: "failed", detail: `missing: ${missing.join(", ")} (set each with \`npx wrangler secret put NAME\`)` };
  return { name, status: "ok", detail: REQUIRED_SECRETS.join(", ") };
}

/** Registers the webhook through the Worker, then asks Telegram where it points. */
async function webhookCheck(workerUrl: string): Promise<Check> {
  const name = "webhook pinned";
  const token = process.env.ADMIN_TOKEN;
  const second = process.env.ADMIN_WEBHOOK_TOKEN;
  if (!token || !second) return { name, status: "failed", detail: "ADMIN_TOKEN and ADMIN_WEBHOOK_TOKEN must be in the environment to register the webhook" };
  const want = `${workerUrl}/telegram/webhook`;
  const res = await fetch(`${workerUrl}/admin/telegram/webhook`, { method: "POST", headers: { authorization: `Bearer ${token}`, "x-polycool-webhook-token": second, "content-type": "application/json" }, body: JSON.stringify({ url: want }) }).catch((e: Error) => e);
  if (res instanceof Error || !res.ok) return { name, status: "failed", detail: `registering answered ${res instanceof Error ? res.message : `HTTP ${res.status}`}` };
  const api = (process.env.TELEGRAM_API_ROOT ?? "https://api.telegram.org").replace(/\/$/, "");
  const info = (await (await fetch(`${api}/bot${process.env.TELEGRAM_BOT_TOKEN}/getWebhookInfo`)).json().catch(() => null)) as { result?: { url?: string } } | null;
  const got = info?.result?.url;
  return got === want ? { name, status: "ok", detail: `Telegram delivers to ${want}` } : { name, status: "failed", detail: `Telegram delivers to ${got ?? "(unknown)"}, not ${want}` };
}

/** What the deployed Worker says about where it runs (its /healthz `placement`, once the lead's route carries it). */
async function whereItRunsCheck(workerUrl: string): Promise<Check> {
  const name = "where it runs";
  const body = (await (await fetch(`${workerUrl}/healthz`)).json().catch(() => null)) as { placement?: { colo?: string; polymarket?: { access?: string; country?: string } } } | null;
  const p = body?.placement;
  if (!p) return { name, status: "skipped", detail: "/healthz carries no placement yet: look for the `placement` log line" };
  const access = p.polymarket?.access ?? "unknown";
  const detail = `colo ${p.colo ?? "?"}, Polymarket sees ${p.polymarket?.country ?? "?"}: ${access}`;
  return { name, status: access === "allowed" ? "ok" : "failed", detail: access === "allowed" ? detail : `${detail} — move [placement] / STREAMER_LOCATION_HINT` };
}

/**
 * The data half of the envelope migration: wallet secrets sealed before envelopes bound the Telegram
 * id (v1) are re-sealed as v2 under the current key. It needs the key, which only the deploy's
 * environment can hold (a SQL migration cannot decrypt); resumable and safe while trading.
 */
async function envelopesCheck(url: string): Promise<Check> {
  const name = "envelopes";
  if (!process.env.WALLET_ENCRYPTION_KEY) return { name, status: "skipped", detail: "WALLET_ENCRYPTION_KEY is not in this environment: run `npm run rotate-keys` to re-seal older envelopes" };
  try {
    const r = await rotateKeys({ ...process.env, DATABASE_URL: url }, () => undefined);
    if (r.failed.length) return { name, status: "failed", detail: `${r.failed.length} users' envelopes open with no key given (set WALLET_ENCRYPTION_KEY_PREVIOUS)` };
    return { name, status: r.remaining === 0 ? "ok" : "failed", detail: `${r.rotated} re-sealed (bound to the users row and its Telegram id), ${r.remaining} left` };
  } catch (err) {
    return { name, status: "failed", detail: (err as Error).message };
  }
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes("--dry-run");
  console.log(`deploy: checklist${dryRun ? " (dry run: nothing is uploaded)" : ""}`);
  const db = record(databaseUrlCheck(process.env.DATABASE_URL));
  record(secretStrengthCheck(process.env));
  const worker = record(workerUrlCheck(process.env.WORKER_URL, !dryRun));
  record(placementCheck(fs.readFileSync(path.join(ROOT, "wrangler.toml"), "utf8")));
  const bot = record(await botCheck(dryRun));
  refuseOnFailure("before migrating");
  record(await migrationsCheck(db.migrationUrl!));
  refuseOnFailure("after migrating");
  console.log("deploy: migrations applied");
  record(await envelopesCheck(db.migrationUrl!));
  refuseOnFailure("after re-sealing");
  const vars = bot.username ? ["--var", `TELEGRAM_BOT_USERNAME:${bot.username}`] : [];
  if (dryRun) {
    const { code } = await wrangler(["deploy", "--dry-run", "--outdir", "dist", ...vars]);
    if (code !== 0) refuseWith("wrangler deploy --dry-run failed");
    console.log("deploy: dry run complete (bundle in dist/; secrets, upload and webhook skipped)");
    return;
  }
  record(await secretsPresentCheck());
  refuseOnFailure("before uploading");
  const { code } = await wrangler(["deploy", ...vars]);
  if (code !== 0) refuseWith("wrangler deploy failed");
  record(await webhookCheck(worker.url!));
  record(await whereItRunsCheck(worker.url!));
  refuseOnFailure("after uploading (the new Worker is live)");
  console.log("deploy: done");
}

function refuseWith(line: string): never {
  console.error(`deploy: ${line}`);
  process.exit(1);
}

void main();
