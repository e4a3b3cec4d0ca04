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
import { jaccardRange, MINHASH_SIZE, minhash } from "./textsig.ts";

export const LSH_BANDS = 20;
export const LSH_ROWS = 6;
export const JACCARD_MIN = 0.8;
const BUCKET_CAP = 8;
const MAX_MATCHES = 16;
const INITIAL_CAPACITY = 1 << 10;
const INITIAL_BUCKETS = 1 << 12;
const INITIAL_ARENA = 1 << 14;
/** Layout of a bucket slot (3 int32: band key, newest text seq, ring row) and of a ring row (2 + BUCKET_CAP int32). */
const SLOT = 3;
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

/** Match records handed out by `add`, reused across calls (read them before the next call). */
/** Where `touch` leaves its loads, so that they are not optimised away. */
const SINK = new Int32Array(1);

const MATCH_POOL: TextMatch[] = Array.from({ length: MAX_MATCHES }, () => ({
  author: 0,
  postSeq: 0,
  time: 0,
  similarity: 0,
}));

export class NearDuplicateIndex {
  private mask = INITIAL_CAPACITY - 1;
  private seqs = new Int32Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private authors = new Int32Array(INITIAL_CAPACITY);
  private postSeqs = new Int32Array(INITIAL_CAPACITY);
  private templates = new Float64Array(INITIAL_CAPACITY);
  /** Where each text's shingles lie in the arena (start, count), and its band keys (to drop its buckets). */
  private shingleStart = new Int32Array(INITIAL_CAPACITY);
  private shingleCount = new Int32Array(INITIAL_CAPACITY);
  private bandKeys = new Int32Array(INITIAL_CAPACITY * LSH_BANDS);
  /** Candidate de-duplication: the text seq that last visited each slot. */
  private visited = new Int32Array(INITIAL_CAPACITY);
  private head = 1;
  private next = 1;
  /**
   * The shingles of the texts in the window, back to back in a circular arena (oldest first; a text
   * that would straddle the end starts again at 0): no allocation per text.
   */
  private arena = new Uint32Array(INITIAL_ARENA);
  private arenaWrite = 0;
  /**
   * LSH buckets of the texts in the window, in an open-addressing table (linear probing on the band
   * key, backward-shift deletion) of 12-byte slots: the band key + 1 (0 = empty), the bucket's
   * newest text seq, and its ring row, or -1 while it holds a single text (most buckets). A ring row
   * (allocated on the second text) keeps the `BUCKET_CAP` most recent text seqs. A bucket is deleted
   * when its newest text leaves the window (each text keeps its band keys for that), so the table
   * holds live buckets only and stays small. The band keys' home slots are read once up front
   * (`touch`), so their cache misses overlap instead of queueing.
   */
  private bucketMask = INITIAL_BUCKETS - 1;
  private slots = new Int32Array(INITIAL_BUCKETS * SLOT);
  private bucketsUsed = 0;
  private ringRows = new Int32Array(64 * RING);
  private ringUsed = 0;
  private readonly freeRings: number[] = [];
  private readonly signature = new Int32Array(MINHASH_SIZE);
  private nextTemplate = 1;

  constructor(readonly windowMs = 600_000) {}

  get size(): number {
    return this.next - this.head;
  }

  /** Live LSH buckets. */
  get bucketCount(): number {
    return this.bucketsUsed;
  }

  /**
   * Adds a text (its sorted, de-duplicated shingle hashes) and returns its template id; `matches`
   * receives the confirmed near-duplicates by other authors within the window (it is cleared first;
   * its records are reused by the next call).
   */
  add(shingleSet: Uint32Array, author: number, postSeq: number, time: number, matches: TextMatch[]): number {
    const template = this.addRange(shingleSet, shingleSet.length, author, postSeq, time);
    matches.length = 0;
    for (let i = 0; i < this.matchCount; i++) {
      const match = MATCH_POOL[i]!;
      match.author = this.matchAuthors[i]!;
      match.postSeq = this.matchSeqs[i]!;
      match.time = this.matchTimes[i]!;
      match.similarity = this.matchSimilarities[i]!;
      matches.push(match);
    }
    return template;
  }

