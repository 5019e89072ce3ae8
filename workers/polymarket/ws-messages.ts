// Market-channel frames → typed, normalised events. Never throws: what does not parse is counted and described.
import type { FrameError, MarketEvent, ParsedFrame } from "./ws-events";
import { parseBookFast, parsePriceChangeFast } from "./ws-fast-path";
import { describeIssue, MARKET_EVENT_TYPES, MarketEventSchema } from "./ws-schemas";

export const RAW_EXCERPT_CHARS = 200;
export const MAX_FRAME_ERRORS = 10;
const MAX_REASON_CHARS = 160;

function excerpt(text: string): string {
  return text.length > RAW_EXCERPT_CHARS ? text.slice(0, RAW_EXCERPT_CHARS) : text;
}

function excerptOf(value: unknown): string {
  try {
    return excerpt(JSON.stringify(value) ?? String(value));
  } catch {
    // Only a pathological element (nesting deeper than the stack) gets here; String() would recurse too.
    return Object.prototype.toString.call(value);
  }
}

/** Counts a drop; describes it only while there is room (the excerpt is built lazily: it can be costly). */
function drop(out: ParsedFrame, reason: string, raw: () => string): void {
  out.dropped++;
  if (out.errors.length < MAX_FRAME_ERRORS) out.errors.push({ reason: reason.slice(0, MAX_REASON_CHARS), raw: raw() });
}

/** The zod definition: the path every event can take, and the only one that explains rejections. */
export function parseMarketEventSlow(
  value: unknown,
  receivedAt: number,
): { ok: true; event: MarketEvent } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, reason: "not an object" };
  const type = (value as { event_type?: unknown }).event_type;
  if (typeof type !== "string") return { ok: false, reason: "missing event_type" };
  if (!MARKET_EVENT_TYPES.has(type)) return { ok: false, reason: `unknown event_type ${JSON.stringify(type.slice(0, 40))}` };
  const result = MarketEventSchema.safeParse(value);
  if (!result.success) return { ok: false, reason: describeIssue(result.error.issues[0]) };
  return { ok: true, event: { ...result.data, receivedAt } };
}

/**
 * One event: the hand-written fast path for the hot types (price_change, book) when it accepts the
 * value, otherwise the zod definition. Tests prove the fast path never accepts what zod rejects and
 * returns exactly what zod returns.
 */
export function parseMarketEvent(
  value: unknown,
  receivedAt: number,
): { ok: true; event: MarketEvent } | { ok: false; reason: string } {
  if (value !== null && typeof value === "object") {
    const type = (value as { event_type?: unknown }).event_type;
    const fast =
      type === "price_change"
        ? parsePriceChangeFast(value, receivedAt)
        : type === "book"
          ? parseBookFast(value, receivedAt)
          : undefined;
    if (fast !== undefined) return { ok: true, event: fast };
  }
  return parseMarketEventSlow(value, receivedAt);
}

function addValue(out: ParsedFrame, value: unknown, receivedAt: number, raw: () => string): void {
  const parsed = parseMarketEvent(value, receivedAt);
  if (parsed.ok) out.events.push(parsed.event);
  else drop(out, parsed.reason, raw);
}

/**
 * Parses one text frame of the market channel. A frame is a JSON array of events or a single
 * event object; `PONG` and `NO NEW ASSETS` are text. One bad element of an array drops only itself.
 * `receivedAt` (ms epoch) is stamped on every event.
 */
export function parseMarketFrame(raw: string, receivedAt: number): ParsedFrame {
  const out: ParsedFrame = { events: [], dropped: 0, errors: [] };
  if (raw.length <= 16) {
    const text = raw.trim();
    if (text === "PONG" || text === "NO NEW ASSETS") {
      out.control = text;
      return out;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    drop(out, raw.length === 0 ? "empty frame" : "invalid JSON", () => excerpt(raw));
    return out;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      addValue(out, element, receivedAt, () => excerptOf(element));
    }
  } else {
    addValue(out, value, receivedAt, () => excerpt(raw));
  }
  return out;
}
