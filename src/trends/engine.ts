/**
 * Per-country trending hashtags, computed in memory from the ingest stream (detection.md §3, "Vigil
 * trend score"). Pure: no I/O, no clock; time comes only from event timestamps and `top`'s `at`.
 *
 * Scopes. A post counts in the scope of its author's country (as known when the post is observed)
 * and in the global scope GLOBAL_COUNTRY ("ZZ"); authors with no country count only globally.
 * `top(country, ...)` ranks the country's scope; `top("ZZ", ...)`, or `{ global: true }`, ranks the
 * global scope while still applying the viewer country's restrictions.
 *
 * Keys. Spellings are grouped by displayKey (NFKC + case fold + default ignorables removed); each
 * key shows its most used spelling. Restrictions are checked under matchKey of every spelling seen
 * for the key, so no spelling of a restricted tag surfaces.
 *
 * Time. Events fall into buckets of `bucketMinutes` (default 60). The window ending at bucket
 * boundary e is the `windowHours` (24) of buckets before e; its baseline is the window before it.
 * For `at` on a bucket boundary the window ends at `at`; otherwise at the end of at's bucket when
 * every event the scope has in that bucket is no later than `at` (live queries: exact), else at the
 * start of at's bucket (a past instant: no event after `at` ever counts; the answer is the trends of
 * that bucket boundary, decayed to `at`).
 *
 * Score (Mastodon's, on trust-weighted distinct accounts):
 *   observed(e) = Σ trust over distinct accounts with a live post of the key in window(e)
 *   expected(e) = max(1, observed(e - window))
 *   score(e)    = 0 if observed < minAccounts (5) or expected > observed,
 *                 else (observed - expected)² / expected
 *   shown score = max over bucket ends e in the last `peakHours` (24) up to `at` of
 *                 score(e) · 0.5^((at - e) / halfLife)   (halfLifeHours 4; Δt clamped at 0)
 * A key is listed when that score is ≥ minScore (1, as Mastodon).
 *
 * Trust, evaluated at query time with the viewer country's filter:
 *   0   the account is restricted in the viewer's country (suspended or withheld there);
 *   0.05 the account belongs to a coordinated campaign (the filter's `coordinated`, fed by the
 *       detectors): a campaign's accounts weigh as one twentieth of real ones;
 *   0.2 (TRUST_LOW) the account was younger than 7 days at the start of the bucket it posted in, or
 *       has no avatar and an empty bio, or was never observed with observeAccount;
 *   1   (TRUST_FULL) otherwise.
 * An account's trust in a window is the one of its latest bucket with a live post there.
 *
 * Never surfaces: a key any of whose spellings' matchKey is restricted for the viewer country; a key
 * whose live distinct accounts in the window ending at `at` are more than RESTRICTED_SHARE_LIMIT
 * (50%) restricted in that country (exact, or estimated from the bottom-k sample in sketch cells).
 *
 * New tags: a key with no live post in the retention before the current window. With holdNewTags,
 * new keys ranked in the top `newTagTopN` (3) are returned in `held` (with the rank they would have
 * had) instead of `trends`; trends are then ranked 1..n without them.
 *
 * Reposts: counted (unless `countReposts: false`) as a post by the reposting account carrying the
 * original's hashtags, which the caller passes; a coordinated repost wave thus counts once per
 * account and is weighed by trust like any other.
 *
 * Deletes: exact while a (key, bucket) cell has ≤ EXACT_ACCOUNTS_PER_CELL (128) accounts; beyond,
 * the sketch's bottom-k sample keeps exact live-post counts of its accounts, and the distinct count is
 * the HyperLogLog estimate times the sample's share of accounts still alive (so a post-then-delete
 * wave of hundreds of accounts still drops out). Deletes are retroactive: a deleted post never counts,
 * also for `at` before the deletion. Posts are remembered for deletes up to `maxTrackedPosts`
 * (oldest forgotten first) and within retention; a delete of a forgotten post is ignored.
 * Re-observing a remembered post id is ignored (at-least-once delivery is safe).
 *
 * Memory bounds: keys per scope ≤ maxKeysPerCountry (when full, the least used 10% are evicted:
 * fewest live posts in retention, oldest activity first; their history is lost); a key has at most
 * one cell per bucket of retention (720 at the defaults), dropped once older than retention (swept
 * each retention/30 of event time, relative to the latest event time seen: a post far in the future
 * ages everything out); a cell is ~110 bytes with one account, ≤ ~3 KB exact, ~2.1 KB as a sketch;
 * the post index holds ≤ maxTrackedPosts entries (~100 bytes each); spellings ≤ 8 per key; the
 * displayKey cache ≤ 100,000 entries. The account table (id, country, age, bare profile) grows with
 * the accounts seen.
 *
 * Cost: observePost is O(tags) (binary search in a cell of ≤ 128 accounts); top() is O(keys in the
 * scope) for a cheap post-count bound, then O(account appearances in the last peakHours + 2 windows)
 * per candidate key, plus O(71 × 1,024) register work per key with sketch cells.
 */
