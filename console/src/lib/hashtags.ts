/**
 * A browser-side approximation of the server's hashtag match key, for the preview only: NFKC, drop
 * default-ignorable (invisible) characters, case fold, NFKC again, remove separators ("_", dashes,
 * spaces, dots, hash signs) and fold the digits 0 → o, 1 → l. The server's key (src/hashtags/normalize.ts)
 * also applies the UTS #39 confusables skeleton (Cyrillic and Greek look-alikes, small capitals...),
 * so it catches at least what this catches, and more.
 */
export function approxMatchKey(tag: string): string {
  const display = tag
    .normalize("NFKC")
    .replace(/\p{Default_Ignorable_Code_Point}/gu, "")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC");
  return display
    .replace(/[\p{Pc}\p{Pd}\s.·・#＃]/gu, "")
    .replace(/0/g, "o")
    .replace(/1/g, "l")
    .normalize("NFD")
    .replace(/([a-z0-9])\p{M}+/gu, "$1")
    .normalize("NFC");
}

/** `#Tag`, `Tag` → `Tag`. */
export const stripHash = (s: string): string => s.trim().replace(/^[#＃]+/u, "");

export interface Candidate {
  tag: string;
  /** Where the spelling was seen: trends IN, suggestions US... */
  seenIn: string[];
  /** The server's own match key, when the source gave it (trends do). */
  serverKey?: string;
}

/** Merge spellings seen in several sources, keeping every place each was seen. */
export function mergeCandidates(
  lists: Array<{ source: string; tags: Array<{ tag: string; key?: string }> }>,
): Candidate[] {
  const byTag = new Map<string, Candidate>();
  for (const l of lists)
    for (const t of l.tags) {
      const tag = stripHash(t.tag);
      if (!tag) continue;
      const c = byTag.get(tag) ?? { tag, seenIn: [] };
      if (!c.seenIn.includes(l.source)) c.seenIn.push(l.source);
      if (t.key) c.serverKey = t.key;
      byTag.set(tag, c);
    }
  return [...byTag.values()];
}

/** Candidates the rule would catch by the approximate key (or by the server's key when both are known). */
export function wouldCatch(rule: string, candidates: Candidate[]): Candidate[] {
  const key = approxMatchKey(stripHash(rule));
  if (!key) return [];
  return candidates.filter(
    (c) =>
      approxMatchKey(c.tag) === key || (c.serverKey !== undefined && approxMatchKey(c.serverKey) === key),
  );
}
