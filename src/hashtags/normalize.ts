/**
 * Hashtag keys (detection.md §4). Two keys per tag, both without the leading '#':
 *
 * - `displayKey` groups spellings in Trends: NFKC → drop Default_Ignorable_Code_Point → full case fold
 *   → NFKC again (dropping an invisible character can leave a base and a mark side by side, and case
 *   mapping can leave a decomposed sequence: "ǰ" → "J̌" → "ǰ").
 * - `matchKey` is what restrictions are stored and compared under: the displayKey, then a UTS #39
 *   skeleton over unhomoglyph's copy of confusables.txt, then separators and decorating marks removed.
 *   Keys are for comparison only, never for display.
 *
 * Case folding is `toUpperCase().toLowerCase()` plus three fix-ups, which gives Unicode full case
 * folding for everything a hashtag plausibly holds: ß/ẞ → "ss", final ς → σ, and the Turkish dotted
 * İ (NFKC + lowercase gives "i" + U+0307 COMBINING DOT ABOVE; the dot is dropped after "i"). Dotless ı
 * folds to "i" (its uppercase is I).
 *
 * The skeleton (UTS #39 internalSkeleton: NFD → drop ignorables → prototype of each code point → NFD)
 * runs on the case-folded text, so it is case-insensitive by construction. Its decisions:
 *
 * - ASCII letters are fixed points. confusables.txt maps "m" → "rn" (and "I" → "l", but "I" is already
 *   "i" after folding). We drop m → rn: in a case-folded key space it merges real, common words
 *   (modern/modem, burn/bum, corn/com, turn/tum, pom/porn...), which in contains mode means a rule on
 *   one word suppresses unrelated tags (#pomeranian, #pompom). Prototypes that spell "rn" because
 *   they are m look-alikes (ɱ, ₥, ᵯ, ⅿ) are rewritten to "m". Cost: "FarrnersProtest" (rn for m) is
 *   not caught; moderators add that spelling as its own rule (corpus.ts KNOWN_MISSES).
 * - Digits 0 → "o" and 1 → "l" are kept (UTS #39): "FarmersPr0test" and "KashmirB1eeds" are the
 *   commonest swaps. Cost: "#101" ≡ "#lol" ≡ "#l0l", "#G20" ≡ "#G2O". Latin "I" folds to "i", not
 *   to "l" (case-insensitivity wins, and folding i into l would merge Ali/All, Bali/Ball, Mali/Mall),
 *   so "StopTheSteaI" (capital I for l) is a known miss.
 * - confusables.txt is case-sensitive and our text is already lowercase, so a lowercase letter also
 *   considers its capital's prototype when that prototype is drawn in ASCII: Cyrillic м/т/н/в/к (from
 *   М Т Н В К; their own prototypes are small capitals) give m/t/h/b/k, Greek κ/τ/χ/ζ/ε/μ give
 *   k/t/x/z/e/m, Cherokee small letters take their capitals' Latin look-alikes. A capital drawn like
 *   "l" (Greek Ι, Cyrillic І, Ӏ) stands for Latin I and gives "i". Ranking: a single ASCII letter
 *   beats a longer ASCII string beats anything else, and on a tie the capital wins, because capitals
 *   are the exact look-alikes (Greek Ν Η Υ Β are drawn like N H Y B; ν η υ β only resemble v n u ß).
 *   So ν → n, η → h, υ → y, β → b, and lowercase ν/η/υ written for v/n/u are known misses. Side
 *   effect: a Russian word can share a key with a Latin word drawn the same (мама/mama), which only
 *   matters if that Latin word is itself restricted.
 * - Latin small capitals (ᴀ ʙ ᴄ ... ᴢ), their own prototypes in confusables.txt, map to their letters:
 *   "fancy text" generators write whole tags with them.
 * - Combining marks that follow an ASCII letter or digit after the skeleton are removed: Latin accents
 *   (Fármers), stacked "zalgo" marks, and marks the skeleton itself leaves (Б → "b̄", ł → "l̵", ё → "ë")
 *   never make a distinct key. Cost: año/ano, schön/schon share a key. Marks on every other script
 *   are kept: Devanagari and Gurmukhi vowel signs, virama, nukta and anusvara distinguish words, and
 *   Cyrillic й stays apart from и.
 * - Devanagari and Gurmukhi go through confusables.txt unchanged: independent vowels map to their
 *   visual decomposition (आ → अ + ा, ਆ → ਅ + ਾ, ਏ → ੲ + ੇ), so that spelling trick is caught;
 *   anusvara/bindi become U+0307 and candrabindu U+0306 U+0307 (still distinct from each other);
 *   nukta becomes U+0323; Gurmukhi ੋ and virama become their Devanagari look-alikes. Devanagari digit
 *   zero ० and Gurmukhi ੦ become "o". Orthographic variants that are not look-alikes (न् for anusvara)
 *   stay distinct.
 * - Arabic: tatweel (ـ, kashida) and harakat (U+064B–U+0652, U+0670) are dropped before the
 *   prototype map: they are optional decoration, commonly inserted to split a tag. Alef maps to "l"
 *   in confusables.txt (its hamza/madda marks then sit on an ASCII letter), so أ إ آ ا share a key.
 * - A digit never maps to nothing: Arabic-Indic zero ٠ (prototype ".") keeps its own code point
 *   instead of vanishing as a separator. Letters drawn like separators (ꞏ → "·", ߺ → "_") do vanish,
 *   like the separators they imitate. Separators themselves are never mapped ("—" is not "ー").
 *
 * Finally connector punctuation (\p{Pc}, "_"), dashes (\p{Pd}), white space, "." "·" "・" and hash signs
 * (anywhere: "##tag", "＃tag") are removed. matchKey(matchKey(x)) === matchKey(x): the table maps only
 * to fixed points (normalize.test.ts checks every confusables entry, and random strings).
 *
 * Both keys are memoised in a small two-generation cache (repeated tags cost one Map lookup); tags of
 * ASCII word characters take a fast path that skips Unicode work (and the cache) entirely.
 */
