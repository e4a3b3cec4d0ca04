/**
 * Distinct-account counting for one (scope, hashtag key, time bucket) cell of the trends engine.
 *
 * A cell is exact while it has seen at most EXACT_ACCOUNTS_PER_CELL distinct accounts: a small
 * account -> live-post-count table, so deletes are exact (an account whose last post in the cell is
 * deleted stops counting). Beyond that it switches, once, to a sketch of bounded size:
 * - a HyperLogLog of 2^10 one-byte registers (standard error 1.04/sqrt(1024) = 3.25%) for the number
 *   of distinct accounts that ever posted in the cell (insert-only: deletes cannot lower it);
 * - a bottom-k sample: the SAMPLE_SIZE accounts with the smallest second hash, each with its exact
 *   live-post count. An account's hash never changes and the k-th smallest hash only goes down, so an
 *   account in the sample has been in it since its first post in the cell: its count is exact. The
 *   sample is a uniform random sample of the cell's distinct accounts, used at query time to estimate
 *   the share still alive after deletes, the trust-weighted mean and the share of restricted accounts.
 *
 * Accounts are small integers (interned by the engine); hashes are murmur3's 32-bit finaliser of
 * the index mixed with a seed, so they are deterministic for a given event order.
 *
 * Memory: an exact cell is an object and one array of small integers (account, live posts), 16 bytes
 * per account + ~90 bytes (one account: ~110 bytes; 128 accounts: ~3 KB with array growth slack); a
 * sketch cell is 1,024 register bytes + 9 * (SAMPLE_SIZE + 1) sample bytes + ~500 bytes of typed-array
 * overhead, ~2.1 KB.
 */
import { fmix32 } from "../detect/hash.ts";

/** Distinct accounts a cell tracks exactly before it switches to the sketch. */
export const EXACT_ACCOUNTS_PER_CELL = 128;
/** Array length (2 per account) up to which an exact cell's array is reallocated at its exact size. */
const SMALL_CELL = 16;
/** Size of the bottom-k account sample of a sketch cell (and of a window union). */
export const SAMPLE_SIZE = 64;
/** HyperLogLog precision: 2^HLL_P registers. */
export const HLL_P = 10;
export const HLL_M = 1 << HLL_P;
const HLL_ALPHA = 0.7213 / (1 + 1.079 / HLL_M);
const RANK_BITS = 32 - HLL_P;
const POW2_NEG = Float64Array.from({ length: 34 }, (_, r) => 2 ** -r);

/** murmur3 fmix32 (the detectors' own): a bijection on 32-bit integers with full avalanche. */
export const mix32: (x: number) => number = fmix32;

/** Hash used for HyperLogLog registers. */
export function hllHash(account: number, seed: number): number {
  return mix32(account ^ seed);
}

/** Hash used to order the bottom-k sample (independent of the register hash). */
export function sampleHash(account: number, seed: number): number {
  return mix32(mix32(account ^ seed) ^ 0x5bd1e995);
}

/** Adds a 32-bit hash to HyperLogLog registers. */
export function hllInsert(regs: Uint8Array, h: number): void {
  const idx = h >>> RANK_BITS;
  const w = (h << HLL_P) >>> 0;
  const rank = w === 0 ? RANK_BITS + 1 : Math.clz32(w) + 1;
  if (rank > regs[idx]!) regs[idx] = rank;
}

/** HyperLogLog estimate with the small-range (linear counting) correction. */
export function hllEstimate(regs: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < HLL_M; i++) {
    const r = regs[i]!;
    sum += POW2_NEG[r]!;
    if (r === 0) zeros++;
  }
  const raw = (HLL_ALPHA * HLL_M * HLL_M) / sum;
  if (raw <= 2.5 * HLL_M && zeros > 0) return HLL_M * Math.log(HLL_M / zeros);
  return raw;
}

/** Sketch state of a cell past EXACT_ACCOUNTS_PER_CELL accounts. */
export class Sketch {
  /** HyperLogLog registers. */
  readonly regs = new Uint8Array(HLL_M);
  /** Bottom-k sample sorted by hash ascending: hash, account, live-post count (one spare slot). */
  readonly sh = new Uint32Array(SAMPLE_SIZE + 1);
  readonly sid = new Int32Array(SAMPLE_SIZE + 1);
  readonly scnt = new Int32Array(SAMPLE_SIZE + 1);
  sn = 0;

