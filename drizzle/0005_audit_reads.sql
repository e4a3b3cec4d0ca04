CREATE TABLE "audit_reads" (
	"id" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"role" text NOT NULL,
	"resource" text NOT NULL,
	"resource_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_reads_resource_idx" ON "audit_reads" USING btree ("resource","resource_id","at");