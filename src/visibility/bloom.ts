/**
 * A blocked Bloom filter over subject ids: the resolver's "has a restriction" bit. Most items a platform
 * shows are unrestricted; this answers "certainly not restricted" from one 32-bit word in a compact
 * array (about 12 bits per id) without touching the id map. False positives only cost a Map lookup.
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

export class BlockedBloom {
  private words: Uint32Array;
  private mask: number;

  /** Sized for `capacity` ids at about 12 bits each. */
  constructor(readonly capacity: number) {
    let words = 1024;
    while (words * 32 < capacity * 12) words *= 2;
    this.words = new Uint32Array(words);
    this.mask = words - 1;
  }

  private static bits(h: number): number {
    // Three bit positions inside the word, from the hash's upper bits.
    const a = (h >>> 17) & 31;
    const b = (h >>> 22) & 31;
    const c = (h >>> 27) & 31;
    return (1 << a) | (1 << b) | (1 << c);
  }

  add(id: string): void {
    const h = hashId(id);
    this.words[h & this.mask]! |= BlockedBloom.bits(Math.imul(h, 0x9e3779b1) >>> 0);
  }

  mightContain(id: string): boolean {
    const h = hashId(id);
    const bits = BlockedBloom.bits(Math.imul(h, 0x9e3779b1) >>> 0);
    return (this.words[h & this.mask]! & bits) === bits;
  }

  get bytes(): number {
    return this.words.byteLength;
  }
}