import { createRequire } from "node:module";

/** unhomoglyph's confusables.txt extract: one source code point → its prototype string. */
const CONFUSABLES = createRequire(import.meta.url)("unhomoglyph/data.json") as Record<string, string>;

/** Entries per cache generation; at most twice this many tags are remembered per key kind. */
const CACHE_GENERATION = 1 << 15;

/**
 * Bounded memo: lookups hit the young generation, then the old one (and promote). When the young
 * generation is full it becomes the old one and the previous old one is dropped, so a burst of new
 * tags evicts in O(1) and tags in steady use survive.
 */
class KeyCache {
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  get(tag: string): string | undefined {
    const hit = this.young.get(tag);
    if (hit !== undefined) return hit;
    const older = this.old.get(tag);
    if (older !== undefined) this.set(tag, older);
    return older;
  }

  set(tag: string, key: string): void {
    if (this.young.size >= CACHE_GENERATION) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(tag, key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}

const displayCache = new KeyCache();
const matchCache = new KeyCache();

/** Empties both memo caches (benchmarks measuring cold behaviour, tests). */
export function clearKeyCaches(): void {
  displayCache.clear();
  matchCache.clear();
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Case-fold fix-ups after toUpperCase().toLowerCase(); see the module comment. */
const FOLD_FIXUPS = /ß|ς|i\u0307/g;
const foldFixup = (m: string): string => (m === "ß" ? "ss" : m === "ς" ? "σ" : "i");
/** Separators removed from match keys; hash signs too, wherever they are ("##tag", "tag#"). */
const SEPARATORS = /[\p{Pc}\p{Pd}\s.·・#]/gu;
const LEADING_HASHES = /^#+/;
/** Nonspacing and enclosing marks right after an ASCII letter or digit (NFD text). */
const MARKS_AFTER_ASCII = /(?<=[a-z0-9])[\p{Mn}\p{Me}]+/gu;

/**
 * Character classes for the ASCII fast paths: 0 not handled (non-ASCII or other punctuation),
 * 1 kept as is (a-z, 2-9), 2 uppercase letter, 4 rewritten in match keys (0 → o, 1 → l; separators
 * "_" "." "-" " " and "#" removed).
 */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0x61; c <= 0x7a; c++) ASCII_CLASS[c] = 1;
for (let c = 0x32; c <= 0x39; c++) ASCII_CLASS[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) ASCII_CLASS[c] = 2;
for (const c of "01_.-# ") ASCII_CLASS[c.charCodeAt(0)] = 4;

/** computeMatchKey's replacements for ASCII other than a-z and 2-9 (undefined: kept). */
const ASCII_PIECES: (string | undefined)[] = [];
ASCII_PIECES[0x30] = "o";
ASCII_PIECES[0x31] = "l";
for (const c of "_.-# \t\n\v\f\r") ASCII_PIECES[c.charCodeAt(0)] = "";

/** matchKey of a tag made only of ASCII letters, digits, separators and '#'; undefined otherwise. */
function asciiMatchKey(tag: string): string | undefined {
  let seen = 0;
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    const k = c < 0x80 ? ASCII_CLASS[c]! : 0;
    if (k === 0) return undefined;
    seen |= k;
  }
  const lower = seen & 2 ? tag.toLowerCase() : tag;
  if (seen < 4) return lower; // the common case: letters and digits 2-9 only
  let out = "";
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (ASCII_CLASS[c] !== 4) continue;
    out += lower.slice(from, i);
    if (c === 0x30) out += "o";
    else if (c === 0x31) out += "l";
    from = i + 1;
  }
  return out + lower.slice(from);
}

/** displayKey of an ASCII tag (lowercase, no leading '#'); undefined for any other tag. */
function asciiDisplayKey(tag: string): string | undefined {
  let upper = false;
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (c >= 0x80) return undefined;
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  const lower = upper ? tag.toLowerCase() : tag;
  return lower.charCodeAt(0) === 0x23 ? lower.replace(LEADING_HASHES, "") : lower;
}

/**
 * True when no code unit has a case mapping: ASCII non-letters, Hebrew through Myanmar (U+0590–U+109F:
 * Arabic, the Indic scripts, Thai...), kana and CJK, Hangul. normalize.test.ts checks the ranges.
 */
function isCaseless(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const letter = c | 0x20;
      if (letter >= 0x61 && letter <= 0x7a) return false;
    } else if (
      !((c >= 0x0590 && c <= 0x109f) || (c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af))
    ) {
      return false;
    }
  }
  return true;
}

