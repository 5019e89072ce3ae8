// Dev tool: serves one PGlite database to many TCP clients over the Postgres wire protocol.
//
// PGlite is a single Postgres backend (one session), so clients must take turns. pglite-socket
// queues each protocol message on its own, which lets concurrent clients interleave the messages
// of their extended-protocol queries (Parse, Bind, Execute, Sync): one client's Bind then runs
// another's statement, an error discards the other client's messages until Sync, and clients hang
// or read wrong rows. Under the chaos suite's load that broke price flushes and stalled webhooks.
//
// Here the unit of turn-taking is a client's batch up to its Sync (or a simple Query), and a
// client that leaves a transaction open (or a batch without Sync) keeps the backend until it ends
// it or disconnects; a client that disconnects mid-way has its batch synced and its transaction
// rolled back, so the next client starts clean.
import { createServer, type Server, type Socket } from "node:net";

/** The part of PGlite this server needs. */
export interface PgliteLike {
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  isInTransaction(): boolean;
  exec(sql: string): Promise<unknown>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Messages that end a client's batch: Sync, simple Query, Flush (the client waits for answers). */
const BATCH_END = new Set(["S", "Q", "H"]);
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

interface Client {
  id: number;
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Uint8Array[];
  /** Sent extended-protocol messages not yet followed by a Sync. */
  unsynced: boolean;
  closed: boolean;
}

type Turn = { client: Client; messages: Uint8Array[] } | { client: Client; cleanup: true };

export interface PgliteServer {
  port: number;
  /** Open client connections. */
  clients(): number;
  stop(): Promise<void>;
}

export async function servePglite(db: PgliteLike, opts: { host?: string; port?: number; maxConnections?: number } = {}): Promise<PgliteServer> {
  const clients = new Set<Client>();
  const turns: Turn[] = [];
  /** The client holding the backend (open transaction or unsynced batch), if any. */
  let owner: Client | null = null;
  let pumping = false;
  /** Settles when the current pump has nothing left to run. */
  let pumped: Promise<void> = Promise.resolve();
  let nextId = 1;

  const write = (c: Client, data: Uint8Array) => {
    if (!c.closed && c.socket.writable && data.length) c.socket.write(data);
  };

  async function run(turn: Turn): Promise<void> {
    const c = turn.client;
    if ("cleanup" in turn) {
      // The client left mid-way: end its batch and its transaction so nobody inherits them.
      await db.runExclusive(async () => {
        if (c.unsynced) await db.execProtocolRawStream(SYNC, { onRawData: () => undefined });
      });
      if (db.isInTransaction()) await db.exec("ROLLBACK");
      c.unsynced = false;
      return;
    }
    await db.runExclusive(async () => {
      for (const m of turn.messages) {
        await db.execProtocolRawStream(m, { onRawData: (d) => write(c, d) });
        const type = String.fromCharCode(m[0]!);
        if (type === "S") c.unsynced = false;
        else if (m.length >= 5 && "PBDECH".includes(type)) c.unsynced = true;
      }
    });
  }

  function pump(): Promise<void> {
    if (pumping) return pumped;
    pumping = true;
    pumped = drain();
    return pumped;
  }

  async function drain(): Promise<void> {
    try {
      for (;;) {
        const i = owner ? turns.findIndex((t) => t.client === owner) : 0;
        if (i < 0 || turns.length === 0) break;
        const turn = turns.splice(i, 1)[0]!;
        if (turn.client.closed && !("cleanup" in turn)) continue;
        try {
          await run(turn);
        } catch (err) {
          turn.client.socket.destroy(err as Error);
        }
        const c = turn.client;
        owner = !("cleanup" in turn) && !c.closed && (c.unsynced || db.isInTransaction()) ? c : null;
      }
    } finally {
      pumping = false;
    }
  }

  function enqueue(turn: Turn, first = false): void {
    if (first) turns.unshift(turn);
    else turns.push(turn);
    void pump();
  }

  function onData(c: Client, chunk: Buffer): void {
    c.buffer = c.buffer.length ? Buffer.concat([c.buffer, chunk]) : chunk;
    for (;;) {
      if (!c.started) {
        if (c.buffer.length < 8) return;
        const len = c.buffer.readInt32BE(0);
        if (c.buffer.length < len) return;
        const code = c.buffer.readInt32BE(4);
        const msg = new Uint8Array(c.buffer.subarray(0, len));
        c.buffer = c.buffer.subarray(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          c.socket.write("N"); // no TLS on loopback; the client goes on in plain text
          continue;
        }
        if (code === CANCEL_REQUEST) {
          c.socket.end(); // not supported; the query runs to its end
          return;
        }
        c.started = true;
        enqueue({ client: c, messages: [msg] });
        continue;
      }
      if (c.buffer.length < 5) return;
      const total = 1 + c.buffer.readInt32BE(1);
      if (c.buffer.length < total) return;
      const msg = new Uint8Array(c.buffer.subarray(0, total));
      c.buffer = c.buffer.subarray(total);
      const type = String.fromCharCode(msg[0]!);
      if (type === "X") {
        c.socket.end();
        return;
      }
      c.pending.push(msg);
      if (BATCH_END.has(type)) {
        enqueue({ client: c, messages: c.pending });
        c.pending = [];
      }
    }
  }

  function onClose(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    clients.delete(c);
    for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.client === c) turns.splice(i, 1);
    if (owner === c) enqueue({ client: c, cleanup: true }, true);
  }

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    if (clients.size >= (opts.maxConnections ?? 200)) {
      socket.end("Too many connections\n");
      return;
    }
    const c: Client = { id: nextId++, socket, buffer: Buffer.alloc(0), started: false, pending: [], unsynced: false, closed: false };
    clients.add(c);
    socket.on("data", (chunk) => onData(c, chunk));
    socket.on("error", () => onClose(c));
    socket.on("close", () => onClose(c));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    clients: () => clients.size,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of clients) c.socket.destroy();
      await closed;
      // Every client is gone: let the rollbacks of the transactions they left open run out.
      for (let i = turns.length - 1; i >= 0; i--) if (!("cleanup" in turns[i]!)) turns.splice(i, 1);
      owner = null;
      while (pumping || turns.length) await pump();
    },
  };
}
