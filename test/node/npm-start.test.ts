// `npm start`'s stack with no settings: the Worker under wrangler answers /healthz, the admin route
// synced the local Polymarket into `markets`, and the operator's SQL (mission.md) runs on its database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeRequire } from "../../tools/dev/node-require";
import { freePort, type Stack, startStack } from "../../tools/start/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
let stack: Stack;
let dataDir: string;
let startedInMs = 0;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "polycool-start-"));
  const t0 = Date.now();
  stack = await startStack({ root: ROOT, port: await freePort(), dataDir, env: {}, scenario: "quiet", playgroundPort: 0, quiet: true });
  startedInMs = Date.now() - t0;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start with no settings", () => {
  it("answers GET /healthz with 200 within 60 s", async () => {
    expect(startedInMs).toBeLessThan(60_000);
    const res = await fetch(`${stack.workerUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("synced every active market of the local Polymarket through POST /admin/markets/sync", async () => {
    const active = stack.polymarket!.markets().filter((m) => !m.closed).length;
    expect(stack.lines.join("\n")).toContain(`markets      ${active} active markets synced from Gamma`);
    const again = await fetch(`${stack.workerUrl}/admin/markets/sync`, { method: "POST", headers: { authorization: `Bearer ${stack.adminToken}` } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, count: active });
  });

  it("runs the operator's SQL checks as written", async () => {
    const pg = nodeRequire("pg") as typeof import("pg");
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const [m] = stack.polymarket!.markets();
      const one = await client.query(`SELECT source, outcome_prices, updated_at FROM markets WHERE id = '${m!.id}' ORDER BY updated_at DESC LIMIT 1`);
      expect(one.rows[0]).toMatchObject({ source: "gamma" });
      await client.query("SELECT id, source, updated_at, outcome_prices FROM markets WHERE source = 'ws' ORDER BY updated_at DESC LIMIT 5");
      await client.query("SELECT id, market_id, current_price, pnl_amount, updated_at FROM positions WHERE status = 'active' ORDER BY updated_at DESC LIMIT 5");
    } finally {
      await client.end();
    }
  });

  it("keeps the admin routes behind the token", async () => {
    expect((await fetch(`${stack.workerUrl}/admin/anything`)).status).toBe(401);
    expect((await fetch(`${stack.workerUrl}/admin/streamer`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).status).toBe(200);
  });
});
