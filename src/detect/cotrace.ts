/**
 * Shared objects over sliding windows: for each object (a hashtag sequence, a canonical URL, a tag, a
 * reposted, quoted or replied-to post) the most recent accounts that acted on it. A new action pairs
 * with the earlier actions by other accounts inside the object kind's window.
 *
 * Cost control (detection.md §5.2): an object remembers only its last `RECENT_CAP` actions, so one
 * action costs at most that many pairs however viral the object is, and the object's weight falls as
 * sqrt(`viralAccounts` / actions in its window) once more accounts than that act on it (a TF-IDF-like
 * down-weighting: sharing what everyone shares says little). Objects idle for longer than their
 * window are dropped by `sweep`.
 */

/** Actions remembered per object (and the most partners one action can pair with). */
export const RECENT_CAP = 16;

/** One earlier action on the same object, by another account. */
export interface Partner {
  account: number;
  postSeq: number;
  time: number;
}

/**
 * Objects live in flat typed arrays (one row of `RECENT_CAP` actions per object, rows reused through a
 * free list), so a new object costs no allocation; an integer hash table translates an object key (a
 * 32-bit integer) to its row.
 */
const INITIAL_ROWS = 1 << 8;

/** Table home of an object key (keys are 32-bit integers). */
const homeOf = (key: number): number => {
  const h = Math.imul(key, 0x9e3779b1);
  return h ^ (h >>> 16);
};

/** Partners found by `pair` (shared by every window). */
const FOUND_ACCOUNTS = new Int32Array(RECENT_CAP);
const FOUND_SEQS = new Int32Array(RECENT_CAP);
const FOUND_TIMES = new Float64Array(RECENT_CAP);

/** Partner records handed out by `add`, reused across calls (read them before the next call). */
const PARTNER_POOL: Partner[] = Array.from({ length: RECENT_CAP }, () => ({
  account: 0,
  postSeq: 0,
  time: 0,
}));

export class ObjectWindow {
  /**
   * Object key → row: an open-addressing table (linear probing, backward-shift deletion, at most half
   * full) of (key, row + 1) int32 pairs (0 = empty), and each row's key and whether it is in use.
   */
  private table = new Int32Array(INITIAL_ROWS * 2 * 2);
  private tableMask = INITIAL_ROWS * 2 - 1;
  private objectCount = 0;
  private rowKey = new Int32Array(INITIAL_ROWS);
  private rowLive = new Uint8Array(INITIAL_ROWS);
  private rows = INITIAL_ROWS;
  private accounts = new Int32Array(INITIAL_ROWS * RECENT_CAP);
  private postSeqs = new Int32Array(INITIAL_ROWS * RECENT_CAP);
  private times = new Float64Array(INITIAL_ROWS * RECENT_CAP);
  /** Per row: ring write position, filled entries, actions in the current tumbling window, its start, last action. */
  private cursor = new Uint8Array(INITIAL_ROWS);
  private filled = new Uint8Array(INITIAL_ROWS);
  private counts = new Int32Array(INITIAL_ROWS);
  private countStart = new Float64Array(INITIAL_ROWS);
  private last = new Float64Array(INITIAL_ROWS);
  private readonly free: number[] = [];
  private used = 0;

  /**
   * @param windowMs how far apart two actions may be to pair
   * @param viralAccounts actions per window above which the object's weight is scaled down
   */
  constructor(
    readonly windowMs: number,
    readonly viralAccounts = 200,
  ) {}

  get size(): number {
    return this.objectCount;
  }

  /**
   * The partners found by the last `pair`, in `[0, foundCount)` of these arrays (shared by every
   * window and overwritten by the next call): account, post seq and time of each.
   */
  readonly foundAccounts: Int32Array = FOUND_ACCOUNTS;
  readonly foundSeqs: Int32Array = FOUND_SEQS;
  readonly foundTimes: Float64Array = FOUND_TIMES;
  foundCount = 0;

  /**
   * Records an action on `key` and fills `partners` with the earlier actions by other accounts inside
   * the window (most recent first, one per account). Returns the object's weight in (0, 1]. The partner
   * records are reused by the next call.
   */
  add(key: number, account: number, postSeq: number, time: number, partners: Partner[]): number {
    const weight = this.pair(key, account, postSeq, time);
    partners.length = 0;
    for (let i = 0; i < this.foundCount; i++) {
      const partner = PARTNER_POOL[i]!;
      partner.account = FOUND_ACCOUNTS[i]!;
      partner.postSeq = FOUND_SEQS[i]!;
      partner.time = FOUND_TIMES[i]!;
      partners.push(partner);
    }
    return weight;
  }

