// Fault switches of the local Polymarket: per route or global, for a number of requests or a duration.

export type FaultKind =
  /** Answer `status` (5xx by default 500) without processing. */
  | "error"
  /** Answer 429 with Retry-After without processing. */
  | "rate-limit"
  /** Wait `ms`, then process normally. */
  | "delay"
  /** Process (an order is matched and recorded), then never answer, or answer after `ms`. */
  | "hang"
  /** Refuse EOA/proxy makers (signature types 0–2) the way new accounts are refused in 2026. */
  | "reject-eoa"
  /** 503 "Trading is currently disabled" on order submission. */
  | "trading-disabled"
  /** Answer 200 `null` without processing: e.g. GET /clob/data/order/:id for a FAK/FOK order the venue no longer keeps. */
  | "null-answer";

export const FAULT_KINDS: readonly FaultKind[] = ["error", "rate-limit", "delay", "hang", "reject-eoa", "trading-disabled", "null-answer"];

export interface FaultSpec {
  kind: FaultKind;
  /**
   * Which requests: "*" (default), a full path ("/clob/order"), "METHOD /path" ("POST /clob/order"),
   * or a prefix ending in "*" ("/clob/*", "GET /gamma/*").
   */
  route?: string;
  /** Applies to this many matching requests, then disarms. */
  count?: number;
  /** Applies for this long (ms) from now. Without count and durationMs: until cleared. */
  durationMs?: number;
  /** delay/hang: milliseconds to wait (hang without ms never answers). */
  ms?: number;
  /** error: HTTP status (default 500). */
  status?: number;
  /** rate-limit: Retry-After seconds (default 1). */
  retryAfter?: number;
  /** error: the {"error"} text (default "Internal Server Error"). */
  message?: string;
}

export interface FaultRule extends FaultSpec {
  id: number;
  route: string;
  remaining?: number;
  until?: number;
  hits: number;
}

function routeMatches(route: string, method: string, path: string): boolean {
  if (route === "*") return true;
  const full = `${method} ${path}`;
  if (route.endsWith("*")) {
    const prefix = route.slice(0, -1);
    return path.startsWith(prefix) || full.startsWith(prefix);
  }
  return route === path || route === full;
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  add(spec: FaultSpec): FaultRule {
    if (!FAULT_KINDS.includes(spec.kind)) throw new RangeError(`unknown fault kind "${String(spec.kind)}"`);
    const rule: FaultRule = {
      ...spec,
      id: this.nextId++,
      route: spec.route ?? "*",
      hits: 0,
      ...(spec.count !== undefined ? { remaining: spec.count } : {}),
      ...(spec.durationMs !== undefined ? { until: this.now() + spec.durationMs } : {}),
    };
    this.rules.push(rule);
    return rule;
  }

  /** Removes one rule, or all of them. */
  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
  }

  /** Armed rules (expired and used-up ones are dropped). */
  list(): FaultRule[] {
    this.prune();
    return this.rules.map((r) => ({ ...r }));
  }

  private prune(): void {
    const now = this.now();
    this.rules = this.rules.filter((r) => (r.remaining === undefined || r.remaining > 0) && (r.until === undefined || r.until > now));
  }

  /** The first armed rule of one of `kinds` matching the request; consumes one use of it. */
  take(kinds: readonly FaultKind[], method: string, path: string): FaultRule | undefined {
    this.prune();
    const rule = this.rules.find((r) => kinds.includes(r.kind) && routeMatches(r.route, method, path));
    if (!rule) return undefined;
    rule.hits++;
    if (rule.remaining !== undefined) rule.remaining--;
    return { ...rule };
  }
}
