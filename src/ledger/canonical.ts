import { createHash } from "node:crypto";

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members dropped,
 * numbers and strings as JSON.stringify writes them (the RFC 8785 rules for the values Vigil stores).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("canonicalJson: non-finite number");
    if (typeof value === "bigint") throw new Error("canonicalJson: bigint is not allowed");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * The hash of a ledger entry: SHA-256 over `vigil-ledger/1\n<seq>\n<prevHash>\n<canonical body>`.
 * Chaining `prevHash` makes any edit, insertion or removal visible to `vigil ledger verify`.
 */
export function entryHash(seq: number, prevHash: string, body: unknown): string {
  return createHash("sha256").update(`vigil-ledger/1\n${seq}\n${prevHash}\n${canonicalJson(body)}`).digest("hex");
}
