/**
 * The demo scenario: the Indian farmers' protest of 26 January - 10 February 2021, recreated as
 * contract data (platform events, two blocking orders, the platform's own actions) with exact
 * ground truth, so detectors and triage can be measured against it.
 *
 * Deterministic: the same seed and scale give byte-identical files. Pure: generateScenario does
 * no I/O and never reads the clock. Everything is invented; see content.ts.
 *
 * Decisions worth knowing:
 * - Order 1 (MeitY/69A/2021/0131-1, received 31 Jan 2021 16:30 UTC) is an emergency order under
 *   rule 9 of the Blocking Rules 2009 (emergency: true). Order 2 (MeitY/69A/2021/0204-1, received
 *   4 Feb 2021 12:00 UTC) is an ordinary direction issued after committee examination under
 *   rule 8 (emergency: false).
 * - A repost carries no text of its own: text "", lang null, no urls or media. Its content is the
 *   post named by repostOf.
 * - A post is "inflammatory" in the ground truth when it carries #ModiPlanningFarmerGenocide (in
 *   any spelling) or is one of the few posts written as incitement / wishes of harm.
 * - hashtagVariants.variants lists the evasion spellings that occur in the data; the canonical
 *   spelling is not repeated there.
 * - An order target is "deleted" when it names a post that was deleted before the order arrived.
 *   Posts named as kind "post" are never deleted. Accounts are never deleted.
 * - Order CSV files use CRLF line endings (RFC 4180). Items of order 2 may omit `reason` (an empty
 *   CSV field); re-listed items in order 2 sometimes name the same subject in another form.
 * - Links in posts use subdomains of the reserved example.com / example.org, so twitter-text extracts
 *   them; `urls` is exactly what twitter-text finds in `text`. Every post fits 280 weighted characters.
 * - Account ids are assigned in createdAt order, post ids in createdAt order.
 * - scale is capped at 100 (about 5 million posts) to fail early instead of exhausting memory.
 */

import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AccountEvent, DeleteEvent, PostEvent } from "../ingest/events.ts";
import * as C from "./content.ts";
import { Rng } from "./random.ts";

// ---------------------------------------------------------------------------------------------
// Public types

export interface ScenarioOptions {
  /** Seed for the PRNG. Default 2021. A number and its decimal string give the same scenario. */
  seed?: number | string;
  /** Size multiplier, > 0. Default 1 (about 5,000 accounts and 50,000 posts). */
  scale?: number;
}

export type Category = "news_media" | "journalist" | "activist" | "politician" | "ordinary" | "bot";
export const PROTECTED_CATEGORIES: readonly Category[] = [
  "news_media",
  "journalist",
  "activist",
  "politician",
];

export interface OrderItem {
  target: string;
  reason?: string;
}

export interface OrderBody {
  authority: {
    name: string;
    country: string;
    type: "court" | "government_agency" | "police" | "other";
    officer: string;
    rank: string;
  };
  legalBasis: string;
  reference: string;
  receivedAt: string;
  deadline: string | null;
  emergency: boolean;
  confidential: boolean;
  items: OrderItem[];
}

export type DirectAction =
  | {
      subject: { type: "hashtag"; id: string };
      action: "suppress";
      surfaces: string[];
      countries: string[] | null;
      reason: string;
      rule: string;
      expiresAt: string | null;
      idempotencyKey: string;
    }
  | {
      subject: { type: "post"; id: string };
      action: "label";
      label: string;
      countries: string[] | null;
      reason: string;
      rule: string;
      expiresAt: string | null;
      idempotencyKey: string;
    };

export type ExpectedKind = "account" | "post" | "hashtag" | "unresolvable" | "deleted";

export interface GroundTruthOrderItem {
  target: string;
  expected: { kind: ExpectedKind; id: string | null; category: Category | null };
}

export interface GroundTruthCampaign {
  id: string;
  name: string;
  accountIds: string[];
  postIds: string[];
  hashtags: string[];
  template: string;
}

export interface GroundTruth {
  seed: number | string;
  scale: number;
  accounts: Record<
    string,
    {
      category: Category;
      isBot: boolean;
      isProtected: boolean;
      campaign: string | null;
      country: string | null;
    }
  >;
  posts: Record<string, { campaign: string | null; inflammatory: boolean; deleted: boolean }>;
  campaigns: GroundTruthCampaign[];
  hashtagVariants: { canonical: string; variants: string[] };
  orders: { file: string; reference: string; items: GroundTruthOrderItem[] }[];
}

export interface ScenarioOrder {
  /** Base name of the files under orders/, e.g. "order-1". */
  name: string;
  body: OrderBody;
}

export interface Scenario {
  seed: number | string;
  scale: number;
  /** Ordered by createdAt, then id. */
  accounts: AccountEvent[];
  /** Ordered by createdAt, then id. */
  posts: PostEvent[];
  /** Ordered by at, then id. Every delete is later than its post. */
  deletes: DeleteEvent[];
  orders: ScenarioOrder[];
  actions: DirectAction[];
  groundTruth: GroundTruth;
}

export interface ScenarioFiles {
  dir: string;
  events: string;
  actions: string;
  groundTruth: string;
  manifest: string;
  orders: { name: string; json: string; csv: string }[];
}

// ---------------------------------------------------------------------------------------------
// Time

const ts = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

const HOUR = 3600;
const DAY = 86400;
/** First and last instant a post may carry. */
export const SCENARIO_START = ts(2021, 1, 24);
export const SCENARIO_END = ts(2021, 2, 10, 23, 59, 59);
const PROTEST_START = ts(2020, 11, 26);
const ORDER1_AT = ts(2021, 1, 31, 16, 30);
const ORDER2_AT = ts(2021, 2, 4, 12, 0);
/** From here on most uses of the genocide hashtag switch to evasion spellings. */
const VARIANTS_FROM = ts(2021, 2, 1, 3, 0);
const GENOCIDE_TAG_FROM = ts(2021, 1, 28, 12, 0);

export function iso(t: number): string {
  return `${new Date(t * 1000).toISOString().slice(0, 19)}Z`;
}

function phaseOf(t: number): C.Phase {
  if (t < ts(2021, 1, 26)) return "pre";
  if (t < ts(2021, 1, 28)) return "redfort";
  if (t < ts(2021, 1, 31)) return "crackdown";
  if (t < ts(2021, 2, 2)) return "shutdown";
  if (t < ts(2021, 2, 6)) return "global";
  return "late";
}

/** Relative activity per UTC calendar day (index 0 = 24 Jan). */
const DAY_FACTORS = [
  0.6, 0.8, 2.6, 1.8, 1.4, 1.3, 1.3, 1.8, 2.0, 1.6, 2.9, 2.5, 1.3, 1.5, 1.0, 0.9, 0.9, 1.1,
];

/** Cumulative distribution over the scenario's hours. */
const HOUR_CDF: Float64Array = (() => {
  const hours = Math.ceil((SCENARIO_END + 1 - SCENARIO_START) / HOUR);
  const w = new Float64Array(hours);
  let total = 0;
  for (let h = 0; h < hours; h++) {
    const t = SCENARIO_START + h * HOUR;
    const day = Math.floor(h / 24);
    const istHour = ((h % 24) + 5.5) % 24;
    let f = DAY_FACTORS[day] ?? 1;
    if (istHour >= 1 && istHour < 7) f *= 0.25;
    else if (istHour >= 7 && istHour < 10) f *= 0.8;
    else if (istHour >= 22 || istHour < 1) f *= 0.6;
    // Red Fort, 26 Jan ~10:30-17:30 IST; the celebrity posts of 2 Feb evening (UTC).
    if (t >= ts(2021, 1, 26, 5) && t < ts(2021, 1, 26, 12)) f *= 1.8;
    if (t >= ts(2021, 2, 2, 15) && t < ts(2021, 2, 3)) f *= 2.2;
    total += f;
    w[h] = total;
  }
  for (let h = 0; h < hours; h++) w[h] = (w[h] as number) / total;
  return w;
})();

/** A post time drawn from the activity profile, not earlier than `notBefore`. */
function sampleTime(rng: Rng, notBefore: number): number {
  const from = Math.max(SCENARIO_START, notBefore);
  if (from >= SCENARIO_END) return SCENARIO_END;
  const h0 = Math.floor((from - SCENARIO_START) / HOUR);
  const lo = h0 > 0 ? (HOUR_CDF[h0 - 1] as number) : 0;
  const u = lo + rng.next() * (1 - lo);
  let a = h0;
  let b = HOUR_CDF.length - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((HOUR_CDF[m] as number) < u) a = m + 1;
    else b = m;
  }
  let t = SCENARIO_START + a * HOUR + rng.int(0, HOUR - 1);
  if (t < from) t = from + rng.int(0, Math.min(HOUR, SCENARIO_END - from));
  return Math.min(t, SCENARIO_END);
}

// ---------------------------------------------------------------------------------------------
// Internal model

interface Acc {
  seq: number;
  id: string;
  handle: string;
  displayName: string;
  createdAt: number;
  country: string | null;
  lang: string;
  bio: string;
  hasAvatar: boolean;
  followers: number;
  following: number;
  verified: boolean;
  category: Category;
  isBot: boolean;
  campaign: CampaignDef | null;
  stance: C.Stance;
  activity: number;
  domain: string | null;
  campaignTimes: number[];
  campaignBursts: number[];
}

