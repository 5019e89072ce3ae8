// The streamer's housekeeping beside the stream: due message deletions (an exported key after 60 s)
// and delayed security actions (a key export 10 minutes after the PIN), scheduled in the object's
// storage so the alarm wakes for them even when nothing else is wanted.
import { errorText, log } from "../workers/lib/log";

/** Storage key of the next due message-deletion sweep (ms epoch). */
const SWEEP_KEY = "sweepAt";
/** A sweep that failed (Postgres or Telegram down) is tried again this much later. */
const SWEEP_RETRY_MS = 30_000;

export type KeyValueStorage = Pick<DurableObjectStorage, "get" | "put" | "delete">;

export class Housekeeping {
  constructor(
    private readonly storage: KeyValueStorage,
    /** Runs what is due; answers what it did and when the next thing falls due (null: nothing pending). */
    private readonly sweep: (now: number) => Promise<{ report: Record<string, number>; nextAt: number | null }>,
    private readonly now: () => number,
  ) {}

  /** Asks for a sweep at `at` (the earliest request wins). */
  async schedule(at: number): Promise<void> {
    const pending = await this.dueAt();
    if (pending === undefined || at < pending) await this.storage.put(SWEEP_KEY, at);
  }

  dueAt(): Promise<number | undefined> {
    return this.storage.get<number>(SWEEP_KEY);
  }

  /** Runs the sweep when it is due; a failure schedules it again instead of throwing. */
  async runIfDue(): Promise<void> {
    const due = await this.dueAt();
    if (due === undefined || due > this.now()) return;
    await this.storage.delete(SWEEP_KEY);
    try {
      const { report, nextAt } = await this.sweep(this.now());
      if (Object.values(report).some((n) => n > 0)) log.info("housekeeping_swept", report);
      if (nextAt !== null) await this.schedule(Math.max(nextAt, this.now() + 1_000));
    } catch (err) {
      log.warn("scheduled_deletions_failed", { error: errorText(err) });
      await this.storage.put(SWEEP_KEY, this.now() + SWEEP_RETRY_MS);
    }
  }
}
