CREATE TABLE "order_items" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"position" integer NOT NULL,
	"target" text NOT NULL,
	"reason" text,
	"resolution" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"resolution_note" text,
	"recommendation" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"authority_name" text NOT NULL,
	"authority_country" text NOT NULL,
	"authority_type" text NOT NULL,
	"reference" text NOT NULL,
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"review_deadline" timestamp with time zone,
	"emergency" boolean NOT NULL,
	"confidential" boolean NOT NULL,
	"legal_basis_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "order_items_order_position_idx" ON "order_items" USING btree ("order_id","position");--> statement-breakpoint
CREATE INDEX "order_items_subject_idx" ON "order_items" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_authority_reference_idx" ON "orders" USING btree ("authority_name","reference");--> statement-breakpoint
CREATE INDEX "orders_deadline_idx" ON "orders" USING btree ("deadline");