interface CampaignDef {
  id: string;
  name: string;
  segments: readonly C.Segment[];
  hashtags: readonly string[];
  bursts: { start: number; spellings: string[] }[];
  accounts: Acc[];
  posts: Post[];
  deleteRate: number;
}

type SlotKind = "original" | "reply" | "quote" | "repost" | "chatter" | "campaign" | "manip";

interface Slot {
  t: number;
  seq: number;
  author: Acc;
  kind: SlotKind;
  burst: number;
  manip: number;
}

interface Post {
  idx: number;
  id: string;
  author: Acc;
  t: number;
  text: string;
  lang: string | null;
  replyTo: Post | null;
  quoteOf: Post | null;
  repostOf: Post | null;
  urls: string[];
  media: { id: string; type: "image" | "video" | "gif" }[];
  campaign: CampaignDef | null;
  inflammatory: boolean;
  genocide: boolean;
  manipulated: boolean;
  deleteAt: number | null;
  children: number;
  stance: C.Stance;
}

const PLATFORM = "https://platform.example";

const isProtectedCategory = (c: Category): boolean => PROTECTED_CATEGORIES.includes(c);

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

function toAscii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/ß/g, "ss")
    .replace(/[^A-Za-z0-9_]/g, "");
}

/**
 * Approximately the weighted length twitter-text gives a post: URLs count 23, code points up to
 * U+10FF (Latin, Devanagari, Gurmukhi, ...) count 1, everything else (emoji, CJK) counts 2.
 */
export function tweetLength(text: string): number {
  let n = 0;
  for (const word of text.split(" ")) {
    if (/^https?:\/\//.test(word)) n += 23;
    else for (const ch of word) n += (ch.codePointAt(0) as number) <= 0x10ff ? 1 : 2;
  }
  return n + Math.max(0, text.split(" ").length - 1);
}

class HandleRegistry {
  private readonly taken = new Set<string>();
  constructor(private readonly rng: Rng) {}

  has(h: string): boolean {
    return this.taken.has(h.toLowerCase());
  }

  claim(raw: string): string {
    let base = toAscii(raw).slice(0, 15);
    if (base.length === 0) base = `user${this.rng.chars(8)}`;
    let h = base;
    for (let attempt = 0; this.has(h); attempt++) {
      const digits = this.rng.chars(attempt < 5 ? 2 : attempt < 20 ? 3 : 5);
      h = base.slice(0, 15 - digits.length) + digits;
    }
    this.taken.add(h.toLowerCase());
    return h;
  }
}

// ---------------------------------------------------------------------------------------------
// Scenario size

const BASE_COUNTS = {
  news_media: 60,
  journalist: 150,
  activist: 220,
  politician: 90,
  ordinary: 3750,
  botOther: 230,
  botToolkit: 520,
  botGenocide: 150,
};

export const ORDER1_SIZE = 257;
export const ORDER2_SIZE = 1178;

function orderSize(full: number, scale: number): number {
  return scale >= 1 ? full : Math.max(5, Math.round(full * scale));
}

/** Item counts of order 1 and order 2 at a scale: 257 and 1,178 from scale 1 up, proportionally fewer (at least 5) below. */
export function orderSizes(scale: number): [number, number] {
  return [orderSize(ORDER1_SIZE, scale), orderSize(ORDER2_SIZE, scale)];
}

// ---------------------------------------------------------------------------------------------
// Generator

export function generateScenario(opts: ScenarioOptions = {}): Scenario {
  const seed = opts.seed ?? 2021;
  const scale = opts.scale ?? 1;
  if (typeof seed === "number" ? !Number.isFinite(seed) : typeof seed !== "string") {
    throw new Error(`ScenarioOptions.seed must be a finite number or a string, got ${String(seed)}`);
  }
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
    throw new Error(`ScenarioOptions.scale must be a finite number greater than 0, got ${String(scale)}`);
  }
  if (scale > 100) throw new Error(`ScenarioOptions.scale must be at most 100, got ${scale}`);
  return new ScenarioBuilder(seed, scale).run();
}

class ScenarioBuilder {
  private readonly root: Rng;
  private readonly handles: HandleRegistry;
  private readonly accounts: Acc[] = [];
  private readonly campaigns: CampaignDef[] = [];
  private readonly posts: Post[] = [];
  private mediaSeq = 0;
  private accSeq = 0;
  private readonly outlets: Acc[] = [];

  constructor(
    private readonly seed: number | string,
    private readonly scale: number,
  ) {
    this.root = new Rng(seed);
    this.handles = new HandleRegistry(this.root.fork("handles"));
  }

  private n(base: number, min = 1): number {
    return Math.max(min, Math.round(base * this.scale));
  }

  run(): Scenario {
    this.makeCampaigns();
    this.makeAccounts();
    this.assignAccountIds();
    const slots = this.makeSlots();
    this.fillPosts(slots);
    const orders = this.makeOrders();
    const actions = this.makeActions();
    return this.assemble(orders, actions);
  }

  // ---- campaigns -----------------------------------------------------------------------------

  private makeCampaigns(): void {
    const rng = this.root.fork("campaigns");
    const jitter = (t: number, mins: number) => t + rng.int(-mins * 60, mins * 60);
    const toolkitStarts = [
      ts(2021, 2, 3, 3, 30),
      ts(2021, 2, 3, 6, 45),
      ts(2021, 2, 3, 9, 20),
      ts(2021, 2, 3, 12, 10),
      ts(2021, 2, 3, 15, 40),
      ts(2021, 2, 3, 19, 0),
      ts(2021, 2, 4, 2, 30),
      ts(2021, 2, 4, 7, 15),
    ].map((t) => jitter(t, 12));
    this.campaigns.push({
      id: "c-toolkit",
      name: "Toolkit 'global day of action' copy-paste campaign",
      segments: C.TOOLKIT_SEGMENTS,
      hashtags: C.TOOLKIT_HASHTAGS,
      bursts: toolkitStarts.map((start) => ({ start, spellings: [] })),
      accounts: [],
      posts: [],
      deleteRate: 0.12,
    });
    const genoStarts = [
      ts(2021, 1, 30, 7, 40),
      ts(2021, 1, 30, 13, 10),
      ts(2021, 1, 30, 18, 25),
      ts(2021, 1, 31, 4, 50),
      ts(2021, 1, 31, 9, 30),
      ts(2021, 2, 1, 8, 15),
      ts(2021, 2, 2, 6, 40),
      ts(2021, 2, 3, 11, 5),
    ].map((t) => jitter(t, 12));
    this.campaigns.push({
      id: "c-genocide-tag",
      name: "#ModiPlanningFarmerGenocide amplification",
      segments: C.GENOCIDE_SEGMENTS,
      hashtags: C.GENOCIDE_CAMPAIGN_HASHTAGS,
      bursts: genoStarts.map((start) => ({
        start,
        spellings: start < VARIANTS_FROM ? [C.HASHTAGS.genocide] : rng.sample(C.GENOCIDE_VARIANTS, 2),
      })),
      accounts: [],
      posts: [],
      deleteRate: 0.15,
    });
  }

  // ---- accounts ------------------------------------------------------------------------------

  private newAcc(fields: Partial<Acc> & Pick<Acc, "category" | "handle" | "displayName" | "createdAt">): Acc {
    const acc: Acc = {
      seq: this.accSeq++,
      id: "",
      country: null,
      lang: "en",
      bio: "",
      hasAvatar: true,
      followers: 0,
      following: 0,
      verified: false,
      isBot: false,
      campaign: null,
      stance: "pro",
      activity: 0,
      domain: null,
      campaignTimes: [],
      campaignBursts: [],
      ...fields,
    };
    this.accounts.push(acc);
    return acc;
  }

  private personName(rng: Rng, country: string | null): { first: string; last: string } {
    const indian = (): { first: string; last: string } => {
      const sikh = rng.chance(0.35);
      const female = rng.chance(0.42);
      const first = rng.pick(female ? C.IN_FIRST_FEMALE : C.IN_FIRST_MALE);
      const last = sikh && rng.chance(0.5) ? (female ? "Kaur" : "Singh") : rng.pick(C.IN_LAST);
      return { first, last };
    };
    switch (country) {
      case "IN":
        return indian();
      case "PK":
        return { first: rng.pick(C.PK_FIRST), last: rng.pick(C.PK_LAST) };
      case "DE":
        return rng.chance(0.6) ? { first: rng.pick(C.DE_FIRST), last: rng.pick(C.DE_LAST) } : indian();
      case "CA":
      case "GB":
      case "US":
      case "AU":
      case "NZ":
        return rng.chance(0.5) ? indian() : { first: rng.pick(C.WEST_FIRST), last: rng.pick(C.WEST_LAST) };
      case null:
        return rng.weighted<() => { first: string; last: string }>([
          [indian, 6],
          [() => ({ first: rng.pick(C.PK_FIRST), last: rng.pick(C.PK_LAST) }), 2],
          [() => ({ first: rng.pick(C.WEST_FIRST), last: rng.pick(C.WEST_LAST) }), 2],
        ])();
      default:
        return rng.chance(0.8) ? indian() : { first: rng.pick(C.WEST_FIRST), last: rng.pick(C.WEST_LAST) };
    }
  }

  private place(rng: Rng, country: string | null): string {
    const abroad = country ? C.PLACES_ABROAD[country] : undefined;
    return abroad ? rng.pick(abroad) : rng.pick(C.PLACES_IN);
  }

