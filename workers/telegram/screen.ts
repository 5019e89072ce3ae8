// A screen is what the user sees: Telegram-HTML text and an inline keyboard of labelled actions.
// Its text is only ever rendered from fragments (html.ts): data cannot become markup.
import type { InlineKeyboardMarkup } from "grammy/types";
import { type Action, encodeAction } from "./callback-data";
import { type Fragment, render } from "./html";

export interface Button {
  label: string;
  action: Action;
  /** A copy button instead (Bot API `copy_text`): pressing it copies this text, nothing reaches the bot. */
  copy?: string;
}

export interface Screen {
  /** Telegram HTML, rendered from fragments by `screen` (never assemble it by hand). */
  readonly text: string;
  keyboard: Button[][];
}

export const button = (label: string, action: Action): Button => ({ label, action });
/** Copies `text` to the user's clipboard (an address to fund); the action is never sent. */
export const copyButton = (label: string, text: string): Button => ({ label, action: { a: "noop" }, copy: text });

/** The inline keyboard as the Bot API takes it (empty rows dropped). */
export function toMarkup(keyboard: Button[][]): InlineKeyboardMarkup {
  return {
    inline_keyboard: keyboard
      .filter((row) => row.length > 0)
      .map((row) => row.map((b) => (b.copy !== undefined ? { text: b.label, copy_text: { text: b.copy } } : { text: b.label, callback_data: encodeAction(b.action) }))),
  };
}

/** A line is a fragment; null, undefined and false lines are left out, "" is a blank line. */
export type Line = Fragment;

export const screen = (lines: readonly Line[], keyboard: Button[][] = []): Screen => ({
  text: lines
    .filter((l) => l !== null && l !== undefined && l !== false)
    .map(render)
    .join("\n"),
  keyboard,
});

/** The same screen with a line above it (a note: "Preview expired: here is a fresh one"). */
export const withNote = (s: Screen, note: Line): Screen => (note ? { ...s, text: `${render(note)}\n${s.text}` } : s);

/** Prev / Next buttons for a paged list; empty when there is only one page. */
export function pager(page: number, hasNext: boolean, to: (page: number) => Action): Button[] {
  const row: Button[] = [];
  if (page > 0) row.push(button("Prev", to(page - 1)));
  if (hasNext) row.push(button("Next", to(page + 1)));
  return row;
}