  /**
   * The matches found by the last `addRange`, in `[0, matchCount)` of these arrays (overwritten by
   * the next call): author, post seq, time and similarity of each.
   */
  readonly matchAuthors = new Int32Array(MAX_MATCHES);
  readonly matchSeqs = new Int32Array(MAX_MATCHES);
  readonly matchTimes = new Float64Array(MAX_MATCHES);
  readonly matchSimilarities = new Float64Array(MAX_MATCHES);
  matchCount = 0;

  /**
   * `add` for the first `count` shingle hashes of `shingles` (which are copied), without an output
   * array: the matches are left in `matchAuthors`, `matchSeqs`, `matchTimes`, `matchSimilarities`.
   */
  addRange(shingles: Uint32Array, count: number, author: number, postSeq: number, time: number): number {
    let found = 0;
    this.evict(time - this.windowMs);
    if (this.next - this.head > this.mask) this.grow();
    const at = this.reserve(count);
    const arena = this.arena;
    for (let i = 0; i < count; i++) arena[at + i] = shingles[i]!;
    const end = at + count;
    const seq = this.next++;
    const own = seq & this.mask;
    this.shingleStart[own] = at;
    this.shingleCount[own] = count;
    const signature = minhash(arena, this.signature, at, end);
    const cutoff = time - this.windowMs;
    const head = this.head;
    const bandKeys = this.bandKeys;
    const keysAt = own * LSH_BANDS;
    for (let band = 0; band < LSH_BANDS; band++) {
      let h = Math.imul(band + 1, 0x9e3779b1);
      for (let r = band * LSH_ROWS, stop = r + LSH_ROWS; r < stop; r++)
        h = Math.imul(h ^ signature[r]!, 0x01000193) ^ (h >>> 13);
      h = fmix32(h);
      bandKeys[keysAt + band] = (h & 0x3fffffff) + 1;
    }
    this.touch(keysAt);
    let template = 0;
    for (let band = 0; band < LSH_BANDS; band++) {
      const key = bandKeys[keysAt + band]!;
      // Find the bucket (live by construction), or the empty slot where it goes.
      const slots = this.slots;
      const bmask = this.bucketMask;
      let i = key & bmask;
      for (;;) {
        const k = slots[i * SLOT + KEY]!;
        if (k === key || k === 0) break;
        i = (i + 1) & bmask;
      }
      if (slots[i * SLOT + KEY] === 0) {
        if ((this.bucketsUsed + 1) * 4 > (bmask + 1) * 3) {
          this.resizeBuckets((bmask + 1) * 2);
          this.insertBucket(key, seq);
        } else {
          slots[i * SLOT + KEY] = key;
          slots[i * SLOT + NEWEST] = seq;
          slots[i * SLOT + RING_ROW] = -1;
          this.bucketsUsed++;
        }
        continue;
      }
      const newest = slots[i * SLOT + NEWEST]!;
      const rows = this.ringRows;
      let ring = slots[i * SLOT + RING_ROW]!;
      const fill = ring < 0 ? 1 : rows[ring * RING + FILL]!;
      const newestPos = ring < 0 ? 0 : rows[ring * RING + CURSOR]! + BUCKET_CAP - 1;
      for (let k = 0; k < fill && found < MAX_MATCHES; k++) {
        const other = ring < 0 ? newest : rows[ring * RING + SEQS + ((newestPos - k) % BUCKET_CAP)]!;
        const slot = other & this.mask;
        if (other < head || this.seqs[slot] !== other || this.visited[slot] === seq) continue;
        this.visited[slot] = seq;
        if (this.times[slot]! < cutoff) continue;
        const from = this.shingleStart[slot]!;
        const similarity = jaccardRange(arena, at, end, arena, from, from + this.shingleCount[slot]!);
        if (similarity < JACCARD_MIN) continue;
        if (template === 0) template = this.templates[slot]!;
        if (this.authors[slot] === author) continue;
        this.matchAuthors[found] = this.authors[slot]!;
        this.matchSeqs[found] = this.postSeqs[slot]!;
        this.matchTimes[found] = this.times[slot]!;
        this.matchSimilarities[found] = similarity;
        found++;
      }
      // Push this text onto the bucket.
      slots[i * SLOT + NEWEST] = seq;
      if (ring < 0) {
        ring = this.allocateRing();
        this.slots[i * SLOT + RING_ROW] = ring;
        const r = ring * RING;
        this.ringRows[r + SEQS] = newest;
        this.ringRows[r + CURSOR] = 1;
        this.ringRows[r + FILL] = 1;
      }
      const r = ring * RING;
      const ringRows = this.ringRows;
      const cursor = ringRows[r + CURSOR]!;
      ringRows[r + SEQS + cursor] = seq;
      ringRows[r + CURSOR] = cursor + 1 === BUCKET_CAP ? 0 : cursor + 1;
      if (ringRows[r + FILL]! < BUCKET_CAP) ringRows[r + FILL]!++;
    }
    if (template === 0) template = this.nextTemplate++;
    this.matchCount = found;
    this.seqs[own] = seq;
    this.times[own] = time;
    this.authors[own] = author;
    this.postSeqs[own] = postSeq;
    this.templates[own] = template;
    this.visited[own] = 0;
    return template;
  }

