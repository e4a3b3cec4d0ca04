/**
 * The trend-defence experiment (issue 5 §8), shared by its test and its benchmark: a country's
 * organic background of trending tags, then two surges of the same size in the same hours, one a
 * coordinated campaign (aged, bought-looking accounts posting a template with a fixed tag sequence in
 * three scheduled waves) and one organic (real accounts writing their own posts over two
 * hours). Both streams go through the coordination detectors and the trends engine; the result is
 * where each surge's tag ranks with and without the detectors' coordination weighting.
 */
import { Rng } from "../demo/random.ts";
import { DetectionEngine } from "../detect/engine.ts";
import { type TrendFilter, TrendsEngine } from "./engine.ts";

export interface DefenceOptions {
  seed?: string;
  /** Accounts in each surge (the campaign and the organic one). */
  surge?: number;
  /** Background tags and their accounts. */
  backgroundTags?: number;
  backgroundMin?: number;
  backgroundMax?: number;
  /** Waves of the campaign, 40 minutes apart, each account posting once per wave (default 3). */
  waves?: number;
}

export interface DefenceResult {
  surge: number;
  /** Rank in the top 10 (null: not in it). */
  campaignRankWithout: number | null;
  campaignRankWith: number | null;
  organicRankWithout: number | null;
  organicRankWith: number | null;
  /** Share of campaign accounts the detectors scored as coordinated; share of organic ones (false). */
  campaignCoordinated: number;
  organicCoordinated: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNTRY = "IN";
const CAMPAIGN_TAG = "BoycottTheHarvest";
const ORGANIC_TAG = "RainInPunjab";

export function runDefence(opts: DefenceOptions = {}): DefenceResult {
  const rng = new Rng(opts.seed ?? "trend-defence");
  const surge = opts.surge ?? 150;
  const t0 = Date.UTC(2021, 1, 6, 0, 0, 0);
  const peak = t0 + 20 * HOUR;
  const detect = new DetectionEngine({ seed: "trend-defence" });
  const trends = new TrendsEngine({ holdNewTags: false });
  let nAccounts = 0;
  let nPosts = 0;
  const account = (kind: "real" | "bought") => {
    const id = `${kind}-${++nAccounts}`;
    const createdAt = t0 - (200 + rng.int(0, 2000)) * DAY;
    const handle =
      kind === "real"
        ? `${rng.pick(["asha", "dev", "kiran", "meera", "raj", "simran"])}_${rng.pick(["writes", "farm", "news", "life"])}${nAccounts}`
        : `user${rng.int(10_000_000, 99_999_999)}`;
    const bio = kind === "real" ? "Farmer, father, cricket fan." : "";
    detect.observeAccount({
      id,
      handle,
      createdAt,
      bio,
      hasAvatar: kind === "real",
      followers: kind === "real" ? rng.int(50, 2000) : rng.int(0, 5),
      following: kind === "real" ? rng.int(50, 800) : rng.int(500, 3000),
      verified: false,
    });
    trends.observeAccount({
      id,
      country: COUNTRY,
      createdAt: new Date(createdAt).toISOString(),
      hasAvatar: kind === "real",
      bio: kind === "real" ? bio : "Retweets are not endorsements.",
    });
    return id;
  };
  const posts: { id: string; authorId: string; t: number; text: string; tags: string[] }[] = [];
  const post = (authorId: string, t: number, text: string, tags: string[]) =>
    posts.push({
      id: `p${++nPosts}`,
      authorId,
      t,
      text: `${text} ${tags.map((x) => `#${x}`).join(" ")}`,
      tags,
    });

  // Background: organic tags with 20 to 120 accounts each over the day, each account its own words.
  const words = [
    "rain",
    "market",
    "mandi",
    "price",
    "wheat",
    "tractor",
    "village",
    "school",
    "cricket",
    "match",
    "film",
    "song",
    "train",
    "bus",
    "power",
    "water",
    "festival",
    "wedding",
    "exam",
    "result",
  ];
  const sentence = () => Array.from({ length: 8 + rng.int(0, 6) }, () => rng.pick(words)).join(" ");
  for (let k = 0; k < (opts.backgroundTags ?? 30); k++) {
    const tag = `Topic${k}`;
    const n = rng.int(opts.backgroundMin ?? 20, opts.backgroundMax ?? 120);
    for (let i = 0; i < n; i++) post(account("real"), t0 + rng.int(0, 23 * HOUR), sentence(), [tag]);
  }
  // The campaign: bought accounts, one template, the same tag sequence, seconds apart.
  const templates = [
    "Do not buy from the protest camps, they are funded from abroad",
    "The harvest is being held hostage by paid agitators, boycott it",
  ];
  const campaign: string[] = [];
  for (let i = 0; i < surge; i++) campaign.push(account("bought"));
  // Three waves, 40 minutes apart: every account posts once per wave, seconds to minutes after the
  // wave's start (how such pushes are run: a schedule, a shared text, a fixed tag sequence).
  for (let wave = 0; wave < (opts.waves ?? 3); wave++) {
    const start = peak - 2 * HOUR + wave * 40 * 60_000;
    for (const a of campaign)
      post(a, start + rng.int(0, 10 * 60_000), rng.pick(templates), [
        CAMPAIGN_TAG,
        "StopTheLies",
        "IndiaFirst",
      ]);
  }
  // The organic surge: real accounts, their own words, once to three times each over the same two hours.
  const organic: string[] = [];
  for (let i = 0; i < surge; i++) {
    const a = account("real");
    organic.push(a);
    for (let k = rng.int(1, 3); k > 0; k--)
      post(a, peak - 2 * HOUR + rng.int(0, 2 * HOUR), sentence(), [ORGANIC_TAG]);
  }
  posts.sort((x, y) => x.t - y.t);
  for (const p of posts) {
    detect.observePost({
      id: p.id,
      authorId: p.authorId,
      createdAt: p.t,
      text: p.text,
      replyTo: null,
      quoteOf: null,
      repostOf: null,
      urls: [],
    });
    trends.observePost({
      id: p.id,
      authorId: p.authorId,
      createdAt: new Date(p.t).toISOString(),
      hashtags: p.tags,
    });
  }
  // Coordinated: a member of a campaign the detectors flagged (the whole campaign is weighed down,
  // not only its most central members).
  const members = new Set(
    detect
      .campaigns(peak)
      .filter((c) => c.flagged)
      .flatMap((c) => c.members.map((m) => m.accountId)),
  );
  const coordinated = (id: string) => members.has(id);
  const base: TrendFilter = { tagRestricted: () => false, accountRestricted: () => false };
  const rankOf = (filter: TrendFilter, tag: string) => {
    const r = trends.top(COUNTRY, new Date(peak), 10, filter).trends.find((x) => x.tag === tag);
    return r ? r.rank : null;
  };
  const defended: TrendFilter = { ...base, coordinated };
  return {
    surge,
    campaignRankWithout: rankOf(base, CAMPAIGN_TAG),
    campaignRankWith: rankOf(defended, CAMPAIGN_TAG),
    organicRankWithout: rankOf(base, ORGANIC_TAG),
    organicRankWith: rankOf(defended, ORGANIC_TAG),
    campaignCoordinated: campaign.filter(coordinated).length / surge,
    organicCoordinated: organic.filter(coordinated).length / surge,
  };
}
