/**
 * Small non-cryptographic hashes used by the detectors: 32-bit string and integer mixers, and a
 * 53-bit string hash that fits exactly in a JavaScript number (safe as a Map key or Float64Array cell).
 */

/** FNV-1a over UTF-16 code units, finished with a murmur3 avalanche: a 32-bit unsigned hash. */
export function hash32(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** `hash32(parts.join(" "), seed)` without building the joined string. */
export function hash32Joined(parts: readonly string[], seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) h = Math.imul(h ^ 32, 0x01000193);
    const s = parts[p]!;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two 32-bit hashes into one (order-sensitive). */
export function combine32(a: number, b: number): number {
  return fmix32(Math.imul(a ^ 0x9e3779b9, 0x2c1b3c6d) ^ (b + 0x7f4a7c15 + (a << 6) + (a >>> 2)));
}

/** cyrb53: a 53-bit string hash, an exact integer in a double. */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
