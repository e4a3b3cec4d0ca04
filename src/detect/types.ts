/**
 * The coordination detector's inputs and outputs. Inputs mirror src/ingest/events.ts with times in
 * epoch milliseconds (`fromAccountEvent` / `fromPostEvent` convert); outputs are plain data a review
 * case can store as evidence.
 */
import type { AccountEvent, PostEvent } from "../ingest/events.ts";
import type { Significance } from "./cluster.ts";
import type { BotScore, SignalContribution } from "./signals.ts";

export interface DetectAccount {
  id: string;
  handle: string;
  createdAt: number;
  bio: string;
  hasAvatar: boolean;
  followers: number;
  following: number;
  verified: boolean;
}

export interface DetectPost {
  id: string;
  authorId: string;
  createdAt: number;
  text: string;
  replyTo: string | null;
  quoteOf: string | null;
  repostOf: string | null;
  urls: readonly string[];
  /** Hashtags as written; extracted from `text` when absent. */
  hashtags?: readonly string[];
}

export function fromAccountEvent(e: AccountEvent): DetectAccount {
  return {
    id: e.id,
    handle: e.handle,
    createdAt: Date.parse(e.createdAt),
    bio: e.bio,
    hasAvatar: e.hasAvatar,
    followers: e.followers,
    following: e.following,
    verified: e.verified,
  };
}

export function fromPostEvent(e: PostEvent): DetectPost {
  return {
    id: e.id,
    authorId: e.authorId,
    createdAt: Date.parse(e.createdAt),
    text: e.text,
    replyTo: e.replyTo,
    quoteOf: e.quoteOf,
    repostOf: e.repostOf,
    urls: e.urls,
  };
}

export type TraceKind = "text" | "sequence" | "url" | "tag" | "repost" | "repostBurst" | "quote" | "reply";

/** A shared object seen in a campaign: how many members co-acted on it, and what it is. */
export interface SharedObject {
  kind: TraceKind;
  /** Example text for a template, the spelling first seen for a hashtag sequence, the URL, the post id. */
  label: string;
  /** The comparison key (matchKey sequence, canonical URL); equal to label for the rest. */
  key: string;
  accounts: number;
}

export interface CampaignMember {
  accountId: string;
  /** Per-member score in [0, 1]: coordination strength inside the campaign. */
  score: number;
  /** Sum of strong-edge weights to other members, and how many members those edges reach. */
  strength: number;
  partners: number;
  botScore: number;
  /** Whether this member is put in front of reviewers. */
  flagged: boolean;
}

export interface TimeProfile {
  binMs: number;
  /** Start of the first bin (epoch ms) and the count of members' coordinated posts per bin. */
  start: number;
  counts: number[];
  firstAt: number;
  lastAt: number;
  /** Median over member pairs of their mean gap between co-actions. */
  medianGapMs: number;
}

export interface AccountStatistics {
  medianAgeDays: number | null;
  youngShare: number;
  noAvatarShare: number;
  emptyBioShare: number;
  bareProfileShare: number;
  defaultHandleShare: number;
  verifiedShare: number;
  medianFollowers: number;
  medianBotScore: number;
}

export interface Campaign {
  id: string;
  /** Whether the campaign goes to reviewers (significant and inauthentic enough). */
  flagged: boolean;
  size: number;
  /** Strong edges inside / possible member pairs. */
  density: number;
  edges: number;
  totalWeight: number;
  /** Edges carrying each trace kind. */
  traces: Partial<Record<TraceKind, number>>;
  members: CampaignMember[];
  /** The strongest member-to-member edges (at most `MAX_CAMPAIGN_LINKS`), strongest first: the graph reviewers see. */
  links: CampaignLink[];
  templates: SharedObject[];
  hashtagSequences: SharedObject[];
  urls: SharedObject[];
  sharedPosts: SharedObject[];
  timeProfile: TimeProfile;
  accountStats: AccountStatistics;
  significance: Significance;
  coordinatedPosts: number;
  deletedPosts: number;
  deletionRate: number;
  /** Why the campaign is (or is not) flagged: a logistic score over its evidence. */
  inauthenticity: { score: number; signals: CampaignSignal[] };
}

/** One coordination edge between two members: how strong it is and which traces it carries. */
export interface CampaignLink {
  source: string;
  target: string;
  weight: number;
  /** Distinct objects the pair co-acted on. */
  coactions: number;
  traces: TraceKind[];
}

export interface CampaignSignal {
  signal: string;
  value: number;
  logit: number;
}

export interface FlaggedAccount {
  accountId: string;
  campaignId: string;
  firstFlaggedAt: number;
  score: number;
}

export interface AccountReport extends BotScore {
  accountId: string;
  coordination: number;
  campaignId: string | null;
}

export type { BotScore, SignalContribution, Significance };
