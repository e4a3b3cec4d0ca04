/**
 * A blocked Bloom filter over subject ids: the resolver's "has a restriction" bit. Most items a platform
 * shows are unrestricted; this answers "certainly not restricted" from one 16-byte block (eight bits, two
 * in each of four 32-bit words) in a compact array of 16–32 bits per id, without touching the id map.
 * About 0.05% of unrestricted ids pass at 1M restricted subjects; a false positive costs one Map lookup.
 * Removals are not possible in a Bloom filter, so removed ids stay until the next rebuild.
 */
export function hashId(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  const n = s.length - 1;
  let i = 0;
  // Two UTF-16 units per step, then a final avalanche so the low bits (the word index) are well mixed.
  for (; i < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i === n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** Two bit positions in a 32-bit word, from the top 10 bits of `x`. */
const two = (x: number): number => (1 << (x >>> 27)) | (1 << ((x >>> 22) & 31));

export class BlockedBloom {
  private words: Uint32Array;
  /** Blocks are 4 words (16 bytes, inside one cache line); the mask selects a block. */
  private mask: number;

  /** Sized for `capacity` ids at 16 to 32 bits each (rounded up to a power of two). */
  constructor(readonly capacity: number) {
    let words = 1024;
    while (words * 32 < capacity * 16) words *= 2;
    this.words = new Uint32Array(words);
    this.mask = (words >>> 2) - 1;
  }

  add(id: string): void {
    this.addHash(hashId(id));
  }

  /** `add` from the id's `hashId`. */
  addHash(h: number): void {
    const w = (h & this.mask) << 2;
    const words = this.words;
    words[w]! |= two(Math.imul(h, 0x9e3779b1));
    words[w + 1]! |= two(Math.imul(h, 0x85ebca6b));
    words[w + 2]! |= two(Math.imul(h, 0xc2b2ae35));
    words[w + 3]! |= two(Math.imul(h, 0x27d4eb2f));
  }

  /** Eight bits in one 16-byte block: about 0.1% false positives at 24 bits per id. */
  mightContain(id: string): boolean {
    return this.mightContainHash(hashId(id));
  }

  /** `mightContain` from the id's `hashId`. */
  mightContainHash(h: number): boolean {
    const w = (h & this.mask) << 2;
    const words = this.words;
    const b0 = two(Math.imul(h, 0x9e3779b1));
    const b1 = two(Math.imul(h, 0x85ebca6b));
    const b2 = two(Math.imul(h, 0xc2b2ae35));
    const b3 = two(Math.imul(h, 0x27d4eb2f));
    return (
      (words[w]! & b0) === b0 &&
      (words[w + 1]! & b1) === b1 &&
      (words[w + 2]! & b2) === b2 &&
      (words[w + 3]! & b3) === b3
    );
  }

  /**
   * `mightContain` for many ids at once, from their `hashId`s: writes 1 (may contain) or 0 into `out`
   * for each of the first `n` hashes. One tight loop with no branch on the loaded words lets the CPU
   * keep many filter reads in flight at once, where probing id by id waits for each cache miss in
   * turn (a filter for 1M ids is 2 MB, and other allocation keeps evicting it from the caches).
   */
  mightContainHashes(hashes: Uint32Array, n: number, out: Uint8Array): void {
    const words = this.words;
    const mask = this.mask;
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      const w = (h & mask) << 2;
      const b0 = two(Math.imul(h, 0x9e3779b1));
      const b1 = two(Math.imul(h, 0x85ebca6b));
      const b2 = two(Math.imul(h, 0xc2b2ae35));
      const b3 = two(Math.imul(h, 0x27d4eb2f));
      out[i] =
        ((words[w]! & b0) ^ b0) |
        ((words[w + 1]! & b1) ^ b1) |
        ((words[w + 2]! & b2) ^ b2) |
        ((words[w + 3]! & b3) ^ b3)
          ? 0
          : 1;
    }
  }

  get bytes(): number {
    return this.words.byteLength;
  }
}
