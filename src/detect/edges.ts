/**
 * The fused account graph (detection.md §5.3): one edge per pair of accounts that co-acted, in
 * compact typed arrays. An edge's weight is the number of distinct shared objects (a template, a
 * hashtag sequence, a URL, a reposted post...), each counted once per pair and scaled by its trace
 * weight and its viral down-weighting; repeating the same object adds nothing. Objects are remembered
 * per edge as bits of a 32-bit mask (one bit per object hash: a 1-in-32 collision only under-counts).
 *
 * Edges reaching `strongWeight` are "strong": clustering reads only those, through a per-account list
 * of strong-edge slots, and the accounts whose strong edges changed are collected for incremental
 * clustering (`takeDirty`). Edges idle for longer than the retention are removed by `sweep`, and when
 * more than `maxEdges` remain, the oldest weak edges go first, so memory stays bounded on any stream.
 * Pairs are found through an open-addressing table of int32 slot numbers: no Map, no boxed keys.
 */

/** Trace kinds, as bits of an edge's `kinds` mask. */
export const TRACE_TEXT = 1;
export const TRACE_SEQUENCE = 2;
export const TRACE_URL = 4;
export const TRACE_TAG = 8;
export const TRACE_REPOST = 16;
export const TRACE_QUOTE = 32;
export const TRACE_REPLY = 64;

const INITIAL_CAPACITY = 1 << 12;
const NONE: readonly number[] = [];

/** Table slot hash of an account pair (lo < hi). */
const pairHash = (lo: number, hi: number): number => {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ 0x5bd1e995, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
};

export class EdgeStore {
  /**
   * Open-addressing table (linear probing, backward-shift deletion) of edge slot + 1 (0 = empty),
   * keyed by the pair (a, b): integer keys that never leave typed arrays.
   */
  private table = new Int32Array(INITIAL_CAPACITY * 2);
  private tableMask = INITIAL_CAPACITY * 2 - 1;
  private capacity = INITIAL_CAPACITY;
  a = new Int32Array(INITIAL_CAPACITY);
  b = new Int32Array(INITIAL_CAPACITY);
  weight = new Float64Array(INITIAL_CAPACITY);
  objectMask = new Int32Array(INITIAL_CAPACITY);
  kinds = new Int32Array(INITIAL_CAPACITY);
  /** Co-action events (post pairs) and the sum of their time gaps. */
  coactions = new Int32Array(INITIAL_CAPACITY);
  sumGapMs = new Float64Array(INITIAL_CAPACITY);
  last = new Float64Array(INITIAL_CAPACITY);
  /** 1 while the slot holds an edge; 1 while it holds a strong edge (mirrors `strong`). */
  private alive = new Uint8Array(INITIAL_CAPACITY);
  private isStrong = new Uint8Array(INITIAL_CAPACITY);
  private free: number[] = [];
  private used = 0;
  private count = 0;
  /** Slots of the edges whose weight reached `strongWeight`. */
  readonly strong = new Set<number>();
  /** Bumped whenever the strong subgraph changes (a clustering cache key). */
  version = 0;
  /**
   * Accounts touched by a strong-edge change (an edge becoming strong, a strong edge gaining weight or
   * going away) since the last `takeDirty`: what incremental clustering must look at again.
   */
  private readonly dirty = new Set<number>();
  /** Strong-edge slots per account. */
  private readonly adjacency = new Map<number, number[]>();

  constructor(
    readonly strongWeight = 3,
    readonly retentionMs = 86_400_000,
    readonly maxEdges = 4_000_000,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.capacity * (4 + 4 + 8 + 4 + 4 + 4 + 8 + 8 + 1 + 1) + this.table.byteLength;
  }

  /**
   * Records a co-action of accounts `x` and `y` on object `objectHash` with trace `kind`, `gapMs`
   * apart. Returns the edge slot.
   */
  add(
    x: number,
    y: number,
    objectHash: number,
    weight: number,
    kind: number,
    gapMs: number,
    time: number,
  ): number {
    const lo = Math.min(x, y);
    const hi = Math.max(x, y);
    let slot = this.lookup(lo, hi);
    if (slot < 0) {
      slot = this.allocate();
      this.a[slot] = lo;
      this.b[slot] = hi;
      this.weight[slot] = 0;
      this.objectMask[slot] = 0;
      this.kinds[slot] = 0;
      this.coactions[slot] = 0;
      this.sumGapMs[slot] = 0;
      this.last[slot] = time;
      this.alive[slot] = 1;
      this.count++;
      this.insertKey(lo, hi, slot);
    }
    this.coactions[slot]!++;
    this.sumGapMs[slot]! += gapMs;
    this.kinds[slot]! |= kind;
    if (time > this.last[slot]!) this.last[slot] = time;
    const bit = 1 << (objectHash & 31);
    if ((this.objectMask[slot]! & bit) === 0) {
      this.objectMask[slot]! |= bit;
      this.weight[slot]! += weight;
      if (this.weight[slot]! >= this.strongWeight) {
        if (this.isStrong[slot] !== 1) {
          this.isStrong[slot] = 1;
          this.strong.add(slot);
          this.version++;
          this.link(lo, slot);
          this.link(hi, slot);
        }
        this.dirty.add(lo);
        this.dirty.add(hi);
      }
    }
    return slot;
  }

