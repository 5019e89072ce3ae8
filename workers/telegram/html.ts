// The one way text reaches Telegram's HTML parse mode. Markup exists only as `Html`, made by the
// `html` tagged template from markup written in the code; everything interpolated into it (a market
// name, an outcome, a user's name, an error text, a number) is escaped, so no data can open a tag,
// an entity or a link. A plain string given where markup is expected is escaped too.

const MARKUP: unique symbol = Symbol("telegram-html");

/** Markup that is safe to send: built by `html`, `join` or `link`, never from a string. */
export interface Html {
  readonly [MARKUP]: string;
}

/** What a screen line or a template value may be: markup, text to escape, or nothing. */
export type Fragment = Html | string | number | bigint | null | undefined | false | readonly Fragment[];

/** Telegram HTML knows these four entities; escaping them keeps any text inert. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Markup turned into a string by accident (a plain template, `+`, `.join`) would be escaped later or lost: fail loudly. */
function misused(): never {
  throw new TypeError("Html used as a string: put it in an html`` template, join() or a screen line");
}

const trusted = (markup: string): Html => ({ [MARKUP]: markup, toString: misused, [Symbol.toPrimitive]: misused }) as Html;

export function isHtml(v: unknown): v is Html {
  return typeof v === "object" && v !== null && MARKUP in v;
}

/** The markup of a fragment: text escaped, arrays concatenated, nothing for null/undefined/false. */
export function render(f: Fragment): string {
  if (f === null || f === undefined || f === false) return "";
  if (typeof f === "string") return escape(f);
  if (typeof f === "number" || typeof f === "bigint") return String(f);
  if (isHtml(f)) return f[MARKUP];
  return (f as readonly Fragment[]).map(render).join("");
}

/**
 * html`Buy <b>${outcome}</b> · ${question}`: the literal parts are the code's own markup; every
 * value is rendered as a fragment (strings escaped). Only a real template literal is accepted.
 */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): Html {
  if (!Array.isArray((strings as { raw?: unknown }).raw)) throw new TypeError("html must be used as a tagged template");
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return trusted(out);
}

/** Fragments joined by a separator (text or markup). */
export function join(parts: readonly Fragment[], separator: Fragment): Html {
  const sep = render(separator);
  return trusted(parts.map(render).filter((p) => p !== "").join(sep));
}

/** A link, only to an https URL (a data name can never become one). */
export function link(url: string, label: Fragment): Html {
  const u = URL.parse(url);
  if (!u || u.protocol !== "https:") return html`${label}`;
  return trusted(`<a href="${escape(u.href)}">${render(label)}</a>`);
}

/**
 * Characters that make a name lie about itself or about its neighbours: bidirectional overrides and
 * isolates (a reversed "Yes"), zero-width characters, other invisible format characters, C0/C1
 * controls. They are removed from data before it is shown.
 */
const DECEPTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]/g;

/**
 * Data (a market or outcome name, an error text) as it is shown: one line, deceptive characters
 * removed, at most `max` characters (code points: an emoji is never split) with an ellipsis.
 */
export function clip(text: string, max = 300): string {
  const chars = [...text.replace(DECEPTIVE, "").replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}
