-- Row-level security on the tables added for issue #18 (custom migration, as 0001): the Worker's role
-- sees only the scoped user's rows, or every row in the system scope.
ALTER TABLE secure_actions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY secure_actions_own ON secure_actions TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
ALTER TABLE message_deletions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY message_deletions_own ON message_deletions TO polycool_worker
  USING (polycool_is_system() OR user_id = polycool_scope_user_id())
  WITH CHECK (polycool_is_system() OR user_id = polycool_scope_user_id());
--> statement-breakpoint
-- Deletions scheduled before this release lived in trade_intents (kind 'delete_message'): moved over.
INSERT INTO message_deletions (user_id, chat_id, message_id, purpose, due_at, next_attempt_at)
  SELECT user_id, (payload->>'chatId')::bigint, (payload->>'messageId')::bigint, 'exported_key', expires_at, expires_at
  FROM trade_intents WHERE kind = 'delete_message' AND used_at IS NULL;
--> statement-breakpoint
DELETE FROM trade_intents WHERE kind = 'delete_message';
