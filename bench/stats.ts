// Small helpers for benchmarks: interleaved frame rates, percentiles and aligned output.

/**
 * Items per second of each function, measured under the same conditions: after `warmupMs` each,
 * chunks of `chunk` items go through every function in turn for `measureMs`, and each function's
 * time is summed. On a shared machine the speed drifts by ±30 % within a second; alternating every
 * few milliseconds cancels that in the ratios, where separate windows (even best of several) did not.
 */
export function interleavedRates<T>(
  items: readonly T[],
  fns: ReadonlyArray<(item: T) => void>,
  opts: { measureMs: number; chunk?: number; warmupMs?: number },
): number[] {
  const chunk = opts.chunk ?? 1_000;
  for (const fn of fns) for (let t = performance.now(); performance.now() - t < (opts.warmupMs ?? 500); ) for (const it of items) fn(it);
  const ms = fns.map(() => 0);
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < opts.measureMs) {
    for (let off = 0; off < items.length; off += chunk) {
      const end = Math.min(items.length, off + chunk);
      for (let k = 0; k < fns.length; k++) {
        const fn = fns[k]!;
        const t0 = performance.now();
        for (let i = off; i < end; i++) fn(items[i]!);
        ms[k]! += performance.now() - t0;
      }
      count += end - off;
    }
  }
  return ms.map((t) => (count / t) * 1000);
}

export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summary(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s[s.length - 1] ?? NaN, n: s.length };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function line(label: string, value: string): void {
  console.log(`${label.padEnd(64, ".")} ${value}`);
}
