/**
 * The coordination detection engine (issue 5, parts 2–4): a pure, in-memory library. It consumes
 * accounts, posts and deletions (times in epoch ms, roughly in order), runs every co-activity detector
 * over its sliding window, fuses the traces into one weighted account graph, and clusters that graph
 * into campaigns with evidence. No I/O and no clock: time comes only from events and `now` arguments.
 *
 * Detectors and windows:
 * - near-duplicate text (MinHash + LSH + exact Jaccard ≥ 0.8, posts of ≥ 5 tokens), `textWindowMs`;
 * - identical ordered hashtag sequences of ≥ 3 tags under matchKey, `sequenceWindowMs`;
 * - co-posting bursts on the same canonical URL or the same tag, `burstWindowMs`;
 * - co-repost, co-quote and co-reply of the same post, `coActivityWindowMs`; co-reposts inside a
 *   repost burst (≥ `repostBurstAccounts` accounts within `burstWindowMs`) count a second object.
 *
 * Edges are distinct shared objects per pair (see edges.ts); edges of weight ≥ `strongWeight` (2)
 * form the graph that is clustered (components, then Louvain). A campaign is flagged for review when its
 * members' posts coincide far more than a time-shift null model allows (p ≤ `maxPValue`) and its
 * evidence reads as inauthentic (young or bare accounts, templates, deletions; see `inauthenticity`).
 * Benign coordination (fan drives, syndicated news, grassroots copy-paste) clusters too but is meant
 * to stay below that bar: findings are for reviewers, never automatic action.
 *
 * Memory: posts (24 h) in typed arrays, texts only for `textWindowMs`, objects only for their window,
 * edges idle past 24 h dropped (and capped at `maxEdges`), evidence samples capped per account.
 */

import { Rng } from "../demo/random.ts";
import { matchKey } from "../hashtags/normalize.ts";
import { extractHashtagsFast } from "../ingest/extract.ts";
import {
  absorbFragments,
  louvainCommunities,
  MIN_COMMUNITY,
  timeShiftSignificance,
  type WeightedEdge,
} from "./cluster.ts";
import { ObjectWindow } from "./cotrace.ts";
import {
  EdgeStore,
  TRACE_QUOTE,
  TRACE_REPLY,
  TRACE_REPOST,
  TRACE_REPOST_BURST,
  TRACE_SEQUENCE,
  TRACE_TAG,
  TRACE_TEXT,
  TRACE_URL,
} from "./edges.ts";
import { hash32, hash32Joined } from "./hash.ts";
import { NearDuplicateIndex } from "./neardup.ts";
import { POST_COORDINATED, POST_DELETED, PostIndex } from "./posts.ts";
import { type AccountProfile, type Activity, botScore, recordPost } from "./signals.ts";
import { lastShingles, textShinglesInto } from "./textsig.ts";
import type {
  AccountReport,
  AccountStatistics,
  BotScore,
  Campaign,
  CampaignLink,
  CampaignMember,
  CampaignSignal,
  DetectAccount,
  DetectPost,
  FlaggedAccount,
  SharedObject,
  Significance,
  TimeProfile,
  TraceKind,
} from "./types.ts";
import { canonicalUrl, urlsIn } from "./urls.ts";

export interface DetectionOptions {
  /** Seed of every random choice (Louvain, null model). */
  seed?: string;
  /**
   * Windows of the near-duplicate text and hashtag-sequence detectors (default 30 min each): a
   * campaign posting in waves every ~30 min needs the previous wave's posts still in the window. On
   * the bench, 10 → 30 min moved 32 → 34 of 36 cells at hard-negative FPR 0.05% → 0.09%.
   */
  textWindowMs?: number;
  sequenceWindowMs?: number;
  /** Window of co-posting bursts on one URL or tag (default 60 s). */
  burstWindowMs?: number;
  /**
   * Window of co-repost, co-quote and co-reply of one post (default 10 min): amplifiers of a
   * campaign repost its posts over minutes, not seconds. On the bench, 60 s → 10 min moved 35 → 36
   * of 36 cells, recall 0.945 → 0.955, hard-negative FPR unchanged (0.18%).
   */
  coActivityWindowMs?: number;
  /**
   * Accounts (the reposter included) that must repost one post within `burstWindowMs` for the
   * co-reposts to count as a burst, a second shared object on top of the co-repost (default 5). A
   * campaign whose first wave is a repost of a seed post is then one community after that wave
   * instead of after its second. On the bench: campaigns 80% flagged within 10 min of their 5th post
   * 9 → 12 of 72 (ceiling 17), background accounts flagged 0 → 6 (they reposted a campaign's seed
   * inside its burst), hard-negative FPR 0% both ways; on seed alt-seed-7 35 → 36 of 36 cells and
   * 9 → 10 of 72 (ceiling 12). 4 gave the same 12 of 72 with one more false positive.
   */
  repostBurstAccounts?: number;
  retentionMs?: number;
  /**
   * Weight at which a pair's edge is strong and enters clustering (default 2). Each distinct shared
   * object counts 1 (text template, hashtag sequence, URL, repost, quote) or 0.5 (a single tag, a
   * co-reply), so one post that repeats a template's text and its tag sequence already ties two
   * accounts: a campaign is seen in its first wave instead of its second or third. Whether a
   * community is a campaign stays with the null model and the inauthenticity score. On the bench,
   * 3 → 2: 36 of 36 cells both ways, recall 0.955 → 0.991, hard-negative FPR 0.18% → 0%, campaigns
   * 80% flagged within 10 min of their 5th post 4 → 9 of 72 (17 is the most possible); on seed
   * alt-seed-7, 35 of 36 both ways (the easy cell at F1 0.865 → 0.946), the same 4 → 9.
   */
  strongWeight?: number;
  maxEdges?: number;
  /** Significance level of the time-shift null model. */
  maxPValue?: number;
  /** Inauthenticity score at or above which a significant campaign is flagged. */
  flagScore?: number;
  /** Re-cluster only the components that changed since the last pass (default true). */
  incremental?: boolean;
  /**
   * Strong edges inside a flagged campaign a member needs to be flagged itself (default 1: every
   * member of a flagged campaign, since a flagged campaign goes to a reviewer, not to enforcement).
   * 2 keeps only members tied twice: on the bench (with 30-minute windows) 35 → 32 cells, recall
   * 0.945 → 0.927, hard-negative FPR 0.18% → 0.09%.
   */
  minPartners?: number;
}

