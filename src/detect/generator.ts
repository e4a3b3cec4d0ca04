/**
 * Seeded planted-campaign generator (detection.md §6): a day of platform activity with a labelled
 * ground truth, for the offline evaluation of the coordination detector.
 *
 * - Background: `backgroundAccounts` ordinary accounts with log-normal activity (median 3 posts/day),
 *   a diurnal cycle, Zipf(1) hashtags and vocabulary, reposts, replies and quotes of recent posts, a
 *   few ordinary accounts with default-looking handles, young or bare profiles.
 * - Hard negatives (benign coordination): news bursts (many readers share one link within minutes),
 *   grassroots copy-paste (one text copied by hundreds, spread over hours), fandom drives (fans post
 *   the same ordered hashtags and repost their idol at scheduled times), syndicated links (outlets
 *   auto-post the same headline and article within seconds), cross-posters (one person, 2–3 accounts).
 * - Campaigns, `campaignsPerCell` per difficulty cell (paraphrase 0 / 0.3 / 0.7 × mean delay 30 s /
 *   5 min / 30 min × hashtag evasion off/on × young/aged accounts); deletion rates 0 / 0.5 / 0.9 rotate
 *   across each cell's campaigns. A campaign has 10–300 accounts, 5–20 templates, two ordered hashtag
 *   sequences around its target tag, two links, 6–12 waves (a fifth of them repost waves of a seed
 *   post), participation 0.3–1 per wave, and camouflage posts.
 *
 * Paraphrase rate p: the share of a campaign's posts that are rewritten (a third of the words replaced,
 * two words swapped) instead of copied. Evasion: 70% of the tags are written as a look-alike spelling
 * (full-width, mathematical, homoglyphs, joiners, separators, digits, accents) that shares the tag's
 * matchKey and survives hashtag extraction. Young accounts: 60–90% created within 30 days before the
 * campaign; aged: 70–90% created 1–6 years before ("bought" accounts: sparse profiles, follow-back
 * ratios). Up to 67% of members have no avatar and no bio.
 *
 * Events are valid src/ingest/events.ts events (ISO timestamps); `stream` holds them in time order
 * (account events first), with their times in ms alongside.
 */
import { Rng } from "../demo/random.ts";
import { CYRILLIC, fullwidth, interleave, mathematical, swap } from "../hashtags/corpus.ts";
import { matchKey } from "../hashtags/normalize.ts";
import type { AccountEvent, DeleteEvent, PostEvent } from "../ingest/events.ts";
import { extractHashtagsFast } from "../ingest/extract.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export type AccountAge = "young" | "aged";

export interface DifficultyCell {
  name: string;
  paraphrase: number;
  delayMs: number;
  evasion: boolean;
  age: AccountAge;
  /** Easy cells: verbatim templates, 30 s delays, no evasion, young accounts. */
  easy: boolean;
}

export type NegativeKind = "news" | "grassroots" | "fandom" | "syndication" | "crossposter";

export type Truth =
  | { kind: "campaign"; campaignId: string; cell: string }
  | { kind: "negative"; negative: NegativeKind }
  | { kind: "background" };

export interface PlantedCampaign {
  id: string;
  cell: DifficultyCell;
  deletionRate: number;
  /** Accounts that posted at least one campaign post. */
  members: string[];
  /** Times of the campaign's coordinated posts, sorted. */
  postTimes: number[];
  /** Each member's first coordinated post time (ms). */
  firstPostAt: Map<string, number>;
}

export type GeneratedEvent = AccountEvent | PostEvent | DeleteEvent;

export interface GeneratedStream {
  start: number;
  end: number;
  /** Every event in time order (account events first), and each event's time in ms. */
  events: GeneratedEvent[];
  times: Float64Array;
  truth: Map<string, Truth>;
  campaigns: PlantedCampaign[];
  cells: DifficultyCell[];
}

