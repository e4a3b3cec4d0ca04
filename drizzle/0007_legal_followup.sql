CREATE TABLE "appeals" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"ledger_seq" bigint NOT NULL,
	"order_id" text,
	"item_id" text,
	"appellant" text NOT NULL,
	"text" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"restore_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "author_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"order_id" text,
	"item_id" text,
	"ledger_seq" bigint,
	"status" text NOT NULL,
	"withheld_reason" text,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"dedupe_key" text,
	"ref" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"outbox_id" bigint NOT NULL,
	"webhook_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_outbox_id_webhook_id_pk" PRIMARY KEY("outbox_id","webhook_id")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"topics" text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "confirmation" jsonb;--> statement-breakpoint
CREATE INDEX "appeals_state_idx" ON "appeals" USING btree ("state","received_at");--> statement-breakpoint
CREATE INDEX "appeals_seq_idx" ON "appeals" USING btree ("ledger_seq");--> statement-breakpoint
CREATE INDEX "author_notices_order_idx" ON "author_notices" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "author_notices_subject_idx" ON "author_notices" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_attachments_order_sha_idx" ON "order_attachments" USING btree ("order_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key_idx" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_ref_idx" ON "outbox" USING btree ("ref","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';