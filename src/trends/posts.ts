/**
 * The trends engine's memory of counted posts, so a delete can subtract exactly what the post added:
 * its bucket, author, author's country (scope) and hashtag keys. A FIFO of at most `capacity` posts in
 * arrival order, kept as parallel arrays (no object per post: the index holds up to a million
 * long-lived entries, which as objects cost the garbage collector dearly) with a map from post id to
 * sequence number. Entries leave from the head when over capacity or older than retention; a delete
 * leaves a hole that the head skips.
 */
export class PostIndex {
  private readonly seqOf = new Map<string, number>();
  private ids: (string | null)[] = [];
  private buckets: number[] = [];
  private accounts: number[] = [];
  private countries: (string | null)[] = [];
  /** One key as a string (the common case), several as an array. */
  private keys: (string | string[])[] = [];
  /** Sequence number of array slot 0, and of the first live slot. */
  private base = 0;
  private head = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.seqOf.size;
  }

  has(id: string): boolean {
    return this.seqOf.has(id);
  }

  add(id: string, bucket: number, account: number, country: string | null, keys: string | string[]): void {
    this.seqOf.set(id, this.base + this.ids.length);
    this.ids.push(id);
    this.buckets.push(bucket);
    this.accounts.push(account);
    this.countries.push(country);
    this.keys.push(keys);
    while (this.seqOf.size > this.capacity) this.dropHead();
    this.compact();
  }

  /** Removes the post and returns what it counted, or undefined if it is not (or no longer) known. */
  take(
    id: string,
  ): { bucket: number; account: number; country: string | null; keys: string | string[] } | undefined {
    const seq = this.seqOf.get(id);
    if (seq === undefined) return undefined;
    this.seqOf.delete(id);
    const i = seq - this.base;
    this.ids[i] = null;
    return {
      bucket: this.buckets[i]!,
      account: this.accounts[i]!,
      country: this.countries[i] ?? null,
      keys: this.keys[i]!,
    };
  }

  /** Forgets posts from the head while their bucket is older than `cutoff` (arrival ≈ time order). */
  dropOlderThan(cutoff: number): void {
    while (this.head - this.base < this.ids.length) {
      const i = this.head - this.base;
      if (this.ids[i] !== null && this.buckets[i]! >= cutoff) break;
      this.dropHead();
    }
    this.compact();
  }

  /** Approximate heap bytes. */
  bytes(): number {
    let b = 0;
    for (const id of this.seqOf.keys()) b += 80 + 2 * id.length;
    return b + 40 * (this.ids.length - (this.head - this.base));
  }

  private dropHead(): void {
    const i = this.head - this.base;
    const id = this.ids[i];
    if (id !== null && id !== undefined) this.seqOf.delete(id);
    this.ids[i] = null;
    this.keys[i] = "";
    this.countries[i] = null;
    this.head++;
  }

  /** Drops dead slots before the head once they are most of the arrays. */
  private compact(): void {
    const dead = this.head - this.base;
    if (dead > 4096 && dead * 2 > this.ids.length) {
      this.ids = this.ids.slice(dead);
      this.buckets = this.buckets.slice(dead);
      this.accounts = this.accounts.slice(dead);
      this.countries = this.countries.slice(dead);
      this.keys = this.keys.slice(dead);
      this.base = this.head;
    }
  }
}
