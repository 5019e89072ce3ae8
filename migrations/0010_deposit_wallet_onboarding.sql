ALTER TABLE "wallets" ADD COLUMN "deployed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "api_key_bound_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "relayer_tx_step" text;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "relayer_tx_id" text;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "relayer_tx_nonce" text;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "onboarding_error" text;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "onboarding_lease_until" timestamp with time zone;