/**
 * Near-duplicate text over a sliding window (detection.md §5.1): MinHash signatures go into an LSH
 * index of `LSH_BANDS` bands of `LSH_ROWS` rows (with independent rows, candidate probability
 * 1 − (1 − J⁶)²⁰: 0.998 at Jaccard 0.8, 0.27 at 0.5, 0.014 at 0.3; the one-permutation signature of
 * textsig.ts correlates the rows of short texts, which only raises it), and each candidate is confirmed
 * with the exact Jaccard index of the two shingle sets (≥ `JACCARD_MIN`).
 *
 * Each text gets a template id: the template of its first confirmed match, or a new one. Cost is
 * bounded: a bucket keeps its `BUCKET_CAP` most recent texts, and at most `MAX_MATCHES` matches are
 * returned per text (the most recent first), so a template copied by thousands costs the same per post
 * as one copied by twenty. Texts older than the window are evicted from the ring; buckets whose texts
 * all expired are reused in place or dropped when the bucket table is rebuilt.
 */
import { fmix32 } from "./hash.ts";
import { jaccard, MINHASH_SIZE, minhash } from "./textsig.ts";

export const LSH_BANDS = 20;
export const LSH_ROWS = 6;
export const JACCARD_MIN = 0.8;
const BUCKET_CAP = 8;
const MAX_MATCHES = 16;
const INITIAL_CAPACITY = 1 << 10;
const INITIAL_BUCKETS = 1 << 12;
/** Layout of a bucket slot (4 int32) and of a ring row (2 + BUCKET_CAP int32). */
const SLOT = 4;
/** Largest bucket table (in int32s, 16 MB) whose previous copy is kept for reuse. */
const MAX_SPARE_INTS = 1 << 22;
const KEY = 0;
const NEWEST = 1;
const RING_ROW = 2;
const RING = 2 + BUCKET_CAP;
const CURSOR = 0;
const FILL = 1;
const SEQS = 2;

/** A confirmed near-duplicate: the earlier text's author, post seq, time and template. */
export interface TextMatch {
  author: number;
  postSeq: number;
  time: number;
  similarity: number;
}

export class NearDuplicateIndex {
  private mask = INITIAL_CAPACITY - 1;
  private seqs = new Int32Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private authors = new Int32Array(INITIAL_CAPACITY);
  private postSeqs = new Int32Array(INITIAL_CAPACITY);
  private templates = new Float64Array(INITIAL_CAPACITY);
  private shingles: (Uint32Array | undefined)[] = new Array(INITIAL_CAPACITY);
  /** Candidate de-duplication: the text seq that last visited each slot. */
  private visited = new Int32Array(INITIAL_CAPACITY);
  private head = 1;
  private next = 1;
  /**
   * LSH buckets in an open-addressing table (linear probing) of 16-byte slots: the band key + 1 (0 =
   * empty), the bucket's newest text seq, and its ring row (-1 while it holds a single text, which is
   * most buckets). A ring row (allocated on the second text) keeps the `BUCKET_CAP` most recent text
   * seqs. A bucket whose texts all left the window is dead: an insertion reuses it in place, and the
   * table is rebuilt (live buckets only, freeing dead rows) when half full.
   */
  private bucketMask = INITIAL_BUCKETS - 1;
  private slots = new Int32Array(INITIAL_BUCKETS * SLOT);
  private bucketsUsed = 0;
  private spareSlots: Int32Array<ArrayBuffer> | null = null;
  private ringRows = new Int32Array(64 * RING);
  private ringUsed = 0;
  private readonly freeRings: number[] = [];
  private readonly signature = new Int32Array(MINHASH_SIZE);
  private nextTemplate = 1;

  constructor(readonly windowMs = 600_000) {}

  get size(): number {
    return this.next - this.head;
  }

  get bucketCount(): number {
    return this.bucketsUsed;
  }