  private langFor(rng: Rng, country: string | null): string {
    switch (country) {
      case "IN":
        return rng.weighted([
          ["en", 45],
          ["hi", 33],
          ["pa", 22],
        ]);
      case "PK":
        return rng.weighted([
          ["en", 70],
          ["ur", 30],
        ]);
      case "DE":
        return rng.chance(0.4) ? "de" : "en";
      case "CA":
      case "GB":
      case "US":
      case "AU":
      case "NZ":
        return rng.chance(0.2) ? "pa" : "en";
      case null:
        return rng.weighted([
          ["en", 60],
          ["hi", 20],
          ["pa", 20],
        ]);
      default:
        return "en";
    }
  }

  private personHandle(rng: Rng, first: string, last: string, style: "public" | "ordinary"): string {
    const f = toAscii(first);
    const l = toAscii(last);
    const d = (k: number) => rng.chars(k);
    const styles: (() => string)[] =
      style === "public"
        ? [
            () => `${f}${l}`,
            () => `${f}_${l}`,
            () => `${f[0]}${l}`,
            () => `${l}${f}`,
            () => `${f}${l}Official`,
            () => `${f}Reports`,
            () => `Real${f}${l}`,
          ]
        : [
            () => `${f}${l}`,
            () => `${f}_${l}`,
            () => `${f.toLowerCase()}${l.toLowerCase()}${d(2)}`,
            () => `${f}${l[0]}${d(3)}`,
            () => `${f.toLowerCase()}_${d(4)}`,
            () => `${l}${f[0]}`,
            () => `the_${f.toLowerCase()}`,
            () => `${f}Speaks`,
            () => `${l.toLowerCase()}_${f.toLowerCase()}`,
            () => `i${f}${l[0]}`,
          ];
    return this.handles.claim(rng.pick(styles)());
  }

  private bio(rng: Rng, templates: readonly string[], vars: Record<string, string>): string {
    return fill(rng.pick(templates), vars);
  }

  private followerCount(rng: Rng, median: number, sigma: number, max: number): number {
    return Math.min(max, Math.max(0, Math.round(rng.logNormal(Math.log(median), sigma))));
  }

  private oldDate(rng: Rng, fromYear: number, toYear: number): number {
    return rng.int(ts(fromYear, 1, 1), ts(toYear, 12, 31, 23, 59, 59));
  }

  private makeAccounts(): void {
    const rng = this.root.fork("accounts");

    // News media.
    const usedOutletNames = new Set<string>();
    const foreignOutlets = rng.shuffle(C.FOREIGN_OUTLETS.slice());
    for (let i = 0; i < this.n(BASE_COUNTS.news_media, 3); i++) {
      let name: string;
      let country: string;
      const foreign = rng.chance(0.15) ? foreignOutlets.pop() : undefined;
      if (foreign) {
        [name, country] = foreign;
      } else {
        country = "IN";
        do {
          const region = rng.pick(C.NEWS_REGIONS);
          const noun = rng.pick(C.NEWS_NOUNS);
          name = rng.chance(0.3) ? `The ${region} ${noun}` : `${region} ${noun}`;
          if (rng.chance(0.12)) name += rng.pick([" TV", " 24x7", " News"]);
        } while (usedOutletNames.has(name));
      }
      usedOutletNames.add(name);
      const handle = this.handles.claim(name.replace(/^The /, "").replace(/24x7/, "24"));
      const lang =
        country === "IN"
          ? rng.weighted([
              ["en", 60],
              ["hi", 25],
              ["pa", 15],
            ] as const)
          : "en";
      const acc = this.newAcc({
        category: "news_media",
        handle,
        displayName: name,
        createdAt: this.oldDate(rng, 2009, 2016),
        country,
        lang,
        bio: this.bio(rng, C.BIO_NEWS, { place: this.place(rng, country), name }),
        followers: this.followerCount(rng, 150_000, 1.2, 9_000_000),
        following: rng.int(20, 900),
        verified: rng.chance(0.8),
        stance: "neutral",
        activity: Math.round(Math.min(250, rng.logNormal(Math.log(45), 0.7))),
        domain: `${handle.toLowerCase()}.example.com`,
      });
      this.outlets.push(acc);
    }

    const protectedPerson = (
      category: Category,
      count: number,
      countries: readonly (readonly [string, number])[],
      cfg: {
        from: number;
        to: number;
        median: number;
        verified: number;
        activity: number;
        stances: readonly (readonly [C.Stance, number])[];
      },
    ) => {
      for (let i = 0; i < count; i++) {
        const country = rng.weighted(countries);
        const { first, last } = this.personName(rng, country);
        const title = category === "politician" && rng.chance(0.12) ? "Dr. " : "";
        const outlet = this.outlets.length > 0 ? rng.pick(this.outlets).displayName : "a daily";
        const party = rng.pick(C.PARTIES);
        const place = this.place(rng, country);
        const templates =
          category === "journalist"
            ? C.BIO_JOURNALIST
            : category === "activist"
              ? C.BIO_ACTIVIST
              : country === "IN"
                ? C.BIO_POLITICIAN
                : C.BIO_POLITICIAN_ABROAD;
        this.newAcc({
          category,
          handle: this.personHandle(rng, first, last, "public"),
          displayName: `${title}${first} ${last}`,
          createdAt: this.oldDate(rng, cfg.from, cfg.to),
          country,
          lang: this.langFor(rng, country),
          bio: this.bio(rng, templates, { outlet, party, place }),
          followers: this.followerCount(rng, cfg.median, 1.2, 5_000_000),
          following: rng.int(150, 3000),
          verified: rng.chance(cfg.verified),
          stance: rng.weighted(cfg.stances),
          activity: Math.round(Math.min(300, rng.logNormal(Math.log(cfg.activity), 0.8))),
        });
      }
    };

    protectedPerson(
      "journalist",
      this.n(BASE_COUNTS.journalist, 3),
      [
        ["IN", 85],
        ["GB", 5],
        ["US", 5],
        ["CA", 5],
      ],
      {
        from: 2009,
        to: 2019,
        median: 20_000,
        verified: 0.4,
        activity: 18,
        stances: [
          ["neutral", 55],
          ["pro", 35],
          ["counter", 10],
        ],
      },
    );
    protectedPerson(
      "activist",
      this.n(BASE_COUNTS.activist, 3),
      [
        ["IN", 75],
        ["CA", 8],
        ["GB", 7],
        ["US", 6],
        ["AU", 2],
        ["NZ", 1],
        ["DE", 1],
      ],
      {
        from: 2010,
        to: 2020,
        median: 6_000,
        verified: 0.08,
        activity: 16,
        stances: [
          ["pro", 92],
          ["neutral", 8],
        ],
      },
    );
    protectedPerson(
      "politician",
      this.n(BASE_COUNTS.politician, 3),
      [
        ["IN", 88],
        ["CA", 6],
        ["GB", 4],
        ["US", 2],
      ],
      {
        from: 2010,
        to: 2019,
        median: 60_000,
        verified: 0.7,
        activity: 12,
        stances: [
          ["pro", 55],
          ["counter", 40],
          ["neutral", 5],
        ],
      },
    );

    // Ordinary users.
    const ordinaryCountries: [string | null, number][] = [
      ["IN", 62],
      ["US", 6],
      ["GB", 5],
      ["CA", 6],
      ["PK", 4],
      ["AU", 2],
      ["AE", 2],
      ["DE", 1],
      ["NZ", 1],
      ["SG", 0.5],
      ["MY", 0.5],
      ["IT", 0.4],
      ["NL", 0.3],
      ["FR", 0.3],
      [null, 9],
    ];
    for (let i = 0; i < this.n(BASE_COUNTS.ordinary, 5); i++) {
      const country = rng.weighted(ordinaryCountries);
      const { first, last } = this.personName(rng, country);
      const newcomer = rng.chance(0.08);
      const createdAt = newcomer
        ? rng.int(ts(2021, 1, 1), ts(2021, 2, 8))
        : rng.int(
            ts(
              rng.weighted([
                [2008, 1],
                [2011, 2],
                [2014, 3],
                [2017, 4],
                [2019, 4],
              ] as const),
              1,
              1,
            ),
            ts(2020, 12, 31),
          );
      const stance = rng.weighted<C.Stance>(
        country === "IN"
          ? [
              ["pro", 62],
              ["counter", 28],
              ["neutral", 10],
            ]
          : [
              ["pro", 80],
              ["counter", 10],
              ["neutral", 10],
            ],
      );
      this.newAcc({
        category: "ordinary",
        handle: this.personHandle(rng, first, last, "ordinary"),
        displayName: rng.chance(0.85)
          ? `${first} ${last}`
          : `${first} ${rng.pick(stance === "counter" ? C.EMOJI_COUNTER : C.EMOJI_PRO)}`,
        createdAt,
        country,
        lang: this.langFor(rng, country),
        bio: rng.chance(0.5) ? "" : this.bio(rng, C.BIO_ORDINARY, { place: this.place(rng, country) }),
        hasAvatar: rng.chance(newcomer ? 0.6 : 0.88),
        followers: this.followerCount(rng, newcomer ? 8 : 180, 1.5, 400_000),
        following: this.followerCount(rng, newcomer ? 60 : 250, 1.0, 5000),
        verified: rng.chance(0.004),
        stance,
        activity: Math.min(150, Math.floor(rng.logNormal(1.35, 1.1))),
      });
    }

    // Bots outside any campaign: fresh, default-looking, amplifying both sides.
    for (let i = 0; i < this.n(BASE_COUNTS.botOther, 2); i++) {
      const country = rng.weighted<string | null>([
        ["IN", 45],
        [null, 30],
        ["PK", 8],
        ["AE", 5],
        ["US", 4],
        ["GB", 4],
        ["CA", 4],
      ]);
      const stance = rng.weighted<C.Stance>([
        ["pro", 55],
        ["counter", 45],
      ]);
      this.makeBot(rng, country, stance, rng.int(ts(2020, 12, 10), ts(2021, 1, 30)), null);
    }

    // Campaign bots: created days before their first campaign post.
    const [toolkit, geno] = this.campaigns as [CampaignDef, CampaignDef];
    const campaignBots = (
      c: CampaignDef,
      count: number,
      countries: readonly (readonly [string | null, number])[],
    ) => {
      for (let i = 0; i < count; i++) {
        const country = rng.weighted(countries);
        const k = Math.min(c.bursts.length, rng.int(3, 7));
        const bursts = rng.sample(
          c.bursts.map((_, j) => j),
          k,
        );
        bursts.sort((a, b) => a - b);
        const times = bursts.map((j) => (c.bursts[j] as { start: number }).start + rng.int(0, 540));
        const first = Math.min(...times);
        const acc = this.makeBot(rng, country, "pro", first - rng.int(2 * HOUR, 12 * DAY), c);
        acc.campaignBursts = bursts;
        acc.campaignTimes = times;
        c.accounts.push(acc);
      }
    };
    campaignBots(toolkit, this.n(BASE_COUNTS.botToolkit, 8), [
      ["PK", 22],
      ["CA", 18],
      ["GB", 16],
      ["US", 12],
      [null, 20],
      ["IN", 6],
      ["AE", 3],
      ["AU", 3],
    ]);
    campaignBots(geno, this.n(BASE_COUNTS.botGenocide, 5), [
      ["PK", 30],
      [null, 25],
      ["IN", 15],
      ["CA", 10],
      ["GB", 10],
      ["AE", 5],
      ["US", 5],
    ]);
  }

