// Runs the Worker and its streamer under `wrangler dev`, with settings passed in an env file.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { WranglerOutputFilter } from "./output-filter";

export interface WranglerDev {
  url: string;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export interface WranglerDevOptions {
  root: string;
  port: number;
  vars: Record<string, string>;
  dataDir: string;
  /** Where wrangler's output goes (the terminal by default). */
  quiet?: boolean;
  /** Show every request line (default: only failed requests). */
  logRequests?: boolean;
}

export async function startWranglerDev(opts: WranglerDevOptions): Promise<WranglerDev> {
  const envFile = path.join(opts.dataDir, "wrangler.env");
  const lines = Object.entries(opts.vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  fs.writeFileSync(envFile, lines.join("\n") + "\n", { mode: 0o600 });
  const wranglerJs = path.join(opts.root, "node_modules/wrangler/bin/wrangler.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerJs,
      "dev",
      "--ip", "127.0.0.1",
      "--port", String(opts.port),
      "--env-file", envFile,
      "--persist-to", path.join(opts.dataDir, "wrangler"),
      "--show-interactive-dev-session=false",
      "--inspector-port", "0",
      "--log-level", "info",
    ],
    {
      cwd: opts.root,
      stdio: ["ignore", opts.quiet ? "ignore" : "pipe", opts.quiet ? "ignore" : "pipe"],
      // Own process group, so stopping kills wrangler and workerd together.
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
  const filter = new WranglerOutputFilter({ logRequests: opts.logRequests ?? false });
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (line) => {
      for (const shown of filter.line(line)) out.write(`${shown}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${opts.port}`;
  return {
    url,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200 or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  let last = "";
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(gone ? `the Worker exited before ${url} answered` : `${url} did not answer in time (${last})`);
}
