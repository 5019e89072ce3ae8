// Finds a polymarket.com event or market link in a message: /event/<slug>[/<market-slug>], /market/<slug>.

export type PolymarketLink = { kind: "event"; eventSlug: string; marketSlug?: string } | { kind: "market"; marketSlug: string };

const SLUG = /^[a-z0-9][a-z0-9-]{0,199}$/;
/** Locale prefixes polymarket.com puts before the path (e.g. /es/event/...). */
const LOCALE = /^[a-z]{2}(-[a-z]{2})?$/;
/** The first polymarket.com URL in a text, with or without a scheme or "www.". */
const URL_IN_TEXT = /(?:https?:\/\/)?(?:www\.)?polymarket\.com(\/[^\s<>"']*)?/i;

function decodeSegment(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg).toLowerCase();
  } catch {
    return undefined;
  }
}

/** The link in `text`, or null when there is none (or it names no event or market). */
export function parsePolymarketLink(text: string): PolymarketLink | null {
  const m = URL_IN_TEXT.exec(text);
  if (!m) return null;
  const path = (m[1] ?? "").split(/[?#]/)[0]!;
  const segs = path.split("/").filter((s) => s !== "").map(decodeSegment);
  if (segs.some((s) => s === undefined)) return null;
  const parts = segs as string[];
  if (parts.length > 0 && LOCALE.test(parts[0]!) && parts[0] !== "event" && parts[0] !== "market") parts.shift();
  const [kind, first, second] = parts;
  if (!first || !SLUG.test(first)) return null;
  if (kind === "market") return { kind: "market", marketSlug: first };
  if (kind !== "event") return null;
  return second && SLUG.test(second) ? { kind: "event", eventSlug: first, marketSlug: second } : { kind: "event", eventSlug: first };
}