  /**
   * Adds a text and returns its template id; `matches` receives the confirmed near-duplicates by
   * other authors within the window (it is cleared first).
   */
  add(shingleSet: Uint32Array, author: number, postSeq: number, time: number, matches: TextMatch[]): number {
    matches.length = 0;
    this.evict(time - this.windowMs);
    if (this.next - this.head > this.mask) this.grow();
    const seq = this.next++;
    const signature = minhash(shingleSet, this.signature);
    const cutoff = time - this.windowMs;
    let template = 0;
    for (let band = 0; band < LSH_BANDS; band++) {
      let h = Math.imul(band + 1, 0x9e3779b1);
      for (let r = band * LSH_ROWS, end = r + LSH_ROWS; r < end; r++)
        h = Math.imul(h ^ signature[r]!, 0x01000193) ^ (h >>> 13);
      h = fmix32(h);
      const key = (h & 0x3fffffff) + 1;
      const at = this.bucketFor(key) * SLOT;
      const newest = this.slots[at + NEWEST]!;
      if (newest >= this.head) {
        const ring = this.slots[at + RING_ROW]!;
        const fill = ring < 0 ? 1 : this.ringRows[ring * RING + FILL]!;
        const newestPos = ring < 0 ? 0 : this.ringRows[ring * RING + CURSOR]! + BUCKET_CAP - 1;
        for (let k = 0; k < fill && matches.length < MAX_MATCHES; k++) {
          const other =
            ring < 0 ? newest : this.ringRows[ring * RING + SEQS + ((newestPos - k) % BUCKET_CAP)]!;
          const slot = other & this.mask;
          if (other < this.head || this.seqs[slot] !== other || this.visited[slot] === seq) continue;
          this.visited[slot] = seq;
          if (this.times[slot]! < cutoff) continue;
          const similarity = jaccard(shingleSet, this.shingles[slot]!);
          if (similarity < JACCARD_MIN) continue;
          if (template === 0) template = this.templates[slot]!;
          if (this.authors[slot] === author) continue;
          matches.push({
            author: this.authors[slot]!,
            postSeq: this.postSeqs[slot]!,
            time: this.times[slot]!,
            similarity,
          });
        }
      }
      this.pushBucket(at, seq);
    }
    if (template === 0) template = this.nextTemplate++;
    const slot = seq & this.mask;
    this.seqs[slot] = seq;
    this.times[slot] = time;
    this.authors[slot] = author;
    this.postSeqs[slot] = postSeq;
    this.templates[slot] = template;
    this.shingles[slot] = shingleSet;
    this.visited[slot] = 0;
    return template;
  }

  /** Evicts texts that left the window, and shrinks the bucket table when most buckets are dead. */
  sweep(now: number): void {
    this.evict(now - this.windowMs);
    // Dead buckets are reused in place by insertions; the table is only rebuilt here to shrink it.
    // (Live buckets are at most LSH_BANDS per text in the window: scan only when that bound is low.)
    const capacity = this.bucketMask + 1;
    if (
      capacity > INITIAL_BUCKETS &&
      LSH_BANDS * this.size * 32 < capacity &&
      this.liveBuckets() * 32 < capacity
    )
      this.rebuildBuckets();
  }

  /** The table slot of a band key (inserting an empty bucket if absent). */
  private bucketFor(key: number): number {
    const slots = this.slots;
    let i = fmix32(key) & this.bucketMask;
    let dead = -1;
    for (;;) {
      const k = slots[i * SLOT + KEY]!;
      if (k === key) return i;
      if (k === 0) break;
      if (dead < 0 && slots[i * SLOT + NEWEST]! < this.head) dead = i;
      i = (i + 1) & this.bucketMask;
    }
    if (dead >= 0) {
      // Reuse a bucket whose texts all left the window (the key is absent from the rest of the chain).
      this.freeRing(dead * SLOT);
      slots[dead * SLOT + KEY] = key;
      slots[dead * SLOT + NEWEST] = 0;
      return dead;
    }
    if ((this.bucketsUsed + 1) * 2 > this.bucketMask + 1) {
      this.rebuildBuckets();
      return this.bucketFor(key);
    }
    this.bucketsUsed++;
    slots[i * SLOT + KEY] = key;
    slots[i * SLOT + NEWEST] = 0;
    slots[i * SLOT + RING_ROW] = -1;
    return i;
  }

  private freeRing(at: number): void {
    const ring = this.slots[at + RING_ROW]!;
    if (ring >= 0) this.freeRings.push(ring);
    this.slots[at + RING_ROW] = -1;
  }

  private pushBucket(at: number, seq: number): void {
    const slots = this.slots;
    const newest = slots[at + NEWEST]!;
    slots[at + NEWEST] = seq;
    if (newest < this.head) {
      // Empty or dead: the bucket now holds this text alone.
      this.freeRing(at);
      return;
    }
    let ring = slots[at + RING_ROW]!;
    if (ring < 0) {
      ring = this.allocateRing();
      slots[at + RING_ROW] = ring;
      const r = ring * RING;
      this.ringRows[r + SEQS] = newest;
      this.ringRows[r + CURSOR] = 1;
      this.ringRows[r + FILL] = 1;
    }
    const r = ring * RING;
    const rows = this.ringRows;
    const cursor = rows[r + CURSOR]!;
    rows[r + SEQS + cursor] = seq;
    rows[r + CURSOR] = cursor + 1 === BUCKET_CAP ? 0 : cursor + 1;
    if (rows[r + FILL]! < BUCKET_CAP) rows[r + FILL]!++;
  }