  /** Slot of the edge between two accounts, or -1. */
  find(x: number, y: number): number {
    return x < y ? this.lookup(x, y) : this.lookup(y, x);
  }

  /** Whether the slot holds an edge. */
  has(slot: number): boolean {
    return slot >= 0 && slot < this.used && this.alive[slot] === 1;
  }

  /** Slots of an account's strong edges (empty when none). */
  strongEdgesOf(account: number): readonly number[] {
    return this.adjacency.get(account) ?? NONE;
  }

  /** The other end of edge `slot` seen from `account`. */
  other(slot: number, account: number): number {
    return this.a[slot] === account ? this.b[slot]! : this.a[slot]!;
  }

  private link(account: number, slot: number): void {
    const list = this.adjacency.get(account);
    if (list) list.push(slot);
    else this.adjacency.set(account, [slot]);
  }

  private unlink(account: number, slot: number): void {
    const list = this.adjacency.get(account);
    if (!list) return;
    const i = list.indexOf(slot);
    if (i >= 0) {
      list[i] = list[list.length - 1]!;
      list.pop();
    }
    if (list.length === 0) this.adjacency.delete(account);
  }

  /** Accounts whose strong edges changed since the last call (and forgets them). */
  takeDirty(): Set<number> {
    const out = new Set(this.dirty);
    this.dirty.clear();
    return out;
  }

  /** Removes edges idle past the retention, then the oldest weak edges while over `maxEdges`. */
  sweep(now: number): void {
    const cutoff = now - this.retentionMs;
    for (let slot = 0; slot < this.used; slot++)
      if (this.alive[slot] === 1 && this.last[slot]! < cutoff) this.remove(slot);
    const excess = this.count - this.maxEdges;
    if (excess <= 0) return;
    // Drop about 10% more than the excess, oldest weak edges first: the cut time comes from a histogram
    // of the weak edges' last activity (two linear passes, no sort of millions of times).
    let oldest = Infinity;
    let newest = -Infinity;
    for (let slot = 0; slot < this.used; slot++) {
      if (this.alive[slot] !== 1 || this.isStrong[slot] === 1) continue;
      const t = this.last[slot]!;
      if (t < oldest) oldest = t;
      if (t > newest) newest = t;
    }
    if (!(newest >= oldest)) return;
    const BINS = 4096;
    const width = (newest - oldest) / BINS || 1;
    const histogram = new Float64Array(BINS + 1);
    for (let slot = 0; slot < this.used; slot++)
      if (this.alive[slot] === 1 && this.isStrong[slot] !== 1)
        histogram[Math.min(BINS, Math.floor((this.last[slot]! - oldest) / width))]!++;
    const target = Math.ceil(excess * 1.1);
    let cut = 0;
    let dropped = 0;
    while (cut <= BINS && dropped < target) dropped += histogram[cut++]!;
    const keepFrom = oldest + cut * width;
    for (let slot = 0; slot < this.used; slot++) {
      if (this.alive[slot] === 1 && this.isStrong[slot] !== 1 && this.last[slot]! < keepFrom)
        this.remove(slot);
    }
  }

  private lookup(lo: number, hi: number): number {
    const m = this.tableMask;
    let i = pairHash(lo, hi) & m;
    for (;;) {
      const entry = this.table[i]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.a[slot] === lo && this.b[slot] === hi) return slot;
      i = (i + 1) & m;
    }
  }

  private insertKey(lo: number, hi: number, slot: number): void {
    const m = this.tableMask;
    let i = pairHash(lo, hi) & m;
    while (this.table[i] !== 0) i = (i + 1) & m;
    this.table[i] = slot + 1;
  }

  private remove(slot: number): void {
    const m = this.tableMask;
    const lo = this.a[slot]!;
    const hi = this.b[slot]!;
    let i = pairHash(lo, hi) & m;
    while (this.table[i] !== slot + 1) i = (i + 1) & m;
    // Backward shift: move later entries of the cluster into the hole unless their home lies in (hole, j].
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const entry = this.table[j]!;
      if (entry === 0) break;
      const home = pairHash(this.a[entry - 1]!, this.b[entry - 1]!) & m;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        this.table[hole] = entry;
        hole = j;
      }
    }
    this.table[hole] = 0;
    this.alive[slot] = 0;
    this.count--;
    this.free.push(slot);
    this.isStrong[slot] = 0;
    if (this.strong.delete(slot)) {
      this.version++;
      this.unlink(lo, slot);
      this.unlink(hi, slot);
      this.dirty.add(lo);
      this.dirty.add(hi);
    }
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity);
      next.set(old);
      return next;
    };
    this.a = grown(this.a);
    this.b = grown(this.b);
    this.weight = grown(this.weight);
    this.objectMask = grown(this.objectMask);
    this.kinds = grown(this.kinds);
    this.coactions = grown(this.coactions);
    this.sumGapMs = grown(this.sumGapMs);
    this.last = grown(this.last);
    this.alive = grown(this.alive);
    this.isStrong = grown(this.isStrong);
    this.capacity = capacity;
    this.table = new Int32Array(capacity * 2);
    this.tableMask = capacity * 2 - 1;
    for (let slot = 0; slot < this.used; slot++)
      if (this.alive[slot] === 1) this.insertKey(this.a[slot]!, this.b[slot]!, slot);
  }
}
