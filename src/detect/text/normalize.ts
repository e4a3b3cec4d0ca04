/**
 * Text normaliser for the rule-violation text signals. It turns a post into word tokens that the
 * lexicon matcher compares, and keeps, for every token, its span [start, end) in the ORIGINAL text
 * (UTF-16 offsets), so every match can be shown to a reviewer as the characters the author typed.
 *
 * Per code point, in one pass:
 * - Default_Ignorable_Code_Point characters (zero-width space/joiners, soft hyphen, variation
 *   selectors, word joiner, BOM...) are dropped and do not break a word: "ki\u200bll" is "kill".
 * - NFKC, then lower case: fullwidth "ＫＩＬＬ", mathematical "𝐤𝐢𝐥𝐥" and circled "ⓚ" become ASCII.
 * - Latin letters with diacritics lose them ("kíll" → "kill"); combining marks after a Latin letter
 *   are dropped (zalgo text).
 * - Look-alike letters from other scripts (Cyrillic "кill", Greek "κιλλ") go through the UTS #39
 *   skeleton table of src/hashtags/normalize.ts (`skeletonMap()`), kept only when the result is
 *   ASCII letters.
 * - Leetspeak: 0→o 1→i 3→e 4→a 5→s 7→t 8→b 9→g @→a $→s, applied only in a token that also holds
 *   a letter (so "2021" and "100" stay numbers); "!" and "|" count as "i" only between two word
 *   characters ("k!ll"), so a final "kill!" is punctuation.
 * - Separator insertion: "." "_" "-" "'" "*" "~" "^" "+" "=" "·" "•" and dashes between word
 *   characters join them ("k.i.l.l", "k-i-l-l", "don't" → "dont"); a run of three or more
 *   single-letter Latin tokens is joined into one word ("k i l l" → "kill").
 * - Repeated characters collapse to one ("kiiiilllll" → "kil", "maaaro" → "maro"). Lexicon words go
 *   through the same function, so "kill" in a lexicon is also "kil" and the two meet.
 * - Hashtags split at lower→upper case changes ("#KillThemAll" → "kill them all").
 * - Devanagari: nukta dropped (ज़ → ज, क़ → क), candrabindu and anusvara dropped, long ī/ū vowel
 *   signs and letters folded into short ones (ी → ि, ू → ु, ई → इ, ऊ → उ), ऩ ऱ ऴ → न र ळ; danda is a
 *   sentence break; Devanagari digits are digits.
 * - Gurmukhi: nukta dropped (ਸ਼ → ਸ, ਖ਼ → ਖ), bindi, tippi and addak dropped (ਂ ੰ ੱ), ੀ → ਿ,
 *   ੂ → ੁ, ਈ → ਇ, ਊ → ਉ; Gurmukhi digits are digits.
 *
 * What it does not do (known gaps): splitting words glued by inserted spaces in the middle of a
 * word ("ki ll"), "*" as a wildcard letter ("k*ll" is "kl"), look-alikes inside Indic scripts,
 * transliterating between scripts, and spelling variation beyond the folds above (romanized Hindi
 * spellings are listed as alternatives in the lexicon).
 */
import { skeletonMap } from "../../hashtags/normalize.ts";

/** Which writing system a token is in (what language detection counts). */
export type Script = "latin" | "deva" | "guru" | "other";

/** One word of the normalised text. */
export interface Token {
  /** The normalised form the lexicon is compared with. */
  readonly text: string;
  /** Span in the original text, UTF-16 offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly script: Script;
}

export interface NormalizedText {
  readonly tokens: Token[];
  /** Letters seen per script (Latin, Devanagari, Gurmukhi, other), after normalisation. */
  readonly scriptCounts: Record<Script, number>;
}

// ---------------------------------------------------------------------------------------------------
// Character classes

