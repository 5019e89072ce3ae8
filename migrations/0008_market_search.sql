-- Market search (workers/markets/search.ts). pg_trgm finds the known words closest to a mistyped one;
-- Neon and Debian's Postgres ship it, PGlite loads it per instance (tools/dev/embedded-pg.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "market_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "tags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "search_doc" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', question), 'A') || setweight(to_tsvector('english', coalesce(event_title, '')), 'B') || setweight(to_tsvector('english', coalesce(category, '') || ' ' || tags::text), 'C')) STORED;--> statement-breakpoint
CREATE INDEX "market_words_trgm_idx" ON "market_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "markets_search_doc_idx" ON "markets" USING gin ("search_doc");--> statement-breakpoint
-- The words of new markets go into market_words (insert only: titles rarely change, and the price
-- updates the streamer writes every few hundred ms must not pay for it). SECURITY DEFINER with a fixed
-- search_path, so the Worker's role needs no grant beyond reading it.
CREATE FUNCTION polycool_collect_market_words() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO market_words (word)
  SELECT DISTINCT w FROM polycool_new_markets n,
    regexp_split_to_table(lower(n.question || ' ' || coalesce(n.event_title, '') || ' ' || coalesce(n.category, '') || ' ' || n.tags::text), '[^[:alnum:]]+') AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER markets_collect_words AFTER INSERT ON markets REFERENCING NEW TABLE AS polycool_new_markets
  FOR EACH STATEMENT EXECUTE FUNCTION polycool_collect_market_words();--> statement-breakpoint
INSERT INTO market_words (word)
SELECT DISTINCT w FROM markets m,
  regexp_split_to_table(lower(m.question || ' ' || coalesce(m.event_title, '') || ' ' || coalesce(m.category, '') || ' ' || m.tags::text), '[^[:alnum:]]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
ON CONFLICT (word) DO NOTHING;