  /** Evicts texts that left the window, and shrinks the bucket table when mostly empty. */
  sweep(now: number): void {
    this.evict(now - this.windowMs);
    const capacity = this.bucketMask + 1;
    if (capacity > INITIAL_BUCKETS && this.bucketsUsed * 16 < capacity) {
      let target = INITIAL_BUCKETS;
      while (target < this.bucketsUsed * 2) target *= 2;
      this.resizeBuckets(target);
    }
  }

  /** Bytes held by the typed arrays (the ring of texts, the shingle arena and the bucket table). */
  get bytes(): number {
    return (
      (this.mask + 1) * (4 + 8 + 4 + 4 + 8 + 4 + 4 + 4 + 4 * LSH_BANDS) +
      this.arena.byteLength +
      this.slots.byteLength +
      this.ringRows.byteLength
    );
  }

  /**
   * Reads the home slots of a text's band keys before they are probed one by one: independent loads
   * the CPU overlaps, so the probes find their cache lines already fetched.
   */
  private touch(keysAt: number): void {
    const slots = this.slots;
    const mask = this.bucketMask;
    let sink = 0;
    for (let band = 0; band < LSH_BANDS; band++)
      sink ^= slots[(this.bandKeys[keysAt + band]! & mask) * SLOT]!;
    SINK[0] = sink;
  }