const DAY_MS = 86_400_000;
const NO_TAGS: readonly string[] = [];
/** Windows are swept every minute of event time; the 24-h state every ten minutes. */
const SWEEP_EVERY_MS = 60_000;
const RETENTION_SWEEP_EVERY_MS = 600_000;
/** Trace weights: strong traces count 1 per shared object; single tags and co-replies 0.5. */
const TRACE_WEIGHT: Record<number, number> = {
  [TRACE_TEXT]: 1,
  [TRACE_SEQUENCE]: 1,
  [TRACE_URL]: 1,
  [TRACE_TAG]: 0.5,
  [TRACE_REPOST]: 1,
  [TRACE_REPOST_BURST]: 1,
  [TRACE_QUOTE]: 1,
  [TRACE_REPLY]: 0.5,
};
const TRACE_NAMES: [number, TraceKind][] = [
  [TRACE_TEXT, "text"],
  [TRACE_SEQUENCE, "sequence"],
  [TRACE_URL, "url"],
  [TRACE_TAG, "tag"],
  [TRACE_REPOST, "repost"],
  [TRACE_REPOST_BURST, "repostBurst"],
  [TRACE_QUOTE, "quote"],
  [TRACE_REPLY, "reply"],
];
/**
 * Object keys: the trace kind above a 30-bit hash of the object. Windows key objects by the 30-bit
 * hash alone (a small integer: fast Map keys); each kind has its own windows.
 */
const KIND_SHIFT = 2 ** 30;
const objectKey = (kind: number, hash: number): number => kind * KIND_SHIFT + (hash & 0x3fffffff);
const kindOf = (key: number): number => Math.floor(key / KIND_SHIFT);
/** The label and key of a shared object, as reviewers see them. */
function objectLabel(kind: number, id: string, written: readonly string[] | null, time: number): ObjectLabel {
  switch (kind) {
    case TRACE_SEQUENCE:
      return { label: (written ?? []).map((t) => `#${t}`).join(" "), key: id, last: time };
    case TRACE_TAG:
      return { label: `#${id}`, key: id, last: time };
    case TRACE_REPOST:
      return { label: id, key: `r:${id}`, last: time };
    case TRACE_QUOTE:
      return { label: id, key: `q:${id}`, last: time };
    case TRACE_REPLY:
      return { label: id, key: `c:${id}`, last: time };
    default:
      return { label: id, key: id, last: time };
  }
}
/** Evidence kept per account: objects it co-acted on, and times of its coordinated posts. */
const OBJECTS_PER_ACCOUNT = 24;
const TIMES_PER_ACCOUNT = 16;
/** Members sampled for the significance test, and rounds of the null model. */
const SIGNIFICANCE_MEMBERS = 60;
const NULL_ROUNDS = 40;
/** A community's evidence is reused while unchanged, for at most this long (ages move on). */
const EVIDENCE_TTL_MS = 30 * 60_000;
/** Edges kept in a campaign's evidence for the reviewers' graph. */
const MAX_CAMPAIGN_LINKS = 1_000;
/** Pending deletes of posts not yet seen, at most. */
const MAX_PENDING_DELETES = 10_000;

/**
 * Co-action state of every account, in typed arrays indexed by account (no object or typed array per
 * account, and one cache line to touch per co-action): four counters per account (its row in the
 * slab, -1 until its first co-action; coordinated posts; deleted coordinated posts; objects noted),
 * and per co-acting account a slab row: the ring of the times of its recent coordinated posts, then
 * the keys of the shared objects it co-acted on (at most OBJECTS_PER_ACCOUNT).
 */
const COUNTERS = 4;
const C_ROW = 0;
const C_POSTS = 1;
const C_DELETED = 2;
const C_OBJECTS = 3;
const SLAB_ROW = TIMES_PER_ACCOUNT + OBJECTS_PER_ACCOUNT;
/** Slab rows per chunk (chunks are never copied or moved: views into them stay valid). */
const SLAB_CHUNK_BITS = 10;
const SLAB_CHUNK = 1 << SLAB_CHUNK_BITS;

class CoactionTable {
  counters = new Int32Array(1024 * COUNTERS);
  readonly chunks: Float64Array[] = [];
  private rows = 0;

  /** Makes room for the counters of account `index` (a new account has no row). */
  ensure(index: number): void {
    if ((index + 1) * COUNTERS > this.counters.length) {
      const grown = new Int32Array(this.counters.length * 2);
      grown.set(this.counters);
      this.counters = grown;
    }
    this.counters[index * COUNTERS + C_ROW] = -1;
  }

  /** The slab row of an account (allocated on its first co-action). */
  row(index: number): number {
    const row = this.counters[index * COUNTERS + C_ROW]!;
    if (row >= 0) return row;
    if (this.rows === this.chunks.length * SLAB_CHUNK)
      this.chunks.push(new Float64Array(SLAB_CHUNK * SLAB_ROW));
    const at = (this.rows & (SLAB_CHUNK - 1)) * SLAB_ROW;
    this.chunks[this.rows >>> SLAB_CHUNK_BITS]!.fill(Number.NaN, at, at + TIMES_PER_ACCOUNT);
    this.counters[index * COUNTERS + C_ROW] = this.rows;
    return this.rows++;
  }