  /** `add` without an output array: the partners are left in `foundAccounts`, `foundSeqs`, `foundTimes`. */
  pair(key: number, account: number, postSeq: number, time: number): number {
    let found = 0;
    let row = this.find(key);
    if (row < 0) {
      row = this.allocate();
      this.insert(key, row);
      this.cursor[row] = 0;
      this.filled[row] = 0;
      this.counts[row] = 0;
      this.countStart[row] = time;
      this.last[row] = time;
    }
    if (time - this.countStart[row]! > this.windowMs) {
      this.counts[row] = 0;
      this.countStart[row] = time;
    }
    const count = ++this.counts[row]!;
    if (time > this.last[row]!) this.last[row] = time;
    const cutoff = time - this.windowMs;
    const base = row * RECENT_CAP;
    const cursor = this.cursor[row]!;
    const filled = this.filled[row]!;
    for (let k = 1; k <= filled; k++) {
      const i = base + ((cursor - k + RECENT_CAP) % RECENT_CAP);
      const other = this.accounts[i]!;
      const at = this.times[i]!;
      if (other === account || at < cutoff || at > time + this.windowMs) continue;
      let seen = false;
      for (let p = 0; p < found; p++) if (FOUND_ACCOUNTS[p] === other) seen = true;
      if (seen) continue;
      FOUND_ACCOUNTS[found] = other;
      FOUND_SEQS[found] = this.postSeqs[i]!;
      FOUND_TIMES[found] = at;
      found++;
    }
    this.foundCount = found;
    this.accounts[base + cursor] = account;
    this.postSeqs[base + cursor] = postSeq;
    this.times[base + cursor] = time;
    this.cursor[row] = cursor + 1 === RECENT_CAP ? 0 : cursor + 1;
    if (filled < RECENT_CAP) this.filled[row] = filled + 1;
    return count <= this.viralAccounts ? 1 : Math.sqrt(this.viralAccounts / count);
  }

  /** Actions on `key` in its current window (0 if unknown). */
  count(key: number): number {
    const row = this.find(key);
    return row < 0 ? 0 : this.counts[row]!;
  }

  /** Drops objects with no action inside the window. */
  sweep(now: number): void {
    const cutoff = now - this.windowMs;
    for (let row = 0; row < this.used; row++) {
      if (this.rowLive[row] === 1 && this.last[row]! < cutoff) {
        this.remove(this.rowKey[row]!);
        this.rowLive[row] = 0;
        this.free.push(row);
      }
    }
  }

  /** The row of an object key, or -1. */
  private find(key: number): number {
    const table = this.table;
    const m = this.tableMask;
    let i = homeOf(key) & m;
    for (;;) {
      const entry = table[2 * i + 1]!;
      if (entry === 0) return -1;
      if (table[2 * i] === key) return entry - 1;
      i = (i + 1) & m;
    }
  }

  private insert(key: number, row: number): void {
    if ((this.objectCount + 1) * 2 > this.tableMask + 1) this.growTable();
    const table = this.table;
    const m = this.tableMask;
    let i = homeOf(key) & m;
    while (table[2 * i + 1] !== 0) i = (i + 1) & m;
    table[2 * i] = key;
    table[2 * i + 1] = row + 1;
    this.rowKey[row] = key;
    this.rowLive[row] = 1;
    this.objectCount++;
  }

  private remove(key: number): void {
    const table = this.table;
    const m = this.tableMask;
    let i = homeOf(key) & m;
    while (table[2 * i] !== key || table[2 * i + 1] === 0) i = (i + 1) & m;
    // Backward shift: move later entries of the run into the hole unless their home lies in (hole, j].
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const entry = table[2 * j + 1]!;
      if (entry === 0) break;
      const k = table[2 * j]!;
      const home = homeOf(k) & m;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        table[2 * hole] = k;
        table[2 * hole + 1] = entry;
        hole = j;
      }
    }
    table[2 * hole + 1] = 0;
    this.objectCount--;
  }

  private growTable(): void {
    const old = this.table;
    const size = (this.tableMask + 1) * 2;
    const table = new Int32Array(size * 2);
    const m = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = homeOf(old[j]!) & m;
      while (table[2 * i + 1] !== 0) i = (i + 1) & m;
      table[2 * i] = old[j]!;
      table[2 * i + 1] = old[j + 1]!;
    }
    this.table = table;
    this.tableMask = m;
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.rows) this.grow();
    return this.used++;
  }

  private grow(): void {
    const rows = this.rows * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, n: number): T => {
      const next = new (old.constructor as new (n: number) => T)(n);
      next.set(old);
      return next;
    };
    this.accounts = grow(this.accounts, rows * RECENT_CAP);
    this.postSeqs = grow(this.postSeqs, rows * RECENT_CAP);
    this.times = grow(this.times, rows * RECENT_CAP);
    this.cursor = grow(this.cursor, rows);
    this.filled = grow(this.filled, rows);
    this.counts = grow(this.counts, rows);
    this.countStart = grow(this.countStart, rows);
    this.last = grow(this.last, rows);
    this.rowKey = grow(this.rowKey, rows);
    this.rowLive = grow(this.rowLive, rows);
    this.rows = rows;
  }
}
