/**
 * Legal demands as Lumen notices (standards.md §2): the JSON body of `POST /notices` (the caller
 * adds `authentication_token`). Pure: the caller passes the order as `OrderService` shows it to a
 * legal key (`OrderView`, with each item's latest decision) and the platform's own entity.
 *
 * Notice type by authority type (never a silent default: Lumen itself falls back to DMCA for an
 * unknown type, §2.2):
 *
 * | authority.type | Lumen type | request_type |
 * |---|---|---|
 * | court | CourtOrder (adds the `issuing_court` role) | (not sent: only GovernmentRequest and LawEnforcementRequest take it) |
 * | government_agency | GovernmentRequest | Agency |
 * | police | LawEnforcementRequest | Agency |
 * | other | Other (topic "Uncategorized") | (not sent) |
 * | anything else | throws UnknownAuthorityTypeError | |
 *
 * `other` → `Other`: the authority is neither a court, a government agency nor the police, and
 * Lumen's `Other` type exists for notices outside its named categories; filing it as a
 * GovernmentRequest would count it among government requests in Lumen's own statistics. (The
 * transparency report still groups it with "government agency, police, other", as Twitter did.)
 *
 * Confidential orders are redacted as the jurisdiction profile says (see `LumenRedaction`).
 */
import { countryName } from "../domain/countries.ts";
import { VigilError } from "../errors.ts";
import { parseTarget } from "../legal/order-input.ts";
import type { OrderItemView, OrderView } from "../legal/orders.ts";
import {
  AUTHORITY_TYPES,
  type AuthorityType,
  DEFAULT_COUNTRY,
  type JurisdictionProfile,
  matchLegalBases,
  ProfileError,
  profileFor,
} from "../legal/profiles.ts";

export const LUMEN_TYPES = [
  "DMCA",
  "Counterfeit",
  "Counternotice",
  "CourtOrder",
  "DataProtection",
  "Defamation",
  "GovernmentRequest",
  "LawEnforcementRequest",
  "LocalLaw",
  "PrivateInformation",
  "Trademark",
  "Other",
  "Placeholder",
] as const;
export type LumenType = (typeof LUMEN_TYPES)[number];

export const LUMEN_ACTIONS_TAKEN = ["Yes", "No", "Partial", "Unspecified"] as const;
export type LumenActionTaken = (typeof LUMEN_ACTIONS_TAKEN)[number];
export const LUMEN_REQUEST_TYPES = [
  "Agency",
  "Civil Subpoena",
  "Email",
  "Records Preservation",
  "Subpoena",
  "Warrant",
] as const;
export const LUMEN_ROLES = [
  "principal",
  "agent",
  "attorney",
  "recipient",
  "sender",
  "submitter",
  "target",
  "issuing_court",
  "plaintiff",
  "defendant",
] as const;
export type LumenRole = (typeof LUMEN_ROLES)[number];

/** The notice type for an authority type. Throws for a type Vigil does not know. */
export function lumenType(
  authorityType: string,
): "CourtOrder" | "GovernmentRequest" | "LawEnforcementRequest" | "Other" {
  switch (authorityType as AuthorityType) {
    case "court":
      return "CourtOrder";
    case "government_agency":
      return "GovernmentRequest";
    case "police":
      return "LawEnforcementRequest";
    case "other":
      return "Other";
    default:
      throw new UnknownAuthorityTypeError(authorityType);
  }
}

/** An order whose authority type has no Lumen notice type: stored data Vigil cannot export. */
export class UnknownAuthorityTypeError extends VigilError {
  override name = "UnknownAuthorityTypeError";
  constructor(readonly authorityType: string) {
    super(
      "unknown_authority_type",
      500,
      `authority type ${JSON.stringify(authorityType)} has no Lumen notice type (known: ${AUTHORITY_TYPES.join(", ")})`,
      { authorityType },
    );
  }
}

// ---- redaction --------------------------------------------------------------------------------

/** What a Lumen notice may show. `true` = published, `false` = redacted. */
export interface LumenRedaction {
  /** Publish a notice at all. */
  publish: boolean;
  /** The authority's name (sender, principal, issuing court); redacted: "Government agency (India)". */
  authorityName: boolean;
  /** The order's reference number. */
  reference: boolean;
  /** The legal basis (regulation_list and the body). Statute names, not order text. */
  legalBasis: boolean;
  /** The targeted URLs (works' infringing_urls). */
  targetUrls: boolean;
  /** The authority's reason per item and the platform's outcome per item (works' descriptions). */
  itemDetails: boolean;
}