  add(account: number, seed: number, count: number): void {
    hllInsert(this.regs, hllHash(account, seed));
    const h = sampleHash(account, seed);
    const { sh, sid, scnt } = this;
    const sn = this.sn;
    if (sn === SAMPLE_SIZE && h > sh[sn - 1]!) return;
    // Lower bound of h, then look for the account among equal hashes.
    let lo = 0;
    let hi = sn;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sh[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sn && sh[i] === h; i++) {
      if (sid[i] === account) {
        scnt[i]! += count;
        return;
      }
    }
    // Insert at lo; drop the largest when over SAMPLE_SIZE.
    sh.copyWithin(lo + 1, lo, sn);
    sid.copyWithin(lo + 1, lo, sn);
    scnt.copyWithin(lo + 1, lo, sn);
    sh[lo] = h;
    sid[lo] = account;
    scnt[lo] = count;
    this.sn = sn < SAMPLE_SIZE ? sn + 1 : SAMPLE_SIZE;
  }

  /** The account keeps its sample slot with count 0 (bottom-k property), reading as deleted. */
  remove(account: number): void {
    const { sid, scnt } = this;
    for (let i = 0; i < this.sn; i++) {
      if (sid[i] === account) {
        if (scnt[i]! > 0) scnt[i]!--;
        return;
      }
    }
  }

  /** Largest hash in the (full) sample. */
  get tau(): number {
    return this.sh[this.sn - 1]!;
  }
}

export class Cell {
  /** Live posts (deletes subtracted). */
  posts = 0;
  /**
   * Exact mode: [account, live posts, account, live posts, ...] sorted by account (a plain array of
   * small integers: far leaner than typed arrays for the common one- or two-account cell); null once
   * the cell is a sketch.
   */
  ac: number[] | null = [];
  sk: Sketch | null = null;

  add(account: number, seed: number): void {
    this.posts++;
    const ac = this.ac;
    if (ac !== null) {
      const found = findPair(ac, account);
      if (found >= 0) {
        ac[(found << 1) + 1]!++;
        return;
      }
      const lo = -found - 1;
      if (ac.length >> 1 < EXACT_ACCOUNTS_PER_CELL) {
        const n = ac.length;
        if (n < SMALL_CELL) {
          // Exact-size copy: push would give the backing store 16+ slots, most cells hold 1-3 accounts.
          const na = new Array<number>(n + 2);
          const at = lo << 1;
          for (let i = 0; i < at; i++) na[i] = ac[i]!;
          na[at] = account;
          na[at + 1] = 1;
          for (let i = at; i < n; i++) na[i + 2] = ac[i]!;
          this.ac = na;
        } else if (lo === n >> 1) {
          ac.push(account, 1);
        } else {
          ac.splice(lo << 1, 0, account, 1);
        }
        return;
      }
      const sk = new Sketch();
      for (let i = 0; i < ac.length; i += 2) sk.add(ac[i]!, seed, ac[i + 1]!);
      this.sk = sk;
      this.ac = null;
    }
    this.sk!.add(account, seed, 1);
  }

  /** Subtracts one post of `account`; false if the cell holds no live post of it. */
  remove(account: number): boolean {
    const ac = this.ac;
    if (ac === null) {
      // Sketch mode: the HyperLogLog cannot forget; the sample records the delete.
      if (this.posts > 0) this.posts--;
      this.sk!.remove(account);
      return true;
    }
    const found = findPair(ac, account);
    if (found < 0) return false;
    this.posts--;
    if (--ac[(found << 1) + 1]! === 0) ac.splice(found << 1, 2);
    return true;
  }

  /** Approximate heap bytes held by this cell. */
  bytes(): number {
    if (this.ac !== null) {
      const n = this.ac.length;
      return 40 + 32 + 16 + 8 * (n < SMALL_CELL ? n : n + (n >> 1) + 16);
    }
    return 64 + 3 * 160 + HLL_M + 9 * (SAMPLE_SIZE + 1);
  }
}

/**
 * Binary search over [account, count, account, count, ...] sorted by account: the pair's index when
 * found, else -(insertion index) - 1.
 */
function findPair(ac: number[], account: number): number {
  let lo = 0;
  let hi = ac.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = ac[mid << 1]!;
    if (v < account) lo = mid + 1;
    else if (v > account) hi = mid;
    else return mid;
  }
  return -lo - 1;
}