  private makeBot(
    rng: Rng,
    country: string | null,
    stance: C.Stance,
    createdAt: number,
    campaign: CampaignDef | null,
  ): Acc {
    const { first, last } = this.personName(rng, country);
    const f = toAscii(first);
    const l = toAscii(last);
    const raw = rng.weighted<() => string>([
      [() => `user${rng.chars(8)}`, 3],
      [() => `${f}${rng.chars(8)}`, 3],
      [() => `${f}${l}${rng.chars(rng.int(4, 6))}`, 2],
      [() => `${f}_${l.slice(0, 3)}${rng.chars(5)}`, 1],
      [() => `${f.toLowerCase()}${rng.chars(6)}`, 1],
    ])();
    const displayName = rng.weighted<() => string>([
      [() => `${first} ${last}`, 5],
      [() => first, 2],
      [() => `${first} ${rng.pick(stance === "counter" ? C.EMOJI_COUNTER : C.EMOJI_PRO)}`, 2],
      [
        () =>
          rng.pick([
            "Kisan Supporter",
            "Voice of Punjab",
            "Proud Indian",
            "Farmer Son",
            "Truth Seeker",
            "Jatt Life",
          ]),
        1,
      ],
    ])();
    return this.newAcc({
      category: "bot",
      isBot: true,
      handle: this.handles.claim(raw.slice(0, 15)),
      displayName,
      createdAt,
      country,
      lang: country === "IN" && rng.chance(0.3) ? rng.pick(["hi", "pa"]) : "en",
      bio: rng.chance(0.9) ? "" : rng.pick(["Nation first", "Kisan", "Retweets", "Truth"]),
      hasAvatar: rng.chance(0.08),
      followers: rng.int(0, 25),
      following: rng.int(150, 2400),
      verified: false,
      campaign,
      stance,
      activity: campaign ? rng.int(0, 4) : rng.int(6, 26),
    });
  }

  private assignAccountIds(): void {
    this.accounts.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    this.accounts.forEach((a, i) => {
      a.id = `a${String(i + 1).padStart(6, "0")}`;
    });
  }

  // ---- post scheduling -----------------------------------------------------------------------

  private makeSlots(): Slot[] {
    const rng = this.root.fork("slots");
    const slots: Slot[] = [];
    let seq = 0;
    const push = (t: number, author: Acc, kind: SlotKind, burst = -1, manip = -1) =>
      slots.push({ t, seq: seq++, author, kind, burst, manip });

    const mix: Record<Category, readonly (readonly [SlotKind, number])[]> = {
      news_media: [
        ["original", 85],
        ["reply", 3],
        ["quote", 7],
        ["repost", 5],
      ],
      journalist: [
        ["original", 45],
        ["reply", 25],
        ["quote", 15],
        ["repost", 15],
      ],
      activist: [
        ["original", 40],
        ["reply", 20],
        ["quote", 15],
        ["repost", 25],
      ],
      politician: [
        ["original", 55],
        ["reply", 10],
        ["quote", 15],
        ["repost", 20],
      ],
      ordinary: [
        ["original", 40],
        ["reply", 25],
        ["quote", 7],
        ["repost", 28],
      ],
      bot: [
        ["repost", 75],
        ["chatter", 25],
      ],
    };

    for (const a of this.accounts) {
      for (const [i, t] of a.campaignTimes.entries()) push(t, a, "campaign", a.campaignBursts[i] ?? -1);
      const notBefore = a.campaignTimes.length > 0 ? Math.min(...a.campaignTimes) : a.createdAt + 600;
      for (let i = 0; i < a.activity; i++) {
        const kind = a.campaign ? "repost" : rng.weighted(mix[a.category]);
        push(sampleTime(rng, notBefore), a, kind);
      }
    }

    // The handful of posts the platform labels as manipulated media.
    const manipTimes = [
      ts(2021, 1, 26, 10),
      ts(2021, 1, 26, 13),
      ts(2021, 1, 29, 12),
      ts(2021, 1, 31, 14),
      ts(2021, 2, 1, 9),
      ts(2021, 2, 3, 7),
      ts(2021, 2, 4, 15),
      ts(2021, 2, 6, 11),
    ];
    const manipCount = Math.min(C.MANIPULATED_MEDIA.length, Math.max(2, Math.round(8 * this.scale)));
    let ordinary = this.accounts.filter((a) => a.category === "ordinary" && a.createdAt < ts(2021, 1, 20));
    if (ordinary.length === 0)
      ordinary = this.accounts.filter((a) => !a.isBot && a.createdAt < ts(2021, 1, 20));
    for (let i = 0; i < manipCount; i++) {
      const [, stance] = C.MANIPULATED_MEDIA[i] as (typeof C.MANIPULATED_MEDIA)[number];
      const candidates = ordinary.filter((a) => a.stance === stance);
      const author = rng.pick(candidates.length > 0 ? candidates : ordinary);
      push((manipTimes[i] as number) + rng.int(0, 50 * 60), author, "manip", -1, i);
    }

    slots.sort((a, b) => a.t - b.t || a.seq - b.seq);
    return slots;
  }

  // ---- post content --------------------------------------------------------------------------

