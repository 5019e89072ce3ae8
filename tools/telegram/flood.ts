// Telegram's flood control as a pure gate: a per-chat token bucket ("about one message a second
// per chat", with a short burst) or forced 429s; time comes in as a parameter.
import type { FloodSetting } from "./bot-api-types";

/** The methods that send or change a message count against a chat's pace. */
export const FLOOD_METHODS: readonly string[] = ["sendMessage", "editMessageText", "editMessageReplyMarkup"];

/** Telegram asks bots to stay near one message a second in a private chat. */
export const DEFAULT_PER_SECOND = 1;
/** It tolerates short bursts (a reply and an edit right after a button press) before answering 429. */
export const DEFAULT_BURST = 3;
/** Forced 429s say "retry after 3" unless told otherwise: long enough to notice, short for tests. */
export const DEFAULT_FORCED_RETRY_AFTER = 3;

export type FloodVerdict = { ok: true } | { ok: false; retryAfter: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class FloodGate {
  private setting: FloodSetting = { mode: "off" };
  private buckets = new Map<string, Bucket>();
  private forcedLeft = Infinity;

  constructor(setting?: FloodSetting) {
    if (setting) this.set(setting);
  }

  set(setting: FloodSetting): void {
    this.setting = setting;
    this.buckets.clear();
    this.forcedLeft = setting.mode === "force" ? (setting.count ?? Infinity) : Infinity;
  }

  current(): FloodSetting {
    return this.setting;
  }

  /** Decides one call of `method` on `chatId` at `nowMs`; an allowed call takes a token. */
  check(method: string, chatId: number | string | undefined, nowMs: number): FloodVerdict {
    const s = this.setting;
    if (s.mode === "off") return { ok: true };
    if (s.mode === "force") {
      if (!(s.methods ?? FLOOD_METHODS).includes(method) || this.forcedLeft <= 0) return { ok: true };
      this.forcedLeft--;
      return { ok: false, retryAfter: s.retryAfter ?? DEFAULT_FORCED_RETRY_AFTER };
    }
    if (!FLOOD_METHODS.includes(method) || chatId === undefined) return { ok: true };
    const perSecond = s.perSecond ?? DEFAULT_PER_SECOND;
    const burst = s.burst ?? DEFAULT_BURST;
    const key = String(chatId);
    const b = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }
}