import { displayKey, matchKey } from "../hashtags/normalize.ts";
import { PostIndex } from "./posts.ts";
import {
  Cell,
  EXACT_ACCOUNTS_PER_CELL,
  HLL_M,
  HLL_P,
  hllEstimate,
  hllHash,
  SAMPLE_SIZE,
  sampleHash,
} from "./sketch.ts";

export { EXACT_ACCOUNTS_PER_CELL, SAMPLE_SIZE };

// Module-local copies of the sketch helpers: under tsx, imported bindings compile to getters, which
// hot loops should not call per iteration.
const REGS: number = HLL_M;
const RANK_BITS: number = 32 - HLL_P;
const SAMPLE: number = SAMPLE_SIZE;
const registerHash = hllHash;
const orderHash = sampleHash;
const estimate = hllEstimate;

/** Scope code of the global trends (not an ISO 3166-1 country; "ZZ" is the user-assigned "unknown"). */
export const GLOBAL_COUNTRY = "ZZ";
export const TRUST_FULL = 1;
export const TRUST_LOW = 0.2;
export const YOUNG_ACCOUNT_DAYS = 7;
/** A key is hidden when more than this share of its window's distinct accounts are restricted. */
export const RESTRICTED_SHARE_LIMIT = 0.5;
/** Spellings remembered per key (the most used one is displayed). */
export const MAX_SPELLINGS = 8;

export interface TrendAccount {
  id: string;
  country: string | null;
  createdAt: string;
  hasAvatar: boolean;
  bio: string;
}

export interface TrendPost {
  id: string;
  authorId: string;
  createdAt: string;
  /** As extracted, original spelling; for a repost, the original's hashtags. */
  hashtags: string[];
  repostOf?: string | null;
}

export interface TrendFilter {
  /** True if the tag may not appear on trends for viewers in `country` (restriction on its matchKey). */
  tagRestricted(matchKey: string, country: string): boolean;
  /** True if the account is suspended, or withheld in `country`. */
  accountRestricted(accountId: string, country: string): boolean;
  /** True if the account belongs to a coordinated campaign (trend defence): it then weighs 0.05. */
  coordinated?(accountId: string): boolean;
}

export interface Trend {
  /** The most used spelling. */
  tag: string;
  /** displayKey. */
  key: string;
  /** Decayed peak score at `at`. */
  score: number;
  /** Distinct accounts with a live post in the window ending at `at` (estimated beyond 128 per bucket). */
  accounts: number;
  /** Live posts in the window ending at `at`. */
  posts: number;
  rank: number;
  isNew: boolean;
}

export interface TrendsOptions {
  bucketMinutes?: number;
  windowHours?: number;
  halfLifeHours?: number;
  /** How far back the peak score is looked for (default: windowHours). */
  peakHours?: number;
  minAccounts?: number;
  minScore?: number;
  maxKeysPerCountry?: number;
  retentionDays?: number;
  holdNewTags?: boolean;
  newTagTopN?: number;
  countReposts?: boolean;
  maxTrackedPosts?: number;
  /** Seed of the account hashes used by the sketches. */
  seed?: number;
}

export interface TopOptions {
  /** Rank the global scope (restrictions still those of `country`). */
  global?: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Trust is summed in integer units of 0.05 (divided by UNITS_FULL at the end): sums stay exact. */
const UNITS_FULL = 20;
const UNITS_LOW = 4;
/** An account in a coordinated campaign counts 0.05: twenty such accounts weigh one real one. */
const UNITS_COORDINATED = 1;
const EVICT_FRACTION = 0.1;
const KEY_CACHE_MAX = 100_000;

class Entry {
  readonly key: string;
  spellings: string[];
  spellCounts: number[];
  /** matchKeys of the spellings, computed when first needed. */
  mks: string[] | null = null;
  /** Sorted bucket numbers and their cells. */
  buckets: number[] = [];
  cells: Cell[] = [];
  /** Live posts in retained cells (eviction order). */
  count = 0;
  last = 0;

  constructor(key: string, spelling: string) {
    this.key = key;
    this.spellings = [spelling];
    this.spellCounts = [0];
  }

  cellFor(b: number): Cell {
    const buckets = this.buckets;
    const n = buckets.length;
    if (n > 0 && buckets[n - 1] === b) return this.cells[n - 1]!;
    if (n === 0 || buckets[n - 1]! < b) {
      const c = new Cell();
      buckets.push(b);
      this.cells.push(c);
      return c;
    }
    const i = lowerBound(buckets, b);
    if (buckets[i] === b) return this.cells[i]!;
    const c = new Cell();
    buckets.splice(i, 0, b);
    this.cells.splice(i, 0, c);
    return c;
  }

  cellAt(b: number): number {
    const i = lowerBound(this.buckets, b);
    return this.buckets[i] === b ? i : -1;
  }