  private fillPosts(slots: Slot[]): void {
    const rng = this.root.fork("posts");
    const pools: Record<C.Stance, { all: Post[]; popular: Post[] }> = {
      pro: { all: [], popular: [] },
      counter: { all: [], popular: [] },
      neutral: { all: [], popular: [] },
    };
    const protectedAccounts = this.accounts.filter((a) => isProtectedCategory(a.category));

    const pickParent = (stance: C.Stance, t: number, author: Acc): Post | null => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const pool = pools[stance];
        const arr = rng.chance(0.7) && pool.popular.length > 0 ? pool.popular : pool.all;
        if (arr.length === 0) return null;
        const back = Math.min(arr.length - 1, Math.floor(rng.exponential(arr === pool.popular ? 150 : 400)));
        const p = arr[arr.length - 1 - back] as Post;
        if (p.author === author) continue;
        if (p.deleteAt !== null && p.deleteAt <= t + 60) continue;
        return p;
      }
      return null;
    };

    for (const slot of slots) {
      const a = slot.author;
      const post: Post = {
        idx: this.posts.length,
        id: `p${String(this.posts.length + 1).padStart(7, "0")}`,
        author: a,
        t: slot.t,
        text: "",
        lang: null,
        replyTo: null,
        quoteOf: null,
        repostOf: null,
        urls: [],
        media: [],
        campaign: null,
        inflammatory: false,
        genocide: false,
        manipulated: false,
        deleteAt: null,
        children: 0,
        stance: a.stance,
      };
      let kind = slot.kind;
      let deleteRate = 0.015;

      if (kind === "reply" || kind === "quote" || kind === "repost") {
        const other: C.Stance = a.stance === "counter" ? "pro" : "counter";
        const parentStance: C.Stance =
          kind === "repost"
            ? a.stance === "neutral"
              ? rng.pick(["neutral", "pro"] as const)
              : a.stance
            : rng.weighted([
                [a.stance, 65],
                [other, 20],
                ["neutral", 15],
              ]);
        const parent = pickParent(parentStance, slot.t, a);
        if (parent === null) kind = a.category === "bot" ? "chatter" : "original";
        else {
          parent.children++;
          if (kind === "repost") {
            post.repostOf = parent;
            post.stance = parent.stance;
            deleteRate = 0.01;
          } else if (kind === "reply") {
            post.replyTo = parent;
            this.replyText(rng, post, parent);
          } else {
            post.quoteOf = parent;
            this.quoteText(rng, post);
          }
        }
      }

      if (kind === "original") this.originalText(rng, post, protectedAccounts);
      else if (kind === "chatter") this.chatterText(rng, post);
      else if (kind === "campaign") {
        const c = a.campaign as CampaignDef;
        this.campaignText(rng, post, c, slot.burst);
        deleteRate = c.deleteRate;
      } else if (kind === "manip") {
        const [text, , mediaType] = C.MANIPULATED_MEDIA[slot.manip] as (typeof C.MANIPULATED_MEDIA)[number];
        post.text = text;
        post.lang = "en";
        post.media = [this.media(mediaType)];
        post.manipulated = true;
        deleteRate = 0;
      }
      if (post.genocide && !post.campaign) deleteRate = 0.12;

      if (rng.chance(deleteRate)) {
        let at: number;
        if (post.campaign?.id === "c-toolkit")
          at = Math.max(post.t + 600, ORDER2_AT + rng.int(HOUR, 5 * DAY));
        else at = post.t + Math.max(60, Math.round(rng.exponential(post.campaign ? DAY : 6 * HOUR)));
        if (at <= SCENARIO_END) post.deleteAt = at;
      }

      this.posts.push(post);
      if (post.campaign) post.campaign.posts.push(post);
      if (post.repostOf === null) {
        const pool = pools[post.stance];
        pool.all.push(post);
        if (isProtectedCategory(a.category) || a.followers >= 2000) pool.popular.push(post);
      }
    }
  }

  private media(type: "image" | "video" | "gif"): { id: string; type: "image" | "video" | "gif" } {
    this.mediaSeq++;
    return { id: `m${String(this.mediaSeq).padStart(7, "0")}`, type };
  }

  private postLang(rng: Rng, a: Acc): "en" | "hi" | "pa" {
    if (a.lang === "hi") return rng.chance(0.75) ? "hi" : "en";
    if (a.lang === "pa") return rng.chance(0.75) ? "pa" : rng.chance(0.3) ? "hi" : "en";
    return "en";
  }

  private hashtags(rng: Rng, stance: C.Stance, lang: string, t: number, max = 3): string[] {
    const k = rng.weighted([
      [0, 15],
      [1, 40],
      [2, 30],
      [3, 15],
    ] as const);
    const pool: string[] =
      stance === "counter"
        ? [...C.HASHTAGS.counter]
        : stance === "neutral"
          ? [...C.HASHTAGS.neutral]
          : [...C.HASHTAGS.pro];
    if (stance === "pro" && lang === "hi") pool.push(...C.HASHTAGS.proHi);
    if (stance === "pro" && lang === "pa") pool.push(...C.HASHTAGS.proPa);
    if (t < ts(2021, 1, 27, 12)) pool.push(...C.HASHTAGS.redfort);
    if (t >= ts(2021, 2, 5) && t < ts(2021, 2, 7)) pool.push(...C.HASHTAGS.chakkaJam);
    const tags = rng.sample(pool, Math.min(k, max));
    // The main protest tag dominates.
    if (stance === "pro" && tags.length > 0 && rng.chance(0.5) && !tags.includes("FarmersProtest"))
      tags[0] = "FarmersProtest";
    return tags.map((h) => `#${h}`);
  }

  private vars(rng: Rng, a: Acc, t: number): Record<string, string> {
    const day = Math.floor((t - PROTEST_START) / DAY) + 1;
    return {
      day: String(day),
      border: rng.pick(C.BORDERS),
      place: this.place(rng, a.country),
      deaths: String(140 + Math.floor((t - SCENARIO_START) / DAY) * 3),
    };
  }

  private joinParts(parts: string[]): string {
    return parts.filter((p) => p.length > 0).join(" ");
  }

  private originalText(rng: Rng, post: Post, protectedAccounts: Acc[]): void {
    const a = post.author;
    const t = post.t;
    const phase = phaseOf(t);
    const lang = this.postLang(rng, a);
    const v = this.vars(rng, a, t);
    const newsStyle = a.category === "news_media" || (a.category === "journalist" && a.stance === "neutral");
    const stance: C.Stance = newsStyle ? "neutral" : a.stance;
    post.lang = lang;
    post.stance = stance;

    // The genocide hashtag, from 28 Jan; evasion spellings once it is restricted.
    const genoP =
      stance !== "pro" || t < GENOCIDE_TAG_FROM
        ? 0
        : t < ts(2021, 2, 1)
          ? 0.07
          : t < ts(2021, 2, 5)
            ? 0.03
            : 0.01;
    if (genoP > 0 && rng.chance(genoP)) {
      const spelling =
        t >= VARIANTS_FROM && rng.chance(0.65)
          ? rng.pick(C.GENOCIDE_VARIANTS)
          : (C.HASHTAGS.genocide as string);
      const body =
        lang === "hi"
          ? rng.pick(C.HI_PRO)
          : lang === "pa"
            ? rng.pick(C.PA_PRO)
            : fill(rng.pick(C.GENOCIDE_BODY), v);
      const extra = rng.chance(0.6) ? ` #${rng.pick(C.HASHTAGS.pro)}` : "";
      post.text = `${body} #${spelling}${extra}`;
      post.genocide = true;
      post.inflammatory = true;
      return;
    }

    if (!newsStyle && rng.chance(0.004)) {
      const pool = stance === "counter" ? C.INCITEMENT_COUNTER : C.INCITEMENT_PRO;
      post.text = this.joinParts([rng.pick(pool), ...this.hashtags(rng, stance, "en", t, 1)]);
      post.lang = "en";
      post.inflammatory = true;
      return;
    }

    const lead: string[] = [];
    const parts: string[] = [];
    /** Indices into `parts` that may be left out to keep the post within 280 characters. */
    const optional: number[] = [];
    let bodyForSlug = "";
    if (lang === "en") {
      if (stance === "neutral") {
        const body = this.phaseBody(rng, C.EN_NEWS_BODY, phase);
        bodyForSlug = body;
        parts.push(rng.pick(C.EN_NEWS_PREFIX), body);
        if (!newsStyle && rng.chance(0.3)) lead.push(rng.pick(["Seen this?", "Any update?", "Hmm.", "So"]));
      } else {
        const bodies = stance === "counter" ? C.EN_COUNTER_BODY : C.EN_PRO_BODY;
        const b1 = this.phaseBody(rng, bodies, phase);
        let b2 = rng.chance(0.45) ? rng.pick(bodies.any) : "";
        if (b2 === b1) b2 = "";
        const opener = stance === "pro" ? rng.pick(C.EN_PRO_OPENERS) : "";
        const closer = rng.pick(stance === "pro" ? C.EN_PRO_CLOSERS : C.EN_COUNTER_CLOSERS);
        parts.push(fill(opener, v), fill(b1, v), fill(b2, v), closer);
        optional.push(parts.length - 2, parts.length - 4);
      }
    } else {
      const [pro, counter, news, openers, proClosers, counterClosers] =
        lang === "hi"
          ? [C.HI_PRO, C.HI_COUNTER, C.HI_NEWS, C.HI_OPENERS, C.HI_PRO_CLOSERS, C.HI_COUNTER_CLOSERS]
          : [C.PA_PRO, C.PA_COUNTER, C.PA_NEWS, C.PA_OPENERS, C.PA_PRO_CLOSERS, C.HI_COUNTER_CLOSERS];
      const pool = stance === "counter" ? counter : stance === "neutral" ? news : pro;
      const [b1, b2] = rng.sample(pool, rng.chance(0.5) ? 2 : 1);
      parts.push(rng.pick(openers), b1 ?? "", b2 ?? "");
      optional.push(parts.length - 1, parts.length - 3);
      if (stance !== "neutral") parts.push(rng.pick(stance === "counter" ? counterClosers : proClosers));
    }

    const tags = this.hashtags(rng, stance, lang, t);
    if (tags.length > 0 && rng.chance(0.15)) lead.unshift(tags.shift() as string);
    if (!newsStyle && rng.chance(0.25))
      parts.push(rng.pick(stance === "counter" ? C.EMOJI_COUNTER : C.EMOJI_PRO));
    if (!newsStyle && protectedAccounts.length > 0 && rng.chance(0.07)) {
      parts.push(`cc @${rng.pick(protectedAccounts).handle}`);
      optional.unshift(parts.length - 1);
    }

    let url: string | null = null;
    if (a.domain && rng.chance(0.7)) {
      const d = new Date(t * 1000);
      const slug =
        (bodyForSlug || "story")
          .toLowerCase()
          .replace(/[^a-z0-9 ]/g, "")
          .split(" ")
          .filter(Boolean)
          .slice(0, 7)
          .join("-") || "story";
      url = `https://${a.domain}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/${slug}-${rng.int(10000, 99999)}`;
    } else if (rng.chance(0.05)) {
      url = rng.weighted<() => string>([
        [
          () =>
            `https://video.example.com/watch?v=${rng.chars(11, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")}`,
          3,
        ],
        [() => "https://petition.example.org/repeal-the-farm-laws", 1],
        [() => `https://news-aggregator.example.com/story/${rng.int(100000, 999999)}`, 2],
      ])();
    }
    for (const tag of tags) {
      parts.push(tag);
      optional.push(parts.length - 1);
    }
    if (url) {
      parts.push(url);
      post.urls = [url];
    }
    for (const i of optional) {
      if (tweetLength(this.joinParts([...lead, ...parts])) <= 280) break;
      parts[i] = "";
    }
    post.text = this.joinParts([...lead, ...parts]);

    if (rng.chance(a.category === "news_media" ? 0.35 : 0.12)) {
      const type = rng.weighted([
        ["image", 70],
        ["video", 25],
        ["gif", 5],
      ] as const);
      const count =
        type === "image"
          ? rng.weighted([
              [1, 70],
              [2, 15],
              [3, 8],
              [4, 7],
            ] as const)
          : 1;
      for (let i = 0; i < count; i++) post.media.push(this.media(type));
    }
  }

  private phaseBody(rng: Rng, bodies: Record<C.Phase | "any", string[]>, phase: C.Phase): string {
    return rng.chance(0.45) && bodies[phase].length > 0 ? rng.pick(bodies[phase]) : rng.pick(bodies.any);
  }

  private replyText(rng: Rng, post: Post, parent: Post): void {
    const a = post.author;
    const lang = this.postLang(rng, a);
    const body =
      lang === "hi"
        ? rng.pick(C.REPLIES_HI)
        : lang === "pa"
          ? rng.pick(C.REPLIES_PA)
          : rng.pick(C.REPLIES_EN[a.stance]);
    const parts = [`@${parent.author.handle}`, body];
    if (rng.chance(0.1)) parts.push(...this.hashtags(rng, a.stance, lang, post.t, 1));
    if (rng.chance(0.15)) parts.push(rng.pick(a.stance === "counter" ? C.EMOJI_COUNTER : C.EMOJI_PRO));
    post.text = this.joinParts(parts);
    post.lang = lang;
  }

  private quoteText(rng: Rng, post: Post): void {
    const a = post.author;
    const lang = this.postLang(rng, a);
    const body =
      lang === "hi"
        ? rng.pick(C.REPLIES_HI)
        : lang === "pa"
          ? rng.pick(C.REPLIES_PA)
          : rng.pick(C.QUOTES_EN[a.stance]);
    post.text = this.joinParts([
      body,
      ...(rng.chance(0.5) ? this.hashtags(rng, a.stance, lang, post.t, 2) : []),
    ]);
    post.lang = lang;
  }

  private chatterText(rng: Rng, post: Post): void {
    const a = post.author;
    post.text = this.joinParts([rng.pick(C.BOT_CHATTER), ...this.hashtags(rng, a.stance, "en", post.t, 3)]);
    post.lang = "en";
  }

  private campaignText(rng: Rng, post: Post, c: CampaignDef, burst: number): void {
    const vary = new Set(
      rng.sample(
        c.segments.flatMap((s, i) => (typeof s === "string" ? [] : [i])),
        rng.weighted([
          [0, 20],
          [1, 35],
          [2, 30],
          [3, 15],
        ] as const),
      ),
    );
    let text = c.segments
      .map((s, i) => (typeof s === "string" ? s : vary.has(i) ? rng.pick(s.slice(1)) : (s[0] as string)))
      .join("");
    const spellings = c.bursts[burst]?.spellings ?? [];
    const tags = c.hashtags.map((h) => {
      if (h !== C.HASHTAGS.genocide || spellings.length === 0) return `#${h}`;
      return `#${rng.chance(0.1) ? h : rng.pick(spellings)}`;
    });
    text = `${text} ${tags.join(" ")}`;
    const prefix = rng.weighted([
      ["", 6],
      ["🚜 ", 1],
      ["🌾 ", 1],
      ["✊ ", 1],
      ["📢 ", 1],
    ] as const);
    const suffix = rng.weighted([
      ["", 6],
      [" 🙏", 1],
      [" ✊🏽", 1],
      [" 🌾🚜", 1],
    ] as const);
    post.text = prefix + text + suffix;
    post.lang = "en";
    post.campaign = c;
    post.stance = "pro";
    if (c.hashtags.includes(C.HASHTAGS.genocide)) {
      post.genocide = true;
      post.inflammatory = true;
    }
  }

  // ---- orders --------------------------------------------------------------------------------

  private makeOrders(): { orders: ScenarioOrder[]; truth: GroundTruth["orders"] } {
    const rng = this.root.fork("orders");
    const [toolkit, geno] = this.campaigns as [CampaignDef, CampaignDef];
    const authority: OrderBody["authority"] = {
      name: "Ministry of Electronics and Information Technology",
      country: "IN",
      type: "government_agency",
      officer: "Designated Officer",
      rank: "Joint Secretary",
    };

    const accountTarget = (a: Acc, avoid?: string): string => {
      const h = rng.chance(0.12)
        ? rng.chance(0.5)
          ? a.handle.toLowerCase()
          : a.handle.toUpperCase()
        : a.handle;
      const forms: [string, number][] = [
        [`${PLATFORM}/${h}`, 4],
        [`@${h}`, 3],
        [`account:${a.id}`, 3],
      ];
      const options = forms.filter(([f]) => avoid === undefined || f.toLowerCase() !== avoid.toLowerCase());
      return rng.weighted(options);
    };
    const postTarget = (p: Post, avoid?: string): string => {
      const url = `${PLATFORM}/${p.author.handle}/status/${p.id}${rng.chance(0.08) ? "?s=20" : ""}`;
      const forms: [string, number][] = [
        [url, 6],
        [`post:${p.id}`, 4],
      ];
      const options = forms.filter(
        ([f]) => avoid === undefined || !(f.startsWith("post:") === avoid.startsWith("post:")),
      );
      return rng.weighted(options.length > 0 ? options : forms);
    };

    const unresolvedHandles = (): string => {
      for (;;) {
        const h = rng
          .weighted<() => string>([
            [() => `user${rng.chars(8)}`, 2],
            [() => `${rng.pick(C.IN_FIRST_MALE)}${rng.pick(C.IN_LAST)}${rng.chars(3)}`, 2],
            [() => `Khalistan${rng.chars(4)}`, 1],
            [() => `${rng.pick(C.PK_FIRST)}_${rng.chars(5)}`, 1],
          ])()
          .slice(0, 15);
        if (!this.handles.has(h)) {
          this.handles.claim(h);
          return h;
        }
      }
    };

    class Builder {
      readonly items: OrderItem[] = [];
      readonly truth: GroundTruthOrderItem[] = [];
      readonly targets = new Set<string>();
      readonly subjects = new Set<string>();
      constructor(readonly size: number) {}
      get full(): boolean {
        return this.items.length >= this.size;
      }
      has(key: string): boolean {
        return this.subjects.has(key);
      }
      add(target: string, reason: string | undefined, expected: GroundTruthOrderItem["expected"]): boolean {
        if (this.full) return false;
        const key =
          expected.kind === "unresolvable"
            ? `u:${target.toLowerCase()}`
            : `${expected.kind === "deleted" ? "post" : expected.kind}:${expected.id}`;
        if (this.subjects.has(key) || this.targets.has(target)) return false;
        this.subjects.add(key);
        this.targets.add(target);
        this.items.push(reason === undefined ? { target } : { target, reason });
        this.truth.push({ target, expected });
        return true;
      }
      addAccount(a: Acc, reason: string | undefined, target = accountTarget(a)): boolean {
        if (this.has(`account:${a.id}`)) return false;
        return this.add(target, reason, { kind: "account", id: a.id, category: a.category });
      }
      addPost(p: Post, reason: string | undefined, at: number, target = postTarget(p)): boolean {
        if (this.has(`post:${p.id}`)) return false;
        const deleted = p.deleteAt !== null;
        if (deleted && (p.deleteAt as number) >= at) return false;
        return this.add(target, reason, {
          kind: deleted ? "deleted" : "post",
          id: p.id,
          category: p.author.category,
        });
      }
    }

    /** Turns an undeleted, childless post into one deleted shortly before `at`. */
    const deleteBefore = (candidates: Post[], count: number, at: number): Post[] => {
      const out: Post[] = [];
      for (const p of rng.shuffle(candidates.slice())) {
        if (out.length >= count) break;
        if (p.manipulated || p.t > at - 2 * HOUR) continue;
        if (p.deleteAt !== null) {
          if (p.deleteAt < at) out.push(p);
          continue;
        }
        if (p.children > 0) continue;
        p.deleteAt = p.t + rng.int(10 * 60, at - p.t - 10 * 60);
        out.push(p);
      }
      return out;
    };

    const live = (p: Post, at: number) => p.t < at - 600 && p.deleteAt === null && p.repostOf === null;
    const reasons1 = [
      "Use of hashtag #ModiPlanningFarmerGenocide; fake and inflammatory content likely to incite violence",
      "Misinformation about the farmers' protest likely to disturb public order",
      "Inflammatory content, threat to public order (s.69A(1))",
      "Provocative posts under #ModiPlanningFarmerGenocide",
    ];
    const reasons2 = {
      foreign: "Account operating from foreign territory; linked to Pakistan-based handles",
      khalistan: "Khalistan-sympathiser account spreading misinformation about the farmers' protest",
      bot: "Automated bot account amplifying misinformation",
      toolkit: "Part of a coordinated campaign built around a shared toolkit",
      similar: "Similar in kind to accounts listed in MeitY/69A/2021/0131-1",
      public: "Misinformation likely to incite violence; threat to public order",
    };

    // ---- Order 1: the genocide hashtag.
    const o1 = new Builder(orderSize(ORDER1_SIZE, this.scale));
    const genoPostsBefore1 = this.posts.filter((p) => p.genocide && p.t < ORDER1_AT - 600);
    const organicGeno1 = genoPostsBefore1.filter((p) => !p.campaign);
    o1.add(`hashtag:${C.HASHTAGS.genocide}`, reasons1[0], {
      kind: "hashtag",
      id: C.HASHTAGS.genocide,
      category: null,
    });
    for (const p of deleteBefore(organicGeno1, Math.max(1, Math.round(o1.size * 0.016)), ORDER1_AT)) {
      o1.addPost(p, rng.pick(reasons1), ORDER1_AT);
    }
    for (let i = 0; i < Math.max(1, Math.round(o1.size * 0.016)); i++) {
      const h = unresolvedHandles();
      o1.add(rng.chance(0.5) ? `@${h}` : `${PLATFORM}/${h}`, rng.pick(reasons1), {
        kind: "unresolvable",
        id: null,
        category: null,
      });
    }
    // Protected accounts that used the tag, then other protected voices of the protest.
    const prot1 = Math.max(1, Math.round(o1.size * 0.06));
    const protGeno = rng.shuffle(
      organicGeno1.filter((p) => isProtectedCategory(p.author.category) && live(p, ORDER1_AT)),
    );
    const protPro = rng.shuffle(
      this.accounts.filter(
        (a) => isProtectedCategory(a.category) && a.stance === "pro" && a.createdAt < ORDER1_AT,
      ),
    );
    let added = 0;
    for (const p of protGeno) {
      if (added >= prot1) break;
      if (rng.chance(0.5) ? o1.addPost(p, reasons1[0], ORDER1_AT) : o1.addAccount(p.author, reasons1[0]))
        added++;
    }
    for (const a of protPro) {
      if (added >= prot1) break;
      if (o1.addAccount(a, rng.pick(reasons1))) added++;
    }
    // Genocide-campaign bots and their posts.
    const bots1 = Math.round(o1.size * 0.3);
    const genoBots1 = rng.shuffle(
      geno.accounts.filter((a) => a.campaignTimes.some((t) => t < ORDER1_AT - 600)),
    );
    added = 0;
    for (const a of genoBots1) {
      if (added >= bots1) break;
      const p = rng.chance(0.2)
        ? a.campaign?.posts.find((q) => q.author === a && live(q, ORDER1_AT))
        : undefined;
      if (p ? o1.addPost(p, reasons1[0], ORDER1_AT) : o1.addAccount(a, rng.pick(reasons1))) added++;
    }
    // Ordinary users of the tag: accounts and posts.
    const unprotected = (p: Post) => !isProtectedCategory(p.author.category);
    for (const p of rng.shuffle(organicGeno1.filter((p) => live(p, ORDER1_AT) && unprotected(p)))) {
      if (o1.full) break;
      if (rng.chance(0.5)) o1.addPost(p, rng.pick(reasons1), ORDER1_AT);
      else o1.addAccount(p.author, rng.pick(reasons1));
    }
    for (const p of rng.shuffle(genoPostsBefore1.filter((p) => live(p, ORDER1_AT) && unprotected(p)))) {
      if (o1.full) break;
      if (rng.chance(0.5)) o1.addPost(p, rng.pick(reasons1), ORDER1_AT);
      else o1.addAccount(p.author, rng.pick(reasons1));
    }
    // Fallback (small scales): other pro-protest posts from before the order.
    for (const p of rng.shuffle(
      this.posts.filter(
        (p) => p.stance === "pro" && live(p, ORDER1_AT) && p.text.includes("#") && unprotected(p),
      ),
    )) {
      if (o1.full) break;
      o1.addPost(p, rng.pick(reasons1), ORDER1_AT);
    }
    if (!o1.full) throw new Error("demo scenario: not enough material for order 1");

    // ---- Order 2: foreign-operated accounts, bots, the toolkit; re-lists part of order 1.
    const o2 = new Builder(orderSize(ORDER2_SIZE, this.scale));
    const byAccount = new Map(this.accounts.map((a) => [a.id, a]));
    const byPost = new Map(this.posts.map((p) => [p.id, p]));
    const relist = Math.max(1, Math.round(o2.size * 0.13));
    for (const item of rng.sample(
      o1.truth.filter((x) => x.expected.kind !== "unresolvable"),
      relist,
    )) {
      const same = rng.chance(0.65);
      const { kind, id } = item.expected;
      if (kind === "hashtag" || same) o2.add(item.target, reasons2.similar, item.expected);
      else if (kind === "account")
        o2.addAccount(
          byAccount.get(id as string) as Acc,
          reasons2.similar,
          accountTarget(byAccount.get(id as string) as Acc, item.target),
        );
      else {
        const p = byPost.get(id as string) as Post;
        o2.addPost(p, reasons2.similar, ORDER2_AT, postTarget(p, item.target));
      }
    }
    for (const p of deleteBefore(
      this.posts.filter(
        (p) =>
          p.repostOf === null &&
          p.stance === "pro" &&
          !isProtectedCategory(p.author.category) &&
          p.t > ORDER1_AT &&
          ["PK", "CA", "GB", "US"].includes(p.author.country ?? ""),
      ),
      Math.max(1, Math.round(o2.size * 0.01)),
      ORDER2_AT,
    )) {
      o2.addPost(p, rng.pick([reasons2.foreign, reasons2.public]), ORDER2_AT);
    }
    for (let i = 0; i < Math.max(1, Math.round(o2.size * 0.01)); i++) {
      const h = unresolvedHandles();
      o2.add(
        rng.chance(0.5) ? `@${h}` : `${PLATFORM}/${h}`,
        rng.pick([reasons2.foreign, reasons2.bot, reasons2.khalistan]),
        {
          kind: "unresolvable",
          id: null,
          category: null,
        },
      );
    }
    // Journalists, politicians, news media and activists.
    const prot2 = Math.max(1, Math.round(o2.size * 0.065));
    added = 0;
    const protPool = rng.shuffle(
      this.accounts.filter(
        (a) =>
          isProtectedCategory(a.category) &&
          a.createdAt < ORDER2_AT &&
          (a.stance === "pro" || a.category === "news_media" || a.category === "journalist"),
      ),
    );
    const protWeights: Record<string, number> = {
      journalist: 35,
      politician: 25,
      news_media: 20,
      activist: 20,
    };
    const protByCat = new Map<Category, Acc[]>();
    for (const a of protPool) {
      const list = protByCat.get(a.category);
      if (list) list.push(a);
      else protByCat.set(a.category, [a]);
    }
    const postsBy = new Map<Acc, Post[]>();
    for (const p of this.posts) {
      if (!live(p, ORDER2_AT) || !p.text.includes("#")) continue;
      const list = postsBy.get(p.author);
      if (list) list.push(p);
      else postsBy.set(p.author, [p]);
    }
    for (let guard = 0; added < prot2 && guard < prot2 * 20; guard++) {
      const cats = [...protByCat.entries()].filter(([, v]) => v.length > 0);
      if (cats.length === 0) break;
      const cat = rng.weighted(cats.map(([c]) => [c, protWeights[c] ?? 1] as const));
      const a = protByCat.get(cat)?.pop() as Acc;
      const reason = a.country !== "IN" ? reasons2.foreign : rng.pick([reasons2.public, reasons2.khalistan]);
      const theirs = postsBy.get(a);
      const p = theirs && rng.chance(0.2) ? rng.pick(theirs) : undefined;
      if (p ? o2.addPost(p, reason, ORDER2_AT) : o2.addAccount(a, reason)) added++;
    }
    // Toolkit bots (accounts and some of their posts).
    const tkAccounts = Math.round(o2.size * 0.38);
    added = 0;
    for (const a of rng.shuffle(toolkit.accounts.filter((a) => a.createdAt < ORDER2_AT))) {
      if (added >= tkAccounts) break;
      if (
        o2.addAccount(
          a,
          rng.weighted([
            [reasons2.toolkit, 5],
            [reasons2.bot, 3],
            [reasons2.foreign, 2],
            [undefined, 1],
          ] as const),
        )
      )
        added++;
    }
    added = 0;
    for (const p of rng.shuffle(toolkit.posts.filter((p) => live(p, ORDER2_AT)))) {
      if (added >= Math.round(o2.size * 0.04)) break;
      if (o2.addPost(p, reasons2.toolkit, ORDER2_AT)) added++;
    }
    // Remaining genocide bots, other bots.
    added = 0;
    // Accounts of order 1 come back only through the deliberate re-listing above.
    const inOrder1 = (a: Acc) => o1.has(`account:${a.id}`);
    for (const a of rng.shuffle(geno.accounts.filter((a) => !inOrder1(a)))) {
      if (added >= Math.round(o2.size * 0.05)) break;
      if (o2.addAccount(a, rng.pick([reasons2.bot, reasons2.foreign, reasons2.similar]))) added++;
    }
    added = 0;
    for (const a of rng.shuffle(
      this.accounts.filter((a) => a.isBot && !a.campaign && a.createdAt < ORDER2_AT),
    )) {
      if (added >= Math.round(o2.size * 0.08)) break;
      if (o2.addAccount(a, reasons2.bot)) added++;
    }
    // Ordinary accounts operating from PK/CA/GB/US, and some of their posts.
    const foreign = rng.shuffle(
      this.accounts.filter(
        (a) =>
          a.category === "ordinary" &&
          a.stance === "pro" &&
          ["PK", "CA", "GB", "US"].includes(a.country ?? "") &&
          a.createdAt < ORDER2_AT &&
          !inOrder1(a),
      ),
    );
    for (const a of foreign) {
      if (o2.full) break;
      const theirs = postsBy.get(a);
      const reason = rng.weighted([
        [reasons2.foreign, 5],
        [reasons2.khalistan, 3],
        [reasons2.public, 1],
        [undefined, 1],
      ] as const);
      if (theirs && theirs.length > 0 && rng.chance(0.15)) o2.addPost(rng.pick(theirs), reason, ORDER2_AT);
      else o2.addAccount(a, reason);
    }
    // Fallback (small scales): other pro-protest ordinary accounts with hashtag posts.
    for (const a of rng.shuffle(this.accounts.filter((a) => a.category === "ordinary" && postsBy.has(a)))) {
      if (o2.full) break;
      o2.addAccount(a, reasons2.public);
    }
    if (!o2.full) throw new Error("demo scenario: not enough material for order 2");

    const shuffled = (b: Builder) => {
      const idx = rng.shuffle(b.items.map((_, i) => i));
      return {
        items: idx.map((i) => b.items[i] as OrderItem),
        truth: idx.map((i) => b.truth[i] as GroundTruthOrderItem),
      };
    };
    const s1 = shuffled(o1);
    const s2 = shuffled(o2);
    const ref1 = "MeitY/69A/2021/0131-1";
    const ref2 = "MeitY/69A/2021/0204-1";
    return {
      orders: [
        {
          name: "order-1",
          body: {
            authority: { ...authority },
            legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.9",
            reference: ref1,
            receivedAt: iso(ORDER1_AT),
            deadline: null,
            emergency: true,
            confidential: true,
            items: s1.items,
          },
        },
        {
          name: "order-2",
          body: {
            authority: { ...authority },
            legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
            reference: ref2,
            receivedAt: iso(ORDER2_AT),
            deadline: null,
            emergency: false,
            confidential: true,
            items: s2.items,
          },
        },
      ],
      truth: [
        { file: "orders/order-1.json", reference: ref1, items: s1.truth },
        { file: "orders/order-2.json", reference: ref2, items: s2.truth },
      ],
    };
  }

  // ---- the platform's own actions ------------------------------------------------------------

  private makeActions(): DirectAction[] {
    const actions: DirectAction[] = [
      {
        subject: { type: "hashtag", id: C.HASHTAGS.genocide },
        action: "suppress",
        surfaces: ["trends", "search_suggestions"],
        countries: null,
        reason:
          "Incitement and harmful misinformation: hashtag barred from Trends and recommended search terms",
        rule: "violent_speech",
        expiresAt: null,
        idempotencyKey: `demo-suppress-${C.HASHTAGS.genocide}`,
      },
    ];
    for (const p of this.posts) {
      if (!p.manipulated) continue;
      actions.push({
        subject: { type: "post", id: p.id },
        action: "label",
        label: "manipulated_media",
        countries: null,
        reason: "Synthetic or manipulated media likely to cause real-world harm",
        rule: "synthetic_manipulated_media",
        expiresAt: null,
        idempotencyKey: `demo-label-${p.id}`,
      });
    }
    return actions;
  }

  // ---- output --------------------------------------------------------------------------------

  private assemble(
    orders: { orders: ScenarioOrder[]; truth: GroundTruth["orders"] },
    actions: DirectAction[],
  ): Scenario {
    const accounts: AccountEvent[] = this.accounts.map((a) => ({
      type: "account",
      id: a.id,
      handle: a.handle,
      displayName: a.displayName,
      createdAt: iso(a.createdAt),
      country: a.country,
      lang: a.lang,
      bio: a.bio,
      hasAvatar: a.hasAvatar,
      followers: a.followers,
      following: a.following,
      verified: a.verified,
    }));
    const posts: PostEvent[] = this.posts.map((p) => ({
      type: "post",
      id: p.id,
      authorId: p.author.id,
      createdAt: iso(p.t),
      text: p.text,
      lang: p.lang,
      replyTo: p.replyTo?.id ?? null,
      quoteOf: p.quoteOf?.id ?? null,
      repostOf: p.repostOf?.id ?? null,
      urls: p.urls,
      media: p.media,
    }));
    const deleted = this.posts.filter((p) => p.deleteAt !== null);
    deleted.sort((a, b) => (a.deleteAt as number) - (b.deleteAt as number) || a.idx - b.idx);
    const deletes: DeleteEvent[] = deleted.map((p) => ({
      type: "delete",
      id: p.id,
      at: iso(p.deleteAt as number),
    }));

    const gtAccounts: GroundTruth["accounts"] = {};
    for (const a of this.accounts) {
      gtAccounts[a.id] = {
        category: a.category,
        isBot: a.isBot,
        isProtected: isProtectedCategory(a.category),
        campaign: a.campaign?.id ?? null,
        country: a.country,
      };
    }
    const gtPosts: GroundTruth["posts"] = {};
    const spellings = new Set<string>();
    for (const p of this.posts) {
      gtPosts[p.id] = {
        campaign: p.campaign?.id ?? null,
        inflammatory: p.inflammatory,
        deleted: p.deleteAt !== null,
      };
      if (p.genocide) for (const v of C.GENOCIDE_VARIANTS) if (p.text.includes(`#${v}`)) spellings.add(v);
    }
    const campaigns: GroundTruthCampaign[] = this.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      accountIds: c.accounts.map((a) => a.id).sort(),
      postIds: c.posts.map((p) => p.id).sort(),
      hashtags: [...c.hashtags],
      template: `${c.segments.map((s) => (typeof s === "string" ? s : (s[0] as string))).join("")} ${c.hashtags.map((h) => `#${h}`).join(" ")}`,
    }));

    return {
      seed: this.seed,
      scale: this.scale,
      accounts,
      posts,
      deletes,
      orders: orders.orders,
      actions,
      groundTruth: {
        seed: this.seed,
        scale: this.scale,
        accounts: gtAccounts,
        posts: gtPosts,
        campaigns,
        hashtagVariants: {
          canonical: C.HASHTAGS.genocide,
          variants: C.GENOCIDE_VARIANTS.filter((v) => spellings.has(v)),
        },
        orders: orders.truth,
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Files

/** The lines of events.ndjson: accounts, then posts and deletes in time order. */
export function* scenarioEventLines(s: Scenario): Generator<string> {
  for (const a of s.accounts) yield JSON.stringify(a);
  let d = 0;
  for (const p of s.posts) {
    while (d < s.deletes.length && (s.deletes[d] as DeleteEvent).at < p.createdAt)
      yield JSON.stringify(s.deletes[d++]);
    yield JSON.stringify(p);
  }
  while (d < s.deletes.length) yield JSON.stringify(s.deletes[d++]);
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** An order as CSV (header target,reason; RFC 4180 quoting and CRLF line ends). */
export function orderCsv(order: OrderBody): string {
  const rows = [
    "target,reason",
    ...order.items.map((i) => `${csvField(i.target)},${csvField(i.reason ?? "")}`),
  ];
  return `${rows.join("\r\n")}\r\n`;
}

const sha256 = (data: string): string => createHash("sha256").update(data, "utf8").digest("hex");

export async function writeScenario(dir: string, s: Scenario): Promise<ScenarioFiles> {
  await mkdir(join(dir, "orders"), { recursive: true });
  const manifestFiles: Record<string, Record<string, string | number>> = {};
  const put = async (rel: string, data: string, counts: Record<string, number>): Promise<string> => {
    const path = join(dir, rel);
    await writeFile(path, data, "utf8");
    manifestFiles[rel] = { ...counts, bytes: Buffer.byteLength(data, "utf8"), sha256: sha256(data) };
    return path;
  };

  const lines: string[] = [];
  for (const line of scenarioEventLines(s)) lines.push(line);
  const events = await put("events.ndjson", `${lines.join("\n")}\n`, {
    lines: lines.length,
    accounts: s.accounts.length,
    posts: s.posts.length,
    deletes: s.deletes.length,
  });

  const orders: ScenarioFiles["orders"] = [];
  for (const o of s.orders) {
    const json = await put(`orders/${o.name}.json`, `${JSON.stringify(o.body, null, 2)}\n`, {
      items: o.body.items.length,
    });
    const csv = await put(`orders/${o.name}.csv`, orderCsv(o.body), { items: o.body.items.length });
    orders.push({ name: o.name, json, csv });
  }

  const actions = await put("actions.ndjson", s.actions.map((a) => `${JSON.stringify(a)}\n`).join(""), {
    lines: s.actions.length,
  });
  const gt = s.groundTruth;
  const groundTruth = await put("ground-truth.json", `${JSON.stringify(gt)}\n`, {
    accounts: Object.keys(gt.accounts).length,
    posts: Object.keys(gt.posts).length,
    campaigns: gt.campaigns.length,
    orderItems: gt.orders.reduce((n, o) => n + o.items.length, 0),
  });

  const manifest = join(dir, "manifest.json");
  const body = { generator: "vigil-demo-scenario/1", seed: s.seed, scale: s.scale, files: manifestFiles };
  await writeFile(manifest, `${JSON.stringify(body, null, 2)}\n`, "utf8");
  return { dir, events, actions, groundTruth, manifest, orders };
}