export interface GeneratorOptions {
  seed?: string;
  /** Start of the simulated day (ms); default 2021-02-01T00:00:00Z. */
  start?: number;
  backgroundAccounts?: number;
  campaignsPerCell?: number;
  /** Restrict to some cells (default: the full grid of 36). */
  cells?: DifficultyCell[];
  /** Multiplies the number of hard-negative groups (default 1). */
  negativeScale?: number;
  minCampaignSize?: number;
  maxCampaignSize?: number;
}

/** The full grid of difficulty cells. */
export function difficultyCells(): DifficultyCell[] {
  const cells: DifficultyCell[] = [];
  for (const paraphrase of [0, 0.3, 0.7]) {
    for (const delayMs of [30_000, 5 * MINUTE, 30 * MINUTE]) {
      for (const evasion of [false, true]) {
        for (const age of ["young", "aged"] as const) {
          const delay = delayMs < MINUTE ? `${delayMs / 1000}s` : `${delayMs / MINUTE}m`;
          cells.push({
            name: `p${paraphrase} d${delay} ${evasion ? "evade" : "plain"} ${age}`,
            paraphrase,
            delayMs,
            evasion,
            age,
            easy: paraphrase === 0 && delayMs === 30_000 && !evasion && age === "young",
          });
        }
      }
    }
  }
  return cells;
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary, tags, texts

const SYLLABLES = [
  "ka",
  "ri",
  "mo",
  "te",
  "sa",
  "lu",
  "ne",
  "po",
  "di",
  "va",
  "ro",
  "mi",
  "ta",
  "ge",
  "lo",
  "bu",
  "fi",
  "na",
  "ze",
  "ho",
  "chi",
  "ran",
  "ste",
  "pla",
  "dor",
  "kin",
  "mar",
  "vel",
  "tor",
  "shi",
];
const NAMES = [
  "amit",
  "priya",
  "rahul",
  "neha",
  "john",
  "maria",
  "alex",
  "sara",
  "ravi",
  "anita",
  "li",
  "chen",
  "omar",
  "fatima",
  "lucas",
  "emma",
  "arjun",
  "kiran",
  "sunita",
  "david",
  "nina",
  "paul",
  "meera",
  "sanjay",
  "tara",
];
const DOMAINS = [
  "dailynews.example",
  "metroherald.example",
  "newsnow.example",
  "blogspot.example",
  "videohub.example",
  "citytimes.example",
  "worldwire.example",
  "shop.example",
];

class Vocabulary {
  readonly words: string[];
  private readonly cdf: Float64Array;

  constructor(rng: Rng, size: number) {
    const seen = new Set<string>();
    this.words = [];
    while (this.words.length < size) {
      const n = rng.int(2, 3);
      let w = "";
      for (let i = 0; i < n; i++) w += rng.pick(SYLLABLES);
      if (!seen.has(w)) {
        seen.add(w);
        this.words.push(w);
      }
    }
    this.cdf = zipfCdf(size, 1);
  }

  /** A Zipf(1)-distributed word. */
  word(rng: Rng): string {
    return this.words[zipfIndex(this.cdf, rng)]!;
  }

  sentence(rng: Rng, n: number): string[] {
    return Array.from({ length: n }, () => this.word(rng));
  }
}

function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  for (let i = 0; i < n; i++) cdf[i]! /= total;
  return cdf;
}

