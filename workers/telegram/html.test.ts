import { describe, expect, it } from "vitest";
import { clip, html, join, link, render } from "./html";
import { screen, withNote } from "./screen";

describe("html: data never becomes markup", () => {
  it.each([
    ["a tag in a name", html`<b>${"<2.5 goals"}</b>`, "<b>&lt;2.5 goals</b>"],
    ["a link in a name", html`Buy ${'<a href="https://evil.example">Yes</a>'}`, "Buy &lt;a href=&quot;https://evil.example&quot;&gt;Yes&lt;/a&gt;"],
    ["an entity in a name", html`${"AT&T &amp; co"}`, "AT&amp;T &amp;amp; co"],
    ["numbers and nothing", html`${3} ${10n}${null}${undefined}${false}`, "3 10"],
    ["nested markup stays markup", html`${html`<i>${"x<y"}</i>`} and ${["a", html`<b>b</b>`]}`, "<i>x&lt;y</i> and a<b>b</b>"],
    ["a join", join(["1 < 2", html`<b>ok</b>`, null, ""], " · "), "1 &lt; 2 · <b>ok</b>"],
  ])("%s", (_name, got, want) => expect(render(got)).toBe(want));

  it("a plain string where markup is expected is escaped (a screen line)", () => {
    expect(screen(["<b>not bold</b>", html`<b>bold</b>`, null, "", false]).text).toBe("&lt;b&gt;not bold&lt;/b&gt;\n<b>bold</b>\n");
    expect(withNote(screen([html`<b>x</b>`]), "note <i>").text).toBe("note &lt;i&gt;\n<b>x</b>");
  });

  it("markup turned into a string by accident fails loudly instead of leaking", () => {
    const b = html`<b>x</b>`;
    expect(() => `${b}`).toThrow(/html``/);
    expect(() => [b].join(" ")).toThrow(/html``/);
    expect(() => (html as unknown as (s: string[]) => unknown)(["<b>"])).toThrow(/tagged template/);
  });

  it("links go only to https URLs, escaped", () => {
    expect(render(link("https://polymarket.com/event/a?b=1&c=\"2\"", "open"))).toBe('<a href="https://polymarket.com/event/a?b=1&amp;c=%222%22">open</a>');
    expect(render(link("javascript:alert(1)", "open"))).toBe("open");
    expect(render(link("not a url", "<x>"))).toBe("&lt;x&gt;");
  });

  it.each([
    ["whitespace folded", "  a\n\n b  ", 300, "a b"],
    ["cut with an ellipsis", "abcdef", 4, "abc…"],
    ["emoji never split", "👍👍👍👍👍", 3, "👍👍…"],
    ["bidi overrides removed", "Yes\u202eoN", 300, "YesoN"],
    ["zero-width and invisible removed", "Y\u200be\u2060s\ufeff", 300, "Yes"],
    ["controls removed", "a\u0000b\u0007c", 300, "abc"],
  ])("clip: %s", (_name, text, max, want) => expect(clip(text, max)).toBe(want));
});
