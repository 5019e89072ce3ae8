import type { MessageEntity } from "grammy/types";
import { describe, expect, it } from "vitest";
import { toRichNodes, type RichNode } from "./rich-text";

describe("toRichNodes", () => {
  it.each<[string, string, MessageEntity[], RichNode[]]>([
    ["plain", "hello", [], ["hello"]],
    ["empty text", "", [], []],
    ["bold in the middle", "a bold b", [{ type: "bold", offset: 2, length: 4 }], ["a ", { tag: "b", children: ["bold"] }, " b"]],
    ["nested", "ab", [{ type: "bold", offset: 0, length: 2 }, { type: "italic", offset: 1, length: 1 }], [{ tag: "b", children: ["a", { tag: "i", children: ["b"] }] }]],
    [
      "crossing entities are split",
      "abc",
      [{ type: "bold", offset: 0, length: 2 }, { type: "italic", offset: 1, length: 2 }],
      [{ tag: "b", children: ["a", { tag: "i", children: ["b"] }] }, { tag: "i", children: ["c"] }],
    ],
    ["a text link", "open", [{ type: "text_link", offset: 0, length: 4, url: "https://polymarket.com/x" }], [{ tag: "a", href: "https://polymarket.com/x", children: ["open"] }]],
    ["a javascript: link stays text", "x", [{ type: "text_link", offset: 0, length: 1, url: "javascript:alert(1)" }], ["x"]],
    ["a url entity links its own text", "see https://a.io", [{ type: "url", offset: 4, length: 12 }], ["see ", { tag: "a", href: "https://a.io/", children: ["https://a.io"] }]],
    ["a bot command is clickable", "try /help", [{ type: "bot_command", offset: 4, length: 5 }], ["try ", { tag: "command", children: ["/help"] }]],
    ["unknown entity types render as text", "#tag", [{ type: "hashtag", offset: 0, length: 4 }], ["#tag"]],
    ["an entity past the end is clipped", "ab", [{ type: "code", offset: 1, length: 5 }], ["a", { tag: "code", children: ["b"] }]],
    ["markup-looking text stays text", "<img src=x onerror=alert(1)>", [], ["<img src=x onerror=alert(1)>"]],
  ])("%s", (_n, text, entities, want) => expect(toRichNodes(text, entities)).toEqual(want));
});