/** Uncached displayKey. Exported for tests and benchmarks. */
export function computeDisplayKey(tag: string): string {
  // Ignorables go before case mapping so they cannot sit between "i" and U+0307 or change the
  // context of Greek final sigma; NFKC again because removing one can join a base and a mark.
  // Hash signs are stripped last, once NFKC has made '＃' a '#' and no invisible character hides one.
  // U+0345 COMBINING GREEK YPOGEGRAMMENI, the one mark with a case mapping, is folded (to ι) first:
  // as a mark it is reordered by NFKC, as a letter it is not, so folding it late would depend on
  // where it stood.
  const nfkc = (tag.includes("\u0345") ? tag.replaceAll("\u0345", "\u03b9") : tag).normalize("NFKC");
  let visible = nfkc.replace(IGNORABLE, "");
  if (visible.length !== nfkc.length) visible = visible.normalize("NFKC");
  const folded = isCaseless(visible)
    ? visible
    : visible.toUpperCase().toLowerCase().replace(FOLD_FIXUPS, foldFixup).normalize("NFKC");
  return folded.charCodeAt(0) === 0x23 ? folded.replace(LEADING_HASHES, "") : folded;
}

/**
 * The key that groups spellings in Trends: NFKC, full case fold, no default-ignorable characters,
 * no leading '#' or '＃'. Idempotent.
 */
export function displayKey(tag: string): string {
  const ascii = asciiDisplayKey(tag);
  if (ascii !== undefined) return ascii;
  const hit = displayCache.get(tag);
  if (hit !== undefined) return hit;
  const key = computeDisplayKey(tag);
  displayCache.set(tag, key);
  return key;
}

// ---------------------------------------------------------------------------------------------------
// Skeleton table

/** Arabic tatweel and harakat, dropped before the prototype map. */
const isArabicDecoration = (c: number): boolean =>
  c === 0x0640 || (c >= 0x064b && c <= 0x0652) || c === 0x0670;

const ASCII_SINGLE = /^[a-z0-9]$/;
const ASCII_ONLY = /^[\x00-\x7f]+$/;
const DIGIT = /^\p{N}$/u;
const SEPARATOR = /^[\p{Pc}\p{Pd}\s.·・]$/u;

/**
 * Latin small capitals are their own prototypes in confusables.txt (ᴍ even maps to ʍ), but "fancy
 * text" generators use them to write whole tags (ᴍᴏᴅɪ ᴘʟᴀɴɴɪɴɢ); they stand for their letter. Cyrillic
 * в н т and Cherokee small letters, whose prototypes are small capitals, follow.
 */
const SMALL_CAPITALS: Record<string, string> = Object.fromEntries(
  [..."ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ"].map((c, i) => [c, "abcdefghijklmnopqrstuvwyz"[i]!]),
);
const ANY_MARK = /\p{M}/gu;

/** Removes what the end of matchKey removes anyway, to judge what a prototype really leaves. */
function residue(s: string): string {
  return s.replace(SEPARATORS, "").normalize("NFD").replace(MARKS_AFTER_ASCII, "");
}

