CREATE TABLE "protected_accounts" (
	"account_id" text PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"verified_by" text NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"note" text
);