  /** Bytes held by the slab. */
  get bytes(): number {
    return this.chunks.length * SLAB_CHUNK * SLAB_ROW * 8 + this.counters.byteLength;
  }

  noteCoordinatedPost(index: number, time: number): void {
    const row = this.row(index);
    const posts = this.counters[index * COUNTERS + C_POSTS]!;
    this.chunks[row >>> SLAB_CHUNK_BITS]![(row & (SLAB_CHUNK - 1)) * SLAB_ROW + (posts % TIMES_PER_ACCOUNT)] =
      time;
    this.counters[index * COUNTERS + C_POSTS] = posts + 1;
  }

  noteObject(index: number, key: number): void {
    const n = this.counters[index * COUNTERS + C_OBJECTS]!;
    if (n === OBJECTS_PER_ACCOUNT) {
      this.row(index);
      return;
    }
    const row = this.row(index);
    const slab = this.chunks[row >>> SLAB_CHUNK_BITS]!;
    const at = (row & (SLAB_CHUNK - 1)) * SLAB_ROW + TIMES_PER_ACCOUNT;
    for (let i = 0; i < n; i++) if (slab[at + i] === key) return;
    slab[at + n] = key;
    this.counters[index * COUNTERS + C_OBJECTS] = n + 1;
  }

  /** The times of the recent coordinated posts of a row's account (ring order, unset ones skipped). */
  recentTimes(row: number): number[] {
    const slab = this.chunks[row >>> SLAB_CHUNK_BITS]!;
    const times: number[] = [];
    for (let i = (row & (SLAB_CHUNK - 1)) * SLAB_ROW, end = i + TIMES_PER_ACCOUNT; i < end; i++) {
      const t = slab[i]!;
      if (!Number.isNaN(t)) times.push(t);
    }
    return times;
  }

  /** A view of a row's object keys. */
  objectsOf(row: number): Float64Array {
    const at = (row & (SLAB_CHUNK - 1)) * SLAB_ROW + TIMES_PER_ACCOUNT;
    return this.chunks[row >>> SLAB_CHUNK_BITS]!.subarray(at, at + OBJECTS_PER_ACCOUNT);
  }
}

class AccountState implements AccountProfile, Activity {
  handle = "";
  createdAt = Number.NaN;
  hasAvatar = true;
  bio = "";
  followers = 0;
  following = 0;
  verified = false;
  known = false;
  posts = 0;
  firstPostAt = 0;
  lastPostAt = 0;
  intervals = 0;
  intervalMean = 0;
  intervalSquareMean = 0;
  private objectsView: Float64Array | null = null;

  constructor(
    readonly id: string,
    private readonly index: number,
    private readonly table: CoactionTable,
  ) {}

  get coordinatedPosts(): number {
    return this.table.counters[this.index * COUNTERS + C_POSTS]!;
  }

  get coordinatedDeleted(): number {
    return this.table.counters[this.index * COUNTERS + C_DELETED]!;
  }

  set coordinatedDeleted(n: number) {
    this.table.counters[this.index * COUNTERS + C_DELETED] = n;
  }

  /** Number of keys in `objects`. */
  get objectCount(): number {
    return this.table.counters[this.index * COUNTERS + C_OBJECTS]!;
  }

  /** Keys of the shared objects co-acted on (null before the first co-action). */
  get objects(): Float64Array | null {
    const row = this.table.counters[this.index * COUNTERS + C_ROW]!;
    if (row < 0) return null;
    if (this.objectsView === null) this.objectsView = this.table.objectsOf(row);
    return this.objectsView;
  }

  noteCoordinatedPost(time: number): void {
    this.table.noteCoordinatedPost(this.index, time);
  }

  noteObject(key: number): void {
    this.table.noteObject(this.index, key);
  }

  recentCoordinatedTimes(): number[] {
    const row = this.table.counters[this.index * COUNTERS + C_ROW]!;
    return row < 0 ? [] : this.table.recentTimes(row);
  }
}

interface ObjectLabel {
  label: string;
  key: string;
  last: number;
}

/** A connected component of the strong graph and its Louvain communities of ≥ MIN_COMMUNITY accounts. */
interface Component {
  id: number;
  nodes: number[];
  communities: number[][];
}

/** One clustering pass: communities with their evidence, and who belongs where. */
interface ClusteringResult {
  at: number;
  campaigns: Campaign[];
  memberOf: Map<number, { campaign: Campaign; member: CampaignMember }>;
}

/** Sizes of the engine's state. */
export interface EngineStats {
  accounts: number;
  posts: number;
  postBytes: number;
  texts: number;
  lshBuckets: number;
  sequences: number;
  links: number;
  tags: number;
  targets: number;
  edges: number;
  strongEdges: number;
  labels: number;
}

export class DetectionEngine {
  readonly seed: string;
  readonly options: Required<DetectionOptions>;
  private readonly accountIndex = new Map<string, number>();
  private readonly accounts: AccountState[] = [];
  private readonly coactions = new CoactionTable();
  /** Gaps between a post and its partners (scratch of `coactAll`). */
  private readonly gaps = new Float64Array(32);
  private readonly burstOthers = new Int32Array(32);
  private readonly burstGaps = new Float64Array(32);
  private readonly posts: PostIndex;
  private readonly texts: NearDuplicateIndex;
  private readonly sequences: ObjectWindow;
  private readonly links: ObjectWindow;
  private readonly tags: ObjectWindow;
  private readonly targets: ObjectWindow;
  readonly edges: EdgeStore;
  private readonly labels = new Map<number, ObjectLabel>();
  private readonly pendingDeletes = new Map<string, number>();
  private readonly firstFlagged = new Map<number, { at: number; campaignId: string }>();
  /** Components of the strong graph (≥ 2 accounts) by smallest account, and each account's component. */
  private readonly components = new Map<number, Component>();
  private readonly componentOf = new Map<number, Component>();
  private readonly significanceCache = new Map<string, Significance>();
  private evidenceCache = new Map<string, { at: number; campaign: Campaign }>();
  private campaignIds = 0;
  private latest = -Infinity;
  private lastSweep = -Infinity;
  private lastRetentionSweep = -Infinity;
  private clustering: ClusteringResult | null = null;

