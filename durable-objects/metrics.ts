// Counters, gauges and histograms counted where things happen, exposed in Prometheus text format.

export type Labels = Record<string, string>;

const key = (labels: Labels | undefined) =>
  labels ? Object.keys(labels).sort().map((k) => `${k}="${labels[k]!.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",") : "";

interface Family {
  help: string;
  type: "counter" | "gauge" | "histogram";
  values: Map<string, number>;
}

/** Default histogram buckets in milliseconds (sub-millisecond decisions up to slow flushes). */
export const MS_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly histograms = new Map<string, { buckets: number[]; series: Map<string, { counts: number[]; sum: number; count: number }> }>();

  counter(name: string, help: string): (by?: number, labels?: Labels) => void {
    const fam = this.family(name, help, "counter");
    return (by = 1, labels) => {
      const k = key(labels);
      fam.values.set(k, (fam.values.get(k) ?? 0) + by);
    };
  }

  /** A counter whose total is kept elsewhere (e.g. the core's per-type counts): set, not incremented. */
  counterTotal(name: string, help: string): (total: number, labels?: Labels) => void {
    const fam = this.family(name, help, "counter");
    return (total, labels) => void fam.values.set(key(labels), total);
  }

  gauge(name: string, help: string): (value: number, labels?: Labels) => void {
    const fam = this.family(name, help, "gauge");
    return (value, labels) => void fam.values.set(key(labels), value);
  }

  histogram(name: string, help: string, buckets = MS_BUCKETS): (value: number, labels?: Labels) => void {
    this.family(name, help, "histogram");
    const h = { buckets, series: new Map<string, { counts: number[]; sum: number; count: number }>() };
    this.histograms.set(name, h);
    return (value, labels) => {
      const k = key(labels);
      let s = h.series.get(k);
      if (!s) {
        s = { counts: buckets.map(() => 0), sum: 0, count: 0 };
        h.series.set(k, s);
      }
      for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) s.counts[i]!++;
      s.sum += value;
      s.count++;
    };
  }

  /** Current value of a counter or gauge series (for JSON status views). */
  value(name: string, labels?: Labels): number {
    return this.families.get(name)?.values.get(key(labels)) ?? 0;
  }

  /** All series of a counter/gauge family as { labelsKey: value }. */
  series(name: string): Record<string, number> {
    return Object.fromEntries(this.families.get(name)?.values ?? []);
  }

  private family(name: string, help: string, type: Family["type"]): Family {
    let fam = this.families.get(name);
    if (!fam) {
      fam = { help, type, values: new Map() };
      this.families.set(name, fam);
    }
    return fam;
  }

  /** Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const out: string[] = [];
    for (const [name, fam] of this.families) {
      out.push(`# HELP ${name} ${fam.help}`, `# TYPE ${name} ${fam.type}`);
      if (fam.type === "histogram") {
        const h = this.histograms.get(name)!;
        for (const [k, s] of h.series) {
          const sep = k ? `${k},` : "";
          h.buckets.forEach((b, i) => out.push(`${name}_bucket{${sep}le="${b}"} ${s.counts[i]}`));
          out.push(`${name}_bucket{${sep}le="+Inf"} ${s.count}`, `${name}_sum${k ? `{${k}}` : ""} ${s.sum}`, `${name}_count${k ? `{${k}}` : ""} ${s.count}`);
        }
        continue;
      }
      if (fam.values.size === 0) out.push(`${name} 0`);
      for (const [k, v] of fam.values) out.push(`${name}${k ? `{${k}}` : ""} ${v}`);
    }
    return out.join("\n") + "\n";
  }
}

/** Keeps the last `capacity` samples with their time, for small charts of recent minutes. */
export class RecentSamples {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  constructor(private readonly capacity = 2_000) {}

  add(at: number, value: number): void {
    this.times.push(at);
    this.values.push(value);
    if (this.times.length > this.capacity) {
      this.times.shift();
      this.values.shift();
    }
  }

  since(t: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.times.length; i++) if (this.times[i]! >= t) out.push([this.times[i]!, this.values[i]!]);
    return out;
  }

  /** Quantile (0..1) of the values since `t` (nearest rank). */
  quantile(q: number, t = 0): number | undefined {
    const vals = this.since(t).map(([, v]) => v).sort((a, b) => a - b);
    if (!vals.length) return undefined;
    return vals[Math.min(vals.length - 1, Math.max(0, Math.ceil(q * vals.length) - 1))];
  }
}