  spell(tag: string): void {
    const s = this.spellings;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === tag) {
        this.spellCounts[i]!++;
        return;
      }
    }
    this.mks = null;
    if (s.length < MAX_SPELLINGS) {
      s.push(tag);
      this.spellCounts.push(1);
      return;
    }
    // Space-Saving among spellings: the new one replaces the least used and inherits its count + 1.
    let min = 0;
    for (let i = 1; i < s.length; i++) if (this.spellCounts[i]! < this.spellCounts[min]!) min = i;
    s[min] = tag;
    this.spellCounts[min]!++;
  }

  display(): string {
    let best = 0;
    for (let i = 1; i < this.spellings.length; i++) {
      if (this.spellCounts[i]! > this.spellCounts[best]!) best = i;
    }
    return this.spellings[best]!;
  }

  matchKeys(): string[] {
    if (this.mks === null) this.mks = [...new Set(this.spellings.map((s) => matchKey(s)))];
    return this.mks;
  }

  bytes(): number {
    let b = 200 + 2 * this.key.length + 24 * this.buckets.length;
    for (const s of this.spellings) b += 40 + 2 * s.length;
    for (const c of this.cells) b += c.bytes();
    return b;
  }
}

class Scope {
  readonly entries = new Map<string, Entry>();
  /** Latest event time (ms) per bucket, to know whether `at`'s bucket is complete as of `at`. */
  readonly maxTime = new Map<number, number>();
  /** Last bucket written to maxTime and its value (most events land in the latest bucket). */
  lastBucket = Number.NaN;
  lastBucketMax = 0;
}

interface Scored {
  entry: Entry;
  score: number;
  accounts: number;
  posts: number;
  isNew: boolean;
}

/**
 * Milliseconds of an RFC 3339 UTC timestamp ("2021-02-04T12:00:00Z", optional fraction), the
 * contract's shape, parsed without Date.parse (about 3x faster) and equal to it (engine.test.ts);
 * anything else goes to Date.parse.
 */
export function parseTimestamp(s: string): number {
  const n = s.length;
  if (
    n >= 20 &&
    s.charCodeAt(4) === 0x2d &&
    s.charCodeAt(7) === 0x2d &&
    s.charCodeAt(10) === 0x54 &&
    s.charCodeAt(13) === 0x3a &&
    s.charCodeAt(16) === 0x3a &&
    s.charCodeAt(n - 1) === 0x5a
  ) {
    const y = digits(s, 0, 4);
    const mo = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    const se = digits(s, 17, 2);
    let ms = 0;
    let ok = y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59;
    ok = ok && se >= 0 && se <= 59;
    if (ok && n > 20) {
      // ".fff...Z": first three fraction digits are milliseconds.
      ok = s.charCodeAt(19) === 0x2e && n > 21;
      const f = ok ? digits(s, 20, n - 21) : -1;
      ok = ok && f >= 0;
      if (ok) ms = n - 21 >= 3 ? digits(s, 20, 3) : f * 10 ** (3 - (n - 21));
    }
    // Date.UTC rolls 31 Feb over to 3 Mar exactly as V8's Date.parse does.
    if (ok) return Date.UTC(y, mo - 1, d, h, mi, se, ms);
  }
  return Date.parse(s);
}

