/**
 * The transparency report's shape: what `GET /v1/transparency` returns as JSON, and what the CSV,
 * HTML and PDF forms render. Every figure is derived from stored records (orders, decisions, ledger
 * entries, appeals, reports); nothing is typed in.
 */
import type { Checkpoint } from "../ledger/checkpoints.ts";

/** Twitter's split of legal demands (standards.md §4). */
export const REQUESTER_GROUPS = ["court_orders", "government_agency_police_other"] as const;
export type RequesterGroup = (typeof REQUESTER_GROUPS)[number];

/** A count as published: the number, or "<10" when small counts are masked. */
export type Published = number | "<10";

export interface DemandRow {
  /** The requesting authority's country (ISO 3166-1 alpha-2) and its name. */
  country: string;
  countryName: string;
  requester: RequesterGroup;
  /** Orders received in the period. */
  legalDemands: Published;
  /** Items listed in them (an account named twice counts twice, as Twitter counted). */
  itemsSpecified: Published;
  accountsSpecified: Published;
  /** Distinct accounts / posts withheld in the requesting country (temporary measures included). */
  accountsWithheld: Published;
  postsWithheld: Published;
  /** Distinct accounts actioned globally under the platform's rules in response. */
  accountsTos: Published;
  /** Items whose final outcome is no action (protected speech, unresolvable, not found...). */
  itemsNoAction: Published;
  emergencyOrders: Published;
  /** Measures lifted: by hand (order withdrawn, review not confirmed) or on appeal. */
  restorations: Published;
  appealsReceived: Published;
  appealsGranted: Published;
  /** Median hours from an order's receipt to each item's first decision (null: nothing decided). */
  medianHoursToDecision: number | null;
  /** % of demands where some content was withheld or removed (Twitter's "total compliance rate"). */
  complianceRate: number | null;
}

export interface ProactiveRow {
  /** The platform rule (e.g. violent_speech, platform_manipulation). */
  rule: string;
  /** Reporting group: violent_speech, abuse, threats, platform_manipulation_spam, manipulated_media, other. */
  group: string;
  accountsSuspended: Published;
  postsActioned: Published;
  labels: Published;
  hashtagsRestricted: Published;
  total: Published;
}

export interface TransparencyReport {
  title: string;
  period: { from: string; to: string };
  generatedAt: string;
  /** The ledger seq the report was computed at. */
  asOfSeq: number;
  /** Whether counts under 10 are shown as "<10". */
  maskSmallCounts: boolean;
  demands: DemandRow[];
  /** Totals per country over requester groups. */
  countries: {
    country: string;
    countryName: string;
    legalDemands: Published;
    complianceRate: number | null;
  }[];
  proactive: ProactiveRow[];
  /** Daily counts of ledger enforcement (restricting entries) for the chart over time. */
  daily: { day: string; legal: number; proactive: number; reversals: number }[];
  /** The latest signed checkpoint at or before `asOfSeq`: proof of which ledger the report came from. */
  checkpoint: Checkpoint | null;
  definitions: Record<string, string>;
  attribution: string[];
}