enum Kind {
  /** Breaks a token: white space, most punctuation, symbols, emoji. */
  Space = 0,
  /** Dropped without breaking the token (default-ignorable). */
  Ignore = 1,
  /** A letter (or a mark that belongs to one): `out` is appended. */
  Letter = 2,
  /** A leet character (digits, @, $): `out` when the token holds a letter, `raw` otherwise. */
  Leet = 3,
  /** "!" and "|": "i" only between two word characters, otherwise a token break. */
  Interior = 4,
  /** A separator that joins word characters on both sides ("." "-" "_" "'" ...). */
  Join = 5,
  /** "#": starts a hashtag (case changes split words inside it), and breaks a token. */
  Hash = 6,
  /** A combining mark that is dropped after a Latin letter and kept otherwise. */
  Mark = 7,
}

interface CharClass {
  readonly kind: Kind;
  readonly out: string;
  readonly raw: string;
  readonly script: Script;
  /** ASCII upper case letter (hashtag word splitting). */
  readonly upper: boolean;
}

const cls = (kind: Kind, out = "", script: Script = "other", raw = out, upper = false): CharClass => ({
  kind,
  out,
  raw,
  script,
  upper,
});

const SPACE = cls(Kind.Space);
const IGNORE = cls(Kind.Ignore);
const JOIN = cls(Kind.Join);

const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  "@": "a",
  $: "s",
};

const ASCII: CharClass[] = [];
for (let c = 0; c < 0x80; c++) {
  const ch = String.fromCharCode(c);
  if (c >= 0x61 && c <= 0x7a) ASCII[c] = cls(Kind.Letter, ch, "latin");
  else if (c >= 0x41 && c <= 0x5a) ASCII[c] = cls(Kind.Letter, ch.toLowerCase(), "latin", undefined, true);
  else if (c >= 0x30 && c <= 0x39) ASCII[c] = cls(Kind.Leet, LEET[ch] ?? ch, "latin", ch);
  else if (ch === "@" || ch === "$") ASCII[c] = cls(Kind.Leet, LEET[ch]!, "latin", "");
  else if (ch === "!" || ch === "|") ASCII[c] = cls(Kind.Interior, "i", "latin");
  else if (".-_'`~^*+=".includes(ch)) ASCII[c] = JOIN;
  else if (ch === "#") ASCII[c] = cls(Kind.Hash);
  else ASCII[c] = SPACE;
}

/** Devanagari and Gurmukhi code points rewritten (or dropped, ""), after NFKC. */
const INDIC_FOLD = new Map<number, string>([
  // Devanagari: candrabindu, anusvara, nukta dropped; long vowels folded to short.
  [0x0901, ""],
  [0x0902, ""],
  [0x093c, ""],
  [0x0940, "\u093f"],
  [0x0942, "\u0941"],
  [0x0908, "\u0907"],
  [0x090a, "\u0909"],
  [0x0929, "\u0928"],
  [0x0931, "\u0930"],
  [0x0934, "\u0933"],
  // Gurmukhi: bindi, tippi, addak, nukta dropped; long vowels folded to short.
  [0x0a02, ""],
  [0x0a70, ""],
  [0x0a71, ""],
  [0x0a3c, ""],
  [0x0a40, "\u0a3f"],
  [0x0a42, "\u0a41"],
  [0x0a08, "\u0a07"],
  [0x0a0a, "\u0a09"],
]);

const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]+$/u;
const MARK = /^\p{M}+$/u;
const DASH_OR_CONNECTOR = /^[\p{Pd}\p{Pc}·•‧・]$/u;
const COMBINING = /\p{M}/gu;
const ASCII_LETTERS = /^[a-z]+$/;

const scriptOf = (cp: number): Script =>
  cp >= 0x0900 && cp <= 0x097f ? "deva" : cp >= 0x0a00 && cp <= 0x0a7f ? "guru" : "other";

function classifyIndic(cp: number, ch: string): CharClass {
  if (cp === 0x0964 || cp === 0x0965) return SPACE; // danda, double danda
  if (cp >= 0x0966 && cp <= 0x096f) return cls(Kind.Leet, String(cp - 0x0966), "deva");
  if (cp >= 0x0a66 && cp <= 0x0a6f) return cls(Kind.Leet, String(cp - 0x0a66), "guru");
  let out = "";
  for (const c of ch.normalize("NFKC")) {
    const p = c.codePointAt(0)!;
    const folded = INDIC_FOLD.get(p);
    out += folded ?? c;
  }
  if (!LETTER_OR_NUMBER.test(ch) && !MARK.test(ch)) return SPACE; // Indic punctuation, signs
  return cls(Kind.Letter, out, scriptOf(cp));
}

