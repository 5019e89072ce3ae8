// Labelled guards for the streamer's runtime callbacks (timer ticks, socket frames and events,
// polled books, the alarm): whatever a callback throws, or rejects with, is logged and counted
// here and never escapes into the runtime, so one bad frame or one failed write never stops the stream.
import { errorText, log } from "../workers/lib/log";
import type { Metrics } from "./metrics";

export class Guards {
  private readonly count;

  constructor(metrics: Metrics) {
    this.count = metrics.counter("polycool_callback_errors_total", "Errors caught around the streamer's runtime callbacks, by callback");
  }

  /** `fn` as a callback that never throws nor leaves a rejected promise behind. */
  wrap<A extends unknown[]>(name: string, fn: (...args: A) => unknown): (...args: A) => void {
    return (...args) => {
      try {
        const out = fn(...args);
        if (out instanceof Promise) out.catch((err: unknown) => this.caught(name, err));
      } catch (err) {
        this.caught(name, err);
      }
    };
  }

  /** Awaits `fn`; an error is logged and counted, and the call resolves. */
  async run(name: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.caught(name, err);
    }
  }

  private caught(name: string, err: unknown): void {
    this.count(1, { callback: name });
    log.error("callback_failed", { callback: name, error: errorText(err) });
  }
}
