// When the streamer's one alarm should next fire (pure): the watchdog while anything is wanted,
// sooner while polling, and any due message-deletion sweep.

/** The alarm fires at least this often while anything is wanted (and keeps the object resident). */
export const WATCHDOG_MS = 30_000;

export interface AlarmInput {
  now: number;
  /** Tokens wanted or triggers armed. */
  busy: boolean;
  /** The polling fallback is active: wake at its cadence if that is sooner than the watchdog. */
  polling: boolean;
  pollMs: number;
  /** A scheduled sweep (ms epoch), if any. */
  sweepAt: number | undefined;
  /** The alarm already set, if any. */
  current: number | null;
}

/** The time to set the alarm to, or null to leave it as it is (already sooner, or nothing to do). */
export function nextAlarmAt(a: AlarmInput): number | null {
  if (!a.busy && a.sweepAt === undefined) return null;
  const every = a.polling ? Math.min(WATCHDOG_MS, a.pollMs) : WATCHDOG_MS;
  const next = Math.min(a.busy ? a.now + every : Infinity, a.sweepAt ?? Infinity);
  return a.current === null || a.current > next ? next : null;
}
