// A scenario's outcome as one printed line: its counts, and every invariant that failed (by name).

export class Tally {
  private readonly failures: string[] = [];
  private readonly parts: string[] = [];

  /** A count (or fact) for the line. */
  add(part: string): this {
    this.parts.push(part);
    return this;
  }

  /** Records a failed invariant unless `ok`. */
  check(ok: boolean, failure: string): boolean {
    if (!ok) this.failures.push(failure);
    return ok;
  }

  /** `actual` must equal `expected`; the failure names both. */
  expectEqual(what: string, actual: number | string, expected: number | string): boolean {
    return this.check(actual === expected, `${what}: ${actual}, expected ${expected}`);
  }

  fail(failure: string): void {
    this.failures.push(failure);
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  get failed(): readonly string[] {
    return this.failures;
  }

  get counts(): readonly string[] {
    return this.parts;
  }
}

export interface ScenarioResult {
  n: number;
  name: string;
  tally: Tally;
  ms: number;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

export function formatLine(r: ScenarioResult): string {
  const verdict = r.tally.ok ? "OK" : `FAILED: ${r.tally.failed.join("; ")}`;
  return `${r.n}. ${r.name}: ${r.tally.counts.join(", ")} — ${verdict} (${formatDuration(r.ms)})`;
}
