/**
 * What the resolver keeps per restricted account or post: the restriction keys in force with the seq that
 * set them (so recorded reversals apply exactly), the withhold basis, and a display handle. Stored as one
 * compact string per subject, plus a packed integer that answers the common cases without decoding.
 */
import { COUNTRY_CODES } from "../domain/countries.ts";
import type { WithholdBasis } from "../domain/model.ts";

export interface KeyState {
  seq: number;
  /** For withhold keys. */
  basis: WithholdBasis | null;
}

export interface SubjectRows {
  keys: Map<string, KeyState>;
  handle: string | null;
}

/** `handle\tkey@seq[!l]\tkey@seq…` (`!l`: basis local_law; otherwise legal_demand for withholds). */
export function encodeRows(s: SubjectRows): string {
  let out = s.handle ?? "";
  for (const [key, k] of s.keys) out += `\t${key}@${k.seq}${k.basis === "local_law" ? "!l" : ""}`;
  return out;
}

export function decodeRows(text: string | undefined): SubjectRows {
  const keys = new Map<string, KeyState>();
  if (!text) return { keys, handle: null };
  const parts = text.split("\t");
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const local = p.endsWith("!l");
    const body = local ? p.slice(0, -2) : p;
    const at = body.lastIndexOf("@");
    const key = body.slice(0, at);
    keys.set(key, {
      seq: Number(body.slice(at + 1)),
      basis: key.startsWith("withhold:") ? (local ? "local_law" : "legal_demand") : null,
    });
  }
  return { keys, handle: parts[0] === "" ? null : (parts[0] ?? null) };
}

// ---- the packed form --------------------------------------------------------------------------

export const P = {
  suspended: 1 << 0,
  withheldEverywhere: 1 << 1,
  withheldEverywhereLocalLaw: 1 << 2,
  limitedEverywhere: 1 << 3,
  /** The country withholds are based on local law (else a legal demand). */
  countryLocalLaw: 1 << 4,
  /** Anything the packed form cannot say (labels, suppressions, 3+ countries…): decode the rows. */
  complex: 1 << 5,
  /** Bits 8–15 and 16–23: index + 1 of up to two countries the subject is withheld in (0: none). */
  country1Shift: 8,
  country2Shift: 16,
} as const;

const COUNTRY_INDEX = new Map(COUNTRY_CODES.map((c, i) => [c, i + 1]));
export const countryIndex = (cc: string | null | undefined): number =>
  cc ? (COUNTRY_INDEX.get(cc) ?? 0) : 0;
export const countryAt = (index: number): string => COUNTRY_CODES[index - 1] ?? "??";

/**
 * The packed integer for a subject and the one seq all its keys share, or null when the packed form
 * cannot represent it (then the rows are kept as a string and the complex bit is set).
 */
export function packSimple(rows: SubjectRows): { packed: number; seq: number } | null {
  let p = 0;
  let c1 = 0;
  let c2 = 0;
  let seq = -1;
  let countryBasis: WithholdBasis | null = null;
  for (const [key, k] of rows.keys) {
    if (seq === -1) seq = k.seq;
    else if (k.seq !== seq) return null;
    if (key === "suspend") p |= P.suspended;
    else if (key === "withhold:*")
      p |= P.withheldEverywhere | (k.basis === "local_law" ? P.withheldEverywhereLocalLaw : 0);
    else if (key === "limit_engagement:*") p |= P.limitedEverywhere;
    else if (key.startsWith("withhold:")) {
      if (countryBasis !== null && countryBasis !== k.basis) return null;
      countryBasis = k.basis;
      const ci = countryIndex(key.slice(9));
      if (ci === 0) return null;
      if (c1 === 0) c1 = ci;
      else if (c2 === 0) c2 = ci;
      else return null;
    } else return null;
  }
  if (countryBasis === "local_law") p |= P.countryLocalLaw;
  return { packed: p | (c1 << P.country1Shift) | (c2 << P.country2Shift), seq: Math.max(seq, 0) };
}

/** The keys a simple packed subject holds (the inverse of packSimple). */
export function unpackSimple(p: number, seq: number): Map<string, KeyState> {
  const keys = new Map<string, KeyState>();
  if (p & P.suspended) keys.set("suspend", { seq, basis: null });
  if (p & P.withheldEverywhere)
    keys.set("withhold:*", { seq, basis: p & P.withheldEverywhereLocalLaw ? "local_law" : "legal_demand" });
  if (p & P.limitedEverywhere) keys.set("limit_engagement:*", { seq, basis: null });
  const basis: WithholdBasis = p & P.countryLocalLaw ? "local_law" : "legal_demand";
  for (const shift of [P.country1Shift, P.country2Shift]) {
    const ci = (p >>> shift) & 0xff;
    if (ci !== 0) keys.set(`withhold:${countryAt(ci)}`, { seq, basis });
  }
  return keys;
}

/** The decoded view of a complex subject, for the slow path. */
export interface SubjectView {
  suspended: boolean;
  /** country code or `*` → basis */
  withheld: Map<string, WithholdBasis>;
  /** label → countries (`*` = everywhere) */
  labels: Map<string, Set<string>>;
  limited: Set<string>;
  /** surface → countries */
  suppressed: Map<string, Set<string>>;
}

export function viewOf(rows: SubjectRows): SubjectView {
  const v: SubjectView = {
    suspended: false,
    withheld: new Map(),
    labels: new Map(),
    limited: new Set(),
    suppressed: new Map(),
  };
  const add = (m: Map<string, Set<string>>, k: string, c: string) => {
    let s = m.get(k);
    if (!s) {
      s = new Set();
      m.set(k, s);
    }
    s.add(c);
  };
  for (const [key, k] of rows.keys) {
    const parts = key.split(":");
    switch (parts[0]) {
      case "suspend":
        v.suspended = true;
        break;
      case "withhold":
        v.withheld.set(parts[1]!, k.basis ?? "legal_demand");
        break;
      case "label":
        add(v.labels, parts[1]!, parts[2]!);
        break;
      case "limit_engagement":
        v.limited.add(parts[1]!);
        break;
      case "suppress":
        add(v.suppressed, parts[1]!, parts[2]!);
        break;
    }
  }
  return v;
}