/** 2: one ASCII letter or digit, 1: other ASCII text, 0: anything else. */
function asciiScore(resolved: string): number {
  const r = residue(resolved);
  return ASCII_SINGLE.test(r) ? 2 : ASCII_ONLY.test(r) ? 1 : 0;
}

/**
 * Code point (as it appears in NFD(displayKey)) → its final replacement: already case-folded, NFD,
 * and made of code points that are themselves fixed points, so matchKey is idempotent. Only code
 * points that change are stored, plus BMP separators (→ ""). Built once, on first use: about 6,300
 * confusables entries resolved in 50–100 ms (mostly cold JIT); see skeletonMap.
 */
function buildSkeletonTable(): Map<number, string> {
  const memo = new Map<number, string>();
  const busy = new Set<number>();

  const prototypeOf = (ch: string): string | undefined => {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return undefined; // ASCII: see resolveChar
    if (SEPARATOR.test(ch)) return undefined; // removed anyway; "—" must not become "ー"
    return SMALL_CAPITALS[ch] ?? CONFUSABLES[ch]?.replaceAll("rn", "m");
  };

  const resolveText = (text: string): string => {
    let out = "";
    for (const ch of computeDisplayKey(text).normalize("NFD")) out += resolveChar(ch);
    return out.normalize("NFD");
  };

  const resolveChar = (ch: string): string => {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) return cp === 0x30 ? "o" : cp === 0x31 ? "l" : ch;
    if (isArabicDecoration(cp)) return "";
    const known = memo.get(cp);
    if (known !== undefined) return known;
    if (busy.has(cp)) return ch; // a cycle in the data: stop at the code point itself
    busy.add(cp);

    // Rank: 2 × asciiScore, +1 for the capital's prototype (capitals are the exact look-alikes:
    // Greek Ν Η Υ are drawn like Latin N H Y, while ν η υ only resemble v n u). The capital's
    // prototype only counts when it is ASCII.
    let best = ch;
    let bestRank = -1;
    const consider = (resolved: string, capital: boolean) => {
      if (DIGIT.test(ch) && resolved.replace(SEPARATORS, "") === "") return; // digits never vanish
      const score = asciiScore(resolved);
      if (capital && score === 0) return;
      const rank = 2 * score + (capital ? 1 : 0);
      if (rank > bestRank) {
        best = resolved;
        bestRank = rank;
      }
    };
    const own = prototypeOf(ch);
    if (own !== undefined) consider(resolveText(own), false);
    const upper = ch.toUpperCase();
    if (upper !== ch && upper.codePointAt(0)! > 0x7f && [...upper].length === 1) {
      // Only a capital drawn like ASCII counts (Г → Γ must not become γ → "y" by folding), and a
      // capital drawn like "l" is a Latin I.
      const theirs = prototypeOf(upper);
      const drawn = theirs?.normalize("NFD").replace(ANY_MARK, "").replace(SEPARATORS, "");
      if (theirs !== undefined && drawn !== undefined && ASCII_ONLY.test(drawn)) {
        consider(drawn === "l" ? "i" : resolveText(theirs), true);
      }
    }

    busy.delete(cp);
    memo.set(cp, best);
    return best;
  };

  const table = new Map<number, string>();
  for (const source of [...Object.keys(CONFUSABLES), ...Object.keys(SMALL_CAPITALS)]) {
    for (const ch of new Set([source, source.toLowerCase()])) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80 || ch.length !== String.fromCodePoint(cp).length) continue; // ASCII: inline
      // Only code points that can appear in NFD(displayKey(x)) are ever looked up.
      if (ch.normalize("NFD") !== ch || computeDisplayKey(ch) !== ch) continue;
      const resolved = residue(resolveChar(ch));
      if (resolved !== ch) table.set(cp, resolved);
    }
  }
  for (let cp = 0x0640; cp <= 0x0670; cp++) if (isArabicDecoration(cp)) table.set(cp, "");
  for (const cp of bmpMatching(SEPARATORS)) if (cp >= 0x80) table.set(cp, "");
  return table;
}

/** Every BMP code point (surrogates excepted) matching a global regular expression. */
function bmpMatching(re: RegExp): number[] {
  const units = new Uint16Array(0x10000 - 0x800);
  for (let cp = 0, i = 0; cp < 0x10000; cp++) if (cp < 0xd800 || cp > 0xdfff) units[i++] = cp;
  const text = new TextDecoder("utf-16le").decode(units);
  return Array.from(text.matchAll(re), (m) => m[0].charCodeAt(0));
}

