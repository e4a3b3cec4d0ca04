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
  if (NON_ASCII.test(text)) {
    for (const token of tokenize(normalizeText(text))) {
      if (n === tokenHashes.length) growTokenHashes();
      tokenHashes[n++] = hash32(token);
    }
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
    if (n === tokenHashes.length) growTokenHashes();
    tokenHashes[n++] = fmix32(h);
  }
  return n;
}

function growTokenHashes(): void {
  const grown = new Uint32Array(tokenHashes.length * 2);
  grown.set(tokenHashes);
  tokenHashes = grown;
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
  if (count <= 48) {
    // Insertion sort: faster than the builtin's call overhead on a post's handful of shingles.
    for (let i = 1; i < count; i++) {
      const x = out[i]!;
      let j = i - 1;
      while (j >= 0 && out[j]! > x) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = x;
    }
  } else out.sort();
  let w = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return w === count ? out : out.slice(0, w);
}

/**
 * One-permutation MinHash with densification (Li, Owen & Zhang 2012; Shrivastava & Li 2014): each
 * shingle hash is mixed once; its high bits choose one of `MINHASH_SIZE` bins and the mixed value
 * competes for that bin's minimum. A bin no shingle fell into borrows the minimum of the nearest
 * non-empty bin, to its left or to its right as a fixed per-bin coin says (the same for every set),
 * shifted by a constant times the distance. Each position of two signatures still agrees with
 * probability equal to the Jaccard index, at the cost of one hash per shingle and two passes over the
 * bins instead of `MINHASH_SIZE` hashes per shingle. Borrowed positions are correlated, which only
 * raises the LSH candidate probability (every candidate is checked against the exact Jaccard index).
 */
const BIN_SCALE = MINHASH_SIZE / 4294967296;
const GOES_RIGHT = Uint8Array.from({ length: MINHASH_SIZE }, (_, i) => fmix32(0x3c6ef372 + i) & 1);
const DISTANCE_STEP = 0x9e3779b1 | 0;
const EMPTY = 0x7fffffff;
const filledBins = new Uint8Array(MINHASH_SIZE);
const fromLeft = new Int32Array(MINHASH_SIZE);

/** MinHash signature of a shingle set: `MINHASH_SIZE` minima (one-permutation hashing, densified). */
export function minhash(shingles: Uint32Array, out = new Int32Array(MINHASH_SIZE)): Int32Array {
  const filled = filledBins;
  filled.fill(0);
  let nonEmpty = 0;
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s]!;
    const bin = (x * BIN_SCALE) | 0;
    // A second, independent mix of the shingle hash orders the shingles inside a bin.
    let v = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
    v = Math.imul(v ^ (v >>> 12), 0x297a2d39);
    v ^= v >>> 15;
    if (filled[bin] === 0) {
      filled[bin] = 1;
      nonEmpty++;
      out[bin] = v;
    } else if (v < out[bin]!) out[bin] = v;
  }
  if (nonEmpty === 0) return out.fill(EMPTY);
  if (nonEmpty === MINHASH_SIZE) return out;
  const K = MINHASH_SIZE;
  // Left to right (twice round the circle): the value borrowed from the nearest filled bin on the left.
  let carry = 0;
  let distance = 0;
  for (let k = 0; k < 2 * K; k++) {
    const i = k < K ? k : k - K;
    if (filled[i] === 1) {
      carry = out[i]!;
      distance = 0;
    } else {
      distance++;
      fromLeft[i] = carry + Math.imul(distance, DISTANCE_STEP);
    }
  }
  // Right to left: bins whose coin says right borrow from the nearest filled bin on the right.
  for (let k = 2 * K - 1; k >= 0; k--) {
    const i = k < K ? k : k - K;
    if (filled[i] === 1) {
      carry = out[i]!;
      distance = 0;
    } else {
      distance++;
      if (k < K) out[i] = GOES_RIGHT[i] === 1 ? carry + Math.imul(distance, DISTANCE_STEP) : fromLeft[i]!;
    }
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
