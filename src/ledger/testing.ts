/** Test support: complete ledger bodies and entries with defaults, overridden per test. */
import type { ActionBody, LedgerEntry } from "../domain/model.ts";

export function actionBody(over: Partial<ActionBody> = {}): ActionBody {
  return {
    subject: { type: "account", id: "a" },
    action: "suspend",
    countries: null,
    surfaces: null,
    label: null,
    basis: null,
    expiresAt: null,
    source: { kind: "manual", id: null },
    actor: "test",
    reason: "test reason",
    rule: null,
    legalBasis: null,
    reverses: null,
    idempotencyKey: null,
    recordedAt: "2021-02-01T00:00:00.000Z",
    ...over,
  };
}

/** An entry as the feed delivers it (hashes left empty: the resolver does not check them). */
export function ledgerEntry(seq: number, over: Partial<ActionBody> = {}): LedgerEntry {
  return { seq, prevHash: "", hash: "", ...actionBody(over) };
}
