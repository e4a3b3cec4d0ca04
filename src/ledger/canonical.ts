import { createHash, hash } from "node:crypto";

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members dropped,
 * numbers and strings as JSON.stringify writes them (the RFC 8785 rules for the values Vigil stores).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new Error("canonicalJson: non-finite number");
    if (typeof value === "bigint") throw new Error("canonicalJson: bigint is not allowed");
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * The canonical JSON of a ledger entry body, on the fast path: the same text as
 * `canonicalJson(body)` for every body of this shape (a unit test holds the two together), built
 * by laying the keys out in sorted order once instead of sorting them per entry.
 */
export function canonicalBody(b: {
  action: unknown;
  actor: unknown;
  basis: unknown;
  countries: unknown;
  expiresAt: unknown;
  idempotencyKey: unknown;
  label: unknown;
  legalBasis: unknown;
  reason: unknown;
  recordedAt: unknown;
  reverses: unknown;
  rule: unknown;
  source: { id: unknown; kind: unknown };
  subject: { id: unknown; type: unknown };
  surfaces: unknown;
}): string {
  return JSON.stringify({
    action: b.action,
    actor: b.actor,
    basis: b.basis,
    countries: b.countries,
    expiresAt: b.expiresAt,
    idempotencyKey: b.idempotencyKey,
    label: b.label,
    legalBasis: b.legalBasis,
    reason: b.reason,
    recordedAt: b.recordedAt,
    reverses: b.reverses,
    rule: b.rule,
    source: { id: b.source.id, kind: b.source.kind },
    subject: { id: b.subject.id, type: b.subject.type },
    surfaces: b.surfaces,
  });
}

/** `entryHash` over an already canonical body text. */
export function entryHashOfCanonical(seq: number, prevHash: string, canonical: string): string {
  return hash("sha256", `vigil-ledger/1\n${seq}\n${prevHash}\n${canonical}`, "hex");
}

/**
 * The hash of a ledger entry: SHA-256 over `vigil-ledger/1\n<seq>\n<prevHash>\n<canonical body>`.
 * Chaining `prevHash` makes any edit, insertion or removal visible to `vigil ledger verify`.
 */
export function entryHash(seq: number, prevHash: string, body: unknown): string {
  return createHash("sha256")
    .update(`vigil-ledger/1\n${seq}\n${prevHash}\n${canonicalJson(body)}`)
    .digest("hex");
}