function zipfIndex(cdf: Float64Array, rng: Rng): number {
  const u = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const capitalize = (w: string): string => w[0]!.toUpperCase() + w.slice(1);

/** Look-alike spellings of a CamelCase tag that keep its matchKey and survive hashtag extraction. */
export function evadedSpelling(tag: string, rng: Rng): string {
  const words = tag.split(/(?=[A-Z])/);
  const transforms: ((t: string) => string)[] = [
    (t) => t.toUpperCase(),
    (t) => t.toLowerCase(),
    (t) => fullwidth(t),
    (t) => mathematical(t, rng.pick(["bold", "sansBold", "monospace", "boldItalic"] as const)),
    (t) => swap(t, { a: CYRILLIC.a!, e: CYRILLIC.e!, o: CYRILLIC.o! }),
    (t) => interleave(t, rng.pick(["\u200d", "\u200c"]), 3),
    () => words.join("_"),
    (t) => t.replace("o", "0"),
    (t) => t.replace("a", "\u00e1"),
  ];
  for (let attempt = 0; attempt < 8; attempt++) {
    const v = rng.pick(transforms)(tag);
    if (v !== tag && matchKey(v) === matchKey(tag) && sameExtraction(v)) return v;
  }
  return tag.toUpperCase();
}

function sameExtraction(tag: string): boolean {
  const got = extractHashtagsFast(`x #${tag} y`);
  return got.length === 1 && got[0] === tag;
}

// ---------------------------------------------------------------------------------------------------
// The generator

interface DraftPost {
  time: number;
  id: string;
  authorId: string;
  text: string;
  urls: string[];
  replyTo: string | null;
  quoteOf: string | null;
  repostOf: string | null;
  deleteAfter: number | null;
}

interface Profile {
  handle: string;
  createdAt: number;
  hasAvatar: boolean;
  bio: string;
  followers: number;
  following: number;
  verified: boolean;
}

export function generateStream(options: GeneratorOptions = {}): GeneratedStream {
  const seed = options.seed ?? "vigil-detect-bench";
  const root = new Rng(seed);
  const start = options.start ?? Date.UTC(2021, 1, 1);
  const end = start + DAY;
  const vocab = new Vocabulary(root.fork("vocab"), 3000);
  const tagPool = Array.from({ length: 4000 }, (_, i) => {
    const r = root.fork(`tag/${i}`);
    return capitalize(vocab.words[r.int(0, 2999)]!) + capitalize(vocab.words[r.int(0, 2999)]!);
  });
  const tagCdf = zipfCdf(tagPool.length, 1);
  const accounts: AccountEvent[] = [];
  const posts: DraftPost[] = [];
  const truth = new Map<string, Truth>();
  let postCounter = 0;
  const newPostId = (): string => `p${(++postCounter).toString(36)}`;

  const diurnalTime = (rng: Rng): number => {
    for (;;) {
      const t = rng.next() * DAY;
      const hour = t / HOUR;
      if (rng.next() * 1.8 < 1 + 0.8 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) return start + t;
    }
  };
  const organicText = (rng: Rng): string => {
    const words = vocab.sentence(rng, rng.int(3, 24));
    const tags: string[] = [];
    if (rng.chance(0.35)) {
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++) tags.push(`#${tagPool[zipfIndex(tagCdf, rng)]!}`);
    }
    return [...words, ...tags].join(" ");
  };
  const addAccount = (id: string, p: Profile, t: Truth): void => {
    accounts.push({
      type: "account",
      id,
      handle: p.handle,
      displayName: p.handle,
      createdAt: new Date(p.createdAt).toISOString(),
      country: "IN",
      lang: "en",
      bio: p.bio,
      hasAvatar: p.hasAvatar,
      followers: p.followers,
      following: p.following,
      verified: p.verified,
    });
    truth.set(id, t);
  };
  const handleFor = (rng: Rng, i: number, defaultLooking: boolean): string =>
    defaultLooking
      ? `${capitalize(rng.pick(NAMES))}${rng.chars(rng.int(6, 8))}`.slice(0, 15)
      : `${rng.pick(NAMES)}_${vocab.words[i % 3000]!}`.slice(0, 12) + rng.chars(2);
  const ordinaryProfile = (rng: Rng, i: number): Profile => ({
    handle: handleFor(rng, i, rng.chance(0.08)),
    createdAt:
      start -
      (rng.chance(0.05)
        ? rng.float(1, 30) * DAY
        : Math.min(12 * 365, rng.logNormal(Math.log(700), 0.8)) * DAY),
    hasAvatar: rng.chance(0.9),
    bio: rng.chance(0.75) ? vocab.sentence(rng, rng.int(3, 10)).join(" ") : "",
    followers: Math.round(rng.logNormal(Math.log(150), 1.3)),
    following: Math.round(rng.logNormal(Math.log(200), 1)),
    verified: rng.chance(0.01),
  });

  // Background accounts and their organic posts (reposts, replies and quotes come later).
  const background: string[] = [];
  const bgRng = root.fork("background");
  const nBackground = options.backgroundAccounts ?? 30_000;
  for (let i = 0; i < nBackground; i++) {
    const id = `u${i}`;
    addAccount(id, ordinaryProfile(bgRng, i), { kind: "background" });
    background.push(id);
  }
  const organicPosts = (rng: Rng, authorId: string, n: number): void => {
    for (let k = 0; k < n; k++) {
      const r = rng.next();
      const post: DraftPost = {
        time: diurnalTime(rng),
        id: newPostId(),
        authorId,
        text: organicText(rng),
        urls: [],
        replyTo: null,
        quoteOf: null,
        repostOf: null,
        deleteAfter: null,
      };
      if (r < 0.15) post.repostOf = "?";
      else if (r < 0.25) post.replyTo = "?";
      else if (r < 0.3) post.quoteOf = "?";
      if (post.repostOf === null && rng.chance(0.1)) {
        post.urls.push(`https://${rng.pick(DOMAINS)}/${vocab.word(rng)}/${rng.chars(6)}`);
      }
      if (rng.chance(0.01)) post.deleteAfter = rng.exponential(3 * HOUR);
      posts.push(post);
    }
  };
  for (const id of background)
    organicPosts(bgRng, id, Math.min(200, Math.round(bgRng.logNormal(Math.log(3), 1.1))));

  // Hard negatives.
  const scale = options.negativeScale ?? 1;
  const negRng = root.fork("negatives");
  let negativeIds = 0;
  const negativeAccount = (kind: NegativeKind, profile: Profile): string => {
    const id = `n${negativeIds++}`;
    addAccount(id, profile, { kind: "negative", negative: kind });
    organicPosts(negRng, id, negRng.int(1, 6));
    return id;
  };
  // News bursts: readers from one pool share a breaking link within minutes.
  const readers = Array.from({ length: Math.round(2500 * scale) }, (_, i) =>
    negativeAccount("news", ordinaryProfile(negRng, i)),
  );
  for (let e = 0; e < Math.round(30 * scale); e++) {
    const at = diurnalTime(negRng);
    const url = `https://${negRng.pick(DOMAINS)}/breaking/${negRng.chars(8)}`;
    const tag = `#${tagPool[negRng.int(0, 50)]!}`;
    for (const reader of negRng.sample(readers, negRng.int(50, 300))) {
      const text = `${vocab.sentence(negRng, negRng.int(4, 16)).join(" ")} ${negRng.chance(0.5) ? tag : ""} ${url}`;
      posts.push({
        time: at + negRng.exponential(4 * MINUTE),
        id: newPostId(),
        authorId: reader,
        text,
        urls: [url],
        replyTo: null,
        quoteOf: null,
        repostOf: null,
        deleteAfter: null,
      });
    }
  }
  // Grassroots copy-paste: a petition text copied over hours.
  const copiers = Array.from({ length: Math.round(2000 * scale) }, (_, i) =>
    negativeAccount("grassroots", ordinaryProfile(negRng, i)),
  );
  for (let g = 0; g < Math.round(6 * scale); g++) {
    const base = vocab.sentence(negRng, negRng.int(18, 30)).join(" ");
    const tags = [0, 1, 2].map(() => `#${tagPool[negRng.int(0, 3999)]!}`).join(" ");
    const at = start + negRng.float(1, 16) * HOUR;
    for (const copier of negRng.sample(copiers, negRng.int(100, 400))) {
      const text = `${base} ${tags}${negRng.chance(0.2) ? ` ${vocab.word(negRng)} ${vocab.word(negRng)}` : ""}`;
      posts.push({
        time: at + negRng.logNormal(Math.log(2 * HOUR), 0.8),
        id: newPostId(),
        authorId: copier,
        text,
        urls: [],
        replyTo: null,
        quoteOf: null,
        repostOf: null,
        deleteAfter: null,
      });
    }
  }
  // Fandom drives: scheduled posting of the drive's hashtag sequence, and reposts of the idol.
  for (let f = 0; f < Math.round(4 * scale); f++) {
    const fans = Array.from({ length: negRng.int(80, 250) }, (_, i) => {
      const p = ordinaryProfile(negRng, i);
      p.hasAvatar = true;
      p.createdAt = Math.min(p.createdAt, start - 90 * DAY);
      return negativeAccount("fandom", p);
    });
    const idol = fans[0]!;
    for (let d = 0; d < negRng.int(4, 6); d++) {
      const at = start + negRng.float(0.5, 23) * HOUR;
      const sequence = [0, 1, 2, 3].map(() => `#${tagPool[negRng.int(0, 3999)]!}`).join(" ");
      const idolPost = newPostId();
      posts.push({
        time: at - MINUTE,
        id: idolPost,
        authorId: idol,
        text: `${vocab.sentence(negRng, 10).join(" ")} ${sequence}`,
        urls: [],
        replyTo: null,
        quoteOf: null,
        repostOf: null,
        deleteAfter: null,
      });
      for (const fan of fans.slice(1)) {
        if (!negRng.chance(0.7)) continue;
        for (let k = negRng.int(1, 3); k > 0; k--) {
          posts.push({
            time: at + negRng.exponential(10 * MINUTE),
            id: newPostId(),
            authorId: fan,
            text: `${vocab.sentence(negRng, negRng.int(3, 14)).join(" ")} ${sequence}`,
            urls: [],
            replyTo: null,
            quoteOf: null,
            repostOf: null,
            deleteAfter: null,
          });
        }
        if (negRng.chance(0.6)) {
          posts.push({
            time: at + negRng.exponential(5 * MINUTE),
            id: newPostId(),
            authorId: fan,
            text: "",
            urls: [],
            replyTo: null,
            quoteOf: null,
            repostOf: idolPost,
            deleteAfter: null,
          });
        }
      }
    }
  }
  // Syndicated links: outlets auto-post each article's headline and link within seconds.
  for (let s = 0; s < Math.round(5 * scale); s++) {
    const outlets = Array.from({ length: negRng.int(6, 20) }, (_, i) => {
      const p = ordinaryProfile(negRng, i);
      p.handle = `${capitalize(vocab.words[negRng.int(0, 2999)]!)}News${i}`.slice(0, 15);
      p.hasAvatar = true;
      p.bio = `news from ${vocab.word(negRng)}`;
      p.followers = Math.round(negRng.logNormal(Math.log(20_000), 1.2));
      p.verified = negRng.chance(0.4);
      p.createdAt = start - negRng.float(2, 10) * 365 * DAY;
      return negativeAccount("syndication", p);
    });
    for (let t = start + negRng.float(0, 1) * HOUR; t < end; t += negRng.float(30, 90) * MINUTE) {
      const headline = vocab.sentence(negRng, negRng.int(8, 14)).join(" ");
      const path = `https://${negRng.pick(DOMAINS)}/story/${negRng.chars(8)}`;
      for (const outlet of outlets) {
        const url = `${path}?utm_source=${outlet}`;
        posts.push({
          time: t + negRng.float(5, 120) * 1000,
          id: newPostId(),
          authorId: outlet,
          text: `${headline} ${url}`,
          urls: [url],
          replyTo: null,
          quoteOf: null,
          repostOf: null,
          deleteAfter: null,
        });
      }
    }
  }
  // Cross-posters: one person posting the same text from two or three accounts.
  for (let c = 0; c < Math.round(200 * scale); c++) {
    const own = Array.from({ length: negRng.int(2, 3) }, (_, i) =>
      negativeAccount("crossposter", ordinaryProfile(negRng, i)),
    );
    for (let k = negRng.int(2, 6); k > 0; k--) {
      const at = diurnalTime(negRng);
      const text = organicText(negRng);
      for (const id of own)
        posts.push({
          time: at + negRng.float(2, 60) * 1000,
          id: newPostId(),
          authorId: id,
          text,
          urls: [],
          replyTo: null,
          quoteOf: null,
          repostOf: null,
          deleteAfter: null,
        });
    }
  }

  // Campaigns.
  const cells = options.cells ?? difficultyCells();
  const perCell = options.campaignsPerCell ?? 2;
  const minSize = options.minCampaignSize ?? 10;
  const maxSize = options.maxCampaignSize ?? 300;
  const campaigns: PlantedCampaign[] = [];
  cells.forEach((cell, cellIndex) => {
    for (let k = 0; k < perCell; k++) {
      const id = `c${cellIndex}-${k}`;
      const rng = root.fork(`campaign/${id}`);
      const deletionRate = [0, 0.5, 0.9][(cellIndex + k) % 3]!;
      const size = Math.round(Math.exp(rng.float(Math.log(minSize), Math.log(maxSize + 1))));
      const campaignStart = start + rng.float(1, 18) * HOUR;
      const youngShare = cell.age === "young" ? rng.float(0.6, 0.9) : rng.float(0.1, 0.3);
      const bareShare = rng.float(0.2, 0.67);
      const members: string[] = [];
      for (let m = 0; m < size; m++) {
        const memberId = `${id}m${m}`;
        const young = rng.chance(youngShare);
        const bare = rng.chance(bareShare);
        addAccount(
          memberId,
          {
            handle: handleFor(rng, m, rng.chance(young ? 0.6 : 0.4)),
            createdAt: young ? campaignStart - rng.float(0.2, 30) * DAY : start - rng.float(1, 6) * 365 * DAY,
            hasAvatar: !bare && rng.chance(0.7),
            bio: !bare && rng.chance(0.6) ? vocab.sentence(rng, rng.int(3, 8)).join(" ") : "",
            followers: Math.round(rng.logNormal(Math.log(young ? 8 : 40), 1)),
            following: Math.round(rng.logNormal(Math.log(young ? 150 : 600), 0.8)),
            verified: false,
          },
          { kind: "campaign", campaignId: id, cell: cell.name },
        );
        members.push(memberId);
        organicPosts(rng, memberId, rng.int(1, 5));
      }
      const templates = Array.from({ length: rng.int(5, 20) }, () => vocab.sentence(rng, rng.int(10, 22)));
      const target = capitalize(vocab.word(rng)) + capitalize(vocab.word(rng)) + capitalize(vocab.word(rng));
      const sequences = [0, 1].map(() => [
        target,
        ...Array.from({ length: rng.int(2, 3) }, () => tagPool[rng.int(0, 3999)]!),
      ]);
      const links = [0, 1].map(() => `https://${rng.pick(DOMAINS)}/${vocab.word(rng)}/${rng.chars(7)}`);
      const participation = rng.float(0.3, 1);
      const postTimes: number[] = [];
      const active = new Set<string>();
      const firstPostAt = new Map<string, number>();
      let waveAt = campaignStart;
      for (let w = rng.int(6, 12); w > 0; w--) {
        const repostWave = rng.chance(0.2);
        let seedPost: string | null = null;
        if (repostWave) {
          seedPost = newPostId();
          posts.push({
            time: waveAt - 30_000,
            id: seedPost,
            authorId: members[0]!,
            text: `${templates[0]!.join(" ")} #${target}`,
            urls: [],
            replyTo: null,
            quoteOf: null,
            repostOf: null,
            deleteAfter: null,
          });
        }
        const waveTemplates = rng.sample(templates, rng.int(1, 3));
        for (const member of members) {
          if (!rng.chance(participation)) continue;
          const time = waveAt + rng.exponential(cell.delayMs);
          let text = "";
          const urls: string[] = [];
          if (!repostWave) {
            let words = rng.pick(waveTemplates).slice();
            if (rng.chance(cell.paraphrase)) words = paraphrase(words, vocab, rng);
            const tags = rng
              .pick(sequences)
              .map((t) => `#${cell.evasion && rng.chance(0.7) ? evadedSpelling(t, rng) : t}`);
            text = `${words.join(" ")} ${tags.join(" ")}`;
            if (rng.chance(0.4)) {
              const url = `${rng.pick(links)}?utm_campaign=${rng.chars(5)}`;
              urls.push(url);
              text += ` ${url}`;
            }
          }
          const deleteAfter = rng.chance(deletionRate) ? rng.exponential(15 * MINUTE) : null;
          posts.push({
            time,
            id: newPostId(),
            authorId: member,
            text,
            urls,
            replyTo: null,
            quoteOf: null,
            repostOf: seedPost,
            deleteAfter,
          });
          postTimes.push(time);
          active.add(member);
          const first = firstPostAt.get(member);
          if (first === undefined || time < first) firstPostAt.set(member, time);
        }
        waveAt += 5 * MINUTE + rng.exponential(20 * MINUTE);
      }
      postTimes.sort((x, y) => x - y);
      campaigns.push({
        id,
        cell,
        deletionRate,
        members: members.filter((m) => active.has(m)),
        postTimes,
        firstPostAt,
      });
    }
  });

  // Resolve repost / reply / quote targets to earlier original posts, then order everything.
  posts.sort((x, y) => x.time - y.time || (x.id < y.id ? -1 : 1));
  const linkRng = root.fork("links");
  const originals: DraftPost[] = [];
  for (const p of posts) {
    const resolve = (): string | null => {
      if (originals.length === 0) return null;
      const recent = Math.min(originals.length, 3000);
      // Half the time a popular post: Zipf over the recent window, most recent first.
      const back = linkRng.chance(0.5)
        ? Math.floor(recent * linkRng.next() ** 4)
        : linkRng.int(0, recent - 1);
      return originals[originals.length - 1 - back]!.id;
    };
    if (p.repostOf === "?") p.repostOf = resolve();
    if (p.replyTo === "?") p.replyTo = resolve();
    if (p.quoteOf === "?") p.quoteOf = resolve();
    if (p.repostOf !== null) p.text = "";
    else originals.push(p);
  }

  const timed: { time: number; event: GeneratedEvent }[] = [];
  for (const p of posts) {
    if (p.time < start || p.time >= end) continue;
    timed.push({
      time: p.time,
      event: {
        type: "post",
        id: p.id,
        authorId: p.authorId,
        createdAt: new Date(Math.floor(p.time)).toISOString(),
        text: p.text.slice(0, 10_000),
        lang: "en",
        replyTo: p.replyTo,
        quoteOf: p.quoteOf,
        repostOf: p.repostOf,
        urls: p.urls,
        media: [],
      },
    });
    if (p.deleteAfter !== null && p.time + p.deleteAfter < end) {
      timed.push({
        time: p.time + p.deleteAfter,
        event: { type: "delete", id: p.id, at: new Date(Math.floor(p.time + p.deleteAfter)).toISOString() },
      });
    }
  }
  timed.sort((x, y) => x.time - y.time);
  const events: GeneratedEvent[] = [...accounts, ...timed.map((t) => t.event)];
  const times = new Float64Array(events.length);
  accounts.forEach((a, i) => {
    times[i] = Date.parse(a.createdAt);
  });
  timed.forEach((t, i) => {
    times[accounts.length + i] = Math.floor(t.time);
  });
  for (const c of campaigns) c.postTimes = c.postTimes.filter((t) => t < end);
  return { start, end, events, times, truth, campaigns, cells };
}

/** Rewrites a template: a third of the words replaced, two neighbouring words swapped. */
function paraphrase(words: string[], vocab: Vocabulary, rng: Rng): string[] {
  const out = words.map((w) => (rng.chance(1 / 3) ? vocab.word(rng) : w));
  const i = rng.int(0, out.length - 2);
  [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
}