  constructor(options: DetectionOptions = {}) {
    this.options = {
      seed: options.seed ?? "vigil-detect",
      textWindowMs: options.textWindowMs ?? 1_800_000,
      sequenceWindowMs: options.sequenceWindowMs ?? 1_800_000,
      burstWindowMs: options.burstWindowMs ?? 60_000,
      coActivityWindowMs: options.coActivityWindowMs ?? 600_000,
      repostBurstAccounts: options.repostBurstAccounts ?? 5,
      retentionMs: options.retentionMs ?? DAY_MS,
      strongWeight: options.strongWeight ?? 2,
      maxEdges: options.maxEdges ?? 4_000_000,
      maxPValue: options.maxPValue ?? 0.05,
      flagScore: options.flagScore ?? 0.5,
      incremental: options.incremental ?? true,
      minPartners: options.minPartners ?? 1,
    };
    this.seed = this.options.seed;
    this.posts = new PostIndex(this.options.retentionMs);
    this.texts = new NearDuplicateIndex(this.options.textWindowMs);
    this.sequences = new ObjectWindow(this.options.sequenceWindowMs);
    this.links = new ObjectWindow(this.options.burstWindowMs);
    this.tags = new ObjectWindow(this.options.burstWindowMs);
    this.targets = new ObjectWindow(this.options.coActivityWindowMs);
    this.edges = new EdgeStore(this.options.strongWeight, this.options.retentionMs, this.options.maxEdges);
  }

  /** Sizes of the internal windows (for tests and the memory benchmark). */
  stats(): EngineStats {
    return {
      accounts: this.accounts.length,
      posts: this.posts.size,
      postBytes: this.posts.bytes,
      texts: this.texts.size,
      lshBuckets: this.texts.bucketCount,
      sequences: this.sequences.size,
      links: this.links.size,
      tags: this.tags.size,
      targets: this.targets.size,
      edges: this.edges.size,
      strongEdges: this.edges.strongCount,
      labels: this.labels.size,
    };
  }

  observeAccount(a: DetectAccount): void {
    const s = this.accounts[this.intern(a.id)]!;
    s.handle = a.handle;
    s.createdAt = a.createdAt;
    s.hasAvatar = a.hasAvatar;
    s.bio = a.bio;
    s.followers = a.followers;
    s.following = a.following;
    s.verified = a.verified;
    s.known = true;
  }

