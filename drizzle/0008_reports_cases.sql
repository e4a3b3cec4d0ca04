CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"title" text NOT NULL,
	"subjects" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"priority" integer NOT NULL,
	"assignee" text,
	"key" text,
	"open_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "detector_settings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"detector" text NOT NULL,
	"threshold" double precision,
	"action" text,
	"rule" text,
	"reason" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "muted_reporters" (
	"reporter_type" text NOT NULL,
	"reporter_id" text NOT NULL,
	"until" timestamp with time zone,
	"reason" text NOT NULL,
	"muted_by" text NOT NULL,
	"muted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "muted_reporters_reporter_type_reporter_id_pk" PRIMARY KEY("reporter_type","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"reason" text NOT NULL,
	"reporter_type" text NOT NULL,
	"reporter_id" text NOT NULL,
	"text" text,
	"received_at" timestamp with time zone NOT NULL,
	"case_id" text
);
--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "cases_queue_idx" ON "cases" USING btree ("kind","state","priority");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_open_key_idx" ON "cases" USING btree ("open_key");--> statement-breakpoint
CREATE INDEX "detector_settings_detector_idx" ON "detector_settings" USING btree ("detector","id");--> statement-breakpoint
CREATE INDEX "reports_subject_idx" ON "reports" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "reports_reporter_idx" ON "reports" USING btree ("reporter_type","reporter_id");