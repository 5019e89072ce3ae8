CREATE TABLE "operator_checks" (
	"name" text PRIMARY KEY NOT NULL,
	"ok" boolean NOT NULL,
	"status" text NOT NULL,
	"detail" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Operator checks are the system's own: a user-scoped session sees none of them.
ALTER TABLE "operator_checks" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY operator_checks_system ON "operator_checks" TO polycool_worker
  USING (polycool_is_system()) WITH CHECK (polycool_is_system());
