// A minimal Bot API caller without grammY's bot machinery (notifications from the streamer, the
// webhook's fallback answers, admin registration): JSON in, Telegram's envelope parsed with zod.
import { z } from "zod";
import { errorText, log } from "../lib/log";

export interface BotApiSettings {
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_API_ROOT: string;
}

/** Telegram asks for at most this wait before we give up: a notification later than that is worse than a log line. */
const MAX_RETRY_AFTER_S = 10;
const DEFAULT_RETRIES = 2;
/** A Bot API call that takes longer than this is abandoned (the caller may be inside a webhook answer). */
const CALL_TIMEOUT_MS = 10_000;

const envelope = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int(),
    description: z.string().default(""),
    parameters: z.object({ retry_after: z.number().optional() }).loose().optional(),
  }),
]);
export type BotApiAnswer = { ok: true; result: unknown } | { ok: false; errorCode: number; description: string };

export interface CallOptions {
  fetcher?: typeof fetch;
  retries?: number;
  /** Waits between 429 retries; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Calls one Bot API method; honours 429 retry_after (up to 10 s, twice). Never throws for Telegram errors. */
export async function callBotApi(settings: BotApiSettings, method: string, params: Record<string, unknown>, opts: CallOptions = {}): Promise<BotApiAnswer> {
  const url = `${settings.TELEGRAM_API_ROOT.replace(/\/+$/, "")}/bot${settings.TELEGRAM_BOT_TOKEN}/${method}`;
  const fetcher = opts.fetcher ?? fetch;
  for (let attempt = 0; ; attempt++) {
    let body: unknown;
    try {
      const res = await fetcher(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      body = await res.json();
    } catch (err) {
      log.warn("telegram_call_failed", { method, error: errorText(err) });
      return { ok: false, errorCode: 0, description: `network: ${(err as Error).message}` };
    }
    const parsed = envelope.safeParse(body);
    if (!parsed.success) return { ok: false, errorCode: 0, description: "malformed Bot API answer" };
    const a = parsed.data;
    if (a.ok) return { ok: true, result: a.result };
    const wait = a.parameters?.retry_after;
    if (a.error_code === 429 && wait !== undefined && wait <= MAX_RETRY_AFTER_S && attempt < (opts.retries ?? DEFAULT_RETRIES)) {
      await (opts.sleep ?? defaultSleep)(wait * 1000);
      continue;
    }
    return { ok: false, errorCode: a.error_code, description: a.description };
  }
}
