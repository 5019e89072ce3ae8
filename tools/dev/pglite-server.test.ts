// The embedded Postgres server under concurrency: many clients' parameterised queries, transactions
// and clients that vanish mid-transaction, all against one real PGlite backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import pg from "pg";
import { parse, serialize } from "pg-protocol";
import { startEmbeddedPg, type EmbeddedPg } from "./embedded-pg";

let embedded: EmbeddedPg;

beforeAll(async () => {
  embedded = await startEmbeddedPg();
  const c = new pg.Client({ connectionString: embedded.url });
  await c.connect();
  await c.query("CREATE TABLE acct (id int PRIMARY KEY, balance numeric NOT NULL)");
  await c.query("INSERT INTO acct SELECT g, 0 FROM generate_series(1, 8) g");
  await c.end();
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
});

const client = async () => {
  const c = new pg.Client({ connectionString: embedded.url });
  await c.connect();
  return c;
};

/** A raw protocol client, to send a query's messages in separate writes as a proxy may. */
async function rawClient(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise((r) => socket.once("connect", r));
  const seen: { name: string; fields?: unknown[] }[] = [];
  let onReady: (() => void) | undefined;
  void parse(socket, (msg) => {
    seen.push(msg as { name: string; fields?: unknown[] });
    if (msg.name === "readyForQuery") onReady?.();
  });
  const ready = () => new Promise<void>((r) => (onReady = r));
  const started = ready();
  socket.write(serialize.startup({ user: "postgres", database: "postgres" }));
  await started;
  return { socket, seen, ready };
}

describe("embedded Postgres server", () => {
  it("keeps a query whose messages arrive in several writes whole while another client queries", async () => {
    const a = await rawClient(embedded.port);
    const b = await rawClient(embedded.port);
    try {
      a.seen.length = 0;
      a.socket.write(Buffer.concat([serialize.parse({ text: "SELECT $1::text AS v" }), serialize.bind({ values: ["from A"] })]));
      await new Promise((r) => setTimeout(r, 50));
      const bDone = b.ready();
      b.socket.write(Buffer.concat([serialize.parse({ text: "SELECT $1::text AS v" }), serialize.bind({ values: ["from B"] }), serialize.describe({ type: "P" }), serialize.execute(), serialize.sync()]));
      await bDone;
      const aDone = a.ready();
      a.socket.write(Buffer.concat([serialize.describe({ type: "P" }), serialize.execute(), serialize.sync()]));
      await aDone;
      expect(a.seen.filter((m) => m.name === "error")).toEqual([]);
      expect(a.seen.filter((m) => m.name === "dataRow").map((m) => m.fields)).toEqual([["from A"]]);
      expect(b.seen.filter((m) => m.name === "dataRow").map((m) => m.fields)).toEqual([["from B"]]);
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
  });

  it("answers every client its own rows when parameterised queries from 16 clients interleave", async () => {
    const clients = await Promise.all(Array.from({ length: 16 }, client));
    try {
      const results = await Promise.all(
        clients.flatMap((c, ci) =>
          Array.from({ length: 25 }, async (_, qi) => {
            const r = await c.query<{ a: number; b: string }>("SELECT $1::int AS a, $2::text AS b", [ci * 1000 + qi, `client ${ci} query ${qi}`]);
            return r.rows[0]!.a === ci * 1000 + qi && r.rows[0]!.b === `client ${ci} query ${qi}`;
          }),
        ),
      );
      expect(results.filter((ok) => !ok)).toHaveLength(0);
      expect(results).toHaveLength(400);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }, 60_000);

  it("keeps a failing query's error to its own client", async () => {
    const [good, bad] = [await client(), await client()];
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? bad.query("SELECT 1 / $1::int AS x", [0]) : good.query("SELECT $1::int + 1 AS x", [i]))),
      );
      outcomes.forEach((o, i) => {
        if (i % 2) expect(o.status).toBe("rejected");
        else expect(o.status === "fulfilled" && o.value.rows[0].x).toBe(i + 1);
      });
    } finally {
      await Promise.all([good.end(), bad.end()]);
    }
  });

  it("runs concurrent read-modify-write transactions one after another: no update is lost", async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, client));
    try {
      await Promise.all(
        clients.map(async (c) => {
          for (let i = 0; i < 10; i++) {
            await c.query("BEGIN");
            const r = await c.query<{ balance: string }>("SELECT balance FROM acct WHERE id = $1", [1]);
            await c.query("UPDATE acct SET balance = $1 WHERE id = $2", [String(Number(r.rows[0]!.balance) + 1), 1]);
            await c.query("COMMIT");
          }
        }),
      );
      const check = await client();
      const r = await check.query<{ balance: string }>("SELECT balance FROM acct WHERE id = 1");
      await check.end();
      expect(r.rows[0]!.balance).toBe("80");
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }, 60_000);

  it("rolls back the transaction of a client that disconnects inside it, and serves the others", async () => {
    const [leaver, other] = [await client(), await client()];
    leaver.on("error", () => undefined);
    await leaver.query("BEGIN");
    await leaver.query("UPDATE acct SET balance = 999 WHERE id = $1", [2]);
    const waiting = other.query<{ balance: string }>("SELECT balance FROM acct WHERE id = $1", [2]);
    (leaver as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const r = await waiting;
    expect(r.rows[0]!.balance).toBe("0");
    await other.end();
  });
});
