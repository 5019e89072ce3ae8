// The race guard of every reconcile against Postgres: a change made at or after the moment the
// reconcile read the database is newer than the database's answer, so the reconcile keeps it.
export class TouchLog<K> {
  private readonly at = new Map<K, number>();

  /** `key` changed at `at` (ms epoch). */
  touch(key: K, at: number): void {
    this.at.set(key, at);
  }

  /** Was `key` changed at or after `readAt`? */
  isNewer(key: K, readAt: number): boolean {
    const t = this.at.get(key);
    return t !== undefined && t >= readAt;
  }

  /**
   * The keys changed at or after `readAt`. Older entries are forgotten: the reconcile that read
   * at `readAt` saw them, and a later one reads later still.
   */
  settle(readAt: number): K[] {
    const newer: K[] = [];
    for (const [k, t] of this.at) {
      if (t < readAt) this.at.delete(k);
      else newer.push(k);
    }
    return newer;
  }
}