/** A non-confidential order shows everything. */
export const PUBLIC_ORDER: Readonly<LumenRedaction> = Object.freeze({
  publish: true,
  authorityName: true,
  reference: true,
  legalBasis: true,
  targetUrls: true,
  itemDetails: true,
});

/**
 * The default for a confidential order when its profile sets nothing (profile key
 * `lumenConfidentialRedaction`, any subset of these fields). It follows IN.json's note ("a
 * confidential order suppresses the order text in notices and public exports but is still counted
 * in aggregate transparency data"): a notice is published with the type, jurisdiction, date,
 * statute, action taken and number of items, and nothing that identifies the authority's officer,
 * the order, or the content targeted.
 */
export const DEFAULT_CONFIDENTIAL_REDACTION: Readonly<LumenRedaction> = Object.freeze({
  publish: true,
  authorityName: false,
  reference: false,
  legalBasis: true,
  targetUrls: false,
  itemDetails: false,
});

/** The profile key this module reads (validated by ProfileSchema when profiles load; checked again here for hand-built profiles). */
export const REDACTION_PROFILE_KEY = "lumenConfidentialRedaction";

/** The redaction for an order: everything public, or the profile's confidential setting over the default. */
export function redactionFor(confidential: boolean, profile: JurisdictionProfile): LumenRedaction {
  if (!confidential) return { ...PUBLIC_ORDER };
  const raw = (profile as unknown as Record<string, unknown>)[REDACTION_PROFILE_KEY];
  if (raw === undefined) return { ...DEFAULT_CONFIDENTIAL_REDACTION };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ProfileError(`profile ${profile.country}: ${REDACTION_PROFILE_KEY} must be an object`);
  const out: LumenRedaction = { ...DEFAULT_CONFIDENTIAL_REDACTION };
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in out))
      throw new ProfileError(
        `profile ${profile.country}: ${REDACTION_PROFILE_KEY}.${k} is not a redaction setting`,
      );
    if (typeof v !== "boolean")
      throw new ProfileError(
        `profile ${profile.country}: ${REDACTION_PROFILE_KEY}.${k} must be true or false`,
      );
    out[k as keyof LumenRedaction] = v;
  }
  return out;
}

// ---- the notice -------------------------------------------------------------------------------

export interface LumenEntity {
  name: string;
  kind: "organization" | "individual";
  country_code?: string;
  url?: string;
}

export interface LumenWork {
  description: string;
  infringing_urls_attributes: { url: string }[];
}

export interface LumenNotice {
  type: LumenType;
  title: string;
  body: string;
  date_received: string;
  jurisdiction_list: string;
  regulation_list?: string;
  tag_list: string;
  language: string;
  action_taken: LumenActionTaken;
  request_type?: (typeof LUMEN_REQUEST_TYPES)[number];
  entity_notice_roles_attributes: { name: LumenRole; entity_attributes: LumenEntity }[];
  works_attributes: LumenWork[];
}

export interface LumenOptions {
  /** The platform: the notice's recipient and submitter. */
  platform: { name: string; url?: string; countryCode?: string };
  /** Host for URLs built from targets that are not URLs (`@handle`, `post:ID`...). Default platform.example. */
  host?: string;
  /** Builds a public URL for an item (overrides the built-in rules); null = no URL. */
  urlFor?: (item: OrderItemView) => string | null;
  /** Lumen language code (lower-case ISO 639-1). Default "en". */
  language?: string;
  /** The jurisdiction profile (default: profileFor(authority.country)). */
  profile?: JurisdictionProfile;
}

export type LumenResult =
  | { kind: "notice"; body: { notice: LumenNotice }; redacted: boolean }
  | { kind: "not_published"; orderId: string; reason: "confidential" };

const ACTED = new Set(["withhold", "temporary_withhold", "global_action"]);

/** Yes: every item acted on; Partial: some; No: every item decided, none acted on; else Unspecified. */
export function actionTaken(items: readonly Pick<OrderItemView, "decision">[]): LumenActionTaken {
  const acted = items.filter((i) => i.decision && ACTED.has(i.decision.outcome)).length;
  const decided = items.filter((i) => i.decision).length;
  if (items.length > 0 && acted === items.length) return "Yes";
  if (acted > 0) return "Partial";
  if (items.length > 0 && decided === items.length) return "No";
  return "Unspecified";
}

const TYPE_LABEL: Record<ReturnType<typeof lumenType>, string> = {
  CourtOrder: "Court order",
  GovernmentRequest: "Government request",
  LawEnforcementRequest: "Law enforcement request",
  Other: "Legal demand",
};

