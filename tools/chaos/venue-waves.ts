// The venue scenario's fault waves, pure: what `POST /order` does in each wave and, from that alone,
// whether the venue matched the order (so the ledger must end with it filled) or never saw it.
import type { FaultSpec } from "../local-polymarket/faults";

export interface Wave {
  name: string;
  /** The fault armed on POST /clob/order for the whole wave; null: a clean venue. */
  fault: FaultSpec | null;
  /** Whether the venue processes (and, for marketable orders on a deep book, matches) the order. */
  matched: boolean;
}

const ORDER = "POST /clob/order";
/** Longer than the Worker's POST /order timeout (10 s, workers/trading/deps.ts). */
const PAST_TIMEOUT_MS = 12_000;

export const WAVES: readonly Wave[] = [
  { name: "500", fault: { kind: "error", route: ORDER, status: 500 }, matched: false },
  { name: "503", fault: { kind: "error", route: ORDER, status: 503, message: "Service Unavailable" }, matched: false },
  { name: "429", fault: { kind: "rate-limit", route: ORDER, retryAfter: 1 }, matched: false },
  { name: "slow 3 s", fault: { kind: "delay", route: ORDER, ms: 3_000 }, matched: true },
  { name: "matched, never answered (timeout)", fault: { kind: "hang", route: ORDER }, matched: true },
  { name: "matched, answered after the timeout", fault: { kind: "hang", route: ORDER, ms: PAST_TIMEOUT_MS }, matched: true },
  { name: "processed after the timeout", fault: { kind: "delay", route: ORDER, ms: PAST_TIMEOUT_MS }, matched: true },
  { name: "clean", fault: null, matched: true },
];

/** The short form keeps one wave of each kind the issue names: 5xx, 429, slow, timeouts. */
export const SHORT_WAVES: readonly Wave[] = WAVES.filter((w) => ["500", "429", "slow 3 s", "matched, never answered (timeout)", "processed after the timeout", "clean"].includes(w.name));

/** Final order status the ledger must show once everything is reconciled. */
export function expectedStatus(w: Wave): "filled" | "rejected" {
  return w.matched ? "filled" : "rejected";
}