  /** Runs every detector on one post. A redelivered post id is ignored. */
  observePost(p: DetectPost): void {
    const time = p.createdAt;
    const urlList = p.urls;
    const text = p.text;
    const author = this.intern(p.authorId);
    const seq = this.posts.add(p.id, author, time);
    if (seq === 0) return;
    if (time > this.latest) this.latest = time;
    if (this.latest - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(this.latest);
    const account = this.accounts[author]!;
    recordPost(account, time);
    const hasText = text.length > 0;

    if (hasText && p.repostOf === null) {
      const count = textShinglesInto(p.text);
      if (count >= 0) {
        const texts = this.texts;
        const template = texts.addRange(lastShingles(), count, author, seq, time);
        if (texts.matchCount > 0) {
          const key = objectKey(TRACE_TEXT, template);
          if (!this.labels.has(key))
            this.labels.set(key, { label: p.text, key: `template-${template}`, last: time });
          this.coactAll(
            author,
            seq,
            time,
            key,
            TRACE_TEXT,
            1,
            texts.matchAuthors,
            texts.matchSeqs,
            texts.matchTimes,
            texts.matchCount,
          );
        }
      }
    }

    const written = p.hashtags ?? (p.repostOf === null ? extractHashtagsFast(p.text) : NO_TAGS);
    if (written.length > 0) {
      const keys: string[] = [];
      for (const tag of written) {
        const k = matchKey(tag);
        if (k !== "" && !keys.includes(k)) keys.push(k);
      }
      // The sequence's key is its tags joined by spaces: hashed without building the string.
      if (keys.length >= 3)
        this.share(
          this.sequences,
          TRACE_SEQUENCE,
          hash32Joined(keys, TRACE_SEQUENCE),
          keys,
          written,
          author,
          seq,
          time,
        );
      for (const k of keys)
        this.share(this.tags, TRACE_TAG, hash32(k, TRACE_TAG), k, null, author, seq, time);
    }

    const urls = urlList.length > 0 ? urlList : urlsIn(text);
    for (let i = 0; i < urls.length; i++) {
      const url = canonicalUrl(urls[i]!);
      if (url !== "" && (i === 0 || urls.indexOf(urls[i]!) === i))
        this.share(this.links, TRACE_URL, hash32(url, TRACE_URL), url, null, author, seq, time);
    }
    const { repostOf, quoteOf, replyTo } = p;
    if (repostOf !== null)
      this.share(
        this.targets,
        TRACE_REPOST,
        hash32(repostOf, TRACE_REPOST),
        repostOf,
        null,
        author,
        seq,
        time,
      );
    if (quoteOf !== null)
      this.share(this.targets, TRACE_QUOTE, hash32(quoteOf, TRACE_QUOTE), quoteOf, null, author, seq, time);
    if (replyTo !== null)
      this.share(this.targets, TRACE_REPLY, hash32(replyTo, TRACE_REPLY), replyTo, null, author, seq, time);

    if (this.pendingDeletes.size > 0) {
      const pendingAt = this.pendingDeletes.get(p.id);
      if (pendingAt !== undefined) {
        this.pendingDeletes.delete(p.id);
        this.deletePost(p.id, pendingAt);
      }
    }
  }

  /** Records a deletion; a delete that arrives before its post is applied when the post comes. */
  deletePost(id: string, at: number): void {
    const seq = this.posts.find(id);
    if (seq === 0) {
      if (this.pendingDeletes.size >= MAX_PENDING_DELETES) {
        this.pendingDeletes.delete(this.pendingDeletes.keys().next().value!);
      }
      this.pendingDeletes.set(id, at);
      return;
    }
    const flags = this.posts.flags(seq);
    if (flags & POST_DELETED) return;
    this.posts.setFlag(seq, POST_DELETED);
    if (flags & POST_COORDINATED) this.accounts[this.posts.author(seq)]!.coordinatedDeleted++;
  }

  /** The bot-likelihood score of an account as of `now` (default: the latest event time). */
  accountScore(accountId: string, now = this.latest): AccountReport | null {
    const index = this.accountIndex.get(accountId);
    if (index === undefined) return null;
    const member = this.clustering?.memberOf.get(index);
    return {
      accountId,
      ...this.botScoreOf(index, now),
      coordination: this.coordinationOf(accountId),
      campaignId: member?.campaign.id ?? null,
    };
  }

  /**
   * How coordinated an account is, in [0, 1], from the latest clustering (computed at the latest event
   * time if none is recent): its member score times its campaign's inauthenticity score; 0 outside
   * any campaign. Trends can weigh an account's contribution by (1 − coordinationOf).
   */
  coordinationOf(accountId: string): number {
    const index = this.accountIndex.get(accountId);
    if (index === undefined) return 0;
    const clustering = this.currentClustering();
    const entry = clustering.memberOf.get(index);
    return entry ? entry.member.score * entry.campaign.inauthenticity.score : 0;
  }

  /** Campaigns (communities of ≥ 5 accounts) as of `now`, flagged ones first, then by size. */
  campaigns(now = this.latest): Campaign[] {
    return this.cluster(now).campaigns;
  }

  /** Accounts reviewers should see: flagged members of flagged campaigns, with when each was first flagged. */
  flagged(now = this.latest): FlaggedAccount[] {
    const out: FlaggedAccount[] = [];
    for (const c of this.cluster(now).campaigns) {
      if (!c.flagged) continue;
      for (const m of c.members) {
        if (!m.flagged) continue;
        const index = this.accountIndex.get(m.accountId)!;
        out.push({
          accountId: m.accountId,
          campaignId: c.id,
          firstFlaggedAt: this.firstFlagged.get(index)!.at,
          score: m.score,
        });
      }
    }
    return out;
  }

  private intern(id: string): number {
    let index = this.accountIndex.get(id);
    if (index === undefined) {
      index = this.accounts.length;
      this.accountIndex.set(id, index);
      this.coactions.ensure(index);
      this.accounts.push(new AccountState(id, index, this.coactions));
    }
    return index;
  }

  private botScoreOf(index: number, now: number): BotScore {
    const a = this.accounts[index]!;
    return botScore(a, a, now);
  }

  /**
   * Records an action on a shared object and the co-actions it forms with recent actions by others.
   * `hash` is the object's 32-bit hash (each kind hashes with its own seed, so one post id is three
   * distinct objects: repost, quote, reply); `id` its comparison key (a tag, canonical URL or post id;
   * for a sequence, its matchKeys, joined by spaces). The object's label is built only when the
   * object first pairs (`written`: the tags as written, for a sequence).
   */
  private share(
    window: ObjectWindow,
    kind: number,
    hash: number,
    id: string | readonly string[],
    written: readonly string[] | null,
    author: number,
    seq: number,
    time: number,
  ): void {
    const weight = window.pair(hash & 0x3fffffff, author, seq, time) * TRACE_WEIGHT[kind]!;
    const found = window.foundCount;
    if (found === 0) return;
    const okey = objectKey(kind, hash);
    const known = this.labels.get(okey);
    if (known) known.last = time;
    else this.labels.set(okey, objectLabel(kind, typeof id === "string" ? id : id.join(" "), written, time));
    this.coactAll(
      author,
      seq,
      time,
      okey,
      kind,
      weight,
      window.foundAccounts,
      window.foundSeqs,
      window.foundTimes,
      found,
    );
  }

  /**
   * The co-actions of a post (`author`, `seq`, `time`) with `count` earlier actions on the same object
   * (`key`, trace `kind`, `weight`) by others: `others[i]`, post `otherSeqs[i]` at `otherTimes[i]`. Per
   * pair an edge (edges.ts); both posts are marked coordinated and the object noted for both accounts.
   * (One call per object, so no number is boxed per pair.)
   */
  private coactAll(
    author: number,
    seq: number,
    time: number,
    key: number,
    kind: number,
    weight: number,
    others: Int32Array,
    otherSeqs: Int32Array,
    otherTimes: Float64Array,
    count: number,
  ): void {
    const gaps = this.gaps;
    for (let i = 0; i < count; i++) gaps[i] = Math.abs(time - otherTimes[i]!);
    this.edges.addAll(author, others, gaps, count, key, weight, kind, time);
    if (kind === TRACE_REPOST) this.repostBurst(author, time, key, weight, others, count);
    const posts = this.posts;
    const table = this.coactions;
    if ((posts.flags(seq) & POST_COORDINATED) === 0) {
      posts.setFlag(seq, POST_COORDINATED);
      table.noteCoordinatedPost(author, time);
    }
    for (let i = 0; i < count; i++) {
      const otherSeq = otherSeqs[i]!;
      if (posts.has(otherSeq) && (posts.flags(otherSeq) & POST_COORDINATED) === 0) {
        posts.setFlag(otherSeq, POST_COORDINATED);
        table.noteCoordinatedPost(others[i]!, otherTimes[i]!);
      }
    }
    table.noteObject(author, key);
    for (let i = 0; i < count; i++) table.noteObject(others[i]!, key);
  }

  /**
   * Co-reposts of one post within `burstWindowMs` count as a second shared object when at least
   * `repostBurstAccounts` accounts repost it inside that window: many accounts reposting the same post
   * within seconds is a co-posting burst, like the same URL or tag within seconds. It carries the
   * repost's viral down-weighting: past `viralAccounts` (200) reposts in the co-activity window, repost
   * and burst together weigh less than 2, so a viral post's crowd stops forming strong edges. The
   * burst object has its own mask bit (the repost key's bits rotated) and adds weight only, not
   * co-actions.
   */
  private repostBurst(
    author: number,
    time: number,
    key: number,
    weight: number,
    others: Int32Array,
    count: number,
  ): void {
    const needed = this.options.repostBurstAccounts - 1;
    if (count < needed) return;
    const gaps = this.gaps;
    const burstOthers = this.burstOthers;
    const burstGaps = this.burstGaps;
    const windowMs = this.options.burstWindowMs;
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (gaps[i]! > windowMs) continue;
      burstOthers[n] = others[i]!;
      burstGaps[n] = gaps[i]!;
      n++;
    }
    if (n < needed) return;
    const hash = key & 0x3fffffff;
    const rotated = ((hash >>> 5) | ((hash & 31) << 25)) & 0x3fffffff;
    this.edges.addAll(
      author,
      burstOthers,
      burstGaps,
      n,
      objectKey(TRACE_REPOST_BURST, rotated),
      weight,
      TRACE_REPOST_BURST,
      time,
      false,
    );
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    this.texts.sweep(now);
    this.sequences.sweep(now);
    this.links.sweep(now);
    this.tags.sweep(now);
    this.targets.sweep(now);
    if (now - this.lastRetentionSweep < RETENTION_SWEEP_EVERY_MS) return;
    this.lastRetentionSweep = now;
    this.edges.sweep(now);
    const cutoff = now - this.options.retentionMs;
    this.labels.forEach((label, key) => {
      if (label.last < cutoff) this.labels.delete(key);
    });
  }

