CREATE TABLE "order_correspondence" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone,
	"summary" text NOT NULL,
	"body" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "order_correspondence_order_idx" ON "order_correspondence" USING btree ("order_id","at");