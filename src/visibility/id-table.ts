/**
 * Subject id → slot, for the resolver's restriction tables: an open-addressing hash table keyed by the
 * id's `hashId` (which the resolver has already computed for its Bloom probe), in one Int32Array of
 * (hash, slot + 1) pairs with linear probing and backward-shift deletion, and the ids themselves in
 * an array by slot. Unlike a Map, a lookup can be split in two: `touch` starts the table read for a
 * hash, `find` finishes it later, so the lookups of every candidate in a batch wait for memory
 * together instead of one after the other.
 */
export class IdTable {
  /** Pairs (hash, slot + 1); slot + 1 = 0 marks an empty cell. Load factor at most 1/2. */
  private cells = new Int32Array(2 * 1024);
  private mask = 1023;
  private count = 0;
  /** The id held by each slot ("" once deleted). */
  private ids: string[] = [];

  get size(): number {
    return this.count;
  }

  /** Approximate bytes held (cells, and 8 per id reference). */
  get bytes(): number {
    return this.cells.byteLength + this.ids.length * 8;
  }

  /** The slot of `id` (whose `hashId` is `hash`), or -1. */
  find(id: string, hash: number): number {
    const cells = this.cells;
    const mask = this.mask;
    const h = hash | 0;
    let i = h & mask;
    for (;;) {
      const s = cells[2 * i + 1]!;
      if (s === 0) return -1;
      if (cells[2 * i] === h && this.ids[s - 1] === id) return s - 1;
      i = (i + 1) & mask;
    }
  }

  /** Reads the cell `find(…, hash)` starts at, so that its cache miss overlaps with others'. */
  touch(hash: number): number {
    return this.cells[2 * (hash & this.mask) + 1]!;
  }

  /** Records that `id` (absent, with `hashId` `hash`) is held in `slot`. */
  insert(id: string, hash: number, slot: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    this.place(hash | 0, slot);
    this.ids[slot] = id;
    this.count++;
  }

  /** Forgets `id`; returns its slot, or -1 when it was absent. */
  remove(id: string, hash: number): number {
    const cells = this.cells;
    const mask = this.mask;
    const h = hash | 0;
    let i = h & mask;
    for (;;) {
      const s = cells[2 * i + 1]!;
      if (s === 0) return -1;
      if (cells[2 * i] === h && this.ids[s - 1] === id) break;
      i = (i + 1) & mask;
    }
    const slot = cells[2 * i + 1]! - 1;
    this.ids[slot] = "";
    this.count--;
    // Backward shift: move each following entry of the run into the hole unless its home lies
    // cyclically in (hole, j].
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = cells[2 * j + 1]!;
      if (s === 0) break;
      const home = cells[2 * j]! & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        cells[2 * hole] = cells[2 * j]!;
        cells[2 * hole + 1] = s;
        hole = j;
      }
    }
    cells[2 * hole] = 0;
    cells[2 * hole + 1] = 0;
    return slot;
  }

  /** Every id held, with its slot. */
  *entries(): IterableIterator<[string, number]> {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += 2) {
      const s = cells[i + 1]!;
      if (s !== 0) yield [this.ids[s - 1]!, s - 1];
    }
  }

  /** Calls `f` with the `hashId` of every id held. */
  forEachHash(f: (hash: number) => void): void {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += 2) if (cells[i + 1] !== 0) f(cells[i]! >>> 0);
  }

  private place(h: number, slot: number): void {
    const cells = this.cells;
    const mask = this.mask;
    let i = h & mask;
    while (cells[2 * i + 1] !== 0) i = (i + 1) & mask;
    cells[2 * i] = h;
    cells[2 * i + 1] = slot + 1;
  }

  private resize(capacity: number): void {
    const old = this.cells;
    this.cells = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i]!, old[i + 1]! - 1);
  }
}
