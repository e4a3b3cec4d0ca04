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
 * free list), so a new object costs no allocation; the Map only translates an object key to its row.
 */
const INITIAL_ROWS = 1 << 8;

/** Partner records handed out by `add`, reused across calls (read them before the next call). */
const PARTNER_POOL: Partner[] = Array.from({ length: RECENT_CAP }, () => ({
  account: 0,
  postSeq: 0,
  time: 0,
}));

export class ObjectWindow {
  private readonly objects = new Map<number, number>();
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
    return this.objects.size;
  }

  /**
   * Records an action on `key` and fills `partners` with the earlier actions by other accounts inside
   * the window (most recent first, one per account). Returns the object's weight in (0, 1]. The partner
   * records are reused by the next call.
   */
  add(key: number, account: number, postSeq: number, time: number, partners: Partner[]): number {
    partners.length = 0;
    let row = this.objects.get(key);
    if (row === undefined) {
      row = this.allocate();
      this.objects.set(key, row);
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
      for (let p = 0; p < partners.length; p++) if (partners[p]!.account === other) seen = true;
      if (seen) continue;
      const partner = PARTNER_POOL[partners.length]!;
      partner.account = other;
      partner.postSeq = this.postSeqs[i]!;
      partner.time = at;
      partners.push(partner);
    }
    this.accounts[base + cursor] = account;
    this.postSeqs[base + cursor] = postSeq;
    this.times[base + cursor] = time;
    this.cursor[row] = cursor + 1 === RECENT_CAP ? 0 : cursor + 1;
    if (filled < RECENT_CAP) this.filled[row] = filled + 1;
    return count <= this.viralAccounts ? 1 : Math.sqrt(this.viralAccounts / count);
  }

  /** Actions on `key` in its current window (0 if unknown). */
  count(key: number): number {
    const row = this.objects.get(key);
    return row === undefined ? 0 : this.counts[row]!;
  }

  /** Drops objects with no action inside the window. */
  sweep(now: number): void {
    const cutoff = now - this.windowMs;
    for (const [key, row] of this.objects) {
      if (this.last[row]! < cutoff) {
        this.objects.delete(key);
        this.free.push(row);
      }
    }
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
    this.rows = rows;
  }
}
