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

class ObjectState {
  readonly accounts = new Int32Array(RECENT_CAP);
  readonly postSeqs = new Int32Array(RECENT_CAP);
  readonly times = new Float64Array(RECENT_CAP);
  /** Ring write position and number of filled entries. */
  cursor = 0;
  filled = 0;
  /** Actions counted in the current tumbling window, and when that window started. */
  count = 0;
  countStart: number;
  last: number;

  constructor(now: number) {
    this.countStart = now;
    this.last = now;
  }
}

export class ObjectWindow {
  private readonly objects = new Map<number, ObjectState>();

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
   * the window (most recent first, one per account). Returns the object's weight in (0, 1].
   */
  add(key: number, account: number, postSeq: number, time: number, partners: Partner[]): number {
    partners.length = 0;
    let state = this.objects.get(key);
    if (state === undefined) {
      state = new ObjectState(time);
      this.objects.set(key, state);
    }
    if (time - state.countStart > this.windowMs) {
      state.count = 0;
      state.countStart = time;
    }
    state.count++;
    if (time > state.last) state.last = time;
    const cutoff = time - this.windowMs;
    for (let k = 1; k <= state.filled; k++) {
      const i = (state.cursor - k + RECENT_CAP) % RECENT_CAP;
      const other = state.accounts[i]!;
      const at = state.times[i]!;
      if (other === account || at < cutoff || at > time + this.windowMs) continue;
      let seen = false;
      for (const p of partners) if (p.account === other) seen = true;
      if (!seen) partners.push({ account: other, postSeq: state.postSeqs[i]!, time: at });
    }
    state.accounts[state.cursor] = account;
    state.postSeqs[state.cursor] = postSeq;
    state.times[state.cursor] = time;
    state.cursor = (state.cursor + 1) % RECENT_CAP;
    if (state.filled < RECENT_CAP) state.filled++;
    return state.count <= this.viralAccounts ? 1 : Math.sqrt(this.viralAccounts / state.count);
  }

  /** Actions on `key` in its current window (0 if unknown). */
  count(key: number): number {
    return this.objects.get(key)?.count ?? 0;
  }

  /** Drops objects with no action inside the window. */
  sweep(now: number): void {
    const cutoff = now - this.windowMs;
    for (const [key, state] of this.objects) if (state.last < cutoff) this.objects.delete(key);
  }
}
