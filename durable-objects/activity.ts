// When the streamer last served a trading call (a quote, a subscription, a trigger): the cron keeps its
// every-minute Postgres work for a while after one (a buy in flight has no position yet). Kept in the
// object's storage, written at most once a minute.
import { ACTIVE_AT_KEY, cronMayRest } from "./alarm-plan";

const STORE_EVERY_MS = 60_000;

export class Activity {
  private lastAt: number;
  private storedAt: number;

  constructor(
    private readonly kv: DurableObjectStorage["kv"],
    private readonly now: () => number,
  ) {
    this.lastAt = this.storedAt = kv.get<number>(ACTIVE_AT_KEY) ?? 0;
  }

  touch(): void {
    const now = this.now();
    this.lastAt = now;
    if (now - this.storedAt < STORE_EVERY_MS) return;
    this.storedAt = now;
    this.kv.put(ACTIVE_AT_KEY, now);
  }

  /** The cron may leave Postgres alone: nothing wanted or armed, and no trading call for a while. */
  cronMayRest(busy: boolean): boolean {
    return cronMayRest(this.now(), busy, this.lastAt);
  }
}
