// `npm start`: the whole product on this machine (contract.md). Each part runs on an embedded
// default unless its setting names the real one. Ctrl-C stops everything it started.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SettingsError } from "../../workers/env";
import { SCENARIO_KINDS, type ScenarioKind } from "../local-polymarket/scenario";
import { lockDataDir } from "./data-lock";
import { startStack } from "./stack";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function fail(line: string): never {
  console.error(`polycool: ${line}`);
  process.exit(1);
}

function parsePort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`setting ${name} is malformed: must be a port number (got "${raw}")`);
  return n;
}

/** Polymarket's size in 2026: the `scale` scenario generates this many markets beside the catalogue. */
const SCALE_MARKETS = 46_500;

/** POLYMARKET_SCENARIO: how prices move, or `scale` (calm prices over Polymarket's 46,500 markets). */
function parseScenario(): { scenario: ScenarioKind; marketCount?: number; scale?: boolean } {
  const raw = process.env.POLYMARKET_SCENARIO;
  if (raw === undefined || raw.trim() === "") return { scenario: "calm" };
  if (raw === "scale") return { scenario: "calm", marketCount: SCALE_MARKETS, scale: true };
  if (!SCENARIO_KINDS.includes(raw as ScenarioKind)) fail(`setting POLYMARKET_SCENARIO is malformed: use one of ${[...SCENARIO_KINDS, "scale"].join(", ")} (got "${raw}")`);
  return { scenario: raw as ScenarioKind };
}

async function main(): Promise<void> {
  const port = parsePort("PORT", 8787);
  const playgroundPort = parsePort("PLAYGROUND_PORT", 8788);
  const catalogue = parseScenario();
  const logRequests = ["1", "true"].includes(process.env.LOG_REQUESTS ?? "");
  const dataDir = process.env.DATA_DIR?.trim() ? path.resolve(process.env.DATA_DIR) : path.join(ROOT, ".data");
  const rawNew = process.env.POLYMARKET_NEW_ACCOUNTS?.trim() ?? "";
  if (!["", "0", "1", "true", "false"].includes(rawNew)) fail(`setting POLYMARKET_NEW_ACCOUNTS is malformed: use 1 or 0 (got "${rawNew}")`);
  // On by default: the local Polymarket treats every account as one created today (deposit wallets only), as the live venue does.
  const newAccounts = !["0", "false"].includes(rawNew);
  if (process.env.POLYMARKET && !["live", "local"].includes(process.env.POLYMARKET)) fail(`setting POLYMARKET is malformed: use "live" or leave it unset (got "${process.env.POLYMARKET}")`);
  try {
    lockDataDir(dataDir);
  } catch (err) {
    fail((err as Error).message);
  }
  console.log("polycool: starting…");
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({ root: ROOT, port, dataDir, env: process.env, persistDatabase: true, playgroundPort, ...catalogue, logRequests, newAccounts });
  } catch (err) {
    if (err instanceof SettingsError) fail(err.message);
    fail((err as Error).message.split("\n")[0]!);
  }
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\npolycool: stopping…");
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  void stack.workerExited.then((code) => {
    if (!stopping) {
      console.error(`polycool: the Worker exited (code ${code})`);
      void stop(1);
    }
  });
  console.log(["", "polycool is running:", ...stack.lines.map((l) => `  ${l}`), "", "Ctrl-C stops everything.", ""].join("\n"));
}

void main();
