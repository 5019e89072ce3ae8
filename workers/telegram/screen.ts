// A screen is what the user sees: Telegram-HTML text and an inline keyboard of labelled actions.
import type { InlineKeyboardMarkup } from "grammy/types";
import { type Action, encodeAction } from "./callback-data";

export interface Button {
  label: string;
  action: Action;
}

export interface Screen {
  /** Telegram HTML; every dynamic part is escaped by the renderer. */
  text: string;
  keyboard: Button[][];
}

export const button = (label: string, action: Action): Button => ({ label, action });

/** The inline keyboard as the Bot API takes it (empty rows dropped). */
export function toMarkup(keyboard: Button[][]): InlineKeyboardMarkup {
  return {
    inline_keyboard: keyboard
      .filter((row) => row.length > 0)
      .map((row) => row.map((b) => ({ text: b.label, callback_data: encodeAction(b.action) }))),
  };
}

export const screen = (lines: Array<string | null | undefined | false>, keyboard: Button[][] = []): Screen => ({
  text: lines.filter((l): l is string => typeof l === "string").join("\n"),
  keyboard,
});

/** Prev / Next buttons for a paged list; empty when there is only one page. */
export function pager(page: number, hasNext: boolean, to: (page: number) => Action): Button[] {
  const row: Button[] = [];
  if (page > 0) row.push(button("Prev", to(page - 1)));
  if (hasNext) row.push(button("Next", to(page + 1)));
  return row;
}