  private currentClustering(): ClusteringResult {
    if (this.clustering === null || this.latest - this.clustering.at > 5 * 60_000)
      return this.cluster(this.latest);
    return this.clustering;
  }

  /**
   * Clusters the strong graph and builds each community's evidence. Incremental: only the components
   * holding an account whose strong edges changed since the last pass are recomputed (components by
   * breadth-first search over the strong adjacency, then Louvain); every other component keeps its
   * split. Evidence is reused per community while its key (members, edge weight, posts) is unchanged,
   * for at most `EVIDENCE_TTL_MS`. With `incremental: false` every pass recomputes every component
   * (same result: Louvain is seeded per component and fed in sorted order).
   */
  private cluster(now: number): ClusteringResult {
    const previous = this.clustering;
    if (previous && previous.at === now) return previous;
    const dirty = this.edges.takeDirty();
    if (!this.options.incremental) {
      for (const component of this.components.values()) for (const n of component.nodes) dirty.add(n);
      this.components.clear();
      this.componentOf.clear();
    }
    // Drop the components touched by a change; re-explore from their nodes and the dirty accounts.
    const seeds: number[] = [];
    for (const n of dirty) {
      const component = this.componentOf.get(n);
      if (component !== undefined && this.components.get(component.id) === component) {
        this.components.delete(component.id);
        for (const m of component.nodes) {
          this.componentOf.delete(m);
          seeds.push(m);
        }
      }
      seeds.push(n);
    }
    const seen = new Set<number>();
    for (const seed of seeds) {
      if (seen.has(seed) || this.edges.strongEdgesOf(seed).length === 0) continue;
      const nodes = [seed];
      seen.add(seed);
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        for (const slot of this.edges.strongEdgesOf(n)) {
          const m = this.edges.other(slot, n);
          if (!seen.has(m)) {
            seen.add(m);
            nodes.push(m);
          }
        }
      }
      nodes.sort((x, y) => x - y);
      const component: Component = { id: nodes[0]!, nodes, communities: [] };
      if (nodes.length >= MIN_COMMUNITY) {
        const inside: WeightedEdge[] = [];
        for (const n of nodes)
          for (const slot of this.edges.strongEdgesOf(n))
            if (this.edges.a[slot] === n)
              inside.push({ a: n, b: this.edges.b[slot]!, weight: this.edges.weight[slot]! });
        for (const c of absorbFragments(louvainCommunities(nodes, inside, this.seed), inside))
          if (c.length >= MIN_COMMUNITY) component.communities.push(c);
      }
      this.components.set(component.id, component);
      for (const n of nodes) this.componentOf.set(n, component);
    }
    const communities: number[][] = [];
    for (const component of this.components.values())
      for (const c of component.communities) communities.push(c);

