// `npm run chaos` (full) and `npm run chaos -- --short` (CI): the product as `npm start` runs it,
// under socket, database, venue, webhook and concurrency faults; one line per scenario, and a
// non-zero exit naming every invariant that failed. `--only=1,3` runs some scenarios; `--verbose`
// shows progress and the Worker's own output.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startTestDatabase, type TestDatabase } from "../../test/setup/database";
import { setLogSink } from "../../workers/lib/log";
import { nodeRequire } from "../dev/node-require";
import { freePort, type Stack, startStack } from "../start/stack";
import { chaosConfig, type ChaosConfig, describeConfig } from "./config";
import type { Chaos } from "./harness";
import { formatDuration, formatLine, type ScenarioResult, Tally } from "./report";
import { runDatabaseScenario } from "./s2-database";
import { runConcurrencyScenario } from "./s5-concurrency";
import { runSocketScenario } from "./s1-sockets";
import { runVenueScenario } from "./s3-venue";
import { runWebhookScenario } from "./s4-webhook";
import { runStampedeScenario } from "./s6-stampede";
import { MarketPool } from "./seed";

/** A live market is never silent: without a feed the short form's 3 s staleness would flap all the time. */
const HEARTBEAT_FRAMES_PER_S = 40;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ScenarioDeps {
  c: Chaos;
  cfg: ChaosConfig;
  markets: MarketPool;
}

type Scenario = { n: number; name: string; run: (d: ScenarioDeps, t: Tally) => Promise<void> };

/**
 * Scenarios of a group run at the same time. Scenario 2 makes the database unreachable for everyone,
 * so it runs alone; scenario 3 mostly waits (venue timeouts, the 60 s reconciliation grace), so it
 * runs alongside scenario 1, whose market-channel faults it does not touch (its users, markets and
 * orders are its own; the streamer is shared, as in production).
 */
const GROUPS: readonly number[][] = [[1, 3], [2], [4], [5], [6]];

const SCENARIOS: Scenario[] = [
  { n: 1, name: "socket faults", run: runSocketScenario },
  { n: 2, name: "database faults", run: runDatabaseScenario },
  { n: 3, name: "venue faults", run: runVenueScenario },
  { n: 4, name: "webhook abuse", run: runWebhookScenario },
  { n: 5, name: "concurrency", run: runConcurrencyScenario },
  { n: 6, name: "stampede", run: runStampedeScenario },
];

/** `--only=1,3` runs a subset (while working on one scenario); null runs them all. */
function onlyScenarios(args: readonly string[]): Set<number> | null {
  const arg = args.find((a) => a.startsWith("--only="));
  return arg ? new Set(arg.slice("--only=".length).split(",").map(Number)) : null;
}

function machineLine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function databaseLine(db: TestDatabase, stack: Stack): Promise<string> {
  const pg = nodeRequire("pg") as typeof import("pg");
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const version = String((await client.query("SELECT version() AS v")).rows[0].v).split(" on ")[0];
    const name = new URL(db.url).pathname.slice(1);
    return db.kind === "server"
      ? `database: ${version} server at ${db.address} (DATABASE_URL), scratch database ${name} (dropped afterwards); the Worker reaches it through the local Neon WebSocket proxy`
      : `database: embedded ${version} (PGlite, one session; DATABASE_URL not set); the Worker reaches it through the local Neon WebSocket proxy`;
  } finally {
    await client.end();
  }
}

async function runOne(s: Scenario, d: ScenarioDeps, crashed: () => number | null | undefined): Promise<ScenarioResult> {
  const t = new Tally();
  const t0 = Date.now();
  try {
    await s.run(d, t);
  } catch (err) {
    t.fail(`aborted: ${(err as Error).message.split("\n")[0]}`);
  }
  const code = crashed();
  if (code !== undefined) t.fail(`the Worker process exited (code ${code})`);
  return { n: s.n, name: s.name, tally: t, ms: Date.now() - t0 };
}

/** Runs the groups in order and prints each line as soon as every line before it is printed. */
async function runGroups(d: ScenarioDeps, only: Set<number> | null, crashed: () => number | null | undefined): Promise<ScenarioResult[]> {
  const done = new Map<number, ScenarioResult>();
  const wanted = SCENARIOS.filter((s) => only === null || only.has(s.n));
  let printed = 0;
  for (const group of GROUPS) {
    const members = wanted.filter((s) => group.includes(s.n));
    for (const r of await Promise.all(members.map((s) => runOne(s, d, crashed)))) done.set(r.n, r);
    for (; printed < wanted.length && done.has(wanted[printed]!.n); printed++) console.log(formatLine(done.get(wanted[printed]!.n)!));
    if (crashed() !== undefined) break;
  }
  return [...done.values()];
}

async function runAll(cfg: ChaosConfig, verbose: boolean): Promise<boolean> {
  const started = Date.now();
  // Product code run here (wallet generation) logs through workers/lib/log.ts: only with --verbose.
  setLogSink((line) => verbose && console.error(line));
  console.log(machineLine());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-chaos-"));
  const database = await startTestDatabase();
  let stack: Stack | undefined;
  let crashed: number | null | undefined;
  try {
    stack = await startStack({
      root: ROOT, port: await freePort(), dataDir, env: { DATABASE_URL: database.url }, scenario: "quiet",
      marketCount: cfg.marketCount, playgroundPort: 0, quiet: !verbose, extraVars: cfg.workerVars,
    });
    void stack.workerExited.then((code) => (crashed = code));
    console.log(await databaseLine(database, stack));
    console.log(`counts: ${describeConfig(cfg)}`);
    const pg = nodeRequire("pg") as typeof import("pg");
    const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
    // The database scenario restarts Postgres: an idle check connection it cuts is replaced, not fatal.
    db.on("error", (err) => verbose && console.error(`  · check connection lost: ${err.message}`));
    const c: Chaos = {
      stack, pm: stack.polymarket!, botApi: stack.playground!.botApi, db, staleMs: cfg.staleMs, pollMs: cfg.pollMs,
      interruptDatabase: (ms, onDown) => database.interrupt(ms, onDown),
      heartbeat: () => stack!.polymarket!.scenario.start("burst", { perSecond: HEARTBEAT_FRAMES_PER_S }),
      note: (text) => verbose && console.error(`  · ${new Date().toISOString().slice(11, 19)} ${text}`),
    };
    c.heartbeat();
    const markets = await MarketPool.load(c);
    const results = await runGroups({ c, cfg, markets }, onlyScenarios(process.argv.slice(2)), () => crashed);
    const allOk = results.every((r) => r.tally.ok);
    await db.end();
    const failed = results.filter((r) => !r.tally.ok).map((r) => r.n).sort();
    console.log(`${allOk ? "chaos: every invariant held" : `chaos: FAILED in scenario ${failed.join(", ")}`} · ${cfg.form} form in ${formatDuration(Date.now() - started)}`);
    return allOk;
  } finally {
    await stack?.stop();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cfg = chaosConfig(args);
  const verbose = args.includes("--verbose") || process.env.CHAOS_VERBOSE === "1";
  try {
    process.exitCode = (await runAll(cfg, verbose)) ? 0 : 1;
  } catch (err) {
    console.error(`chaos: could not run: ${(err as Error).message.split("\n")[0]}`);
    process.exitCode = 2;
  }
  // Timers of the in-process stand-ins must not keep a finished run alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
}

void main();