function classifyOther(ch: string): CharClass {
  if (IGNORABLE.test(ch)) return IGNORE;
  if (DASH_OR_CONNECTOR.test(ch)) return JOIN;
  const nfkc = ch.normalize("NFKC");
  const lower = nfkc.toLowerCase();
  if (lower.length > 0 && /^[\x00-\x7f]+$/.test(lower)) {
    // Fullwidth and other compatibility forms of ASCII: classify as the ASCII they stand for.
    if (lower.length === 1) {
      const a = ASCII[lower.charCodeAt(0)]!;
      return a.kind === Kind.Letter && nfkc !== lower ? cls(Kind.Letter, a.out, "latin", a.out, true) : a;
    }
    if (ASCII_LETTERS.test(lower)) return cls(Kind.Letter, lower, "latin"); // ligatures: "ﬀ" → "ff"
    return SPACE;
  }
  if (MARK.test(lower)) return cls(Kind.Mark, lower);
  if (!LETTER_OR_NUMBER.test(lower)) return SPACE;
  // Latin with diacritics: "í" → "i".
  const stripped = lower.normalize("NFD").replace(COMBINING, "");
  if (ASCII_LETTERS.test(stripped)) return cls(Kind.Letter, stripped, "latin");
  // Look-alikes: the UTS #39 skeleton, when it gives ASCII letters.
  let skeleton = "";
  for (const c of lower.normalize("NFD")) {
    const mapped = skeletonMap().get(c.codePointAt(0)!) ?? c;
    skeleton += mapped;
  }
  skeleton = skeleton.normalize("NFD").replace(COMBINING, "");
  if (ASCII_LETTERS.test(skeleton)) return cls(Kind.Letter, skeleton, "latin");
  return cls(Kind.Letter, lower, "other");
}

const nonAscii = new Map<number, CharClass>();

