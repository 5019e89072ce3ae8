// `npm start`: the whole product on this machine. Each part runs on an embedded default unless
// its setting names the real one (contract.md). Ctrl-C stops everything it started.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseSettings, SettingsError } from "../../workers/env";
import { startEmbeddedPg } from "../dev/embedded-pg";
import { applyMigrations } from "../dev/migrate";
import { startPgWsProxy } from "../dev/pg-ws-proxy";
import { loadLocalSecrets } from "./local-secrets";
import { startWranglerDev, waitForHttp } from "./wrangler-dev";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DATA_DIR = path.join(ROOT, ".data");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function fail(line: string): never {
  console.error(`polycool: ${line}`);
  process.exit(1);
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 8787;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`setting PORT is malformed: must be a port number (got "${raw}")`);
  return n;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const env = process.env;
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const secrets = loadLocalSecrets(DATA_DIR);
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\npolycool: stopping…");
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  // Validate what the user gave before starting anything (one clear line per problem).
  const given = {
    ...secrets,
    DATABASE_URL: env.DATABASE_URL || "postgres://embedded@127.0.0.1:1/postgres",
    ...Object.fromEntries(Object.entries(env).filter(([k]) => /^(TELEGRAM_|CLOB_|GAMMA_|STREAMER_|TRADING_|ADMIN_TOKEN|WALLET_ENCRYPTION_KEY|PAPER_)/.test(k))),
  };
  try {
    parseSettings(given);
  } catch (err) {
    if (err instanceof SettingsError) fail(err.message);
    throw err;
  }

  const lines: string[] = [];
  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPg({ dataDir: path.join(DATA_DIR, "pglite"), port: await freePort() });
      stops.push(pg.stop);
      databaseUrl = pg.url;
      lines.push(`database      embedded Postgres (PGlite) at ${pg.url.replace(/:[^:@/]+@/, ":***@")}, data in .data/pglite`);
    } else {
      lines.push(`database      ${databaseUrl.replace(/:[^:@/]+@/, ":***@")} (DATABASE_URL)`);
    }
    await applyMigrations(databaseUrl);
    lines.push("migrations    applied");
    const dbUrl = new URL(databaseUrl);
    const proxy = await startPgWsProxy({ allow: [`${dbUrl.hostname}:${dbUrl.port || 5432}`] });
    stops.push(proxy.close);
    lines.push(`neon proxy    ws://127.0.0.1:${proxy.port} (the Worker's driver reaches Postgres through it)`);

    const vars: Record<string, string> = {
      ...secrets,
      ...(given as Record<string, string>),
      DATABASE_URL: databaseUrl,
      NEON_WS_PROXY: `127.0.0.1:${proxy.port}`,
    };
    const worker = await startWranglerDev({ root: ROOT, port, vars, dataDir: DATA_DIR });
    stops.push(worker.stop);
    void worker.exited.then((code) => {
      if (!stopping) {
        console.error(`polycool: the Worker exited (code ${code})`);
        void stopAll(1);
      }
    });
    await waitForHttp(`${worker.url}/healthz`, 60_000, worker.exited);
    lines.push(`worker        ${worker.url}  (GET /healthz, /admin/* with the admin token)`);
    lines.push(`admin token   ${vars.ADMIN_TOKEN}`);
    console.log(["", "polycool is running:", ...lines.map((l) => `  ${l}`), "", "Ctrl-C stops everything.", ""].join("\n"));
  } catch (err) {
    console.error(`polycool: ${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
