/**
 * Which hashtag subject an id names. The read path matches a hashtag subject id as a pattern under its
 * match key (`Tag` exactly, `Tag*` as a prefix, `*Tag*` as an infix: see `hashtagPattern` in
 * src/visibility/resolver.ts, which this mirrors), so two ids with the same mode and the same match key
 * (`CaseTagQa`, `casetagqa`) restrict exactly the same tags and are one subject.
 */
import type { MatchMode } from "./matcher.ts";
import { matchKey } from "./normalize.ts";

/** Mirrors `hashtagPattern` (src/visibility/resolver.ts); a test holds the two together. */
function pattern(id: string): { pattern: string; mode: MatchMode } {
  if (id.length > 2 && id.startsWith("*") && id.endsWith("*"))
    return { pattern: id.slice(1, -1), mode: "contains" };
  if (id.length > 1 && id.endsWith("*")) return { pattern: id.slice(0, -1), mode: "prefix" };
  return { pattern: id, mode: "exact" };
}

/**
 * The identity of a hashtag subject: its match mode and the match key of its pattern. Null when the
 * pattern has nothing left to match once normalized (e.g. "_", "*"): such an id restricts nothing.
 */
export function hashtagSubjectKey(id: string): string | null {
  const p = pattern(id);
  const key = matchKey(p.pattern);
  return key === "" ? null : `${p.mode}:${key}`;
}

/** A hashtag subject id the ledger already holds. */
export interface KnownHashtag {
  id: string;
  /** The seq of its first entry. */
  first: number;
  /** Whether something is in force on it now. */
  inForce: boolean;
}

/**
 * The spelling an action on hashtag `id` is recorded under: the existing subject with the same
 * identity (one with something in force first, then the same spelling, then the oldest), or `id` itself
 * when there is none. The wildcard form is kept, since the identity includes the mode.
 */
export function canonicalHashtag(id: string, known: Iterable<KnownHashtag>): string {
  const key = hashtagSubjectKey(id);
  if (key === null) return id;
  let best: KnownHashtag | null = null;
  const better = (a: KnownHashtag, b: KnownHashtag) =>
    a.inForce !== b.inForce ? a.inForce : (a.id === id) !== (b.id === id) ? a.id === id : a.first < b.first;
  for (const k of known) if (hashtagSubjectKey(k.id) === key && (best === null || better(k, best))) best = k;
  return best?.id ?? id;
}

/** The ids among `known` that name the same subject as `id` (its other spellings included). */
export function sameHashtagSubject(id: string, known: Iterable<string>): string[] {
  const key = hashtagSubjectKey(id);
  if (key === null) return [...known].filter((k) => k === id);
  return [...known].filter((k) => hashtagSubjectKey(k) === key);
}
