CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"handle" text NOT NULL,
	"display_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"country" text,
	"lang" text,
	"bio" text NOT NULL,
	"has_avatar" boolean NOT NULL,
	"followers" integer NOT NULL,
	"following" integer NOT NULL,
	"verified" boolean NOT NULL,
	"ingested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"authority" text,
	"label" text,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deletions" (
	"post_id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enforcement_state" (
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"key" text NOT NULL,
	"seq" bigint NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "enforcement_state_subject_type_subject_id_key_pk" PRIMARY KEY("subject_type","subject_id","key")
);
--> statement-breakpoint
CREATE TABLE "ledger" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"body" jsonb NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"idempotency_key" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "ledger_head_single_row" CHECK ("ledger_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" text PRIMARY KEY NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"lang" text,
	"reply_to" text,
	"quote_of" text,
	"repost_of" text,
	"urls" jsonb NOT NULL,
	"media" jsonb NOT NULL,
	"hashtags" text[] NOT NULL,
	"mentions" text[] NOT NULL,
	"deleted_at" timestamp with time zone,
	"ingested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "accounts_handle_lower_idx" ON "accounts" USING btree (lower("handle"));--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_idx" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "enforcement_state_expires_idx" ON "enforcement_state" USING btree ("expires_at") WHERE "enforcement_state"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "ledger_subject_idx" ON "ledger" USING btree ("subject_type","subject_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_idempotency_key_idx" ON "ledger" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "posts_author_idx" ON "posts" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "posts_created_idx" ON "posts" USING btree ("created_at");