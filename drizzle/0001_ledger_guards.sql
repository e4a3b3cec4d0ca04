-- The chain starts empty: seq 0 and the all-zero hash are the genesis that entry 1 points back to.
INSERT INTO "ledger_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
--> statement-breakpoint
-- The ledger is append-only. This guard stops accidental edits; the hash chain catches deliberate ones
-- (`vigil ledger verify`).
CREATE FUNCTION vigil_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the enforcement ledger is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON "ledger"
  FOR EACH ROW EXECUTE FUNCTION vigil_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON "ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_ledger_append_only();
