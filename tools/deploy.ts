// `npm run deploy`: migrations to DATABASE_URL (Neon), secrets checked, `wrangler deploy`, then the
// Telegram webhook registered. `npm run deploy -- --dry-run` does all it can without Cloudflare:
// migrations to DATABASE_URL (any Postgres), and the bundle built by `wrangler deploy --dry-run`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./dev/migrate";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Secrets the Worker refuses to start without (contract.md); set with `wrangler secret put NAME`. */
export const REQUIRED_SECRETS = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DATABASE_URL", "ADMIN_TOKEN", "ADMIN_WEBHOOK_TOKEN", "WALLET_ENCRYPTION_KEY"] as const;

function fail(line: string): never {
  console.error(`deploy: ${line}`);
  process.exit(1);
}

function run(args: string[], capture = false): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), ...args], {
      cwd: ROOT,
      stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

async function checkSecrets(): Promise<void> {
  const { code, out } = await run(["secret", "list", "--format", "json"], true);
  if (code !== 0) fail("could not list the Worker's secrets (is `wrangler login` done, or CLOUDFLARE_API_TOKEN set?)");
  let names: string[];
  try {
    names = (JSON.parse(out) as { name: string }[]).map((s) => s.name);
  } catch {
    fail("wrangler secret list did not answer JSON");
  }
  const missing = REQUIRED_SECRETS.filter((s) => !names.includes(s));
  if (missing.length) fail(`missing secret(s): ${missing.join(", ")} — set each with \`npx wrangler secret put NAME\``);
  console.log(`deploy: secrets present (${REQUIRED_SECRETS.join(", ")})`);
}

async function registerWebhook(workerUrl: string): Promise<void> {
  const token = process.env.ADMIN_TOKEN;
  const second = process.env.ADMIN_WEBHOOK_TOKEN;
  if (!token || !second) fail("ADMIN_TOKEN and ADMIN_WEBHOOK_TOKEN must be set in the environment to register the Telegram webhook");
  const res = await fetch(`${workerUrl.replace(/\/$/, "")}/admin/telegram/webhook`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-polycool-webhook-token": second, "content-type": "application/json" },
    body: JSON.stringify({ url: `${workerUrl.replace(/\/$/, "")}/telegram/webhook` }),
  });
  if (!res.ok) fail(`webhook registration answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  console.log("deploy: Telegram webhook and command list registered");
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes("--dry-run");
  const url = process.env.DATABASE_URL;
  if (!url) fail("DATABASE_URL is missing: the Neon connection string migrations are applied to");
  await applyMigrations(url).catch((err: Error) => fail(`migrations failed: ${err.message}`));
  console.log("deploy: migrations applied");
  if (dryRun) {
    const { code } = await run(["deploy", "--dry-run", "--outdir", "dist"]);
    if (code !== 0) fail("wrangler deploy --dry-run failed");
    console.log("deploy: dry run complete (bundle in dist/; secrets, upload and webhook skipped)");
    return;
  }
  await checkSecrets();
  const { code, out } = await run(["deploy"], true);
  if (code !== 0) fail("wrangler deploy failed");
  const workerUrl = process.env.WORKER_URL ?? /https:\/\/[\w.-]+\.workers\.dev/.exec(out)?.[0];
  if (!workerUrl) fail("deployed, but could not tell the Worker's URL: set WORKER_URL and run `npm run deploy` again to register the webhook");
  await registerWebhook(workerUrl);
}

void main();
