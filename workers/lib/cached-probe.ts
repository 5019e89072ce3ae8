// A probe whose answer is shared for a while: many callers, one check in flight, one result reused
// until it is `ttlMs` old. /healthz uses it so an anonymous flood cannot open a connection per request.
export interface ProbeResult {
  up: boolean;
  latencyMs: number;
  checkedAt: number;
}

export class CachedProbe {
  private last: ProbeResult | null = null;
  private inflight: Promise<ProbeResult> | null = null;
  /** How many real checks ran (tests and metrics). */
  checks = 0;

  constructor(
    private readonly check: () => Promise<unknown>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<ProbeResult> {
    if (this.last && this.now() - this.last.checkedAt < this.ttlMs) return this.last;
    this.inflight ??= this.run().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async run(): Promise<ProbeResult> {
    const started = this.now();
    this.checks++;
    let up = true;
    try {
      await this.check();
    } catch {
      up = false;
    }
    this.last = { up, latencyMs: this.now() - started, checkedAt: this.now() };
    return this.last;
  }
}