    const campaigns: Campaign[] = [];
    const memberOf = new Map<number, { campaign: Campaign; member: CampaignMember }>();
    const previousIds = previous?.memberOf;
    const takenIds = new Set<string>();
    communities.sort((x, y) => x[0]! - y[0]!);
    const evidenceCache = new Map<string, { at: number; campaign: Campaign }>();
    for (const members of communities) {
      const key = this.communityKey(members);
      const cached = this.evidenceCache.get(key);
      const fresh = cached !== undefined && now >= cached.at && now - cached.at < EVIDENCE_TTL_MS;
      const campaign = fresh ? cached.campaign : this.evidence(members, now);
      evidenceCache.set(key, fresh ? cached : { at: now, campaign });
      campaign.id = this.campaignId(members, previousIds, takenIds);
      // (A reused campaign's members are already sorted by score: map them by id, not position.)
      for (const member of campaign.members)
        memberOf.set(this.accountIndex.get(member.accountId)!, { campaign, member });
      campaign.members.sort((x, y) => y.score - x.score || (x.accountId < y.accountId ? -1 : 1));
      campaigns.push(campaign);
    }
    for (const c of campaigns) {
      if (!c.flagged) continue;
      for (const m of c.members) {
        if (!m.flagged) continue;
        const index = this.accountIndex.get(m.accountId)!;
        if (!this.firstFlagged.has(index)) this.firstFlagged.set(index, { at: now, campaignId: c.id });
      }
    }
    campaigns.sort(
      (x, y) => Number(y.flagged) - Number(x.flagged) || y.size - x.size || (x.id < y.id ? -1 : 1),
    );
    this.evidenceCache = evidenceCache;
    this.clustering = { at: now, campaigns, memberOf };
    return this.clustering;
  }

  /** Changes whenever a community's members, strong edges or coordinated posts change. */
  private communityKey(members: number[]): string {
    let weight = 0;
    let posts = 0;
    for (const m of members) {
      for (const slot of this.edges.strongEdgesOf(m)) weight += this.edges.weight[slot]!;
      const a = this.accounts[m]!;
      posts += a.coordinatedPosts * 31 + a.coordinatedDeleted;
    }
    return `${hash32(members.join(","))}:${members.length}:${weight.toFixed(2)}:${posts}`;
  }

  /** Reuses the id of the previous campaign holding most of these members (if ≥ half), else a new one. */
  private campaignId(
    members: number[],
    previous: Map<number, { campaign: Campaign }> | undefined,
    taken: Set<string>,
  ): string {
    if (previous) {
      const votes = new Map<string, number>();
      for (const m of members) {
        const id = previous.get(m)?.campaign.id;
        if (id !== undefined) votes.set(id, (votes.get(id) ?? 0) + 1);
      }
      let best: string | null = null;
      let bestVotes = 0;
      for (const [id, n] of votes)
        if (n > bestVotes || (n === bestVotes && best !== null && id < best)) [best, bestVotes] = [id, n];
      if (best !== null && bestVotes * 2 >= members.length && !taken.has(best)) {
        taken.add(best);
        return best;
      }
    }
    const id = `campaign-${++this.campaignIds}`;
    taken.add(id);
    return id;
  }

  private evidence(members: number[], now: number): Campaign {
    const inCampaign = new Set(members);
    const n = members.length;
    let edgeCount = 0;
    let totalWeight = 0;
    const traces: Partial<Record<TraceKind, number>> = {};
    const gaps: number[] = [];
    const strength = new Float64Array(n);
    const partners = new Int32Array(n);
    const position = new Map(members.map((m, i) => [m, i]));
    const edges = this.edges;
    const linkSlots: number[] = [];
    for (const m of members) {
      for (const slot of edges.strongEdgesOf(m)) {
        if (edges.a[slot] !== m || !inCampaign.has(edges.b[slot]!)) continue;
        const weight = edges.weight[slot]!;
        linkSlots.push(slot);
        edgeCount++;
        totalWeight += weight;
        const kinds = edges.kinds[slot]!;
        for (const [bit, name] of TRACE_NAMES) if (kinds & bit) traces[name] = (traces[name] ?? 0) + 1;
        gaps.push(edges.sumGapMs[slot]! / Math.max(1, edges.coactions[slot]!));
        for (const x of [m, edges.b[slot]!]) {
          const i = position.get(x)!;
          strength[i]! += weight;
          partners[i]!++;
        }
      }
    }

    // Shared objects: how many members co-acted on each.
    const objectAccounts = new Map<number, number>();
    let templateMembers = 0;
    for (const m of members) {
      let usedTemplate = false;
      const account = this.accounts[m]!;
      for (let i = 0; i < account.objectCount; i++) {
        const key = account.objects![i]!;
        objectAccounts.set(key, (objectAccounts.get(key) ?? 0) + 1);
        if (kindOf(key) === TRACE_TEXT) usedTemplate = true;
      }
      if (usedTemplate) templateMembers++;
    }
    const shared = (kinds: number[], limit = 5): SharedObject[] => {
      const out: SharedObject[] = [];
      for (const [key, accounts] of objectAccounts) {
        const kind = kindOf(key);
        const label = this.labels.get(key);
        if (!kinds.includes(kind) || accounts < 2 || label === undefined) continue;
        out.push({
          kind: TRACE_NAMES.find(([bit]) => bit === kind)![1],
          label: label.label,
          key: label.key,
          accounts,
        });
      }
      out.sort((x, y) => y.accounts - x.accounts || (x.key < y.key ? -1 : 1));
      return out.slice(0, limit);
    };

    // Time profile over members' recent coordinated posts.
    const memberTimes = members.map((m) => this.accounts[m]!.recentCoordinatedTimes());
    const allTimes = memberTimes.flat().sort((x, y) => x - y);
    const binMs = 10 * 60_000;
    const firstAt = allTimes[0] ?? now;
    const lastAt = allTimes[allTimes.length - 1] ?? now;
    const start = Math.floor(firstAt / binMs) * binMs;
    const counts = new Array(Math.min(144, Math.floor((lastAt - start) / binMs) + 1)).fill(0);
    for (const t of allTimes) {
      const bin = Math.floor((t - start) / binMs);
      if (bin < counts.length) counts[bin]++;
    }
    const timeProfile: TimeProfile = { binMs, start, counts, firstAt, lastAt, medianGapMs: median(gaps) };

    // Account statistics.
    const bots = members.map((m) => this.botScoreOf(m, now).score);
    const profiles = members.map((m) => this.accounts[m]!);
    const known = profiles.filter((a) => a.known);
    const share = (pred: (a: AccountState) => boolean): number =>
      known.length === 0 ? 0 : known.filter(pred).length / known.length;
    const ages = known.filter((a) => Number.isFinite(a.createdAt)).map((a) => (now - a.createdAt) / DAY_MS);
    const accountStats: AccountStatistics = {
      medianAgeDays: ages.length > 0 ? median(ages) : null,
      youngShare: share((a) => now - a.createdAt < 30 * DAY_MS),
      noAvatarShare: share((a) => !a.hasAvatar),
      emptyBioShare: share((a) => a.bio.trim() === ""),
      bareProfileShare: share((a) => !a.hasAvatar && a.bio.trim() === ""),
      defaultHandleShare: share((a) => /^[A-Za-z]+_?[0-9]{5,}$/.test(a.handle)),
      verifiedShare: share((a) => a.verified),
      medianFollowers: median(known.map((a) => a.followers)),
      medianBotScore: median(bots),
    };

    let coordinatedPosts = 0;
    let deletedPosts = 0;
    for (const a of profiles) {
      coordinatedPosts += a.coordinatedPosts;
      deletedPosts += a.coordinatedDeleted;
    }
    const deletionRate = coordinatedPosts > 0 ? deletedPosts / coordinatedPosts : 0;
    const templateShare = templateMembers / n;
    const inauthenticity = inauthenticityScore(accountStats, templateShare, deletionRate);

    const significance =
      inauthenticity.score >= this.options.flagScore
        ? this.significance(members, memberTimes, timeProfile.medianGapMs, now)
        : { observed: 0, nullMean: 0, nullSd: 0, z: 0, p: 1, rounds: 0 };
    const flagged =
      inauthenticity.score >= this.options.flagScore && significance.p <= this.options.maxPValue;

    const campaignMembers: CampaignMember[] = members.map((m, i) => {
      const score = 1 - Math.exp(-strength[i]! / 9);
      return {
        accountId: this.accounts[m]!.id,
        score,
        strength: strength[i]!,
        partners: partners[i]!,
        botScore: bots[i]!,
        flagged: flagged && partners[i]! >= this.options.minPartners,
      };
    });

    // The strongest edges, for the reviewers' graph (ties broken by the pair, so the choice is stable).
    const idOf = (m: number): string => this.accounts[m]!.id;
    const links: CampaignLink[] = linkSlots
      .sort(
        (x, y) =>
          edges.weight[y]! - edges.weight[x]! || edges.a[x]! - edges.a[y]! || edges.b[x]! - edges.b[y]!,
      )
      .slice(0, MAX_CAMPAIGN_LINKS)
      .map((slot) => {
        const kinds = edges.kinds[slot]!;
        return {
          source: idOf(edges.a[slot]!),
          target: idOf(edges.b[slot]!),
          weight: edges.weight[slot]!,
          coactions: edges.coactions[slot]!,
          traces: TRACE_NAMES.filter(([bit]) => kinds & bit).map(([, name]) => name),
        };
      });

    return {
      id: "",
      flagged,
      size: n,
      density: n > 1 ? (2 * edgeCount) / (n * (n - 1)) : 0,
      edges: edgeCount,
      totalWeight,
      traces,
      members: campaignMembers,
      links,
      templates: shared([TRACE_TEXT]),
      hashtagSequences: shared([TRACE_SEQUENCE]),
      urls: shared([TRACE_URL]),
      sharedPosts: shared([TRACE_REPOST, TRACE_QUOTE, TRACE_REPLY]),
      timeProfile,
      accountStats,
      significance,
      coordinatedPosts,
      deletedPosts,
      deletionRate,
      inauthenticity,
    };
  }

  /** Time-shift significance on a deterministic sample of members, cached per sample and post count. */
  private significance(
    members: number[],
    memberTimes: number[][],
    medianGapMs: number,
    now: number,
  ): Significance {
    const rng = new Rng(`${this.seed}/null/${members[0]}`);
    const sample =
      members.length <= SIGNIFICANCE_MEMBERS
        ? members.map((_, i) => i)
        : rng.sample(
            members.map((_, i) => i),
            SIGNIFICANCE_MEMBERS,
          );
    const times = sample.map((i) => memberTimes[i]!);
    const posts = times.reduce((s, t) => s + t.length, 0);
    const key = `${members[0]}:${members.length}:${posts}`;
    const cached = this.significanceCache.get(key);
    if (cached) return cached;
    const windowMs = Math.min(30 * 60_000, Math.max(60_000, medianGapMs * 2));
    const result = timeShiftSignificance(
      times,
      windowMs,
      now - this.options.retentionMs,
      now,
      rng,
      NULL_ROUNDS,
    );
    if (this.significanceCache.size > 10_000) this.significanceCache.clear();
    this.significanceCache.set(key, result);
    return result;
  }
}

