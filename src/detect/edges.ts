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
 *
 * Layout. Every edge is a 48-byte record (weight, gap sum, last activity, the two accounts, object
 * mask, kinds, co-action count, public slot) in fixed-size chunks that are never copied: an update
 * touches one or two cache lines, and growth leaves no garbage behind. Pairs are found through an
 * open-addressing table of (pair hash, record) int32 pairs: no Map, no boxed keys. The arrays
 * clustering and evidence read (`a`, `b`, `weight`, `kinds`, ...) are indexed by a separate, small
 * "public slot" that strong edges (and edges looked up with `find`) get; they are brought up to date
 * from the records whenever they are read.
 */

/** Trace kinds, as bits of an edge's `kinds` mask. */
export const TRACE_TEXT = 1;
export const TRACE_SEQUENCE = 2;
export const TRACE_URL = 4;
export const TRACE_TAG = 8;
export const TRACE_REPOST = 16;
export const TRACE_QUOTE = 32;
export const TRACE_REPLY = 64;
/** Co-repost of one post within the burst window (on top of the co-repost itself). */
export const TRACE_REPOST_BURST = 128;

/** Records per chunk (48 bytes each: 768 KB), and the record layout in float64 / int32 words. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const RECORD_F64 = 6;
const R_WEIGHT = 0;
const R_GAP = 1;
const R_LAST = 2;
/** (int32 words, after the three float64s.) */
const R_LO = 6;
const R_HI = 7;
const R_MASK = 8;
const R_KINDS = 9;
const R_COACTIONS = 10;
const R_PUBLIC = 11;
const INITIAL_TABLE = 1 << 13;
const INITIAL_PUBLIC = 1 << 10;
/** The single pair `add` hands to `addAll`. */
const ONE_OTHER = new Int32Array(1);
const ONE_GAP = new Float64Array(1);
const NONE: readonly number[] = [];
/** Where early table reads go, so that they are not optimised away. */
const SINK = new Int32Array(1);

/** Table hash of an account pair (lo < hi). */
const pairHash = (lo: number, hi: number): number => {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ 0x5bd1e995, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
};

