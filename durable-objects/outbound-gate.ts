// The streamer's outbound connection budget: a Durable Object may have six connections waiting for
// response headers at once (Cloudflare Workers limits), and workerd does not enforce it locally. Every
// fetch the object makes (polling and cross-check books, order posts, Telegram) goes through this gate,
// so a stampede of fires queues here, in order, instead of on the runtime. (Postgres rides the pool's
// long-lived WebSockets, at most DB_POOL_MAX, which wait for headers only while they open.)
export const OUTBOUND_LIMIT = 6;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class OutboundGate {
  active = 0;
  peak = 0;
  queuedPeak = 0;
  total = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly limit = OUTBOUND_LIMIT, private readonly inner: FetchFn = (input, init) => fetch(input, init)) {}

  /** fetch through the gate: a slot is held until the response headers arrive (or the call fails). */
  readonly fetch: FetchFn = async (input, init) => {
    await this.acquire();
    try {
      return await this.inner(input, init);
    } finally {
      this.release();
    }
  };

  get waiting(): number {
    return this.queue.length;
  }

  private acquire(): Promise<void> {
    this.total++;
    if (this.active < this.limit) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(() => {
        this.active++;
        this.peak = Math.max(this.peak, this.active);
        resolve();
      });
      this.queuedPeak = Math.max(this.queuedPeak, this.queue.length);
    });
  }

  private release(): void {
    this.active--;
    this.queue.shift()?.();
  }
}
