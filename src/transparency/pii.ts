/**
 * Personal data in free text (DSA Art. 24(5); standards.md §1.1: "no personal data in any field"):
 * one set of detectors, used both to scrub the text Vigil writes into public exports and, by the
 * validators, to refuse text that still carries any of it.
 *
 * What is detected (deliberately broad: a false positive costs a word, a false negative leaks data):
 * - e-mail addresses;
 * - @handles (an "@" directly followed by a letter, digit or "_");
 * - URLs: anything starting with a scheme (`http://`, `https://`, any `x://`) or `www.`, and bare
 *   `domain.tld/path` forms (a path after a host names a user or a post);
 * - phone numbers and other long numbers (9 or more digits, with at most two of ` ().-` between
 *   digits), which also catches platform ids;
 * - IPv4 addresses.
 *
 * Names of people cannot be found by pattern: Vigil therefore builds public free text from rule and
 * legal-basis text and its own templates, and scrubs whatever it takes from moderators (`reason`).
 */

export type PiiKind = "email" | "handle" | "url" | "phone_or_long_number" | "ip_address";

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  replacement: string;
}

// Order matters when scrubbing: e-mails before handles, URLs before bare numbers.
const DETECTORS: readonly Detector[] = [
  {
    kind: "email",
    pattern: /[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-]@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
    replacement: "[e-mail removed]",
  },
  { kind: "url", pattern: /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"')\]]*/giu, replacement: "[link removed]" },
  {
    kind: "url",
    pattern: /(?<![\p{L}\p{N}@])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}\/[^\s<>"')\]]*/gu,
    replacement: "[link removed]",
  },
  { kind: "handle", pattern: /@[\p{L}\p{N}_]+/gu, replacement: "[account removed]" },
  { kind: "ip_address", pattern: /\d{1,3}(?:\.\d{1,3}){3}/g, replacement: "[address removed]" },
  { kind: "phone_or_long_number", pattern: /\+?\d(?:[ ().-]{0,2}\d){8,}/g, replacement: "[number removed]" },
];

export interface PiiFinding {
  kind: PiiKind;
  /** The offending text, shortened for error messages. */
  excerpt: string;
}

const excerpt = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);

/** Every personal-data pattern found in `text`, in detector order. Empty when the text is clean. */
export function findPersonalData(text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  for (const d of DETECTORS)
    for (const m of text.matchAll(d.pattern)) out.push({ kind: d.kind, excerpt: excerpt(m[0]) });
  return out;
}

/** Length in Unicode code points, as Laravel's `max:` counts string length (mb_strlen). */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Cuts `text` to at most `max` code points, ending with "…" when it was cut. */
export function truncate(text: string, max: number): string {
  if (codePoints(text) <= max) return text;
  return `${[...text].slice(0, max - 1).join("")}…`;
}

/**
 * Replaces every personal-data pattern with a neutral marker ("[link removed]"...), drops control
 * characters (but keeps format characters such as ZWJ/ZWNJ, which Indic and Arabic scripts need), collapses whitespace and cuts the result to `max` code points. The result always
 * passes `findPersonalData` (scrubbing repeats until nothing is found).
 */
export function scrubFreeText(text: string, max = Number.POSITIVE_INFINITY): string {
  let s = text
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cs}]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  for (let round = 0; round < 10; round++) {
    for (const d of DETECTORS) s = s.replace(d.pattern, d.replacement);
    s = truncate(s, max);
    if (findPersonalData(s).length === 0) return s;
  }
  /* c8 ignore next: markers never match a detector, so one round always ends clean */
  throw new Error("scrubFreeText: text still carries personal data after scrubbing");
}
