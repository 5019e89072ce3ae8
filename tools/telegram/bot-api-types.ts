// The vocabulary of the Bot API stand-in: Telegram's answer envelope, the recorded calls and
// deliveries, and the chat as the user sees it. Types only, so any runtime may import it.
import type { MessageEntity, Update } from "grammy/types";
import type { SimUser } from "./updates";

export type ApiOk = { ok: true; result: unknown; description?: string };
export type ApiError = { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };
/** Telegram's response envelope, exactly as api.telegram.org sends it. */
export type ApiResponse = ApiOk | ApiError;

/** One Bot API call the bot made (over HTTP, or as a reply in a webhook answer). */
export interface CallRecord {
  seq: number;
  /** Epoch milliseconds. */
  at: number;
  method: string;
  params: Record<string, unknown>;
  response: ApiResponse;
  /** HTTP status of the answer (200, 400, 404, 429, …). */
  status: number;
  source: "http" | "webhook-reply";
}

/** An inline button as shown: Telegram's field names, plus what kind of button it is. */
export interface ButtonView {
  text: string;
  kind: "callback" | "url" | "copy" | "other";
  /** A copy button: the text it copies. */
  copy_text?: string;
  callback_data?: string;
  url?: string;
}

/** A message as the user sees it now. */
export interface MessageView {
  /** A photo message: the uploaded picture (text is its caption). */
  photo?: { file: string; type: string; base64: string };
  id: number;
  from: "bot" | "user";
  /** The text as rendered (HTML parsed, entities decoded, tags gone). */
  text: string;
  /** Telegram HTML for the text: what the bot sent with parse_mode HTML, else the text escaped. */
  html: string;
  /** The parse_mode the message was sent or last edited with, if any. */
  parseMode?: string;
  entities: MessageEntity[];
  /** Inline keyboard rows; [] when the message has none. */
  buttons: ButtonView[][];
  edited: boolean;
  /** Sent with protect_content (no forwarding, no saving). */
  protected?: boolean;
  /** Unix seconds. */
  date: number;
  editDate?: number;
}

/** What answerCallbackQuery showed the user (a toast, or an alert when showAlert). */
export interface Notice {
  at: number;
  queryId: string;
  messageId?: number;
  text?: string;
  showAlert: boolean;
  url?: string;
}

export interface ChatView {
  id: number;
  user: SimUser;
  messages: MessageView[];
  notices: Notice[];
  /** The reply keyboard the bot last put under the input box, or null. */
  replyKeyboard: string[][] | null;
  pinnedMessageIds: number[];
  /** Epoch ms until which the bot shows "typing…" (sendChatAction), 0 if never. */
  typingUntil: number;
  blocked: boolean;
}

export interface DeliveryAttempt {
  at: number;
  /** HTTP status of the webhook's answer; absent when it could not be reached. */
  status?: number;
  /** Telegram's wording for the failure ("Connection refused", "Wrong response from the webhook: 500 …"). */
  error?: string;
  ms: number;
}

/**
 * One update's journey. queued: waiting for getUpdates or a webhook; delivering: being posted or
 * waiting to retry; delivered: the webhook answered 2xx; fetched: confirmed by a getUpdates offset;
 * dropped: retries exhausted or drop_pending_updates; filtered: not in allowed_updates.
 */
export type DeliveryOutcome = "queued" | "delivering" | "delivered" | "fetched" | "dropped" | "filtered";

export interface Delivery {
  updateId: number;
  update: Update;
  outcome: DeliveryOutcome;
  attempts: DeliveryAttempt[];
  /** The webhook URL it went to, when it went to one. */
  target?: string;
}

/** What a simulated user's action returns; held: built and recorded, not sent (the caller posts it). */
export type SimDelivery = Delivery | (Omit<Delivery, "outcome"> & { outcome: "held" });

export interface WebhookInfo {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  max_connections?: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
}

/** Flood control: off, Telegram's per-chat pace, or forced 429s for the next calls. */
export type FloodSetting =
  | { mode: "off" }
  | { mode: "rate"; perSecond?: number; burst?: number }
  | { mode: "force"; retryAfter?: number; count?: number; methods?: string[] };

/** Which button to press: by visible label (latest message that has it) or by callback data. */
export interface ButtonQuery {
  messageId?: number;
  label?: string;
  callbackData?: string;
}