/**
 * How inauthentic a cluster's evidence reads, as an explained logistic score: young, bare-profile and
 * bot-like members, shared text templates and deleted coordinated posts push it up; verified members
 * and established accounts push it down. Coordination itself is not in it (every cluster coordinates).
 */
export function inauthenticityScore(
  stats: AccountStatistics,
  templateShare: number,
  deletionRate: number,
): { score: number; signals: CampaignSignal[] } {
  const signals: CampaignSignal[] = [
    { signal: "bias", value: 1, logit: -3 },
    { signal: "median_bot_score", value: stats.medianBotScore, logit: 5 * stats.medianBotScore },
    { signal: "young_share", value: stats.youngShare, logit: 2 * stats.youngShare },
    { signal: "bare_profile_share", value: stats.bareProfileShare, logit: 1.5 * stats.bareProfileShare },
    { signal: "default_handle_share", value: stats.defaultHandleShare, logit: 1 * stats.defaultHandleShare },
    { signal: "template_share", value: templateShare, logit: 1 * templateShare },
    { signal: "deletion_rate", value: deletionRate, logit: 3 * deletionRate },
    { signal: "verified_share", value: stats.verifiedShare, logit: -4 * stats.verifiedShare },
  ].filter((s) => s.logit !== 0);
  const total = signals.reduce((sum, s) => sum + s.logit, 0);
  return { score: 1 / (1 + Math.exp(-total)), signals };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