export class EdgeStore {
  /** Record chunks, as float64 and int32 views of the same buffers. */
  private readonly chunkF64: Float64Array[] = [];
  private readonly chunkI32: Int32Array[] = [];
  /** Records ever used (ids below are live or on the free list), live edges, free record ids. */
  private used = 0;
  private count = 0;
  private free: number[] = [];
  /**
   * Open-addressing table (linear probing, backward-shift deletion, at most 3/4 full): per entry the
   * pair's hash and the record id + 1 (0 = empty), so a probe compares hashes inside the table and
   * reads a record only to confirm a hash match.
   */
  private table = new Int32Array(INITIAL_TABLE * 2);
  private tableMask = INITIAL_TABLE - 1;
  /** Public slots: arrays indexed by slot, their record, whether in use, and which are out of date. */
  private publicCapacity = INITIAL_PUBLIC;
  private publicUsed = 0;
  private publicFree: number[] = [];
  private publicRecord = new Int32Array(INITIAL_PUBLIC);
  private publicAlive = new Uint8Array(INITIAL_PUBLIC);
  private publicStale = new Uint8Array(INITIAL_PUBLIC);
  private staleList: number[] = [];
  private pubA = new Int32Array(INITIAL_PUBLIC);
  private pubB = new Int32Array(INITIAL_PUBLIC);
  private pubWeight = new Float64Array(INITIAL_PUBLIC);
  private pubObjectMask = new Int32Array(INITIAL_PUBLIC);
  private pubKinds = new Int32Array(INITIAL_PUBLIC);
  private pubCoactions = new Int32Array(INITIAL_PUBLIC);
  private pubSumGapMs = new Float64Array(INITIAL_PUBLIC);
  private pubLast = new Float64Array(INITIAL_PUBLIC);
  /** Number of edges whose weight reached `strongWeight`. */
  strongCount = 0;
  private strongSet: Set<number> | null = null;
  private strongSetVersion = -1;
  /**
   * A lower bound on the last activity of every edge: a sweep finds nothing idle while the retention
   * cutoff is at or below it, and skips the scan.
   */
  private oldestLast = Infinity;
  /** Record of the last edge `addAll` touched. */
  private lastRecord = -1;
  /** Pair hashes of an `addAll` call. */
  private hashes = new Int32Array(64);
  /** Bumped whenever the strong subgraph changes (a clustering cache key). */
  version = 0;
  /**
   * Accounts touched by a strong-edge change (an edge becoming strong, a strong edge gaining weight or
   * going away) since the last `takeDirty`: what incremental clustering must look at again. A flag
   * per account and the list of flagged accounts (no Set on the hot path).
   */
  private dirtyFlags = new Uint8Array(1024);
  private dirtyList: number[] = [];
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
    return (
      this.chunkF64.length * CHUNK * RECORD_F64 * 8 +
      this.table.byteLength +
      this.publicCapacity * (4 + 1 + 1 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 8)
    );
  }

  /** Accounts of each slot's edge (lower index first). */
  get a(): Int32Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubA;
  }

  get b(): Int32Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubB;
  }

  get weight(): Float64Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubWeight;
  }

  get objectMask(): Int32Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubObjectMask;
  }

  get kinds(): Int32Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubKinds;
  }

  /** Co-action events (post pairs) and the sum of their time gaps. */
  get coactions(): Int32Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubCoactions;
  }

  get sumGapMs(): Float64Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubSumGapMs;
  }

  get last(): Float64Array {
    if (this.staleList.length > 0) this.sync();
    return this.pubLast;
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
    ONE_OTHER[0] = y;
    ONE_GAP[0] = gapMs;
    this.addAll(x, ONE_OTHER, ONE_GAP, 1, objectHash, weight, kind, time);
    return this.publicSlot(this.lastRecord);
  }

  /**
   * `add` for the co-actions of account `x` with `count` others on the same object at `time`:
   * `others[i]`, `gaps[i]` ms apart. (One call per shared object, so no number is boxed per pair.)
   */
  addAll(
    x: number,
    others: Int32Array,
    gaps: Float64Array,
    count: number,
    objectHash: number,
    weight: number,
    kind: number,
    time: number,
    countCoactions = true,
  ): void {
    if (count > this.hashes.length) this.hashes = new Int32Array(count * 2);
    const bit = 1 << (objectHash & 31);
    // Hash every pair and read its home entry first: the cache misses of the lookups overlap.
    const hashes = this.hashes;
    const table = this.table;
    const m = this.tableMask;
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const y = others[i]!;
      const hash = x < y ? pairHash(x, y) : pairHash(y, x);
      hashes[i] = hash;
      sink ^= table[2 * (hash & m) + 1]!;
    }
    SINK[0] = sink;
    for (let i = 0; i < count; i++) {
      const y = others[i]!;
      const lo = Math.min(x, y);
      const hi = Math.max(x, y);
      const hash = hashes[i]!;
      let record = this.lookup(lo, hi, hash);
      let f: Float64Array;
      let n: Int32Array;
      let at: number;
      if (record < 0) {
        record = this.allocate();
        f = this.chunkF64[record >>> CHUNK_BITS]!;
        n = this.chunkI32[record >>> CHUNK_BITS]!;
        at = (record & CHUNK_MASK) * RECORD_F64;
        f[at + R_WEIGHT] = 0;
        f[at + R_GAP] = 0;
        f[at + R_LAST] = time;
        n[at * 2 + R_LO] = lo;
        n[at * 2 + R_HI] = hi;
        n[at * 2 + R_MASK] = 0;
        n[at * 2 + R_KINDS] = 0;
        n[at * 2 + R_COACTIONS] = 0;
        n[at * 2 + R_PUBLIC] = -1;
        this.count++;
        if (time < this.oldestLast) this.oldestLast = time;
        this.insertKey(hash, record);
      } else {
        f = this.chunkF64[record >>> CHUNK_BITS]!;
        n = this.chunkI32[record >>> CHUNK_BITS]!;
        at = (record & CHUNK_MASK) * RECORD_F64;
      }
      const w = at * 2;
      if (countCoactions) {
        n[w + R_COACTIONS]!++;
        f[at + R_GAP]! += gaps[i]!;
      }
      n[w + R_KINDS]! |= kind;
      if (time > f[at + R_LAST]!) f[at + R_LAST] = time;
      if ((n[w + R_MASK]! & bit) === 0) {
        n[w + R_MASK]! |= bit;
        const before = f[at + R_WEIGHT]!;
        const after = before + weight;
        f[at + R_WEIGHT] = after;
        if (after >= this.strongWeight) {
          if (!(before >= this.strongWeight)) {
            const slot = this.publicSlot(record);
            this.strongCount++;
            this.version++;
            this.link(lo, slot);
            this.link(hi, slot);
          }
          this.markDirty(lo);
          this.markDirty(hi);
        }
      }
      const slot = n[w + R_PUBLIC]!;
      if (slot >= 0 && this.publicStale[slot] === 0) {
        this.publicStale[slot] = 1;
        this.staleList.push(slot);
      }
      this.lastRecord = record;
    }
  }

  /** Slot of the edge between two accounts, or -1. */
  find(x: number, y: number): number {
    const record = x < y ? this.lookup(x, y, pairHash(x, y)) : this.lookup(y, x, pairHash(y, x));
    return record < 0 ? -1 : this.publicSlot(record);
  }

  /** Whether the slot holds an edge. */
  has(slot: number): boolean {
    return slot >= 0 && slot < this.publicUsed && this.publicAlive[slot] === 1;
  }

  /** Slots of the edges whose weight reached `strongWeight` (built on demand; do not modify). */
  get strong(): ReadonlySet<number> {
    if (this.strongSet === null || this.strongSetVersion !== this.version) {
      const set = new Set<number>();
      const weight = this.weight;
      for (let slot = 0; slot < this.publicUsed; slot++)
        if (this.publicAlive[slot] === 1 && weight[slot]! >= this.strongWeight) set.add(slot);
      this.strongSet = set;
      this.strongSetVersion = this.version;
    }
    return this.strongSet;
  }

  /** Slots of an account's strong edges (empty when none). */
  strongEdgesOf(account: number): readonly number[] {
    return this.adjacency.get(account) ?? NONE;
  }

  /** The other end of edge `slot` seen from `account`. */
  other(slot: number, account: number): number {
    return this.pubA[slot] === account ? this.pubB[slot]! : this.pubA[slot]!;
  }

  /**
   * Calls `fn` with every edge (accounts, weight, object mask, kinds, co-actions, gap sum, last
   * activity), in record order: for tests and diagnostics.
   */
  forEach(
    fn: (
      a: number,
      b: number,
      weight: number,
      objectMask: number,
      kinds: number,
      coactions: number,
      sumGapMs: number,
      last: number,
    ) => void,
  ): void {
    for (let record = 0; record < this.used; record++) {
      const f = this.chunkF64[record >>> CHUNK_BITS]!;
      const n = this.chunkI32[record >>> CHUNK_BITS]!;
      const at = (record & CHUNK_MASK) * RECORD_F64;
      if (n[at * 2 + R_LO]! < 0) continue;
      fn(
        n[at * 2 + R_LO]!,
        n[at * 2 + R_HI]!,
        f[at + R_WEIGHT]!,
        n[at * 2 + R_MASK]!,
        n[at * 2 + R_KINDS]!,
        n[at * 2 + R_COACTIONS]!,
        f[at + R_GAP]!,
        f[at + R_LAST]!,
      );
    }
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
    const out = new Set(this.dirtyList);
    for (const account of this.dirtyList) this.dirtyFlags[account] = 0;
    this.dirtyList = [];
    return out;
  }

  private markDirty(account: number): void {
    if (account >= this.dirtyFlags.length) {
      let n = this.dirtyFlags.length * 2;
      while (n <= account) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.dirtyFlags);
      this.dirtyFlags = grown;
    }
    if (this.dirtyFlags[account] === 1) return;
    this.dirtyFlags[account] = 1;
    this.dirtyList.push(account);
  }

  /** Removes edges idle past the retention, then the oldest weak edges while over `maxEdges`. */
  sweep(now: number): void {
    const cutoff = now - this.retentionMs;
    if (cutoff > this.oldestLast) {
      let oldest = Infinity;
      for (let record = 0; record < this.used; record++) {
        const f = this.chunkF64[record >>> CHUNK_BITS]!;
        const at = (record & CHUNK_MASK) * RECORD_F64;
        if (this.chunkI32[record >>> CHUNK_BITS]![at * 2 + R_LO]! < 0) continue;
        const last = f[at + R_LAST]!;
        if (last < cutoff) this.remove(record);
        else if (last < oldest) oldest = last;
      }
      this.oldestLast = oldest;
    }
    const excess = this.count - this.maxEdges;
    if (excess <= 0) return;
    // Drop about 10% more than the excess, oldest weak edges first: the cut time comes from a histogram
    // of the weak edges' last activity (two linear passes, no sort of millions of times).
    let oldest = Infinity;
    let newest = -Infinity;
    for (let record = 0; record < this.used; record++) {
      const t = this.weakLast(record);
      if (Number.isNaN(t)) continue;
      if (t < oldest) oldest = t;
      if (t > newest) newest = t;
    }
    if (!(newest >= oldest)) return;
    const BINS = 4096;
    const width = (newest - oldest) / BINS || 1;
    const histogram = new Float64Array(BINS + 1);
    for (let record = 0; record < this.used; record++) {
      const t = this.weakLast(record);
      if (!Number.isNaN(t)) histogram[Math.min(BINS, Math.floor((t - oldest) / width))]!++;
    }
    const target = Math.ceil(excess * 1.1);
    let cut = 0;
    let dropped = 0;
    while (cut <= BINS && dropped < target) dropped += histogram[cut++]!;
    const keepFrom = oldest + cut * width;
    for (let record = 0; record < this.used; record++) {
      const t = this.weakLast(record);
      if (!Number.isNaN(t) && t < keepFrom) this.remove(record);
    }
  }

  /** Last activity of a live weak edge's record, NaN for a strong or free one. */
  private weakLast(record: number): number {
    const f = this.chunkF64[record >>> CHUNK_BITS]!;
    const at = (record & CHUNK_MASK) * RECORD_F64;
    if (this.chunkI32[record >>> CHUNK_BITS]![at * 2 + R_LO]! < 0) return Number.NaN;
    if (f[at + R_WEIGHT]! >= this.strongWeight) return Number.NaN;
    return f[at + R_LAST]!;
  }

  private lookup(lo: number, hi: number, hash: number): number {
    const m = this.tableMask;
    const table = this.table;
    let i = hash & m;
    for (;;) {
      const entry = table[2 * i + 1]!;
      if (entry === 0) return -1;
      if (table[2 * i] === hash) {
        const record = entry - 1;
        const n = this.chunkI32[record >>> CHUNK_BITS]!;
        const at = (record & CHUNK_MASK) * RECORD_F64 * 2;
        if (n[at + R_LO] === lo && n[at + R_HI] === hi) return record;
      }
      i = (i + 1) & m;
    }
  }

  private insertKey(hash: number, record: number): void {
    if ((this.count + 1) * 4 > (this.tableMask + 1) * 3) this.growTable();
    const m = this.tableMask;
    const table = this.table;
    let i = hash & m;
    while (table[2 * i + 1] !== 0) i = (i + 1) & m;
    table[2 * i] = hash;
    table[2 * i + 1] = record + 1;
  }

  /** Doubles the table, re-inserting entries in table order (two sequential write streams). */
  private growTable(): void {
    const old = this.table;
    const size = (this.tableMask + 1) * 2;
    const table = new Int32Array(size * 2);
    const m = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      const entry = old[j + 1]!;
      if (entry === 0) continue;
      const hash = old[j]!;
      let i = hash & m;
      while (table[2 * i + 1] !== 0) i = (i + 1) & m;
      table[2 * i] = hash;
      table[2 * i + 1] = entry;
    }
    this.table = table;
    this.tableMask = m;
  }

  private remove(record: number): void {
    const f = this.chunkF64[record >>> CHUNK_BITS]!;
    const n = this.chunkI32[record >>> CHUNK_BITS]!;
    const at = (record & CHUNK_MASK) * RECORD_F64;
    const lo = n[at * 2 + R_LO]!;
    const hi = n[at * 2 + R_HI]!;
    const m = this.tableMask;
    const table = this.table;
    let i = pairHash(lo, hi) & m;
    while (table[2 * i + 1] !== record + 1) i = (i + 1) & m;
    // Backward shift: move later entries of the cluster into the hole unless their home lies in (hole, j].
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const entry = table[2 * j + 1]!;
      if (entry === 0) break;
      const hash = table[2 * j]!;
      const home = hash & m;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        table[2 * hole] = hash;
        table[2 * hole + 1] = entry;
        hole = j;
      }
    }
    table[2 * hole + 1] = 0;
    n[at * 2 + R_LO] = -1;
    this.count--;
    this.free.push(record);
    const slot = n[at * 2 + R_PUBLIC]!;
    if (slot < 0) return;
    this.publicAlive[slot] = 0;
    this.publicFree.push(slot);
    if (f[at + R_WEIGHT]! >= this.strongWeight) {
      this.strongCount--;
      this.version++;
      this.unlink(lo, slot);
      this.unlink(hi, slot);
      this.markDirty(lo);
      this.markDirty(hi);
    }
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.chunkF64.length * CHUNK) {
      const buffer = new ArrayBuffer(CHUNK * RECORD_F64 * 8);
      this.chunkF64.push(new Float64Array(buffer));
      this.chunkI32.push(new Int32Array(buffer));
    }
    return this.used++;
  }

  /** The public slot of a record (given one, filled in, on first use). */
  private publicSlot(record: number): number {
    const n = this.chunkI32[record >>> CHUNK_BITS]!;
    const at = (record & CHUNK_MASK) * RECORD_F64 * 2;
    let slot = n[at + R_PUBLIC]!;
    if (slot >= 0) return slot;
    const reused = this.publicFree.pop();
    if (reused !== undefined) slot = reused;
    else {
      if (this.publicUsed === this.publicCapacity) this.growPublic();
      slot = this.publicUsed++;
    }
    n[at + R_PUBLIC] = slot;
    this.publicRecord[slot] = record;
    this.publicAlive[slot] = 1;
    this.copyToPublic(slot);
    return slot;
  }

  /** Brings the public arrays of the slots updated since the last call up to date. */
  private sync(): void {
    const list = this.staleList;
    for (let k = 0; k < list.length; k++) {
      const slot = list[k]!;
      this.publicStale[slot] = 0;
      if (this.publicAlive[slot] === 1) this.copyToPublic(slot);
    }
    this.staleList = [];
  }

  private copyToPublic(slot: number): void {
    const record = this.publicRecord[slot]!;
    const f = this.chunkF64[record >>> CHUNK_BITS]!;
    const n = this.chunkI32[record >>> CHUNK_BITS]!;
    const at = (record & CHUNK_MASK) * RECORD_F64;
    this.pubA[slot] = n[at * 2 + R_LO]!;
    this.pubB[slot] = n[at * 2 + R_HI]!;
    this.pubWeight[slot] = f[at + R_WEIGHT]!;
    this.pubObjectMask[slot] = n[at * 2 + R_MASK]!;
    this.pubKinds[slot] = n[at * 2 + R_KINDS]!;
    this.pubCoactions[slot] = n[at * 2 + R_COACTIONS]!;
    this.pubSumGapMs[slot] = f[at + R_GAP]!;
    this.pubLast[slot] = f[at + R_LAST]!;
  }

  private growPublic(): void {
    const capacity = this.publicCapacity * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity);
      next.set(old);
      return next;
    };
    this.publicRecord = grown(this.publicRecord);
    this.publicAlive = grown(this.publicAlive);
    this.publicStale = grown(this.publicStale);
    this.pubA = grown(this.pubA);
    this.pubB = grown(this.pubB);
    this.pubWeight = grown(this.pubWeight);
    this.pubObjectMask = grown(this.pubObjectMask);
    this.pubKinds = grown(this.pubKinds);
    this.pubCoactions = grown(this.pubCoactions);
    this.pubSumGapMs = grown(this.pubSumGapMs);
    this.pubLast = grown(this.pubLast);
    this.publicCapacity = capacity;
  }
}
