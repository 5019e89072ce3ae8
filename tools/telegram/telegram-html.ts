// Telegram's HTML parse mode, parsed the way the Bot API does (tdlib's parse_html): plain text and
// UTF-16 entities, or the exact reason behind "can't parse entities".
import type { MessageEntity } from "grammy/types";

export type HtmlParse = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; error: string };

type Tag = "a" | "bold" | "italic" | "underline" | "strikethrough" | "spoiler" | "code" | "pre" | "blockquote";
const TAGS: Record<string, Tag> = {
  a: "a", b: "bold", strong: "bold", i: "italic", em: "italic", u: "underline", ins: "underline",
  s: "strikethrough", strike: "strikethrough", del: "strikethrough", "tg-spoiler": "spoiler", span: "spoiler",
  code: "code", pre: "pre", blockquote: "blockquote",
};

interface Open {
  name: string;
  tag: Tag;
  argument: string;
  start: number;
  expandable: boolean;
}

const isSpace = (ch: string | undefined) => ch === undefined || ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\v" || ch === "\f";

/** UTF-8 length of a JS string: Telegram reports error positions as byte offsets. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Decodes the entity at html[pos] ('&'). Like Telegram: lt, gt, amp, quot and numeric references,
 * the ';' optional; anything else is not an entity and stays literal text (returns undefined).
 */
function decodeEntity(html: string, pos: number): { ch: string; end: number } | undefined {
  const m = /^&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));?/.exec(html.slice(pos, pos + 12));
  if (!m) return undefined;
  let cp: number;
  if (m[1] !== undefined || m[2] !== undefined) {
    cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (cp === 0 || cp >= 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  } else {
    const named: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };
    if (named[m[3]!] === undefined) return undefined;
    cp = named[m[3]!]!;
  }
  return { ch: String.fromCodePoint(cp), end: pos + m[0].length };
}

class HtmlError extends Error {}

/** Parses Telegram HTML. Never throws: a malformed text is an { ok: false, error } answer. */
export function parseTelegramHtml(html: string): HtmlParse {
  try {
    return { ok: true, ...new Parser(html).run() };
  } catch (err) {
    if (err instanceof HtmlError) return { ok: false, error: err.message };
    throw err;
  }
}

/** The link Telegram would keep for an <a href>, or undefined (then the text stays plain). */
export function safeLink(href: string): string | undefined {
  const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href);
  try {
    const url = new URL(hasScheme ? href : `http://${href}`);
    if (!["http:", "https:", "tg:", "ton:"].includes(url.protocol)) return undefined;
    if ((url.protocol === "http:" || url.protocol === "https:") && !url.hostname.includes(".") && url.hostname !== "localhost") return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

class Parser {
  private readonly stack: Open[] = [];
  private readonly entities: MessageEntity[] = [];
  private text = "";

  constructor(private readonly html: string) {}

  run(): { text: string; entities: MessageEntity[] } {
    const html = this.html;
    let i = 0;
    while (i < html.length) {
      const c = html[i]!;
      const decoded = c === "&" ? decodeEntity(html, i) : undefined;
      if (decoded) {
        this.text += decoded.ch;
        i = decoded.end;
      } else if (c !== "<") {
        this.text += c;
        i++;
      } else if (html[i + 1] !== "/") {
        const open = readStartTag(html, i, this.at);
        this.stack.push({ ...open, start: this.text.length });
        i = open.end;
      } else {
        i = this.closeTag(i);
      }
    }
    const unclosed = this.stack[this.stack.length - 1];
    if (unclosed) throw new HtmlError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
    // A language survives only on <pre><code class="language-…">; stand-alone code drops it.
    const entities = this.entities.map((e) => (e.type === "code" ? { type: "code" as const, offset: e.offset, length: e.length } : e));
    return { text: this.text, entities: sortEntities(entities) };
  }

  private readonly at = (pos: number) => utf8Length(this.html.slice(0, pos));

  /** Handles `</name>` at html[begin]; returns the index after it. */
  private closeTag(begin: number): number {
    const html = this.html;
    const open = this.stack.pop();
    if (!open) throw new HtmlError(`Unexpected end tag at byte offset ${this.at(begin)}`);
    let i = begin + 2;
    while (!isSpace(html[i]) && html[i] !== ">") i++;
    const name = html.slice(begin + 2, i).toLowerCase();
    while (i < html.length && isSpace(html[i])) i++;
    if (html[i] !== ">") throw new HtmlError(`Unclosed end tag at byte offset ${this.at(begin)}`);
    if (name !== "" && name !== open.name) {
      throw new HtmlError(`Unmatched end tag at byte offset ${this.at(begin)}, expected "</${open.name}>", found "</${name}>"`);
    }
    this.finish(open);
    return i + 1;
  }

  /** Records the entity of a closed tag, unless Telegram would drop it (empty, or a bad link). */
  private finish(open: Open): void {
    const offset = open.start;
    const length = this.text.length - offset;
    if (length <= 0) return;
    switch (open.tag) {
      case "a": {
        const url = safeLink(open.argument || this.text.slice(offset));
        if (url) this.entities.push({ type: "text_link", offset, length, url });
        return;
      }
      case "code":
        this.entities.push(open.argument ? ({ type: "code", offset, length, language: open.argument } as MessageEntity) : { type: "code", offset, length });
        return;
      case "pre": {
        // <pre><code class="language-x">…</code></pre> is one pre entity with a language.
        const last = this.entities[this.entities.length - 1] as (MessageEntity & { language?: string }) | undefined;
        if (last && last.type === "code" && last.offset === offset && last.length === length && last.language) {
          this.entities[this.entities.length - 1] = { type: "pre", offset, length, language: last.language };
        } else this.entities.push({ type: "pre", offset, length });
        return;
      }
      case "blockquote":
        this.entities.push({ type: open.expandable ? "expandable_blockquote" : "blockquote", offset, length });
        return;
      default:
        this.entities.push({ type: open.tag, offset, length });
    }
  }
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Telegram strips leading and trailing white space from a message; entities move with the text
 * and are clipped to it (an entity that only covered the stripped space disappears).
 */
export function trimMessage(text: string, entities: MessageEntity[]): { text: string; entities: MessageEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const out: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset + e.length - lead);
    if (end > start) out.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities: out };
}