/** Decimal value of s[from, from + len), or -1 if any of them is not an ASCII digit. */
function digits(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

export class TrendsEngine {
  private readonly bucketMs: number;
  /** Buckets per window, per peak horizon, per retention. */
  private readonly W: number;
  private readonly P: number;
  private readonly R: number;
  private readonly halfLifeMs: number;
  private readonly minAccounts: number;
  private readonly minScore: number;
  private readonly maxKeys: number;
  private readonly holdNewTags: boolean;
  private readonly newTagTopN: number;
  private readonly countReposts: boolean;
  private readonly maxTrackedPosts: number;
  private readonly seed: number;
  private readonly pruneEvery: number;

  // Accounts, interned to small integers.
  private readonly accountIdx = new Map<string, number>();
  private readonly accountIds: string[] = [];
  private readonly accountCountry: (string | null)[] = [];
  private readonly accountCreated: number[] = [];
  private readonly accountBare: boolean[] = [];

  private readonly scopes = new Map<string, Scope>();
  private readonly global: Scope;
  private readonly keyCache = new Map<string, string>();

  private readonly posts: PostIndex;

  private maxBucket = Number.NEGATIVE_INFINITY;
  private lastPrune = Number.NEGATIVE_INFINITY;

  // Query scratch, indexed by account.
  private inWin = new Int32Array(0);
  private trustOf = new Int32Array(0);
  private stamp = new Int32Array(0);
  private restrictedStamp = new Int32Array(0);
  private restrictedVal = new Uint8Array(0);
  private aliveB = new Float64Array(0);
  private hashOf = new Float64Array(0);
  private epoch = 0;
  private queryEpoch = 0;
  private readonly regs = new Uint8Array(REGS);
  private prefix = new Uint8Array(0);
  private suffix = new Uint8Array(0);

  constructor(opts: TrendsOptions = {}) {
    const bucketMinutes = positiveInt("bucketMinutes", opts.bucketMinutes ?? 60);
    const windowHours = opts.windowHours ?? 24;
    const peakHours = opts.peakHours ?? windowHours;
    const retentionDays = opts.retentionDays ?? 30;
    this.bucketMs = bucketMinutes * MINUTE_MS;
    const perBucket = (ms: number, name: string) => {
      const n = ms / this.bucketMs;
      if (!Number.isInteger(n) || n <= 0) {
        throw new RangeError(`${name} must be a positive multiple of bucketMinutes (${bucketMinutes})`);
      }
      return n;
    };
    this.W = perBucket(windowHours * HOUR_MS, "windowHours");
    this.P = perBucket(peakHours * HOUR_MS, "peakHours");
    this.R = perBucket(retentionDays * DAY_MS, "retentionDays");
    if (this.R < 2 * this.W) throw new RangeError("retentionDays must cover at least two windows");
    this.halfLifeMs = (opts.halfLifeHours ?? 4) * HOUR_MS;
    if (!(this.halfLifeMs > 0)) throw new RangeError("halfLifeHours must be positive");
    this.minAccounts = opts.minAccounts ?? 5;
    this.minScore = opts.minScore ?? 1;
    this.maxKeys = positiveInt("maxKeysPerCountry", opts.maxKeysPerCountry ?? 20_000);
    this.holdNewTags = opts.holdNewTags ?? false;
    this.newTagTopN = opts.newTagTopN ?? 3;
    this.countReposts = opts.countReposts ?? true;
    this.maxTrackedPosts = positiveInt("maxTrackedPosts", opts.maxTrackedPosts ?? 1_000_000);
    this.posts = new PostIndex(this.maxTrackedPosts);
    this.seed = (opts.seed ?? 0x2021_0126) | 0;
    this.pruneEvery = Math.max(1, Math.floor(this.R / 30));
    this.global = new Scope();
    this.scopes.set(GLOBAL_COUNTRY, this.global);
  }

  // ---------------------------------------------------------------------------------------------
  // Ingest

  observeAccount(a: TrendAccount): void {
    const i = this.account(a.id);
    this.accountCountry[i] = a.country === GLOBAL_COUNTRY ? null : a.country;
    this.accountCreated[i] = Date.parse(a.createdAt);
    this.accountBare[i] = !a.hasAvatar && a.bio.trim() === "";
  }

  observePost(p: TrendPost): void {
    const tags = p.hashtags;
    if (tags.length === 0) return;
    if (!this.countReposts && p.repostOf != null) return;
    if (this.posts.has(p.id)) return;
    const t = parseTimestamp(p.createdAt);
    if (!Number.isFinite(t)) return;
    const b = Math.floor(t / this.bucketMs);
    if (b > this.maxBucket) {
      this.maxBucket = b;
      if (b >= this.lastPrune + this.pruneEvery) this.prune();
    }
    if (b < this.maxBucket - this.R) return;

    let keys: string[];
    let spellings: string[];
    if (tags.length === 1) {
      const k = this.keyOf(tags[0]!);
      if (k === "") return;
      keys = [k];
      spellings = tags;
    } else {
      keys = [];
      spellings = [];
      for (const tag of tags) {
        const k = this.keyOf(tag);
        if (k !== "" && !keys.includes(k)) {
          keys.push(k);
          spellings.push(tag);
        }
      }
      if (keys.length === 0) return;
    }

    const account = this.account(p.authorId);
    const country = this.accountCountry[account] ?? null;
    if (country !== null) this.count(this.scope(country), keys, spellings, b, t, account);
    this.count(this.global, keys, spellings, b, t, account);
    this.posts.add(p.id, b, account, country, keys.length === 1 ? keys[0]! : keys);
  }

  /** Subtracts the post's contribution (`at`, the deletion time, does not matter: deletes are retroactive). */
  observeDelete(postId: string, _at: string): void {
    const rec = this.posts.take(postId);
    if (rec === undefined) return;
    if (rec.country !== null) {
      const s = this.scopes.get(rec.country);
      if (s !== undefined) this.uncount(s, rec);
    }
    this.uncount(this.global, rec);
  }

  // ---------------------------------------------------------------------------------------------
  // Query

  top(
    country: string,
    at: Date,
    limit: number,
    filter: TrendFilter,
    opts: TopOptions = {},
  ): {
    trends: Trend[];
    held: Trend[];
  } {
    const scope = opts.global || country === GLOBAL_COUNTRY ? this.global : this.scopes.get(country);
    const atMs = at.getTime();
    if (scope === undefined || !Number.isFinite(atMs) || limit <= 0) return { trends: [], held: [] };
    const { W, P, R } = this;
    // Window end: `at` itself on a bucket boundary; else the end of at's bucket when none of the
    // scope's events in it is later than `at`, else its start.
    const bAt = Math.floor(atMs / this.bucketMs);
    let E = bAt;
    if (atMs !== bAt * this.bucketMs) {
      const latest = scope.maxTime.get(bAt);
      if (latest === undefined || latest <= atMs) E = bAt + 1;
    }
    const firstEnd = E - P + 1;
    this.ensureScratch();
    if (this.queryEpoch >= 0x3fffffff) {
      this.restrictedStamp.fill(0);
      this.queryEpoch = 0;
    }
    this.queryEpoch++;
    const q: Query = { country, filter, atMs, E, firstEnd, e0: firstEnd - W };

    const scored: Scored[] = [];
    for (const entry of scope.entries.values()) {
      if (entry.last < firstEnd - W) continue;
      const lo = lowerBound(entry.buckets, q.e0 - W);
      const hi = lowerBound(entry.buckets, E);
      if (hi === lo) continue;
      // Cheap bound: observed ≤ distinct accounts ≤ posts in the windows of the peak horizon.
      let posts = 0;
      for (let i = hi - 1; i >= lo && entry.buckets[i]! >= firstEnd - W; i--) posts += entry.cells[i]!.posts;
      if (posts < this.minAccounts) continue;
      if (this.tagRestricted(entry, country, filter)) continue;
      const s = this.scoreEntry(entry, lo, hi, q);
      if (s === null) continue;
      const r = lowerBound(entry.buckets, E - R);
      s.isNew = !(r < entry.buckets.length && entry.buckets[r]! < E - W);
      scored.push(s);
    }
    scored.sort(
      (a, b) => b.score - a.score || b.accounts - a.accounts || (a.entry.key < b.entry.key ? -1 : 1),
    );

    const trends: Trend[] = [];
    const held: Trend[] = [];
    for (let i = 0; i < scored.length && trends.length < limit; i++) {
      const s = scored[i]!;
      const hold = this.holdNewTags && s.isNew && i < this.newTagTopN;
      const t: Trend = {
        tag: s.entry.display(),
        key: s.entry.key,
        score: s.score,
        accounts: s.accounts,
        posts: s.posts,
        rank: hold ? i + 1 : trends.length + 1,
        isNew: s.isNew,
      };
      (hold ? held : trends).push(t);
    }
    return { trends, held };
  }

  /**
   * Sizes: keys and cells over all scopes, posts remembered for deletes, accounts interned, and an
   * estimate of the heap bytes held (keys and cells, post index, account table, key cache).
   */
  stats(): {
    keys: number;
    buckets: number;
    approxBytes: number;
    keyBytes: number;
    trackedPosts: number;
    internedAccounts: number;
  } {
    let keys = 0;
    let buckets = 0;
    let keyBytes = 0;
    for (const s of this.scopes.values()) {
      keys += s.entries.size;
      keyBytes += 100 + 80 * s.maxTime.size;
      for (const e of s.entries.values()) {
        buckets += e.cells.length;
        keyBytes += 80 + e.bytes();
      }
    }
    let bytes = keyBytes;
    bytes += this.posts.bytes();
    for (const id of this.accountIds) bytes += 120 + 2 * id.length;
    for (const [k, v] of this.keyCache) bytes += 80 + 2 * (k.length + v.length);
    return {
      keys,
      buckets,
      approxBytes: bytes,
      keyBytes,
      trackedPosts: this.posts.size,
      internedAccounts: this.accountIds.length,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Internals: ingest

  private account(id: string): number {
    let i = this.accountIdx.get(id);
    if (i === undefined) {
      i = this.accountIds.length;
      this.accountIdx.set(id, i);
      this.accountIds.push(id);
      this.accountCountry.push(null);
      this.accountCreated.push(Number.NaN);
      this.accountBare.push(false);
    }
    return i;
  }

  private scope(country: string): Scope {
    let s = this.scopes.get(country);
    if (s === undefined) {
      s = new Scope();
      this.scopes.set(country, s);
    }
    return s;
  }

  private keyOf(tag: string): string {
    let k = this.keyCache.get(tag);
    if (k === undefined) {
      k = displayKey(tag);
      if (this.keyCache.size >= KEY_CACHE_MAX) this.keyCache.clear();
      this.keyCache.set(tag, k);
    }
    return k;
  }

  private count(
    scope: Scope,
    keys: string[],
    spellings: string[],
    b: number,
    t: number,
    account: number,
  ): void {
    if (b === scope.lastBucket) {
      if (t > scope.lastBucketMax) {
        scope.lastBucketMax = t;
        scope.maxTime.set(b, t);
      }
    } else {
      const prev = scope.maxTime.get(b);
      if (prev === undefined || t > prev) scope.maxTime.set(b, t);
      scope.lastBucket = b;
      scope.lastBucketMax = scope.maxTime.get(b)!;
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let e = scope.entries.get(key);
      if (e === undefined) {
        if (scope.entries.size >= this.maxKeys) this.evict(scope);
        e = new Entry(key, spellings[i]!);
        scope.entries.set(key, e);
      }
      e.spell(spellings[i]!);
      e.cellFor(b).add(account, this.seed);
      e.count++;
      if (b > e.last) e.last = b;
    }
  }

  private uncount(scope: Scope, rec: { bucket: number; account: number; keys: string | string[] }): void {
    for (const key of typeof rec.keys === "string" ? [rec.keys] : rec.keys) {
      const e = scope.entries.get(key);
      if (e === undefined) continue;
      const i = e.cellAt(rec.bucket);
      if (i < 0) continue;
      const cell = e.cells[i]!;
      if (!cell.remove(rec.account)) continue;
      e.count--;
      if (cell.posts <= 0) {
        e.buckets.splice(i, 1);
        e.cells.splice(i, 1);
        if (e.cells.length === 0) scope.entries.delete(key);
      }
    }
  }

  /** Evicts the least used EVICT_FRACTION of a full scope: fewest live posts, then oldest activity. */
  private evict(scope: Scope): void {
    const target = Math.max(1, Math.floor(this.maxKeys * EVICT_FRACTION));
    // Histogram of counts (capped) to find the count threshold in O(keys).
    const CAP = 64;
    const hist = new Int32Array(CAP + 1);
    for (const e of scope.entries.values()) hist[Math.min(e.count, CAP)]!++;
    let threshold = 0;
    let below = 0;
    while (threshold <= CAP && below + hist[threshold]! < target) below += hist[threshold++]!;
    // Evict every key under the threshold; at the threshold, the ones with the oldest activity.
    const tied: Entry[] = [];
    for (const [k, e] of scope.entries) {
      const c = Math.min(e.count, CAP);
      if (c < threshold) scope.entries.delete(k);
      else if (c === threshold) tied.push(e);
    }
    tied.sort((a, b) => a.last - b.last);
    for (let i = 0; i < target - below && i < tied.length; i++) scope.entries.delete(tied[i]!.key);
  }

  /** Drops cells, bucket times and remembered posts older than retention (relative to the latest event). */
  private prune(): void {
    this.lastPrune = this.maxBucket;
    const cutoff = this.maxBucket - this.R;
    for (const scope of this.scopes.values()) {
      for (const [k, e] of scope.entries) {
        if (e.buckets.length === 0 || e.buckets[0]! >= cutoff) continue;
        const n = lowerBound(e.buckets, cutoff);
        for (let i = 0; i < n; i++) e.count -= e.cells[i]!.posts;
        e.buckets.splice(0, n);
        e.cells.splice(0, n);
        if (e.cells.length === 0) scope.entries.delete(k);
      }
      for (const b of scope.maxTime.keys()) if (b < cutoff) scope.maxTime.delete(b);
    }
    this.posts.dropOlderThan(cutoff);
  }

  // ---------------------------------------------------------------------------------------------
  // Internals: scoring

  private ensureScratch(): void {
    const n = this.accountIds.length;
    if (this.inWin.length >= n) return;
    const cap = Math.max(1024, n * 2);
    this.inWin = new Int32Array(cap);
    this.trustOf = new Int32Array(cap);
    this.stamp = new Int32Array(cap);
    this.aliveB = new Float64Array(cap);
    this.hashOf = new Float64Array(cap);
    const rs = new Int32Array(cap);
    rs.set(this.restrictedStamp);
    const rv = new Uint8Array(cap);
    rv.set(this.restrictedVal);
    this.restrictedStamp = rs;
    this.restrictedVal = rv;
  }

  private tagRestricted(entry: Entry, country: string, filter: TrendFilter): boolean {
    for (const mk of entry.matchKeys()) if (filter.tagRestricted(mk, country)) return true;
    return false;
  }

  /** 1: restricted in the viewer's country; 2: in a coordinated campaign; 0: neither (cached per query). */
  private standing(account: number, q: Query): number {
    if (this.restrictedStamp[account] === this.queryEpoch) return this.restrictedVal[account]!;
    const id = this.accountIds[account]!;
    const v = q.filter.accountRestricted(id, q.country) ? 1 : q.filter.coordinated?.(id) ? 2 : 0;
    this.restrictedStamp[account] = this.queryEpoch;
    this.restrictedVal[account] = v;
    return v;
  }

  /** Trust in units of 0.2 of an account's post in bucket b. */
  private trustUnits(account: number, b: number, q: Query): number {
    const standing = this.standing(account, q);
    if (standing === 1) return 0;
    if (standing === 2) return UNITS_COORDINATED;
    if (this.accountBare[account]) return UNITS_LOW;
    const created = this.accountCreated[account]!;
    if (!(b * this.bucketMs - created >= YOUNG_ACCOUNT_DAYS * DAY_MS)) return UNITS_LOW;
    return UNITS_FULL;
  }

  private score(observed: number, baseline: number): number {
    const expected = Math.max(1, baseline);
    if (observed < this.minAccounts || expected > observed) return 0;
    return ((observed - expected) * (observed - expected)) / expected;
  }

  /**
   * Observed (trust-weighted distinct accounts) for every window end e in [e0, E], then the decayed
   * peak over ends [firstEnd, E]. Cells [lo, hi) of the entry cover buckets [e0 - W, E).
   */
  private scoreEntry(entry: Entry, lo: number, hi: number, q: Query): Scored | null {
    let sketch = false;
    for (let i = lo; i < hi; i++) {
      if (entry.cells[i]!.sk !== null) {
        sketch = true;
        break;
      }
    }
    const n = q.E - q.e0 + 1;
    const observed = new Float64Array(n);
    const last = sketch
      ? this.windowsUnion(entry, lo, hi, q, observed)
      : this.windowsExact(entry, lo, hi, q, observed);
    if (last.total > 0 && last.restricted / last.total > RESTRICTED_SHARE_LIMIT) return null;
    let best = 0;
    for (let e = q.firstEnd; e <= q.E; e++) {
      const s = this.score(observed[e - q.e0]!, observed[e - this.W - q.e0]!);
      if (s <= 0) continue;
      const dt = Math.max(0, q.atMs - e * this.bucketMs);
      const v = s * 0.5 ** (dt / this.halfLifeMs);
      if (v > best) best = v;
    }
    if (best < this.minScore || best <= 0) return null;
    return { entry, score: best, accounts: Math.round(last.total), posts: last.posts, isNew: false };
  }

  /** All cells exact: one sliding pass, each cell entering and leaving the window once. */
  private windowsExact(entry: Entry, lo: number, hi: number, q: Query, observed: Float64Array): WindowStats {
    const { buckets, cells } = entry;
    const inWin = this.inWin;
    const trustOf = this.trustOf;
    const W = this.W;
    let sum = 0;
    let distinct = 0;
    let restricted = 0;
    let ai = lo;
    let ri = lo;
    for (let e = q.e0; e <= q.E; e++) {
      while (ai < hi && buckets[ai]! < e) {
        const c = cells[ai]!;
        const b = buckets[ai++]!;
        const ac = c.ac!;
        for (let j = 0; j < ac.length; j += 2) {
          const a = ac[j]!;
          const tr = this.trustUnits(a, b, q);
          if (inWin[a] === 0) {
            distinct++;
            if (tr === 0) restricted++;
            sum += tr;
          } else {
            sum += tr - trustOf[a]!;
          }
          trustOf[a] = tr;
          inWin[a]!++;
        }
      }
      while (ri < ai && buckets[ri]! < e - W) {
        const c = cells[ri++]!;
        const ac = c.ac!;
        for (let j = 0; j < ac.length; j += 2) {
          const a = ac[j]!;
          if (--inWin[a]! === 0) {
            distinct--;
            sum -= trustOf[a]!;
            if (trustOf[a] === 0) restricted--;
          }
        }
      }
      observed[e - q.e0] = sum / UNITS_FULL;
    }
    let posts = 0;
    for (let i = ri; i < ai; i++) {
      const c = cells[i]!;
      posts += c.posts;
      const ac = c.ac!;
      for (let j = 0; j < ac.length; j += 2) inWin[ac[j]!] = 0;
    }
    return { total: distinct, restricted, posts };
  }

  /**
   * Some cell is a sketch. Per window end: the union of the window's cells and its bottom-k sample.
   * - Registers: HyperLogLog union = register-wise max. Sliding max over the bucket positions with
   *   van Herk/Gil-Werman blocks of W positions (prefix maxima within each block, suffix maxima
   *   within each block): a window is one block suffix plus the next block's prefix, so each end
   *   costs one merge instead of W. Exact cells contribute their accounts' hashes.
   * - Sample: the SAMPLE_SIZE smallest sample hashes among the window's accounts. Every account whose
   *   hash is ≤ tau (the smallest k-th hash of the window's sketch cells) is in the sample or exact
   *   table of each cell it posted in, so the union's bottom-k, and whether each of its accounts still
   *   has a live post in the window (and in which latest bucket), are exact.
   */
  private windowsUnion(entry: Entry, lo: number, hi: number, q: Query, observed: Float64Array): WindowStats {
    const { buckets, cells } = entry;
    const W = this.W;
    const seed = this.seed;
    const base = q.e0 - W;
    const L = q.E - base;
    this.ensureBlocks(L);
    const prefix = this.prefix;
    const suffix = this.suffix;
    const regs = this.regs;
    // Cell index per position (-1: no cell); exact cells' accounts sorted by sample hash.
    const at = new Int32Array(L).fill(-1);
    const sortedIds: (Int32Array | null)[] = new Array(hi - lo).fill(null);
    const hashOf = this.hashOf;
    for (let i = lo; i < hi; i++) {
      at[buckets[i]! - base] = i;
      const c = cells[i]!;
      if (c.ac !== null) {
        const ac = c.ac;
        const ids = new Int32Array(ac.length >> 1);
        for (let j = 0; j < ids.length; j++) {
          const a = ac[j << 1]!;
          ids[j] = a;
          hashOf[a] = orderHash(a, seed);
        }
        ids.sort((x, y) => hashOf[x]! - hashOf[y]! || x - y);
        sortedIds[i - lo] = ids;
      }
    }
    for (let p = 0; p < L; p++) {
      const o = p * REGS;
      if (p % W === 0) prefix.fill(0, o, o + REGS);
      else prefix.copyWithin(o, o - REGS, o);
      if (at[p]! >= 0) this.mergeCell(prefix, o, cells[at[p]!]!);
    }
    for (let p = L - 1; p >= 0; p--) {
      const o = p * REGS;
      if (p % W === W - 1 || p === L - 1) suffix.fill(0, o, o + REGS);
      else suffix.copyWithin(o, o + REGS, o + 2 * REGS);
      if (at[p]! >= 0) this.mergeCell(suffix, o, cells[at[p]!]!);
    }

    const aliveB = this.aliveB;
    let lastStats: WindowStats = { total: 0, restricted: 0, posts: 0 };
    let from = lo;
    for (let e = q.e0; e <= q.E; e++) {
      while (from < hi && buckets[from]! < e - W) from++;
      let to = from;
      while (to < hi && buckets[to]! < e) to++;
      if (to === from) {
        observed[e - q.e0] = 0;
        if (e === q.E) lastStats = { total: 0, restricted: 0, posts: 0 };
        continue;
      }
      let tau = Number.POSITIVE_INFINITY;
      let hasSketch = false;
      for (let i = from; i < to; i++) {
        const c = cells[i]!;
        if (c.sk !== null) {
          hasSketch = true;
          const k = c.sk.tau;
          if (k < tau) tau = k;
        }
      }
      if (this.epoch >= 0x3fffffff) {
        this.stamp.fill(0);
        this.epoch = 0;
      }
      const epoch = ++this.epoch;
      const cand: number[] = [];
      let posts = 0;
      for (let i = from; i < to; i++) {
        const c = cells[i]!;
        const b = buckets[i]!;
        posts += c.posts;
        if (c.sk !== null) {
          const { sh, sid, scnt, sn } = c.sk;
          for (let j = 0; j < sn && sh[j]! <= tau; j++) this.candidate(sid[j]!, scnt[j]! > 0, b, epoch, cand);
        } else {
          const ids = sortedIds[i - lo]!;
          for (let j = 0; j < ids.length && hashOf[ids[j]!]! <= tau; j++) {
            this.candidate(ids[j]!, true, b, epoch, cand);
          }
        }
      }
      let sample = cand;
      if (hasSketch && cand.length > SAMPLE) {
        for (const a of cand) hashOf[a] = orderHash(a, seed);
        cand.sort((x, y) => hashOf[x]! - hashOf[y]! || x - y);
        sample = cand.slice(0, SAMPLE);
      }
      let alive = 0;
      let units = 0;
      let restricted = 0;
      for (const a of sample) {
        const b = aliveB[a]!;
        if (b < 0) continue;
        alive++;
        const tr = this.trustUnits(a, b, q);
        units += tr;
        if (tr === 0) restricted++;
      }
      let total: number;
      let obs: number;
      if (hasSketch && sample.length > 0) {
        const s = e - q.e0;
        const pre = (s + W - 1) * REGS;
        if (s % W === 0) {
          regs.set(prefix.subarray(pre, pre + REGS));
        } else {
          const suf = s * REGS;
          for (let j = 0; j < REGS; j++) {
            regs[j] = Math.max(prefix[pre + j]!, suffix[suf + j]!);
          }
        }
        const d = estimate(regs);
        total = (d * alive) / sample.length;
        obs = (d * units) / (UNITS_FULL * sample.length);
        restricted = alive > 0 ? (total * restricted) / alive : 0;
      } else {
        total = alive;
        obs = units / UNITS_FULL;
      }
      observed[e - q.e0] = obs;
      if (e === q.E) lastStats = { total, restricted, posts };
    }
    return lastStats;
  }

  private ensureBlocks(positions: number): void {
    const bytes = positions * REGS;
    if (this.prefix.length < bytes) {
      this.prefix = new Uint8Array(bytes);
      this.suffix = new Uint8Array(bytes);
    }
  }

  private mergeCell(dst: Uint8Array, o: number, c: Cell): void {
    if (c.sk !== null) {
      const r = c.sk.regs;
      for (let j = 0; j < REGS; j++) if (r[j]! > dst[o + j]!) dst[o + j] = r[j]!;
    } else {
      const ac = c.ac!;
      for (let j = 0; j < ac.length; j += 2) {
        const h = registerHash(ac[j]!, this.seed);
        const idx = o + (h >>> RANK_BITS);
        const w = (h << HLL_P) >>> 0;
        const rank = w === 0 ? RANK_BITS + 1 : Math.clz32(w) + 1;
        if (rank > dst[idx]!) dst[idx] = rank;
      }
    }
  }

  private candidate(a: number, alive: boolean, b: number, epoch: number, cand: number[]): void {
    if (this.stamp[a] !== epoch) {
      this.stamp[a] = epoch;
      this.aliveB[a] = alive ? b : -1;
      cand.push(a);
    } else if (alive && b > this.aliveB[a]!) {
      this.aliveB[a] = b;
    }
  }
}

interface Query {
  country: string;
  filter: TrendFilter;
  atMs: number;
  /** Window end bucket for `at` (exclusive). */
  E: number;
  /** First window end considered for the peak. */
  firstEnd: number;
  /** First window end whose observed value is needed (baseline of firstEnd). */
  e0: number;
}

interface WindowStats {
  total: number;
  restricted: number;
  posts: number;
}