/** A replacement from the skeleton table, prepared for computeMatchKey's single pass. */
interface Replacement {
  /** Already NFD, without separators, without marks after ASCII letters. */
  readonly text: string;
  /** `text` without leading marks: what it leaves after an ASCII letter or digit. */
  readonly afterAscii: string;
  /** Whether `text` ends with an ASCII letter or digit. */
  readonly endsAscii: boolean;
}

const MARK = /^[\p{Mn}\p{Me}]$/u;
const ASTRAL_SEPARATOR = /^[\p{Pc}\p{Pd}\s]$/u;
const LEADING_MARKS = /^[\p{Mn}\p{Me}]+/u;
const ENDS_ASCII = /[a-z0-9]$/;

let skeletonTable: Map<number, string> | undefined;
let replacements: Map<number, Replacement> | undefined;
/** Per BMP code unit: 1 when it is a nonspacing or enclosing mark. */
let isMarkUnit: Uint8Array | undefined;

/**
 * The skeleton table: code point → replacement. Built on the first non-ASCII matchKey (50–100 ms,
 * once); a service can call this at startup to keep that off the hot path. Exported for tests.
 */
export function skeletonMap(): ReadonlyMap<number, string> {
  if (skeletonTable === undefined) {
    const table = buildSkeletonTable();
    const prepared = new Map<number, Replacement>();
    for (const [cp, text] of table) {
      prepared.set(cp, {
        text,
        afterAscii: text.replace(LEADING_MARKS, ""),
        endsAscii: ENDS_ASCII.test(text),
      });
    }
    const marks = new Uint8Array(0x10000);
    for (const cp of bmpMatching(/[\p{Mn}\p{Me}]/gu)) marks[cp] = 1;
    skeletonTable = table;
    replacements = prepared;
    isMarkUnit = marks;
  }
  return skeletonTable;
}

/**
 * Uncached matchKey. Exported for tests and benchmarks. One pass over NFD(displayKey): each code
 * point goes through the skeleton table (separators map to nothing), and marks that would follow an
 * ASCII letter or digit in the output are dropped; NFD again at the end puts marks in canonical order.
 */
export function computeMatchKey(tag: string): string {
  skeletonMap();
  const table = replacements!;
  const marks = isMarkUnit!;
  const nfd = computeDisplayKey(tag).normalize("NFD");
  let out = "";
  let from = 0; // start of the pending run of unchanged code units
  let afterAscii = false; // the output so far ends with an ASCII letter or digit
  for (let i = 0; i < nfd.length; i++) {
    const c = nfd.charCodeAt(i);
    let piece: string | undefined; // undefined: keep the code unit(s)
    let width = 1;
    if (c < 0x80) {
      if (c >= 0x61 ? c <= 0x7a : c >= 0x32 && c <= 0x39) {
        afterAscii = true;
        continue;
      }
      piece = ASCII_PIECES[c];
      if (piece === undefined) afterAscii = false;
      else if (piece !== "") afterAscii = true; // 0 → o, 1 → l
    } else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdfff) {
        const lo = nfd.charCodeAt(i + 1);
        if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
          width = 2;
          cp = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        } else {
          cp = -1; // lone surrogate
        }
      }
      const r = cp < 0 ? undefined : table.get(cp);
      if (r !== undefined) {
        piece = afterAscii ? r.afterAscii : r.text;
        if (piece !== "") afterAscii = r.endsAscii;
      } else if (width === 2 && ASTRAL_SEPARATOR.test(String.fromCodePoint(cp))) {
        piece = ""; // the table holds BMP separators only (U+10EAD YEZIDI HYPHENATION MARK is a Pd)
      } else if (afterAscii && (width === 1 ? marks[cp] === 1 : MARK.test(String.fromCodePoint(cp)))) {
        piece = "";
      } else {
        if (cp < 0) piece = "\ufffd";
        afterAscii = false;
      }
    }
    if (piece !== undefined) {
      out += nfd.slice(from, i) + piece;
      from = i + width;
    }
    i += width - 1;
  }
  out = from === 0 ? nfd : out + nfd.slice(from);
  return out.normalize("NFD");
}

/**
 * The key restrictions are stored and compared under (see the module comment): displayKey, UTS #39
 * skeleton, separators and marks on ASCII letters removed. Idempotent.
 */
export function matchKey(tag: string): string {
  const ascii = asciiMatchKey(tag);
  if (ascii !== undefined) return ascii;
  const hit = matchCache.get(tag);
  if (hit !== undefined) return hit;
  const key = computeMatchKey(tag);
  matchCache.set(tag, key);
  return key;
}
