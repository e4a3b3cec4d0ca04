/**
 * Text signatures for near-duplicate detection (detection.md §5.1): normalisation, word 3-shingles,
 * MinHash and exact Jaccard over sorted shingle sets.
 *
 * Normalisation lower-cases, applies NFKC, drops default-ignorable code points (zero-width spaces,
 * joiners, bidi controls), and removes URLs, @mentions and #hashtags (hashtags have their own
 * detector, and an evaded tag spelling must not make two copies of a template look different).
 * Tokens are maximal runs of letters, marks and digits.
 */
import { combine32, fmix32, hash32 } from "./hash.ts";

/** Posts with fewer tokens than this are not compared (too short to mean anything). */
export const MIN_TOKENS = 5;
/** Word n-gram size of a shingle. */
export const SHINGLE_WORDS = 3;
/** MinHash signature length (= bands × rows of the LSH index). */
export const MINHASH_SIZE = 120;

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/gi;
const MENTION_OR_TAG = /[@＠#＃][\p{L}\p{M}\p{N}_\u200c\u200d]+/gu;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
const ASCII_TOKEN = /[a-z0-9]+/g;

/** Lower-cased, NFKC, invisibles, URLs, mentions and hashtags removed. */
export function normalizeText(text: string): string {
  let t = text.replace(URL_PATTERN, " ");
  if (NON_ASCII.test(t)) t = t.normalize("NFKC").replace(IGNORABLE, "");
  return t.replace(MENTION_OR_TAG, " ").toLowerCase();
}

/** The word tokens of normalised text. */
export function tokenize(normalized: string): string[] {
  return normalized.match(NON_ASCII.test(normalized) ? TOKEN : ASCII_TOKEN) ?? [];
}

/** Reused buffer of token hashes. */
let tokenHashes = new Uint32Array(256);

const FNV_OFFSET = 0x811c9dc5;
const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Hashes the tokens of a text into the shared buffer and returns how many there are: exactly the
 * hashes of `tokenize(normalizeText(text))`, in one pass without intermediate strings when the text
 * is ASCII (URLs, mentions and hashtags skipped, letters lower-cased on the fly).
 */
function hashTokens(text: string): number {
  let n = 0;
  const push = (h: number): void => {
    if (n === tokenHashes.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(tokenHashes);
      tokenHashes = grown;
    }
    tokenHashes[n++] = h;
  };
  if (NON_ASCII.test(text)) {
    for (const token of tokenize(normalizeText(text))) push(hash32(token));
    return n;
  }
  const len = text.length;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (!isAlnum(c)) {
      if (c === 35 || c === 64) {
        // #tag or @mention: skip the word characters after the sign.
        i++;
        while (i < len && (isAlnum(text.charCodeAt(i) | 32) || text.charCodeAt(i) === 95)) i++;
      } else i++;
      continue;
    }
    if ((c === 104 || c === 119) && startsUrl(text, i)) {
      while (i < len && text.charCodeAt(i) > 32) i++;
      continue;
    }
    let h = FNV_OFFSET;
    while (i < len) {
      let d = text.charCodeAt(i);
      if (d >= 65 && d <= 90) d += 32;
      if (!isAlnum(d)) break;
      h = Math.imul(h ^ d, 0x01000193);
      i++;
    }
    push(fmix32(h));
  }
  return n;
}

const URL_START = /^(?:https?:\/\/|www\.)/i;
function startsUrl(text: string, i: number): boolean {
  if (i > 0 && isAlnum(text.charCodeAt(i - 1) | 32)) return false;
  URL_START.lastIndex = 0;
  return URL_START.test(text.slice(i, i + 8));
}

/**
 * Sorted, de-duplicated 32-bit hashes of the word 3-shingles of a text's normalised tokens, or null
 * when it has fewer than `MIN_TOKENS` tokens.
 */
export function textShingles(text: string): Uint32Array | null {
  const n = hashTokens(text);
  if (n < MIN_TOKENS) return null;
  return shinglesOf(tokenHashes, n);
}

/**
 * Sorted, de-duplicated 32-bit hashes of the word 3-shingles of `tokens` (a post of fewer than three
 * tokens gets its single shingle of all tokens).
 */
export function shingleSet(tokens: readonly string[]): Uint32Array {
  const words = Uint32Array.from(tokens, (t) => hash32(t));
  return shinglesOf(words, words.length);
}

function shinglesOf(words: Uint32Array, n: number): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  const count = Math.max(1, n - SHINGLE_WORDS + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = words[i]!;
    for (let j = 1; j < SHINGLE_WORDS && i + j < n; j++) h = combine32(h, words[i + j]!);
    out[i] = h;
  }
  out.sort();
  let w = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return w === count ? out : out.slice(0, w);
}

/**
 * The MinHash family: h_i(x) = (x XOR seed_i) · mult_i over 32-bit integers (mult_i odd, so each h_i
 * is a permutation of the already well-mixed shingle hashes). Minima are taken in signed order, which
 * is as good an order as any.
 */
const SEEDS = Int32Array.from({ length: MINHASH_SIZE }, (_, i) => fmix32(0x5bd1e995 + i * 0x9e3779b9));
const MULTIPLIERS = Int32Array.from(
  { length: MINHASH_SIZE },
  (_, i) => fmix32(0x27d4eb2f ^ (i * 0x85ebca6b)) | 1,
);

/** MinHash signature of a shingle set: `MINHASH_SIZE` minima, one per hash function. */
export function minhash(shingles: Uint32Array, out = new Int32Array(MINHASH_SIZE)): Int32Array {
  out.fill(0x7fffffff);
  for (let i = 0; i < MINHASH_SIZE; i++) {
    const seed = SEEDS[i]!;
    const mult = MULTIPLIERS[i]!;
    let min = 0x7fffffff;
    for (let s = 0; s < shingles.length; s++) {
      const h = Math.imul(shingles[s]! ^ seed, mult);
      if (h < min) min = h;
    }
    out[i] = min;
  }
  return out;
}

/** The share of equal positions of two signatures: an unbiased estimate of the Jaccard index. */
export function estimateJaccard(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

/** Exact Jaccard index of two sorted, de-duplicated sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}
