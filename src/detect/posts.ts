/**
 * The posts of the last `retentionMs` (24 h by default), in compact typed arrays: who wrote each post,
 * when, and whether it was deleted or took part in a co-action. Post ids are stored as 53-bit hashes
 * in an open-addressing table (linear probing, backward-shift deletion), so ten million posts cost
 * 21 bytes per ring slot plus 8 per table slot and no strings are kept.
 *
 * Posts live in a ring addressed by a global sequence number (`seq & mask`); a reference by seq stays
 * valid, and checkable, across growth and eviction. Posts are evicted oldest first once older than
 * the retention relative to the newest post seen (events arrive roughly in time order).
 */
import { hash53 } from "./hash.ts";

/** Flag bits of a post. */
export const POST_DELETED = 1;
export const POST_COORDINATED = 2;

const INITIAL_CAPACITY = 1 << 12;

export class PostIndex {
  private mask = INITIAL_CAPACITY - 1;
  private idHashes = new Float64Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private authors = new Int32Array(INITIAL_CAPACITY);
  private flagBits = new Uint8Array(INITIAL_CAPACITY);
  /** Open-addressing table of seq + 1 (0 = empty), twice the ring's capacity. */
  private table = new Int32Array(INITIAL_CAPACITY * 2);
  private tableMask = INITIAL_CAPACITY * 2 - 1;
  /** Seq of the oldest retained post and of the next post. */
  private head = 1;
  private next = 1;
  private newest = -Infinity;

  constructor(readonly retentionMs = 86_400_000) {}

  get size(): number {
    return this.next - this.head;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return (this.mask + 1) * (8 + 8 + 4 + 1) + this.table.byteLength;
  }

  /** The seq of a retained post, or 0. */
  find(id: string): number {
    return this.lookup(hash53(id));
  }

  /**
   * Records a post and returns its seq, or 0 when the id is already retained (a redelivery).
   * Evicts posts that fell out of the retention first.
   */
  add(id: string, author: number, time: number): number {
    const h = hash53(id);
    if (this.lookup(h) !== 0) return 0;
    if (time > this.newest) this.newest = time;
    this.evict(this.newest - this.retentionMs);
    if (this.next - this.head > this.mask) this.grow();
    const seq = this.next++;
    const slot = seq & this.mask;
    this.idHashes[slot] = h;
    this.times[slot] = time;
    this.authors[slot] = author;
    this.flagBits[slot] = 0;
    this.insertKey(h, seq);
    return seq;
  }

  /** Whether `seq` still names a retained post. */
  has(seq: number): boolean {
    // (The ring holds every seq in [head, next): it grows before it would wrap onto a retained post.)
    return seq >= this.head && seq < this.next;
  }

  author(seq: number): number {
    return this.authors[seq & this.mask]!;
  }

  time(seq: number): number {
    return this.times[seq & this.mask]!;
  }

  flags(seq: number): number {
    return this.flagBits[seq & this.mask]!;
  }

  setFlag(seq: number, flag: number): void {
    this.flagBits[seq & this.mask]! |= flag;
  }

  /** Drops every post older than `cutoff` from the front of the ring. */
  evict(cutoff: number): void {
    while (this.head < this.next && this.times[this.head & this.mask]! < cutoff) {
      this.removeKey(this.idHashes[this.head & this.mask]!);
      this.head++;
    }
  }

  private lookup(h: number): number {
    let i = h & this.tableMask;
    for (;;) {
      const entry = this.table[i]!;
      if (entry === 0) return 0;
      const seq = entry - 1;
      if (this.idHashes[seq & this.mask] === h) return seq;
      i = (i + 1) & this.tableMask;
    }
  }

  private insertKey(h: number, seq: number): void {
    let i = h & this.tableMask;
    while (this.table[i] !== 0) i = (i + 1) & this.tableMask;
    this.table[i] = seq + 1;
  }

  /** Linear-probing deletion with backward shift (no tombstones). */
  private removeKey(h: number): void {
    const m = this.tableMask;
    let i = h & m;
    for (;;) {
      const entry = this.table[i]!;
      if (entry === 0) return;
      if (this.idHashes[(entry - 1) & this.mask] === h) break;
      i = (i + 1) & m;
    }
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const entry = this.table[j]!;
      if (entry === 0) break;
      const home = this.idHashes[(entry - 1) & this.mask]! & m;
      // Move the entry back into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        this.table[hole] = entry;
        hole = j;
      }
    }
    this.table[hole] = 0;
  }

  private grow(): void {
    const old = {
      mask: this.mask,
      idHashes: this.idHashes,
      times: this.times,
      authors: this.authors,
      flagBits: this.flagBits,
    };
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.idHashes = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.authors = new Int32Array(capacity);
    this.flagBits = new Uint8Array(capacity);
    this.table = new Int32Array(capacity * 2);
    this.tableMask = capacity * 2 - 1;
    for (let seq = this.head; seq < this.next; seq++) {
      const from = seq & old.mask;
      const to = seq & this.mask;
      this.idHashes[to] = old.idHashes[from]!;
      this.times[to] = old.times[from]!;
      this.authors[to] = old.authors[from]!;
      this.flagBits[to] = old.flagBits[from]!;
      this.insertKey(old.idHashes[from]!, seq);
    }
  }
}