function classify(cp: number, ch: string): CharClass {
  let c = nonAscii.get(cp);
  if (c === undefined) {
    c =
      (cp >= 0x0900 && cp <= 0x097f) || (cp >= 0x0a00 && cp <= 0x0a7f)
        ? classifyIndic(cp, ch)
        : classifyOther(ch);
    if (IGNORABLE.test(ch)) c = IGNORE;
    nonAscii.set(cp, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------
// Tokenising

/** A token being built: leet and raw spellings kept apart until we know whether it has a letter. */
class Builder {
  leet = "";
  raw = "";
  hasLetter = false;
  start = -1;
  end = -1;
  script: Script = "other";
  /** The last character appended is an ASCII letter (for dropping marks after it). */
  afterLatin = false;
  /** Last character appended to leet / raw (for collapsing repeats). */
  lastLeet = "";
  lastRaw = "";
  /** Interior "!"/"|" seen: appended only if a word character follows. */
  pendingInterior = false;
  /** Inside a hashtag (case changes split words). */
  hashtag = false;
  lastLower = false;

  reset(): void {
    this.leet = "";
    this.raw = "";
    this.hasLetter = false;
    this.start = -1;
    this.end = -1;
    this.script = "other";
    this.afterLatin = false;
    this.lastLeet = "";
    this.lastRaw = "";
    this.pendingInterior = false;
    this.lastLower = false;
  }

  get empty(): boolean {
    return this.start < 0;
  }

  append(leet: string, raw: string, start: number, end: number, script: Script, letter: boolean): void {
    if (this.start < 0) {
      this.start = start;
      this.script = script;
    } else if (this.script === "other" && script !== "other") {
      this.script = script;
    }
    this.end = end;
    if (letter) this.hasLetter = true;
    for (let i = 0; i < leet.length; i++) {
      const c = leet[i]!;
      if (c !== this.lastLeet) {
        this.leet += c;
        this.lastLeet = c;
      }
    }
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c !== this.lastRaw || !letter) {
        this.raw += c;
        this.lastRaw = c;
      }
    }
  }
}

/**
 * Normalises `text` into tokens with spans in the original string. Pure; about 3 µs per 40-character
 * post (see bench/text-signals.bench.ts).
 */
export function normalizeText(text: string): NormalizedText {
  const tokens: Token[] = [];
  const counts: Record<Script, number> = { latin: 0, deva: 0, guru: 0, other: 0 };
  const b = new Builder();
  let interiorEnd = 0;

  const flush = (): void => {
    if (!b.empty) {
      const t = b.hasLetter ? b.leet : b.raw;
      if (t.length > 0) tokens.push({ text: t, start: b.start, end: b.end, script: b.script });
    }
    const hashtag = b.hashtag;
    b.reset();
    b.hashtag = hashtag;
  };

  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    let c: CharClass;
    let width = 1;
    if (code < 0x80) {
      c = ASCII[code]!;
    } else {
      const cp = text.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      c = classify(cp, text.slice(i, i + width));
    }
    const start = i;
    i += width;
    switch (c.kind) {
      case Kind.Ignore:
        continue;
      case Kind.Space:
        flush();
        b.hashtag = false;
        continue;
      case Kind.Hash:
        flush();
        b.hashtag = true;
        continue;
      case Kind.Join:
        if (b.pendingInterior) {
          flush();
        }
        continue; // joins whatever comes next to the open token (if any)
      case Kind.Interior:
        if (b.empty || b.pendingInterior) {
          flush();
        } else {
          b.pendingInterior = true;
          interiorEnd = i;
        }
        continue;
      default:
        break;
    }
    // A word character.
    if (b.pendingInterior) {
      b.pendingInterior = false;
      b.append("i", "i", b.start, interiorEnd, "latin", true);
    }
    if (c.kind === Kind.Mark) {
      if (b.empty || b.afterLatin) continue; // a mark after a Latin letter, or alone: dropped
      b.append(c.out, c.out, start, i, b.script, true);
      continue;
    }
    if (b.hashtag && c.upper && b.lastLower) flush();
    if (c.kind === Kind.Letter) {
      counts[c.script] += 1;
      b.append(c.out, c.out, start, i, c.script, true);
      b.afterLatin = c.script === "latin";
      b.lastLower = c.script === "latin" && !c.upper;
    } else {
      // Leet: the raw spelling is kept for a token of digits only.
      b.append(c.out, c.raw, start, i, c.script, false);
      b.afterLatin = true;
      b.lastLower = false;
    }
  }
  flush();
  return { tokens: joinSingleLetters(tokens), scriptCounts: counts };
}

const SINGLE_LATIN = /^[a-z]$/;

/** Joins runs of three or more single-letter Latin tokens ("k i l l" → "kill"). */
function joinSingleLetters(tokens: Token[]): Token[] {
  let runs = 0;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (
      SINGLE_LATIN.test(tokens[i]!.text) &&
      SINGLE_LATIN.test(tokens[i + 1]!.text) &&
      SINGLE_LATIN.test(tokens[i + 2]!.text)
    ) {
      runs++;
      break;
    }
  }
  if (runs === 0) return tokens;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (j < tokens.length && SINGLE_LATIN.test(tokens[j]!.text)) j++;
    if (j - i >= 3) {
      let t = "";
      for (let k = i; k < j; k++) {
        const c = tokens[k]!.text;
        if (!t.endsWith(c)) t += c;
      }
      out.push({ text: t, start: tokens[i]!.start, end: tokens[j - 1]!.end, script: "latin" });
      i = j;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/**
 * The normalised form of one lexicon word (or an array of words for a phrase): the same function
 * the posts go through, so lexicon and text always meet. Empty when nothing of the word survives.
 */
export function normalizeWords(phrase: string): string[] {
  return normalizeText(phrase).tokens.map((t) => t.text);
}
