CREATE TABLE "market_tokens" (
	"token_id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"outcome" text NOT NULL,
	"outcome_index" smallint NOT NULL,
	"best_bid" numeric(12, 6),
	"best_ask" numeric(12, 6),
	"last_trade_price" numeric(12, 6),
	"price_source" text,
	"price_updated_at" timestamp with time zone,
	"winner" boolean
);
--> statement-breakpoint
CREATE TABLE "markets" (
	"id" text PRIMARY KEY NOT NULL,
	"condition_id" text NOT NULL,
	"question" text NOT NULL,
	"slug" text,
	"event_slug" text,
	"event_title" text,
	"category" text,
	"description" text,
	"clob_token_ids" jsonb NOT NULL,
	"outcomes" jsonb NOT NULL,
	"outcome_prices" jsonb NOT NULL,
	"source" text DEFAULT 'gamma' NOT NULL,
	"tick_size" numeric(8, 6) DEFAULT '0.01' NOT NULL,
	"neg_risk" boolean DEFAULT false NOT NULL,
	"min_order_size" numeric(20, 6) DEFAULT '5' NOT NULL,
	"version" text DEFAULT 'v1' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	"accepting_orders" boolean DEFAULT true NOT NULL,
	"volume" numeric(20, 6),
	"volume_24hr" numeric(20, 6),
	"liquidity" numeric(20, 6),
	"end_date" timestamp with time zone,
	"image" text,
	"resolved_outcome" text,
	"synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_order_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"position_id" bigint,
	"market_id" text NOT NULL,
	"token_id" text NOT NULL,
	"mode" text NOT NULL,
	"side" text NOT NULL,
	"order_type" text NOT NULL,
	"reason" text DEFAULT 'manual' NOT NULL,
	"requested_amount" numeric(20, 6) NOT NULL,
	"worst_price" numeric(12, 6),
	"status" text DEFAULT 'pending' NOT NULL,
	"venue_order_id" text,
	"venue_status" text,
	"filled_shares" numeric(20, 6) DEFAULT '0' NOT NULL,
	"filled_amount" numeric(20, 6) DEFAULT '0' NOT NULL,
	"avg_price" numeric(12, 6),
	"fees" numeric(20, 6) DEFAULT '0' NOT NULL,
	"realized_pnl" numeric(20, 6),
	"error_code" text,
	"error_message" text,
	"signed_order" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "orders_client_order_id_unique" UNIQUE("client_order_id")
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"market_id" text NOT NULL,
	"token_id" text NOT NULL,
	"outcome" text NOT NULL,
	"mode" text NOT NULL,
	"paper_epoch" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"shares" numeric(20, 6) NOT NULL,
	"cost_basis" numeric(20, 6) NOT NULL,
	"avg_price" numeric(12, 6) NOT NULL,
	"current_price" numeric(12, 6),
	"pnl_amount" numeric(20, 6),
	"price_source" text,
	"price_at" timestamp with time zone,
	"realized_pnl" numeric(20, 6) DEFAULT '0' NOT NULL,
	"claim_id" text,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"close_reason" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"user_id" bigint NOT NULL,
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telegram_updates" (
	"update_id" bigint PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trade_intents" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"used_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"position_id" bigint NOT NULL,
	"trigger_id" bigint,
	"user_id" bigint NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"price" numeric(12, 6),
	"price_source" text,
	"price_age_ms" integer,
	"latency_ms" numeric(12, 3),
	"order_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triggers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"position_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"token_id" text NOT NULL,
	"kind" text NOT NULL,
	"price" numeric(12, 6),
	"trail" numeric(12, 6),
	"high_water" numeric(12, 6),
	"spec" text,
	"on_failure" text DEFAULT 'rearm' NOT NULL,
	"status" text DEFAULT 'armed' NOT NULL,
	"fired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"telegram_id" bigint NOT NULL,
	"chat_id" bigint,
	"username" text,
	"first_name" text,
	"mode" text DEFAULT 'paper' NOT NULL,
	"paper_cash" numeric(20, 6) DEFAULT '0' NOT NULL,
	"paper_deposits" numeric(20, 6) DEFAULT '0' NOT NULL,
	"paper_epoch" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pending_input" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_telegram_id_unique" UNIQUE("telegram_id")
);
--> statement-breakpoint
CREATE TABLE "wallets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"address" text NOT NULL,
	"signature_type" smallint DEFAULT 0 NOT NULL,
	"funder_address" text,
	"origin" text NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"api_key" text,
	"encrypted_api_secret" text,
	"encrypted_api_passphrase" text,
	"key_version" integer DEFAULT 1 NOT NULL,
	"exported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallets_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
ALTER TABLE "market_tokens" ADD CONSTRAINT "market_tokens_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_intents" ADD CONSTRAINT "trade_intents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "market_tokens_market_idx" ON "market_tokens" USING btree ("market_id");--> statement-breakpoint
CREATE INDEX "markets_condition_id_idx" ON "markets" USING btree ("condition_id");--> statement-breakpoint
CREATE INDEX "markets_slug_idx" ON "markets" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "markets_event_slug_idx" ON "markets" USING btree ("event_slug");--> statement-breakpoint
CREATE INDEX "markets_source_updated_idx" ON "markets" USING btree ("source","updated_at");--> statement-breakpoint
CREATE INDEX "markets_volume_idx" ON "markets" USING btree ("volume_24hr");--> statement-breakpoint
CREATE INDEX "orders_user_idx" ON "orders" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_position_idx" ON "orders" USING btree ("position_id");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "positions_token_status_idx" ON "positions" USING btree ("token_id","status");--> statement-breakpoint
CREATE INDEX "positions_user_status_idx" ON "positions" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "positions_status_updated_idx" ON "positions" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_one_open_idx" ON "positions" USING btree ("user_id","token_id","mode") WHERE status <> 'closed';--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limits_pk" ON "rate_limits" USING btree ("user_id","bucket","window_start");--> statement-breakpoint
CREATE INDEX "telegram_updates_received_idx" ON "telegram_updates" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "trade_intents_kind_expires_idx" ON "trade_intents" USING btree ("kind","expires_at");--> statement-breakpoint
CREATE INDEX "trigger_events_position_idx" ON "trigger_events" USING btree ("position_id","created_at");--> statement-breakpoint
CREATE INDEX "triggers_token_status_idx" ON "triggers" USING btree ("token_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "triggers_one_armed_kind_idx" ON "triggers" USING btree ("position_id","kind") WHERE status = 'armed';