import { describe, expect, it } from "vitest";
import { parseTelegramHtml, safeLink, trimMessage, utf8Length } from "./telegram-html";

describe("parseTelegramHtml: what Telegram accepts", () => {
  it.each([
    ["plain text", "Hello", "Hello", []],
    ["bold and strong", "<b>a</b><strong>b</strong>", "ab", [{ type: "bold", offset: 0, length: 1 }, { type: "bold", offset: 1, length: 1 }]],
    ["italic, underline, strike", "<i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>", "ieunskd", [
      { type: "italic", offset: 0, length: 1 }, { type: "italic", offset: 1, length: 1 }, { type: "underline", offset: 2, length: 1 },
      { type: "underline", offset: 3, length: 1 }, { type: "strikethrough", offset: 4, length: 1 }, { type: "strikethrough", offset: 5, length: 1 },
      { type: "strikethrough", offset: 6, length: 1 },
    ]],
    ["the four named escapes", "&lt;b&gt; &amp; &quot;q&quot;", '<b> & "q"', []],
    ["numeric references", "&#36;10 &#x2713;", "$10 ✓", []],
    ["a bare & and unknown entities stay literal (as in tdlib)", "AT&T &nbsp; &copy;", "AT&T &nbsp; &copy;", []],
    ["a link", '<a href="https://polymarket.com/event/x">market</a>', "market", [{ type: "text_link", offset: 0, length: 6, url: "https://polymarket.com/event/x" }]],
    ["a javascript: link is dropped, its text kept", '<a href="javascript:alert(1)">x</a>', "x", []],
    ["nested tags", "<b>bold <i>both</i></b>", "bold both", [{ type: "bold", offset: 0, length: 9 }, { type: "italic", offset: 5, length: 4 }]],
    ["code and pre", "<code>0.70</code> <pre>x = 1</pre>", "0.70 x = 1", [{ type: "code", offset: 0, length: 4 }, { type: "pre", offset: 5, length: 5 }]],
    ["pre with a language", '<pre><code class="language-ts">let a</code></pre>', "let a", [{ type: "pre", offset: 0, length: 5, language: "ts" }]],
    ["spoilers", '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>', "ab", [{ type: "spoiler", offset: 0, length: 1 }, { type: "spoiler", offset: 1, length: 1 }]],
    ["blockquotes", "<blockquote>q</blockquote><blockquote expandable>r</blockquote>", "qr", [{ type: "blockquote", offset: 0, length: 1 }, { type: "expandable_blockquote", offset: 1, length: 1 }]],
    ["upper-case tags", "<B>x</B>", "x", [{ type: "bold", offset: 0, length: 1 }]],
    ["an empty element makes no entity", "<b></b>x", "x", []],
    ["offsets count UTF-16 units (emoji = 2)", "📈 <b>up</b>", "📈 up", [{ type: "bold", offset: 3, length: 2 }]],
    ["the short end tag </> closes the open one", "<b>x</>", "x", [{ type: "bold", offset: 0, length: 1 }]],
  ])("%s", (_name, html, text, entities) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: true, text, entities });
  });
});

describe("parseTelegramHtml: Telegram's error descriptions", () => {
  it.each([
    ["<p>x</p>", 'Unsupported start tag "p" at byte offset 0'],
    ["price < 0.5", 'Unsupported start tag "" at byte offset 6'],
    ["€ <br>", 'Unsupported start tag "br" at byte offset 4'],
    ["<b>x", 'Can\'t find end tag corresponding to start tag "b"'],
    ["x</b>", "Unexpected end tag at byte offset 1"],
    ["<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ["<b", "Unclosed start tag at byte offset 0"],
    ["<b>x</b", "Unclosed end tag at byte offset 4"],
    ['<a href="x', "Unclosed start tag at byte offset 0"],
    ["<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'],
    ["<a href=x/y>z</a>", "Unexpected end of name token at byte offset 8"],
    ['<span class="big">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ["<tg-emoji emoji-id=\"1\">x</tg-emoji>", 'Unsupported start tag "tg-emoji" at byte offset 0'],
  ])("%j → %s", (html, error) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: false, error });
  });
});

describe("helpers", () => {
  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["📈", 4],
  ])("utf8Length(%j) = %d", (s, n) => expect(utf8Length(s)).toBe(n));

  it.each([
    ["https://polymarket.com", "https://polymarket.com/"],
    ["polymarket.com/event/x", "http://polymarket.com/event/x"],
    ["tg://user?id=1", "tg://user?id=1"],
    ["javascript:alert(1)", undefined],
    ["data:text/html,x", undefined],
    ["http://nodots", undefined],
  ])("safeLink(%j) = %j", (href, want) => expect(safeLink(href)).toBe(want));

  it("trimMessage strips outer white space and moves entities with the text", () => {
    const out = trimMessage("\n  <b>x</b> \n", []);
    expect(out.text).toBe("<b>x</b>");
    expect(trimMessage("  ab  ", [{ type: "bold", offset: 0, length: 6 }, { type: "italic", offset: 0, length: 2 }])).toEqual({
      text: "ab",
      entities: [{ type: "bold", offset: 0, length: 2 }],
    });
  });
});