const REQUESTER: Record<AuthorityType, string> = {
  court: "Court",
  government_agency: "Government agency",
  police: "Law enforcement authority",
  other: "Public authority",
};

/** Lumen splits list fields on commas: keep each entry's own commas out. */
const listEntry = (s: string) =>
  s
    .replace(/\s*,\s*/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** The public URL of an order item's target, when one can be written. */
export function targetUrl(
  item: Pick<OrderItemView, "target" | "subject">,
  host = "platform.example",
): string | null {
  const p = parseTarget(item.target, [host]);
  if ("error" in p) return /^https?:\/\//i.test(item.target.trim()) ? item.target.trim() : null;
  switch (p.kind) {
    case "account_url":
    case "post_url":
      return item.target.trim();
    case "handle":
      return `https://${host}/${p.handle}`;
    case "account":
      return `https://${host}/i/user/${encodeURIComponent(p.id!)}`;
    case "post":
      return `https://${host}/i/web/status/${encodeURIComponent(p.id!)}`;
    case "hashtag":
      return `https://${host}/hashtag/${encodeURIComponent(p.tag!)}`;
  }
}

const OUTCOME_WORDS: Record<string, string> = {
  withhold: "withheld in the requesting country",
  temporary_withhold: "withheld temporarily in the requesting country",
  global_action: "actioned under the platform's rules",
  no_action: "no action",
};

/**
 * The Lumen notice for an order, redacted as its profile says when it is confidential, or
 * `not_published` when the profile says a confidential order gets no notice at all.
 * Throws `UnknownAuthorityTypeError` for an authority type without a notice type.
 */
export function buildLumenNotice(order: OrderView, options: LumenOptions): LumenResult {
  const type = lumenType(order.authority.type);
  const profile = options.profile ?? profileFor(order.authority.country);
  const r = redactionFor(order.confidential, profile);
  if (!r.publish) return { kind: "not_published", orderId: order.id, reason: "confidential" };
  const host = options.host ?? "platform.example";
  const country = order.authority.country;
  const authorityType = order.authority.type as AuthorityType;

  const authority: LumenEntity = {
    name: r.authorityName ? order.authority.name : `${REQUESTER[authorityType]} (${countryName(country)})`,
    kind: "organization",
    country_code: country,
  };
  const platform: LumenEntity = {
    name: options.platform.name,
    kind: "organization",
    ...(options.platform.countryCode ? { country_code: options.platform.countryCode } : {}),
    ...(options.platform.url ? { url: options.platform.url } : {}),
  };
  const roles: LumenNotice["entity_notice_roles_attributes"] = [
    { name: "sender", entity_attributes: authority },
    { name: "principal", entity_attributes: authority },
    { name: "recipient", entity_attributes: platform },
    { name: "submitter", entity_attributes: platform },
  ];
  if (type === "CourtOrder") roles.push({ name: "issuing_court", entity_attributes: authority });

  // Legal basis: the profile's names for the bases the order cites, else the order's own text.
  const matched = profile.country === DEFAULT_COUNTRY ? [] : matchLegalBases(profile, order.legalBasis);
  const regulations =
    matched.length > 0 ? matched.map((b) => listEntry(b.label)) : [listEntry(order.legalBasis)];

  const counts = { acted: 0, none: 0, pending: 0 };
  const works: LumenWork[] = order.items.map((item) => {
    const outcome = item.decision?.outcome;
    if (outcome === undefined) counts.pending++;
    else if (ACTED.has(outcome)) counts.acted++;
    else counts.none++;
    if (!r.itemDetails && !r.targetUrls)
      return { description: `Item ${item.position}`, infringing_urls_attributes: [] };
    const url = r.targetUrls ? (options.urlFor ? options.urlFor(item) : targetUrl(item, host)) : null;
    const parts = [`Item ${item.position}`];
    if (r.itemDetails) {
      parts.push(outcome ? OUTCOME_WORDS[outcome]! : "pending");
      if (item.reason) parts.push(`reason given: ${item.reason}`);
    }
    if (r.targetUrls && url === null) parts.push(`target as given: ${item.target}`);
    return { description: parts.join(": "), infringing_urls_attributes: url ? [{ url }] : [] };
  });

  const label = TYPE_LABEL[type];
  const n = order.items.length;
  const sentences = [
    r.authorityName
      ? `${label} from ${order.authority.name}${r.reference ? ` (reference ${order.reference})` : ""}.`
      : `${label} from a ${REQUESTER[authorityType].toLowerCase()} of ${countryName(country)}${r.reference ? ` (reference ${order.reference})` : ""}.`,
    r.legalBasis ? `Legal basis cited: ${order.legalBasis}.` : null,
    order.emergency ? "Issued as an emergency (interim) order." : null,
    `${n} item${n === 1 ? "" : "s"} specified: ${counts.acted} actioned, ${counts.none} with no action, ${counts.pending} pending.`,
    order.confidential
      ? `The order is confidential; details are withheld under the ${profile.name} profile's confidentiality setting.`
      : null,
  ];
  const notice: LumenNotice = {
    type,
    title: r.authorityName
      ? `${label} from ${order.authority.name}${r.reference ? ` (${order.reference})` : ""}`
      : `${label} from a ${REQUESTER[authorityType].toLowerCase()} (${countryName(country)})`,
    body: sentences.filter((s) => s !== null).join(" "),
    date_received: new Date(order.receivedAt).toISOString().slice(0, 10),
    jurisdiction_list: country,
    ...(r.legalBasis ? { regulation_list: regulations.join(", ") } : {}),
    tag_list: [
      "legal demand",
      ...(order.emergency ? ["emergency order"] : []),
      ...(order.confidential ? ["redacted"] : []),
    ].join(", "),
    language: options.language ?? "en",
    action_taken: actionTaken(order.items),
    ...(type === "GovernmentRequest" || type === "LawEnforcementRequest"
      ? { request_type: "Agency" as const }
      : {}),
    entity_notice_roles_attributes: roles,
    works_attributes: works,
  };
  return { kind: "notice", body: { notice }, redacted: order.confidential };
}

// ---- checks -----------------------------------------------------------------------------------

export interface LumenProblem {
  field: string;
  message: string;
}

const LUMEN_DATE_MIN = "1998-10-28";

/**
 * Checks a notice body against Lumen's model validations (§2.2): the type, action_taken,
 * request_type (GovernmentRequest and LawEnforcementRequest only), language (lower case), dates
 * after 1998-10-28 and before now + 1 day, works and roles present, role names, entity kind and
 * name, URLs present.
 */
export function validateLumenNotice(body: { notice: LumenNotice }, now: Date = new Date()): LumenProblem[] {
  const p: LumenProblem[] = [];
  const n = body.notice;
  if (!LUMEN_TYPES.includes(n.type)) p.push({ field: "type", message: `'${n.type}' is not a Lumen type` });
  if (!LUMEN_ACTIONS_TAKEN.includes(n.action_taken))
    p.push({ field: "action_taken", message: `'${n.action_taken}' is not Yes, No, Partial or Unspecified` });
  if (n.request_type !== undefined) {
    if (n.type !== "GovernmentRequest" && n.type !== "LawEnforcementRequest")
      p.push({ field: "request_type", message: `${n.type} takes no request_type` });
    else if (!LUMEN_REQUEST_TYPES.includes(n.request_type))
      p.push({ field: "request_type", message: `'${n.request_type}' is not a request type` });
  }
  if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(n.language))
    p.push({ field: "language", message: `'${n.language}' is not a lower-case ISO 639-1 code (or xx-YY)` });
  const latest = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const d = n.date_received;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || d <= LUMEN_DATE_MIN || d > latest)
    p.push({
      field: "date_received",
      message: `${d} must be a date after ${LUMEN_DATE_MIN} and before ${latest}`,
    });
  if (n.works_attributes.length === 0) p.push({ field: "works_attributes", message: "a notice needs works" });
  n.works_attributes.forEach((w, i) => {
    w.infringing_urls_attributes.forEach((u, j) => {
      if (typeof u.url !== "string" || u.url.trim() === "")
        p.push({
          field: `works_attributes.${i}.infringing_urls_attributes.${j}.url`,
          message: "url is required",
        });
    });
  });
  if (n.entity_notice_roles_attributes.length === 0)
    p.push({ field: "entity_notice_roles_attributes", message: "a notice needs entity roles" });
  n.entity_notice_roles_attributes.forEach((role, i) => {
    if (!LUMEN_ROLES.includes(role.name))
      p.push({ field: `entity_notice_roles_attributes.${i}.name`, message: `'${role.name}' is not a role` });
    const e = role.entity_attributes;
    if (!e.name || e.name.trim() === "")
      p.push({
        field: `entity_notice_roles_attributes.${i}.entity_attributes.name`,
        message: "name is required",
      });
    if (e.kind !== "organization" && e.kind !== "individual")
      p.push({
        field: `entity_notice_roles_attributes.${i}.entity_attributes.kind`,
        message: `'${e.kind}' is not organization or individual`,
      });
  });
  return p;
}
