/**
 * Near-duplicate text over a sliding window (detection.md §5.1): MinHash signatures go into an LSH
 * index of `LSH_BANDS` bands of `LSH_ROWS` rows (candidate probability 1 − (1 − J⁶)²⁰: 0.998 at
 * Jaccard 0.8, 0.27 at 0.5, 0.014 at 0.3), and each candidate is confirmed with the exact Jaccard
 * index of the two shingle sets (≥ `JACCARD_MIN`).
 *
 * Each text gets a template id: the template of its first confirmed match, or a new one. Cost is
 * bounded: a bucket keeps its `BUCKET_CAP` most recent texts, and at most `MAX_MATCHES` matches are
 * returned per text (the most recent first), so a template copied by thousands costs the same per post
 * as one copied by twenty. Texts older than the window are evicted from the ring, and buckets whose
 * texts all expired are dropped by `sweep`.
 */
import { combine32 } from "./hash.ts";
import { jaccard, MINHASH_SIZE, minhash } from "./textsig.ts";

export const LSH_BANDS = 20;
export const LSH_ROWS = 6;
export const JACCARD_MIN = 0.8;
const BUCKET_CAP = 8;
const MAX_MATCHES = 16;
const INITIAL_CAPACITY = 1 << 10;

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
  private readonly buckets = new Map<number, number[]>();
  private readonly signature = new Int32Array(MINHASH_SIZE);
  private nextTemplate = 1;

  constructor(readonly windowMs = 600_000) {}

  get size(): number {
    return this.next - this.head;
  }

  get bucketCount(): number {
    return this.buckets.size;
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
      let h = band;
      for (let r = band * LSH_ROWS, end = r + LSH_ROWS; r < end; r++) h = combine32(h, signature[r]!);
      // A 30-bit key stays a small integer (fast Map key); a rare collision only adds a candidate.
      const key = h & 0x3fffffff;
      const bucket = this.buckets.get(key);
      if (bucket === undefined) {
        this.buckets.set(key, [seq]);
        continue;
      }
      for (let k = bucket.length - 1; k >= 0 && matches.length < MAX_MATCHES; k--) {
        const other: number = bucket[k]!;
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
      if (bucket.length >= BUCKET_CAP) bucket.shift();
      bucket.push(seq);
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

  /** Drops buckets whose every text has left the window. */
  sweep(now: number): void {
    this.evict(now - this.windowMs);
    for (const [key, bucket] of this.buckets) {
      const newest = bucket[bucket.length - 1]!;
      if (newest < this.head) this.buckets.delete(key);
    }
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
