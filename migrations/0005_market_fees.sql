ALTER TABLE "markets" ADD COLUMN "fee_rate" numeric(8, 6) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "fee_exponent" smallint DEFAULT 1 NOT NULL;