  private allocateRing(): number {
    const reused = this.freeRings.pop();
    if (reused !== undefined) return reused;
    if ((this.ringUsed + 1) * RING > this.ringRows.length) {
      const grown = new Int32Array(this.ringRows.length * 2);
      grown.set(this.ringRows);
      this.ringRows = grown;
    }
    return this.ringUsed++;
  }

  private liveBuckets(): number {
    let live = 0;
    const slots = this.slots;
    for (let r = 0; r < slots.length; r += SLOT)
      if (slots[r + KEY] !== 0 && slots[r + NEWEST]! >= this.head) live++;
    return live;
  }

  /**
   * Re-inserts the live buckets into a table sized for eight times their number (so the next rebuild
   * is at least three times that many insertions away), freeing the rings of dead ones. The previous
   * table, when small, is kept as a spare and reused by the next rebuild of the same size.
   */
  private rebuildBuckets(): void {
    const live = this.liveBuckets();
    let capacity = INITIAL_BUCKETS;
    while (capacity < live * 8) capacity *= 2;
    const old = this.slots;
    const spare = this.spareSlots;
    let slots: Int32Array<ArrayBuffer>;
    if (spare !== null && spare.length === capacity * SLOT) {
      slots = spare;
      for (let r = 0; r < slots.length; r += SLOT) slots[r + KEY] = 0;
    } else slots = new Int32Array(capacity * SLOT);
    const mask = capacity - 1;
    let used = 0;
    for (let r = 0; r < old.length; r += SLOT) {
      const key = old[r + KEY]!;
      if (key === 0) continue;
      if (old[r + NEWEST]! < this.head) {
        if (old[r + RING_ROW]! >= 0) this.freeRings.push(old[r + RING_ROW]!);
        continue;
      }
      let i = fmix32(key) & mask;
      while (slots[i * SLOT + KEY] !== 0) i = (i + 1) & mask;
      used++;
      slots[i * SLOT + KEY] = key;
      slots[i * SLOT + NEWEST] = old[r + NEWEST]!;
      slots[i * SLOT + RING_ROW] = old[r + RING_ROW]!;
    }
    // A spare only pays for itself while small: a large table is rebuilt rarely, and two would double its memory.
    this.spareSlots = old.length === slots.length && old.length <= MAX_SPARE_INTS ? old : null;
    this.slots = slots;
    this.bucketMask = mask;
    this.bucketsUsed = used;
  }

  /** Bytes held by the typed arrays (the ring of texts and the bucket table). */
  get bytes(): number {
    return (
      (this.mask + 1) * (4 + 8 + 4 + 4 + 8 + 4) +
      this.slots.byteLength +
      (this.spareSlots?.byteLength ?? 0) +
      this.ringRows.byteLength
    );
  }

  private evict(cutoff: number): void {
    while (this.head < this.next && this.times[this.head & this.mask]! < cutoff) {
      this.shingles[this.head & this.mask] = undefined;
      this.head++;
    }
  }

  private grow(): void {
    const oldMask = this.mask;
    const old = [this.seqs, this.times, this.authors, this.postSeqs, this.templates] as const;
    const oldShingles = this.shingles;
    const capacity = (oldMask + 1) * 2;
    this.mask = capacity - 1;
    this.seqs = new Int32Array(capacity);
    this.times = new Float64Array(capacity);
    this.authors = new Int32Array(capacity);
    this.postSeqs = new Int32Array(capacity);
    this.templates = new Float64Array(capacity);
    this.shingles = new Array(capacity);
    this.visited = new Int32Array(capacity);
    for (let seq = this.head; seq < this.next; seq++) {
      const from = seq & oldMask;
      const to = seq & this.mask;
      this.seqs[to] = seq;
      this.times[to] = old[1][from]!;
      this.authors[to] = old[2][from]!;
      this.postSeqs[to] = old[3][from]!;
      this.templates[to] = old[4][from]!;
      this.shingles[to] = oldShingles[from];
    }
  }
}