/** Reads `<name attr="v" …>` starting at html[begin] (tdlib's attribute grammar). */
function readStartTag(html: string, begin: number, at: (pos: number) => number): Omit<Open, "start"> & { end: number } {
  let i = begin + 1;
  while (!isSpace(html[i]) && html[i] !== ">") i++;
  if (i >= html.length) throw new HtmlError(`Unclosed start tag at byte offset ${at(begin)}`);
  const name = html.slice(begin + 1, i).toLowerCase();
  const tag = TAGS[name];
  if (!tag) throw new HtmlError(`Unsupported start tag "${name}" at byte offset ${at(begin)}`);
  let argument = "";
  let expandable = false;
  let spanClass = "";
  while (html[i] !== ">") {
    while (i < html.length && isSpace(html[i])) i++;
    if (html[i] === ">") break;
    const attrStart = i;
    while (i < html.length && !isSpace(html[i]) && html[i] !== "=" && html[i] !== ">") i++;
    const attr = html.slice(attrStart, i).toLowerCase();
    if (attr === "") throw new HtmlError(`Empty attribute name in the tag "${name}" at byte offset ${at(begin)}`);
    while (i < html.length && isSpace(html[i])) i++;
    if (name === "blockquote" && attr === "expandable" && html[i] !== "=") {
      expandable = true;
      continue;
    }
    if (html[i] !== "=") throw new HtmlError(`Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${at(begin)}`);
    i++;
    while (i < html.length && isSpace(html[i])) i++;
    if (i >= html.length) throw new HtmlError(`Unclosed start tag "${name}" at byte offset ${at(begin)}`);
    const read = readAttributeValue(html, i, at);
    i = read.end;
    if (i >= html.length) throw new HtmlError(`Unclosed start tag at byte offset ${at(begin)}`);
    if (name === "a" && attr === "href") argument = read.value;
    if (name === "code" && attr === "class" && read.value.startsWith("language-")) argument = read.value.slice(9);
    if (name === "span" && attr === "class") spanClass = read.value;
  }
  if (name === "span" && spanClass !== "tg-spoiler") throw new HtmlError(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
  return { name, tag, argument, expandable, end: i + 1 };
}

/** A quoted string (entities decoded) or a bare name token (letters, digits, '.', '-'). */
function readAttributeValue(html: string, i: number, at: (pos: number) => number): { value: string; end: number } {
  const quote = html[i];
  if (quote !== "'" && quote !== '"') {
    const start = i;
    while (i < html.length && /[A-Za-z0-9.-]/.test(html[i]!)) i++;
    if (!isSpace(html[i]) && html[i] !== ">") throw new HtmlError(`Unexpected end of name token at byte offset ${at(start)}`);
    return { value: html.slice(start, i).toLowerCase(), end: i };
  }
  let value = "";
  i++;
  while (i < html.length && html[i] !== quote) {
    const decoded = html[i] === "&" ? decodeEntity(html, i) : undefined;
    if (decoded) {
      value += decoded.ch;
      i = decoded.end;
    } else value += html[i++];
  }
  return { value, end: i < html.length ? i + 1 : i };
}
