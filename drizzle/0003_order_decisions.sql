CREATE TABLE "order_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"item_id" text NOT NULL,
	"outcome" text NOT NULL,
	"params" jsonb NOT NULL,
	"reason" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"ledger_seq" bigint
);
--> statement-breakpoint
CREATE INDEX "order_decisions_order_idx" ON "order_decisions" USING btree ("order_id","item_id","decided_at");