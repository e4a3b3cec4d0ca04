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
  const n = hashAsciiTokens(text);
  if (n >= 0) return n;
  let count = 0;
  for (const token of tokenize(normalizeText(text))) {
    if (count === tokenHashes.length) growTokenHashes();
    tokenHashes[count++] = hash32(token);
  }
  return count;
}

/**
 * Non-ASCII code points that may continue a #hashtag or @mention in the one-pass tokenizer: those
 * whose NFKC form consists only of letters, marks, digits, '_' and default-ignorable code points, so
 * that normalisation keeps them inside the tag that is removed (look-alike tag spellings: full-width,
 * mathematical, accented and Cyrillic letters, combining marks, joiners), from the blocks such
 * spellings come from.
 */
const TAG_CHAR_RANGES: [number, number][] = [
  [0x80, 0x24f],
  [0x300, 0x36f],
  [0x370, 0x52f],
  [0x200b, 0x200f],
  [0x2060, 0x2064],
  [0xfe00, 0xfe0f],
  [0xff00, 0xffef],
  [0x1d400, 0x1d7ff],
];
const TAG_CHAR_LIMIT = 0x1d800;
let tagChars: Uint8Array | null = null;
function nonAsciiTagChars(): Uint8Array {
  if (tagChars !== null) return tagChars;
  const table = new Uint8Array(TAG_CHAR_LIMIT);
  const inTag = /^[\p{L}\p{M}\p{N}_\p{Default_Ignorable_Code_Point}]+$/u;
  for (const [from, to] of TAG_CHAR_RANGES)
    for (let cp = from; cp <= to; cp++)
      if (inTag.test(String.fromCodePoint(cp).normalize("NFKC"))) table[cp] = 1;
  tagChars = table;
  return table;
}

/**
 * `hashTokens` in one pass, without intermediate strings, for a text that is ASCII outside its
 * hashtags and mentions; -1 for any other text. On ASCII text this is the long-standing fast path;
 * a text with non-ASCII characters in its tags takes it only when the regular expressions would read
 * it the same way: every such character is a `nonAsciiTagChars` one not followed by the start of a
 * URL (normalisation would cut the tag there), and none of the spots where the fast path reads ASCII
 * differently occurs (a URL right after a tag sign or an underscore, control characters).
 */
