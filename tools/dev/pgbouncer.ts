// Dev/CI tool: a real PgBouncer in transaction mode (Debian package `pgbouncer`) in front of a
// Postgres server, the way Neon's `-pooler` host serves it, so tests can run the product through it
// (TEST_PGBOUNCER=1, see test/setup/database.ts and .ci/run).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";

/**
 * Server connections per (database, user): few on purpose, so clients really share sessions, as on
 * Neon, and a session-level setting would show up on a stranger's connection. Not 1: code holding a
 * transaction while another connection waits would then queue behind itself.
 */
const POOL_SIZE = 4;

export interface PgBouncer {
  port: number;
  /** `url` (a Postgres server URL) with its host and port replaced by the pooler's. */
  urlFor(url: string): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number, exited: () => string | null): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    const why = exited();
    if (why !== null) throw new Error(`pgbouncer exited before listening: ${why}`);
    if (Date.now() > deadline) throw new Error("pgbouncer did not listen within 10 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts PgBouncer (transaction mode, trust auth) forwarding every database name to `server`. */
export async function startPgBouncer(serverUrl: string): Promise<PgBouncer> {
  if (!fs.existsSync(PGBOUNCER_BIN)) throw new Error(`${PGBOUNCER_BIN} not found: apt-get install -y pgbouncer (or set PGBOUNCER_BIN)`);
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || "postgres");
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-pgbouncer-"));
  fs.chmodSync(dir, 0o755); // readable by the unprivileged user pgbouncer drops to when started as root
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(server.password)}"\n`, { mode: 0o644 });
  const ini = [
    "[databases]",
    `* = host=${server.hostname} port=${server.port || 5432}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = trust",
    `auth_file = ${path.join(dir, "users.txt")}`,
    "pool_mode = transaction",
    `default_pool_size = ${POOL_SIZE}`,
    "max_client_conn = 500",
    // node-postgres sends these in its startup packet; PgBouncer refuses unknown parameters.
    "ignore_startup_parameters = extra_float_digits,options",
    "log_connections = 0",
    "log_disconnections = 0",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "pgbouncer.ini"), `${ini}\n`, { mode: 0o644 });
  // PgBouncer refuses to run as root; CI runs as root, so it drops to `nobody`.
  const asRoot = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
  const child = spawn(PGBOUNCER_BIN, [...asRoot, path.join(dir, "pgbouncer.ini")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let exit: string | null = null;
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.on("exit", (code, signal) => (exit = `${code ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`));
  const stop = async () => {
    if (exit === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM"); // immediate shutdown: clients are gone or going
      await gone;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, Date.now() + 10_000, () => exit);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    stop,
  };
}
