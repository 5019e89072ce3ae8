// Watches every Bot API call the bot makes to the stand-in (it keeps only its last 5,000): counts by
// method and status, and keeps the ones Telegram would refuse because of the bot's own formatting.
import type { CallRecord } from "../telegram/bot-api-types";
import type { Chaos } from "./harness";

/** Telegram's answer when a message's HTML or Markdown does not parse. */
const PARSE_ERROR = /can't parse entities|unsupported start tag|can't find end tag|unclosed/i;

export interface CallTap {
  /** Calls seen since the tap started. */
  readonly total: number;
  /** Calls refused because the bot's text did not parse (an injection that got through). */
  readonly parseErrors: CallRecord[];
  /** sendMessage/editMessageText texts per chat, to look for other users' data. */
  readonly textsByChat: Map<number, string[]>;
  stop(): void;
}

export function startCallTap(c: Chaos, everyMs = 50): CallTap {
  let last = c.botApi.calls().at(-1)?.seq ?? 0;
  let total = 0;
  const parseErrors: CallRecord[] = [];
  const textsByChat = new Map<number, string[]>();
  const drain = () => {
    for (const call of c.botApi.calls()) {
      if (call.seq <= last) continue;
      last = call.seq;
      total++;
      const description = call.response.ok ? "" : call.response.description;
      if (PARSE_ERROR.test(description)) parseErrors.push(call);
      const chat = call.params.chat_id;
      if (typeof chat === "number" && typeof call.params.text === "string") {
        const list = textsByChat.get(chat) ?? [];
        list.push(call.params.text);
        textsByChat.set(chat, list);
      }
    }
  };
  const timer = setInterval(drain, everyMs);
  return {
    get total() {
      return total;
    },
    parseErrors,
    textsByChat,
    stop: () => {
      clearInterval(timer);
      drain();
    },
  };
}
