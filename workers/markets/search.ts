// Market search on indexes (migration 0008): Postgres full-text search over the title (weight A), the
// event's title (B), category and tags (C), every word a prefix ("bitc" finds Bitcoin, "elections"
// finds "election" by its English stem), ranked by relevance and 24 h volume. When no open market
// matches every word that way, the typo fallback tries the known words closest to each
// ("bitcein" → bitcoin, "celtecs" → celtics), found on a trigram index of market_words.
import { type SQL, sql } from "drizzle-orm";

/** Words longer than this are cut (no title word is longer; keeps the trigram work bounded). */
const MAX_TERM_CHARS = 40;
export const MAX_SEARCH_TERMS = 8;

/**
 * The words of a search as terms: runs of letters and digits, lower-cased, each once. Anything else
 * (quotes, `&`, `:`, `!`, `*`) separates words, so nothing the user types is read as query syntax.
 */
export function searchTerms(words: readonly string[]): string[] {
  const terms = words.flatMap((w) => w.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((t) => [...t].slice(0, MAX_TERM_CHARS).join(""));
  return [...new Set(terms.filter((t) => [...t].length >= 2 || /^\p{N}$/u.test(t)))].slice(0, MAX_SEARCH_TERMS);
}

/** `w1:* & 2027`: every word, words as prefixes, numbers whole ("2027" is not "20271"); terms hold only letters and digits. */
const prefixQuery = (terms: readonly string[]) => terms.map((t) => (/^\p{N}+$/u.test(t) ? t : `${t}:*`)).join(" & ");

/**
 * Relevance is ranked among the busiest this many matches: a word found in thousands of titles
 * ("2027", "win") costs a sort by volume, not a rank computed for every match. Nobody pages past it.
 */
const RANKED_MATCHES = 1_000;

/** Known words tried in place of each word the full-text search did not find (the closest by trigram similarity). */
const TYPO_ALTERNATIVES = 4;

/**
 * The open markets matching `terms`, as a subquery of `(id, score)`: full-text matches when there
 * are any; else the typo fallback, which replaces every term by the few known words closest to it
 * (`market_words`, trigram similarity above pg_trgm's default 0.3, on its index) and searches for
 * those. The score weighs relevance by 24 h volume (a busy market first among equally good matches).
 * `open` is the list's filter on `markets`.
 */
export function rankedMatches(terms: readonly string[], open: SQL): SQL {
  if (terms.length === 0) return sql`(SELECT NULL::text AS id, 0::float8 AS score WHERE false)`;
  const tsq = sql`to_tsquery('english', ${prefixQuery(terms)})`;
  const volume = sql`(1 + ln(1 + greatest(coalesce(volume_24hr, 0), 0)::float8))`;
  const termArray = sql`ARRAY[${sql.join(
    terms.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  return sql`(
    WITH hits AS (
      SELECT id, search_doc, volume_24hr FROM markets WHERE ${open} AND search_doc @@ ${tsq}
      ORDER BY volume_24hr DESC NULLS LAST LIMIT ${RANKED_MATCHES}
    ), fts AS (
      SELECT id, ts_rank(search_doc, ${tsq})::float8 * ${volume} AS score FROM hits
    ), alternatives AS (
      SELECT t.ord, string_agg(w.word, ' | ') AS alts
      FROM unnest(${termArray}) WITH ORDINALITY AS t(term, ord)
      CROSS JOIN LATERAL (
        SELECT word FROM market_words WHERE word % t.term ORDER BY similarity(word, t.term) DESC, word LIMIT ${TYPO_ALTERNATIVES}
      ) w
      WHERE NOT EXISTS (SELECT 1 FROM fts)
      GROUP BY t.ord
    ), corrected AS (
      -- Every term needs a known word close to it; the words hold only letters and digits.
      SELECT to_tsquery('english', string_agg('(' || alts || ')', ' & ')) AS q FROM alternatives HAVING count(*) = ${terms.length}
    ), typo_hits AS (
      SELECT id, search_doc, volume_24hr, c.q FROM markets, corrected c WHERE ${open} AND search_doc @@ c.q
      ORDER BY volume_24hr DESC NULLS LAST LIMIT ${RANKED_MATCHES}
    ), typo AS (
      SELECT id, ts_rank(search_doc, q)::float8 * ${volume} AS score FROM typo_hits
    )
    SELECT id, score FROM fts UNION ALL SELECT id, score FROM typo
  )`;
}
