// When the streamer's one alarm should next fire, and when it should next read Postgres (pure):
// the watchdog while anything is wanted, sooner while polling, any due message-deletion sweep, and
// a slow cadence while idle, so that an idle product lets the object and Neon's compute sleep.

/** The alarm fires at least this often while anything is wanted (and keeps the object resident). */
export const WATCHDOG_MS = 30_000;
/**
 * Idle (no wanted token, no armed trigger): the alarm still fires this often, to reconcile against
 * Postgres (a lost positionOpened call is healed within this time). Longer than Neon's default
 * 5-minute suspend timeout, so its compute sleeps most of the time.
 */
export const IDLE_ALARM_MS = 30 * 60_000;
/** Busy: intent is reconciled against Postgres this often (heals lost subscribe/unsubscribe calls). */
export const RECONCILE_MS = 5 * 60_000;
/** Idle: the same, as slowly as the idle alarm. */
export const IDLE_RECONCILE_MS = IDLE_ALARM_MS;
/**
 * The cron may leave Postgres alone only this long after the last trading call on the object (a
 * quote, a subscription, a trigger): a buy whose outcome is unknown has no position yet, and must be
 * looked up by the every-minute cron, not 30 minutes later.
 */
export const ACTIVITY_GRACE_MS = 10 * 60_000;
/** Storage key of the last trading call (ms epoch), so that an evicted object remembers it. */
export const ACTIVE_AT_KEY = "activeAt";

/** Whether the cron may skip its Postgres work: nothing wanted or armed, and no trading call lately. */
export function cronMayRest(now: number, busy: boolean, lastActivityAt: number): boolean {
  return !busy && now - lastActivityAt >= ACTIVITY_GRACE_MS;
}

/** Storage key of the last reconciliation (ms epoch): an evicted idle object does not read Postgres again at once. */
export const RECONCILED_AT_KEY = "reconciledAt";

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

/** The time to set the alarm to, or null to leave it as it is (already sooner). */
export function nextAlarmAt(a: AlarmInput): number | null {
  const every = !a.busy ? IDLE_ALARM_MS : a.polling ? Math.min(WATCHDOG_MS, a.pollMs) : WATCHDOG_MS;
  const next = Math.min(a.now + every, a.sweepAt ?? Infinity);
  return a.current === null || a.current > next ? next : null;
}

/** Whether intent should be reconciled against Postgres now (`lastAt` 0: never since it was stored). */
export function reconcileDue(now: number, lastAt: number, busy: boolean): boolean {
  return now - lastAt >= (busy ? RECONCILE_MS : IDLE_RECONCILE_MS);
}
