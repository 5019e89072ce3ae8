// What a sendMessage/edit turns into, checked as Telegram checks it: parse_mode, length limits,
// inline keyboard buttons, and the "message is not modified" comparison.
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { ParamError, type InlineKeyboard } from "./bot-api-params";
import { parseTelegramHtml, trimMessage } from "./telegram-html";
import { detectEntities } from "./updates";

/** Telegram's limit on a text message, counted after entity parsing. */
export const MAX_TEXT_LENGTH = 4096;
/** callback_data is 1-64 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface Content {
  text: string;
  entities: MessageEntity[];
  raw: string;
  parseMode?: string;
}

/** Renders the text of a send or edit; throws ParamError with Telegram's description. */
export function renderContent(raw: string, parseMode: string | undefined, given: MessageEntity[] | undefined): Content {
  let text = raw;
  let entities: MessageEntity[] = given ?? [];
  const mode = parseMode?.toLowerCase() ?? "";
  if (mode === "html") {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) throw new ParamError(`can't parse entities: ${parsed.error}`);
    text = parsed.text;
    entities = parsed.entities;
  } else if (mode === "markdown" || mode === "markdownv2") {
    // Deliberately unsupported: the bot uses HTML; a silent pass-through would hide escaping bugs.
    throw new ParamError(`can't parse entities: parse_mode ${parseMode} is not supported by this Bot API stand-in (use HTML)`);
  } else if (mode !== "") {
    throw new ParamError("unsupported parse_mode");
  }
  const trimmed = trimMessage(text, withDetected(text, entities));
  if (trimmed.text.length === 0) throw new ParamError("message text is empty");
  if (trimmed.text.length > MAX_TEXT_LENGTH) throw new ParamError("message is too long");
  const content: Content = { text: trimmed.text, entities: trimmed.entities, raw };
  if (parseMode !== undefined && parseMode !== "") content.parseMode = parseMode;
  return content;
}

/** Telegram also marks links and /commands it finds in the text, where no entity covers them. */
function withDetected(text: string, entities: MessageEntity[]): MessageEntity[] {
  const extra = detectEntities(text).filter((d) => !entities.some((e) => d.offset < e.offset + e.length && e.offset < d.offset + d.length));
  return [...entities, ...extra].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** Checks every inline button as Telegram does; returns the markup, or undefined for none. */
export function checkInlineKeyboard(markup: InlineKeyboard | undefined): InlineKeyboardMarkup | undefined {
  if (!markup) return undefined;
  for (const row of markup.inline_keyboard) {
    for (const b of row) {
      const actions = Object.keys(b).filter((k) => k !== "text" && k !== "icon_custom_emoji_id" && k !== "style");
      if (actions.length === 0) throw new ParamError("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (b.callback_data !== undefined) {
        const n = byteLength(b.callback_data);
        if (n === 0 || n > MAX_CALLBACK_DATA_BYTES) throw new ParamError("BUTTON_DATA_INVALID");
      }
      if (b.url !== undefined && !isButtonUrl(b.url)) throw new ParamError(`inline keyboard button URL '${b.url}' is invalid: Wrong HTTP URL`);
      if (b.text.trim() === "") throw new ParamError("BUTTON_TEXT_INVALID");
    }
  }
  return markup as InlineKeyboardMarkup;
}

function isButtonUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return ["http:", "https:", "tg:"].includes(u.protocol) && (u.protocol === "tg:" || u.hostname.length > 0);
  } catch {
    return false;
  }
}

/** Equal as Telegram compares them: the rendered text, its entities and the keyboard. */
export function sameContent(a: { text: string; entities: MessageEntity[]; markup?: InlineKeyboardMarkup }, b: typeof a): boolean {
  return a.text === b.text && canonical(a.entities) === canonical(b.entities) && canonical(keyboardOf(a.markup)) === canonical(keyboardOf(b.markup));
}

function keyboardOf(markup: InlineKeyboardMarkup | undefined): unknown {
  return markup && markup.inline_keyboard.some((row) => row.length > 0) ? markup.inline_keyboard : [];
}

/** JSON with sorted keys, so property order never makes two equal things differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
