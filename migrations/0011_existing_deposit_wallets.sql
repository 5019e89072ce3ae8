-- Deposit wallets (signature type 3) stored before the bot could set them up were set up outside it (the
-- README told their owners to): their onboarding steps count as done, so their live buys are not refused
-- with "Finish setup" (workers/trading/live-venue.ts, wallet_setup_pending).
UPDATE "wallets" SET "deployed_at" = now(), "approved_at" = now(), "api_key_bound_at" = now()
WHERE "signature_type" = 3 AND "deployed_at" IS NULL AND "approved_at" IS NULL AND "api_key_bound_at" IS NULL;
