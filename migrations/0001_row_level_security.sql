-- Row-level security on the user tables (custom migration: drizzle-kit does not write roles, functions or policies).
-- The Worker runs as the limited role polycool_worker (DML only, no DDL, subject to these policies);
-- operators and migrations keep using the owner role, which RLS does not restrict (no FORCE), so the
-- operator's SQL checks run as written.
-- Scopes (set by the Worker per connection or per transaction, see workers/db/client.ts):
--   polycool.scope = 'system'          the streamer, cron and admin routes: every row
--   polycool.telegram_id = <id>        one Telegram user's request: only that user's rows
DO $$ BEGIN
  CREATE ROLE polycool_worker NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
--> statement-breakpoint
GRANT polycool_worker TO current_user;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO polycool_worker;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO polycool_worker;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO polycool_worker;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO polycool_worker;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO polycool_worker;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION polycool_is_system() RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('polycool.scope', true), '') = 'system' $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION polycool_scope_telegram_id() RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('polycool.telegram_id', true), '')::bigint $$;
--> statement-breakpoint
-- SECURITY DEFINER: reads users without recursing into users' own policy.
CREATE OR REPLACE FUNCTION polycool_scope_user_id() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM users WHERE telegram_id = polycool_scope_telegram_id() $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION polycool_is_system(), polycool_scope_telegram_id(), polycool_scope_user_id() TO polycool_worker;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_own ON users TO polycool_worker
  USING (polycool_is_system() OR telegram_id = polycool_scope_telegram_id())
  WITH CHECK (polycool_is_system() OR telegram_id = polycool_scope_telegram_id());
--> statement-breakpoint
ALTER TABLE wallets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY wallets_own ON wallets TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE positions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY positions_own ON positions TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY orders_own ON orders TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE triggers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY triggers_own ON triggers TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE trigger_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY trigger_events_own ON trigger_events TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE trade_intents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY trade_intents_own ON trade_intents TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
