// Per-chat pacing of outgoing messages under Telegram's flood limit (about one message a second per
// chat, short bursts tolerated): a token bucket per chat, pure, plus the grammY API transformer.
import type { Transformer } from "grammy";

export interface PaceConfig {
  /** Messages that may go out at once before pacing starts. */
  burst: number;
  /** Sustained messages per second per chat (Telegram: "about one"). */
  perSecond: number;
  /** A wait longer than this is not worth holding a webhook for: send and let a 429 retry_after decide. */
  maxWaitMs: number;
}

export const DEFAULT_PACE: PaceConfig = { burst: 4, perSecond: 1, maxWaitMs: 4_000 };

export interface PaceState {
  /** Tokens left at `at` (negative: slots already promised to waiting sends). */
  tokens: number;
  at: number;
}

/** Takes one send slot: how long to wait before sending, and the bucket after it. */
export function takeSlot(s: PaceState | undefined, now: number, cfg: PaceConfig = DEFAULT_PACE): { state: PaceState; waitMs: number } {
  const refilled = s ? Math.min(cfg.burst, s.tokens + (Math.max(0, now - s.at) / 1000) * cfg.perSecond) : cfg.burst;
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens / cfg.perSecond) * 1000);
  if (waitMs > cfg.maxWaitMs) return { state: { tokens: refilled, at: now }, waitMs: 0 };
  return { state: { tokens, at: now }, waitMs };
}

/**
 * Methods that add a message to the chat: Telegram's "about one message per second per chat" is
 * about these. Edits answer the user's own button presses and are not held back.
 */
const PACED = new Set(["sendMessage", "sendPhoto", "sendDocument", "copyMessage", "forwardMessage"]);
/** Buckets idle this long are full again and can be forgotten. */
const FORGET_AFTER_MS = 10_000;
const MAX_CHATS = 5_000;

/** Shared by every bot of this isolate (a Bot is built per request; the chat's pace is not). */
const ISOLATE_BUCKETS = new Map<string, PaceState>();

/** A transformer that delays sends to one chat to stay under the flood limit (per isolate). */
export function pacingTransformer(
  opts: { now?: () => number; sleep?: (ms: number) => Promise<void>; config?: PaceConfig; buckets?: Map<string, PaceState> } = {},
): Transformer {
  const buckets = opts.buckets ?? ISOLATE_BUCKETS;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (prev, method, payload, signal) => {
    const chat = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (!PACED.has(method) || (typeof chat !== "number" && typeof chat !== "string")) return prev(method, payload, signal);
    const t = now();
    if (buckets.size > MAX_CHATS) for (const [k, v] of buckets) if (t - v.at > FORGET_AFTER_MS) buckets.delete(k);
    const slot = takeSlot(buckets.get(String(chat)), t, opts.config);
    buckets.set(String(chat), slot.state);
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    return prev(method, payload, signal);
  };
}

/**
 * Telegram's bot-wide limit ("about 30 messages per second" across chats): messages nobody asked for
 * (a stampede's fire notices) queue here instead of running into 429s. Per isolate, like the chat buckets.
 */
export const BOT_WIDE_PACE: PaceConfig = { burst: 25, perSecond: 25, maxWaitMs: 120_000 };

/** A fetch for Bot API sends that waits for a bot-wide slot first (the streamer's notifications). */
export function botWidePacedFetch(
  inner: typeof fetch,
  opts: { now?: () => number; sleep?: (ms: number) => Promise<void>; config?: PaceConfig } = {},
): typeof fetch {
  let state: PaceState | undefined;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const slot = takeSlot(state, now(), opts.config ?? BOT_WIDE_PACE);
    state = slot.state;
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    return inner(input, init);
  }) as typeof fetch;
}
