/**
 * The fused account graph (detection.md §5.3): one edge per pair of accounts that co-acted, in
 * compact typed arrays. An edge's weight is the number of distinct shared objects (a template, a
 * hashtag sequence, a URL, a reposted post...), each counted once per pair and scaled by its trace
 * weight and its viral down-weighting; repeating the same object adds nothing. Objects are remembered
 * per edge as bits of a 32-bit mask (one bit per object hash: a 1-in-32 collision only under-counts).
 *
 * Edges reaching `strongWeight` are "strong": clustering reads only those. Edges idle for longer than
 * the retention are removed by `sweep`, and when more than `maxEdges` remain, the oldest weak edges go
 * first, so memory stays bounded on any stream.
 */

/** Trace kinds, as bits of an edge's `kinds` mask. */
export const TRACE_TEXT = 1;
export const TRACE_SEQUENCE = 2;
export const TRACE_URL = 4;
export const TRACE_TAG = 8;
export const TRACE_REPOST = 16;
export const TRACE_QUOTE = 32;
export const TRACE_REPLY = 64;

const ACCOUNT_BITS = 2 ** 26;
const INITIAL_CAPACITY = 1 << 12;

export class EdgeStore {
  private readonly slots = new Map<number, number>();
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
  private free: number[] = [];
  private used = 0;
  /** Slots of the edges whose weight reached `strongWeight`. */
  readonly strong = new Set<number>();
  /** Bumped whenever the strong subgraph changes (a clustering cache key). */
  version = 0;

  constructor(
    readonly strongWeight = 3,
    readonly retentionMs = 86_400_000,
    readonly maxEdges = 4_000_000,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** Bytes held by the typed arrays (the Map adds about 40 bytes per edge). */
  get bytes(): number {
    return this.capacity * (4 + 4 + 8 + 4 + 4 + 4 + 8 + 8);
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
    const key = lo * ACCOUNT_BITS + hi;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.allocate();
      this.slots.set(key, slot);
      this.a[slot] = lo;
      this.b[slot] = hi;
      this.weight[slot] = 0;
      this.objectMask[slot] = 0;
      this.kinds[slot] = 0;
      this.coactions[slot] = 0;
      this.sumGapMs[slot] = 0;
      this.last[slot] = time;
    }
    this.coactions[slot]!++;
    this.sumGapMs[slot]! += gapMs;
    this.kinds[slot]! |= kind;
    if (time > this.last[slot]!) this.last[slot] = time;
    const bit = 1 << (objectHash & 31);
    if ((this.objectMask[slot]! & bit) === 0) {
      this.objectMask[slot]! |= bit;
      this.weight[slot]! += weight;
      if (this.weight[slot]! >= this.strongWeight && !this.strong.has(slot)) {
        this.strong.add(slot);
        this.version++;
      }
    }
    return slot;
  }

  /** Slot of the edge between two accounts, or -1. */
  find(x: number, y: number): number {
    const key = x < y ? x * ACCOUNT_BITS + y : y * ACCOUNT_BITS + x;
    return this.slots.get(key) ?? -1;
  }

  /** Removes edges idle past the retention, then the oldest weak edges while over `maxEdges`. */
  sweep(now: number): void {
    const cutoff = now - this.retentionMs;
    for (const [key, slot] of this.slots) if (this.last[slot]! < cutoff) this.remove(key, slot);
    const excess = this.slots.size - this.maxEdges;
    if (excess <= 0) return;
    const weakTimes: number[] = [];
    for (const slot of this.slots.values()) if (!this.strong.has(slot)) weakTimes.push(this.last[slot]!);
    weakTimes.sort((p, q) => p - q);
    const keepFrom = weakTimes[Math.min(weakTimes.length - 1, Math.ceil(excess * 1.1))] ?? now;
    for (const [key, slot] of this.slots) {
      if (!this.strong.has(slot) && this.last[slot]! < keepFrom) this.remove(key, slot);
    }
  }

  private remove(key: number, slot: number): void {
    this.slots.delete(key);
    this.free.push(slot);
    if (this.strong.delete(slot)) this.version++;
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Int32Array | Float64Array>(old: T): T => {
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
    this.capacity = capacity;
  }
}
