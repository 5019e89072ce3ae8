import { startEmbeddedPg } from "../dev/embedded-pg";
import { nodeRequire } from "../dev/node-require";
const pg = nodeRequire("pg") as typeof import("pg");
const db = await startEmbeddedPg();
const n = Number(process.argv[2] ?? 4);
const clients = await Promise.all(Array.from({ length: n }, async () => { const c = new pg.Client({ connectionString: db.url }); await c.connect(); return c; }));
let done = 0; const msgs = new Map<string, number>(); let wrong = 0;
const t = setInterval(() => console.log("progress", done, JSON.stringify([...msgs]), wrong), 3000);
await Promise.all(clients.map(async (c, k) => {
  for (let i = 0; i < 200; i++) {
    try {
      if (k % 2 === 0) await c.query("BEGIN");
      const r = await c.query("SELECT $1::int AS v, $2::text AS who", [i, `c${k}`]);
      if (r.rows[0].v !== i || r.rows[0].who !== `c${k}`) wrong++;
      if (k % 2 === 0) await c.query("COMMIT");
      done++;
    } catch (e) { const m = (e as Error).message; msgs.set(m, (msgs.get(m) ?? 0) + 1); if (k % 2 === 0) await c.query("ROLLBACK").catch(() => undefined); }
  }
}));
clearInterval(t);
console.log("finished", done, JSON.stringify([...msgs]), wrong);
process.exit(0);
