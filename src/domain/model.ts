/**
 * Vigil's domain vocabulary: subjects, surfaces, enforcement actions and their sources.
 * Everything here is data shared by the ledger, the API and (later) the read path.
 */
export const SUBJECT_TYPES = ["account", "post", "hashtag"] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** The product surfaces a viewer can be on (contract §4). */
export const SURFACES = [
  "home_timeline",
  "profile",
  "post_detail",
  "replies",
  "quote",
  "search_results",
  "search_suggestions",
  "trends",
  "notifications",
] as const;
export type Surface = (typeof SURFACES)[number];

/**
 * Enforcement actions (contract §3). Each restricting action has a reversing one;
 * `unlimit_engagement` is Vigil's extension so that every action can be reversed by a recorded action.
 */
export const ACTIONS = [
  "suspend",
  "unsuspend",
  "withhold",
  "restore",
  "label",
  "unlabel",
  "suppress",
  "unsuppress",
  "limit_engagement",
  "unlimit_engagement",
] as const;
export type EnforcementAction = (typeof ACTIONS)[number];

/** Which action undoes which. */
export const REVERSAL: Record<EnforcementAction, EnforcementAction | null> = {
  suspend: "unsuspend",
  withhold: "restore",
  label: "unlabel",
  suppress: "unsuppress",
  limit_engagement: "unlimit_engagement",
  unsuspend: null,
  restore: null,
  unlabel: null,
  unsuppress: null,
  unlimit_engagement: null,
};

export const isRestricting = (a: EnforcementAction): boolean => REVERSAL[a] !== null;

/** Where an action came from. `manual` is a moderator acting directly through the API. */
export const SOURCE_KINDS = [
  "legal_demand_item",
  "review_case",
  "detector",
  "appeal",
  "system",
  "manual",
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Why content is withheld in a country: a legal demand, or the platform's reading of local law. */
export const WITHHOLD_BASES = ["legal_demand", "local_law"] as const;
export type WithholdBasis = (typeof WITHHOLD_BASES)[number];

export interface SubjectRef {
  type: SubjectType;
  id: string;
}

export interface ActionSource {
  kind: SourceKind;
  id: string | null;
}

/**
 * What an enforcement ledger entry says, before it is sequenced and hashed.
 * `countries: null` means everywhere; `surfaces: null` means every surface the action applies to.
 */
export interface ActionBody {
  subject: SubjectRef;
  action: EnforcementAction;
  countries: string[] | null;
  surfaces: Surface[] | null;
  label: string | null;
  basis: WithholdBasis | null;
  expiresAt: string | null;
  source: ActionSource;
  actor: string;
  reason: string;
  rule: string | null;
  legalBasis: string | null;
  /** The seq of the entry this one reverses, when it is a recorded reversal (expiry, appeal...). */
  reverses: number | null;
  idempotencyKey: string | null;
  recordedAt: string;
}

/** A sequenced, hashed ledger entry. */
export interface LedgerEntry extends ActionBody {
  seq: number;
  prevHash: string;
  hash: string;
}
