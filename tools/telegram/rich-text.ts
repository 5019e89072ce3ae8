// A message's text and entities as a render tree for the playground page: the page builds DOM
// nodes from it with textContent, so no text from the bot ever becomes markup.
import type { MessageEntity } from "grammy/types";
import { safeLink } from "./telegram-html";

export type RichTag = "b" | "i" | "u" | "s" | "spoiler" | "code" | "pre" | "a" | "blockquote" | "command";
export type RichNode = string | { tag: RichTag; href?: string; children: RichNode[] };

const TAG_OF: Partial<Record<MessageEntity["type"], RichTag>> = {
  bold: "b",
  italic: "i",
  underline: "u",
  strikethrough: "s",
  spoiler: "spoiler",
  code: "code",
  pre: "pre",
  text_link: "a",
  url: "a",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
  bot_command: "command",
};

interface Span {
  entity: MessageEntity;
  tag: RichTag;
  href?: string;
}

/**
 * Builds the tree by cutting the text at every entity boundary and keeping, for each piece, the
 * stack of entities that cover it (outermost first); entities that cross each other are split.
 */
export function toRichNodes(text: string, entities: readonly MessageEntity[]): RichNode[] {
  const spans: Span[] = [];
  for (const e of [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length)) {
    const tag = TAG_OF[e.type];
    if (!tag) continue;
    const href = e.type === "text_link" ? safeLink(e.url) : e.type === "url" ? safeLink(text.slice(e.offset, e.offset + e.length)) : undefined;
    if (tag === "a" && !href) continue;
    spans.push(href ? { entity: e, tag, href } : { entity: e, tag });
  }
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(Math.min(text.length, s.entity.offset));
    cuts.add(Math.min(text.length, s.entity.offset + s.entity.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const root: RichNode[] = [];
  const open: Array<{ span: Span; children: RichNode[] }> = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [from, to] = [points[k]!, points[k + 1]!];
    const cover = spans.filter((s) => s.entity.offset <= from && s.entity.offset + s.entity.length >= to);
    let keep = 0;
    while (keep < open.length && keep < cover.length && open[keep]!.span === cover[keep]) keep++;
    open.length = keep;
    for (const span of cover.slice(keep)) {
      const node = { tag: span.tag, children: [] as RichNode[], ...(span.href ? { href: span.href } : {}) };
      (open.at(-1)?.children ?? root).push(node);
      open.push({ span, children: node.children });
    }
    appendText(open.at(-1)?.children ?? root, text.slice(from, to));
  }
  return root;
}

function appendText(children: RichNode[], s: string): void {
  if (s === "") return;
  const last = children.at(-1);
  if (typeof last === "string") children[children.length - 1] = last + s;
  else children.push(s);
}