  /** Table slot of a bucket key, or -1. */
  private findBucket(key: number): number {
    const slots = this.slots;
    const mask = this.bucketMask;
    let i = key & mask;
    for (;;) {
      const k = slots[i * SLOT + KEY]!;
      if (k === key) return i;
      if (k === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Inserts a new single-text bucket (the key is absent). */
  private insertBucket(key: number, seq: number): void {
    const slots = this.slots;
    const mask = this.bucketMask;
    let i = key & mask;
    while (slots[i * SLOT + KEY] !== 0) i = (i + 1) & mask;
    slots[i * SLOT + KEY] = key;
    slots[i * SLOT + NEWEST] = seq;
    slots[i * SLOT + RING_ROW] = -1;
    this.bucketsUsed++;
  }

  /** Deletes the bucket in table slot `i` (backward shift: no tombstones). */
  private removeBucket(i: number): void {
    const slots = this.slots;
    const m = this.bucketMask;
    if (slots[i * SLOT + RING_ROW]! >= 0) this.freeRings.push(slots[i * SLOT + RING_ROW]!);
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const key = slots[j * SLOT + KEY]!;
      if (key === 0) break;
      const home = key & m;
      // Move the entry back into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        slots[hole * SLOT + KEY] = key;
        slots[hole * SLOT + NEWEST] = slots[j * SLOT + NEWEST]!;
        slots[hole * SLOT + RING_ROW] = slots[j * SLOT + RING_ROW]!;
        hole = j;
      }
    }
    slots[hole * SLOT + KEY] = 0;
    this.bucketsUsed--;
  }

  private resizeBuckets(capacity: number): void {
    const old = this.slots;
    const slots = new Int32Array(capacity * SLOT);
    const mask = capacity - 1;
    for (let r = 0; r < old.length; r += SLOT) {
      const key = old[r + KEY]!;
      if (key === 0) continue;
      let i = key & mask;
      while (slots[i * SLOT + KEY] !== 0) i = (i + 1) & mask;
      slots[i * SLOT + KEY] = key;
      slots[i * SLOT + NEWEST] = old[r + NEWEST]!;
      slots[i * SLOT + RING_ROW] = old[r + RING_ROW]!;
    }
    this.slots = slots;
    this.bucketMask = mask;
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

  /**
   * Evicts texts older than `cutoff` from the front of the ring; a bucket whose newest text leaves
   * goes with it (its other texts are older still).
   */
  private evict(cutoff: number): void {
    while (this.head < this.next && this.times[this.head & this.mask]! < cutoff) {
      const base = (this.head & this.mask) * LSH_BANDS;
      this.touch(base);
      for (let band = 0; band < LSH_BANDS; band++) {
        const i = this.findBucket(this.bandKeys[base + band]!);
        if (i >= 0 && this.slots[i * SLOT + NEWEST] === this.head) this.removeBucket(i);
      }
      this.head++;
    }
  }

  /**
   * Arena offset for `count` shingles after the live texts' (oldest at head), growing the arena when
   * they do not fit.
   */
  private reserve(count: number): number {
    const size = this.arena.length;
    if (this.head === this.next) {
      if (count <= size) {
        this.arenaWrite = 0;
        return 0;
      }
    } else {
      const oldest = this.shingleStart[this.head & this.mask]!;
      const w = this.arenaWrite;
      if (oldest < w) {
        // Live region [oldest, w): room after it, or from 0 up to oldest.
        if (w + count <= size) return this.take(w, count);
        if (count <= oldest) return this.take(0, count);
      } else if (oldest > w && w + count <= oldest) return this.take(w, count);
      // (oldest === w with texts live: the arena is full.)
    }
    this.growArena(count);
    return this.take(this.arenaWrite, count);
  }

  private take(at: number, count: number): number {
    this.arenaWrite = at + count;
    return at;
  }

  /** Copies the live texts' shingles to the front of a larger arena. */
  private growArena(extra: number): void {
    let live = 0;
    for (let seq = this.head; seq < this.next; seq++) live += this.shingleCount[seq & this.mask]!;
    let size = this.arena.length;
    while (size < (live + extra) * 2) size *= 2;
    const grown = new Uint32Array(size);
    let w = 0;
    for (let seq = this.head; seq < this.next; seq++) {
      const slot = seq & this.mask;
      const from = this.shingleStart[slot]!;
      const n = this.shingleCount[slot]!;
      grown.set(this.arena.subarray(from, from + n), w);
      this.shingleStart[slot] = w;
      w += n;
    }
    this.arena = grown;
    this.arenaWrite = w;
  }

  private grow(): void {
    const oldMask = this.mask;
    const capacity = (oldMask + 1) * 2;
    const mask = capacity - 1;
    const seqs = new Int32Array(capacity);
    const times = new Float64Array(capacity);
    const authors = new Int32Array(capacity);
    const postSeqs = new Int32Array(capacity);
    const templates = new Float64Array(capacity);
    const shingleStart = new Int32Array(capacity);
    const shingleCount = new Int32Array(capacity);
    const bandKeys = new Int32Array(capacity * LSH_BANDS);
    for (let seq = this.head; seq < this.next; seq++) {
      const from = seq & oldMask;
      const to = seq & mask;
      seqs[to] = seq;
      times[to] = this.times[from]!;
      authors[to] = this.authors[from]!;
      postSeqs[to] = this.postSeqs[from]!;
      templates[to] = this.templates[from]!;
      shingleStart[to] = this.shingleStart[from]!;
      shingleCount[to] = this.shingleCount[from]!;
      bandKeys.set(this.bandKeys.subarray(from * LSH_BANDS, (from + 1) * LSH_BANDS), to * LSH_BANDS);
    }
    this.mask = mask;
    this.seqs = seqs;
    this.times = times;
    this.authors = authors;
    this.postSeqs = postSeqs;
    this.templates = templates;
    this.shingleStart = shingleStart;
    this.shingleCount = shingleCount;
    this.bandKeys = bandKeys;
    this.visited = new Int32Array(capacity);
  }
}