function hashAsciiTokens(text: string): number {
  let n = 0;
  const len = text.length;
  let i = 0;
  let nonAscii = false;
  let differs = false;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c >= 128) return -1;
    if (c < 32 && (c < 9 || c > 13)) differs = true;
    if (c >= 65 && c <= 90) c += 32;
    if (!isAlnum(c)) {
      if (c === 35 || c === 64) {
        // #tag or @mention: skip the word characters after the sign.
        i++;
        if ((text.charCodeAt(i) | 32) === 104 || (text.charCodeAt(i) | 32) === 119)
          differs ||= startsUrlAfterNonWord(text, i);
        for (; i < len; i++) {
          const d = text.charCodeAt(i);
          if (isAlnum(d | 32) || d === 95) {
            if (d < 32) differs = true;
            continue;
          }
          if (d < 128) break;
          let cp = d;
          if (d >= 0xd800 && d < 0xdc00 && i + 1 < len) {
            const low = text.charCodeAt(i + 1);
            if (low >= 0xdc00 && low < 0xe000) cp = ((d - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          }
          if (cp >= TAG_CHAR_LIMIT || nonAsciiTagChars()[cp] !== 1) return -1;
          nonAscii = true;
          if (cp > 0xffff) i++;
          const next = text.charCodeAt(i + 1) | 32;
          if ((next === 104 || next === 119) && startsUrlAfterNonWord(text, i + 1)) return -1;
        }
      } else i++;
      continue;
    }
    if ((c === 104 || c === 119) && startsUrl(text, i)) {
      if (i > 0 && text.charCodeAt(i - 1) === 95) differs = true;
      for (; i < len; i++) {
        const d = text.charCodeAt(i);
        if (d <= 32) {
          if (d < 9 || (d > 13 && d < 32)) differs = true;
          break;
        }
        if (d >= 128) return -1;
      }
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
  return nonAscii && differs ? -1 : n;
}

function growTokenHashes(): void {
  const grown = new Uint32Array(tokenHashes.length * 2);
  grown.set(tokenHashes);
  tokenHashes = grown;
}

/** Whether an "http://", "https://" or "www." (any case) starts at `i`, not inside a word. */
function startsUrl(text: string, i: number): boolean {
  if (i > 0 && isAlnum(text.charCodeAt(i - 1) | 32)) return false;
  return startsUrlAfterNonWord(text, i);
}

/** `startsUrl` when the character before `i` is known not to be a word character. */
function startsUrlAfterNonWord(text: string, i: number): boolean {
  if ((text.charCodeAt(i) | 32) === 119)
    return (
      (text.charCodeAt(i + 1) | 32) === 119 &&
      (text.charCodeAt(i + 2) | 32) === 119 &&
      text.charCodeAt(i + 3) === 46
    );
  if ((text.charCodeAt(i + 1) | 32) !== 116 || (text.charCodeAt(i + 2) | 32) !== 116) return false;
  if ((text.charCodeAt(i + 3) | 32) !== 112) return false;
  const j = (text.charCodeAt(i + 4) | 32) === 115 ? i + 5 : i + 4;
  return text.charCodeAt(j) === 58 && text.charCodeAt(j + 1) === 47 && text.charCodeAt(j + 2) === 47;
}

/** Reused buffer of a text's shingle hashes (see `textShinglesInto`). */
let shingleHashes = new Uint32Array(256);

/**
 * Sorted, de-duplicated 32-bit hashes of the word 3-shingles of a text's normalised tokens, or null
 * when it has fewer than `MIN_TOKENS` tokens.
 */
export function textShingles(text: string): Uint32Array | null {
  const n = textShinglesInto(text);
  return n < 0 ? null : shingleHashes.slice(0, n);
}

/**
 * `textShingles` without allocating: writes the shingle hashes to the start of the shared buffer
 * `lastShingles()` (valid until the next call) and returns how many there are, or -1 when the text
 * has fewer than `MIN_TOKENS` tokens.
 */
export function textShinglesInto(text: string): number {
  const n = hashTokens(text);
  if (n < MIN_TOKENS) return -1;
  return shinglesInto(tokenHashes, n);
}

/** The shared buffer `textShinglesInto` writes to. */
export function lastShingles(): Uint32Array {
  return shingleHashes;
}

/**
 * Sorted, de-duplicated 32-bit hashes of the word 3-shingles of `tokens` (a post of fewer than three
 * tokens gets its single shingle of all tokens).
 */
export function shingleSet(tokens: readonly string[]): Uint32Array {
  const words = Uint32Array.from(tokens, (t) => hash32(t));
  return shingleHashes.slice(0, shinglesInto(words, words.length));
}

/** Writes the sorted, de-duplicated shingle hashes of `n` word hashes to `shingleHashes`; returns their count. */
function shinglesInto(words: Uint32Array, n: number): number {
  if (n === 0) return 0;
  const count = Math.max(1, n - SHINGLE_WORDS + 1);
  if (count > shingleHashes.length) shingleHashes = new Uint32Array(count * 2);
  const out = shingleHashes;
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
  } else out.subarray(0, count).sort();
  let w = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return w;
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
const filledOrder = new Int32Array(MINHASH_SIZE);
/** -1 where the bin's coin says right, else 0. */
const RIGHT_MASK = Int32Array.from(GOES_RIGHT, (g) => -g);

/**
 * MinHash signature of a shingle set: `MINHASH_SIZE` minima (one-permutation hashing, densified).
 * `start`/`end` select a range of `shingles` (default: all of it).
 */
export function minhash(
  shingles: Uint32Array,
  out = new Int32Array(MINHASH_SIZE),
  start = 0,
  end = shingles.length,
): Int32Array {
  const filled = filledBins;
  filled.fill(0);
  let nonEmpty = 0;
  for (let s = start; s < end; s++) {
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
  // Each run of empty bins between two filled bins (circularly) borrows from its left end or its
  // right end, as the bin's coin says, shifted by a constant times the distance to that end.
  // (Branch-free: the filled bins are listed by a conditional increment, and the coin is a mask.)
  const order = filledOrder;
  let m = 0;
  for (let i = 0; i < K; i++) {
    order[m] = i;
    m += filled[i]!;
  }
  for (let j = 0; j < m; j++) {
    const left = order[j]!;
    const right = order[j + 1 < m ? j + 1 : 0]!;
    const span = right > left ? right - left : right - left + K;
    const fromLeft = out[left]!;
    const fromRight = out[right]!;
    let i = left + 1 === K ? 0 : left + 1;
    for (let d = 1; d < span; d++) {
      const goesRight = RIGHT_MASK[i]!;
      out[i] =
        (((fromRight + Math.imul(span - d, DISTANCE_STEP)) | 0) & goesRight) |
        (((fromLeft + Math.imul(d, DISTANCE_STEP)) | 0) & ~goesRight);
      if (++i === K) i = 0;
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
  return jaccardRange(a, 0, a.length, b, 0, b.length);
}

/** Exact Jaccard index of two sorted, de-duplicated sets held in ranges of arrays. */
export function jaccardRange(
  a: Uint32Array,
  aStart: number,
  aEnd: number,
  b: Uint32Array,
  bStart: number,
  bEnd: number,
): number {
  let i = aStart;
  let j = bStart;
  let common = 0;
  while (i < aEnd && j < bEnd) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = aEnd - aStart + (bEnd - bStart) - common;
  return union === 0 ? 0 : common / union;
}
