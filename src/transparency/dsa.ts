/**
 * DSA statements of reasons (standards.md §1) from enforcement ledger entries. Pure: the caller
 * reads the entries and the content they act on; this module decides, per entry, whether a
 * statement is owed and writes it. Every statement it returns has passed `validateStatement`; an
 * entry that cannot give a valid statement comes back as `invalid` with the validator's errors,
 * never as a statement.
 *
 * The mapping (our interpretation of §1.9) is in `DSA-MAPPING.md` beside this file and in
 * `DSA_ACTION_MAPPING` below; `renderDsaMapping()` prints it as a markdown table.
 */
import { countryName } from "../domain/countries.ts";
import type { EnforcementAction, LedgerEntry, SubjectType } from "../domain/model.ts";
import { isRestricting } from "../domain/model.ts";
import type { AuthorityType } from "../legal/profiles.ts";
import {
  BULK_MAX,
  type ContentType,
  DATE_MAX,
  type DecisionAccount,
  type DecisionProvision,
  type DecisionVisibility,
  type DsaStatement,
  EEA,
  EEA_COUNTRIES,
  type Keyword,
  LANGUAGES,
  type SourceType,
  type StatementCategory,
} from "./dsa-spec.ts";
import { type DsaError, validateStatement } from "./dsa-validate.ts";
import { scrubFreeText } from "./pii.ts";

// ---- inputs -----------------------------------------------------------------------------------

/** What the statement needs to know about the restricted content (read from posts / accounts). */
export interface DsaContent {
  /**
   * When the platform started hosting it (RFC 3339): a post's `createdAt`, an account's
   * registration `createdAt` (§1.8 `content_date`).
   */
  createdAt: string;
  /** The post's or account's `lang` as ingested (ISO 639-1 or BCP 47: "hi", "en-IN"); null if unknown. */
  lang: string | null;
  /** Posts: whether the post has text (default true). Ignored for accounts. */
  hasText?: boolean;
  /** Posts: the media types attached (ingest `MediaItem.type`). Ignored for accounts. */
  media?: readonly ("image" | "video" | "gif")[];
  /** Accounts (or a post's author): business or private, when the platform knows it. */
  accountType?: "business" | "private" | null;
}

/** One restricting ledger entry and what it acted on. */
export interface DsaInput {
  entry: LedgerEntry;
  content: DsaContent;
  /**
   * For entries whose source is a legal demand item: who sent the order (from the order's
   * `authority`). Only the type and country are used (never the authority's or officer's name).
   */
  requester?: { type: AuthorityType; country: string } | null;
  /**
   * When a review case came from a notice: an Art. 16 notice, a trusted flagger, or another kind of
   * notification. Absent or null: the platform acted on its own initiative.
   */
  notice?: "article_16" | "trusted_flagger" | "other" | null;
  /** Overrides the automation derived from the source (see DSA-MAPPING.md). */
  automation?: { detection: boolean; decision: "fully" | "partially" | "not_automated" };
}

/** How a platform rule (ActionBody.rule, or a label name) reads in a statement. */
export interface DsaRuleInfo {
  /** Public name of the rule, e.g. "Violent speech policy" (→ incompatible_content_ground). */
  title: string;
  /** One or two sentences on what the rule forbids (→ incompatible_content_explanation). */
  summary: string;
  category: StatementCategory;
  keywords?: Keyword[];
  /** The content is synthetic or manipulated media (adds CONTENT_TYPE_SYNTHETIC_MEDIA). */
  syntheticMedia?: boolean;
}

export interface DsaOptions {
  /**
   * Prefix of every PUID: a name for this Vigil deployment, so that PUIDs stay unique forever even if
   * a second ledger is ever started for the same platform (letters, digits, '-', '_'). Default "vigil".
   */
  puidPrefix?: string;
  /** Platform rules by id (default DEFAULT_RULES). Unknown rules map to STATEMENT_CATEGORY_OTHER_VIOLATION_TC. */
  rules?: Readonly<Record<string, DsaRuleInfo>>;
  /** The public terms-and-conditions URL (→ decision_ground_reference_url for T&C decisions). */
  termsUrl?: string | null;
  /** Copy the moderator's `reason` (scrubbed of personal data) into decision_facts. Default true. */
  includeReason?: boolean;
}

/**
 * Vigil's default rule catalogue: the rules the transparency report totals (violent speech, abuse,
 * threats, platform manipulation and spam, manipulated media) and the generic `platform_rules`
 * that legal-demand decisions use for global actions.
 */
export const DEFAULT_RULES: Readonly<Record<string, DsaRuleInfo>> = {
  violent_speech: {
    title: "Violent speech policy",
    summary:
      "The rules prohibit threatening, inciting, glorifying or expressing desire for violence or harm.",
    category: "STATEMENT_CATEGORY_VIOLENCE",
    keywords: ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"],
  },
  abuse: {
    title: "Abuse and harassment policy",
    summary: "The rules prohibit targeted harassment of someone, or inciting other people to do so.",
    category: "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    keywords: ["KEYWORD_CYBER_HARASSMENT"],
  },
  threats: {
    title: "Violent threats policy",
    summary: "The rules prohibit threatening violence against an individual or a group of people.",
    category: "STATEMENT_CATEGORY_VIOLENCE",
    keywords: ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"],
  },
  hateful_conduct: {
    title: "Hateful conduct policy",
    summary: "The rules prohibit attacking people on the basis of protected characteristics.",
    category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    keywords: ["KEYWORD_HATE_SPEECH"],
  },
  platform_manipulation: {
    title: "Platform manipulation and spam policy",
    summary:
      "The rules prohibit using the service to artificially amplify or suppress information, or to engage in behaviour that manipulates or disrupts other people's experience.",
    category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    keywords: ["KEYWORD_INAUTHENTIC_ACCOUNTS"],
  },
  spam: {
    title: "Platform manipulation and spam policy",
    summary:
      "The rules prohibit bulk, aggressive or deceptive activity that disrupts other people's experience.",
    category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    keywords: ["KEYWORD_INAUTHENTIC_ACCOUNTS"],
  },
  synthetic_manipulated_media: {
    title: "Synthetic and manipulated media policy",
    summary:
      "The rules prohibit sharing synthetic, manipulated or out-of-context media that may deceive or confuse people and lead to harm; such media may be labelled.",
    category: "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    keywords: ["KEYWORD_MISINFORMATION_DISINFORMATION"],
    syntheticMedia: true,
  },
  manipulated_media: {
    title: "Synthetic and manipulated media policy",
    summary: "Media shared here was found to be synthetic or manipulated and is labelled to give context.",
    category: "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    keywords: ["KEYWORD_MISINFORMATION_DISINFORMATION"],
    syntheticMedia: true,
  },
  platform_rules: {
    title: "Platform rules",
    summary: "The content or account broke the platform's rules.",
    category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
  },
};

// ---- the mapping ------------------------------------------------------------------------------

interface ActionMapping {
  visibility: DecisionVisibility[];
  provision: DecisionProvision | null;
  account: DecisionAccount | null;
  /** Which end_date_* field carries expiresAt. */
  endDate:
    | "end_date_account_restriction"
    | "end_date_visibility_restriction"
    | "end_date_service_restriction";
}

/** The restricting actions, per subject type, as statement decisions (see DSA-MAPPING.md). */
export function mapAction(action: EnforcementAction, subject: SubjectType): ActionMapping | null {
  if (subject === "hashtag" || !isRestricting(action)) return null;
  const vis = (v: DecisionVisibility): ActionMapping => ({
    visibility: [v],
    provision: null,
    account: null,
    endDate: "end_date_visibility_restriction",
  });
  switch (action) {
    case "suspend":
      return subject === "account"
        ? {
            visibility: [],
            provision: null,
            account: "DECISION_ACCOUNT_SUSPENDED",
            endDate: "end_date_account_restriction",
          }
        : vis("DECISION_VISIBILITY_CONTENT_DISABLED");
    case "withhold":
      return subject === "account"
        ? {
            visibility: ["DECISION_VISIBILITY_CONTENT_DISABLED"],
            provision: "DECISION_PROVISION_PARTIAL_SUSPENSION",
            account: null,
            endDate: "end_date_service_restriction",
          }
        : vis("DECISION_VISIBILITY_CONTENT_DISABLED");
    case "label":
      return vis("DECISION_VISIBILITY_CONTENT_LABELLED");
    case "suppress":
      return vis("DECISION_VISIBILITY_CONTENT_DEMOTED");
    case "limit_engagement":
      return vis("DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED");
    default:
      return null;
  }
}

/** Rows of the mapping table, for DSA-MAPPING.md and the docs. */
export const DSA_ACTION_MAPPING: readonly { action: string; subject: string; statement: string }[] = [
  {
    action: "suspend",
    subject: "account",
    statement: "decision_account = DECISION_ACCOUNT_SUSPENDED; end_date_account_restriction = expiresAt",
  },
  {
    action: "suspend",
    subject: "post",
    statement: "decision_visibility = [DECISION_VISIBILITY_CONTENT_DISABLED]",
  },
  {
    action: "withhold",
    subject: "account",
    statement:
      "decision_visibility = [DECISION_VISIBILITY_CONTENT_DISABLED] + decision_provision = DECISION_PROVISION_PARTIAL_SUSPENSION; end_date_service_restriction = expiresAt",
  },
  {
    action: "withhold",
    subject: "post",
    statement:
      "decision_visibility = [DECISION_VISIBILITY_CONTENT_DISABLED]; end_date_visibility_restriction = expiresAt",
  },
  {
    action: "label",
    subject: "account, post",
    statement: "decision_visibility = [DECISION_VISIBILITY_CONTENT_LABELLED]",
  },
  {
    action: "suppress",
    subject: "account, post",
    statement: "decision_visibility = [DECISION_VISIBILITY_CONTENT_DEMOTED]",
  },
  {
    action: "limit_engagement",
    subject: "account, post",
    statement: "decision_visibility = [DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED]",
  },
  {
    action: "any",
    subject: "hashtag",
    statement: "no statement (a hashtag has no single recipient of the service to inform)",
  },
  {
    action: "unsuspend, restore, unlabel, unsuppress, unlimit_engagement",
    subject: "any",
    statement: "no statement (statements are immutable; the original keeps its end date, if any)",
  },
];

/** The EEA part of an entry's countries: all 30 when `countries` is null (everywhere). Sorted. */
export function eeaScope(countries: readonly string[] | null): string[] {
  if (countries === null) return [...EEA_COUNTRIES];
  return [...new Set(countries.filter((c) => EEA.has(c)))].sort();
}

/** Legacy ISO 639 codes some clients still send. */
const LEGACY_LANG: Readonly<Record<string, string>> = { IW: "HE", IN: "ID", JI: "YI", JW: "JV" };

/** A content language as §1.6 takes it: the primary subtag, upper case, if it is one of the 184; else null. */
export function dsaLanguage(lang: string | null | undefined): string | null {
  if (!lang) return null;
  const primary = lang.split(/[-_]/)[0]!.toUpperCase();
  const code = LEGACY_LANG[primary] ?? primary;
  return LANGUAGES.has(code) ? code : null;
}

/** The UTC date of a timestamp; an unreadable timestamp stays as written, so validation names it. */
const ymd = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 10);
};

/** A date in words ("1 February 2021"): free text without digit runs the personal-data check flags. */
const words = (iso: string): string =>
  new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

const humanList = (xs: string[]): string =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

const scopeWords = (scope: string[]): string =>
  scope.length === EEA_COUNTRIES.length
    ? "everywhere, including the whole European Economic Area"
    : `in ${humanList(scope.map((c) => countryName(c)))}`;

const REQUESTER_WORDS: Record<AuthorityType, string> = {
  court: "a court",
  government_agency: "a government agency",
  police: "a law enforcement authority",
  other: "a public authority",
};

const ACTION_WORDS: Record<string, string> = {
  suspend: "suspended",
  withhold: "withheld",
  label: "labelled",
  suppress: "removed from some surfaces (demoted)",
  limit_engagement: "limited in how people can interact with it",
};

// ---- results ----------------------------------------------------------------------------------

export type DsaSkipReason = "reversal" | "no_eea_effect" | "hashtag_subject";

export type DsaResult =
  | { kind: "statement"; seq: number; statement: DsaStatement }
  | { kind: "skipped"; seq: number; reason: DsaSkipReason }
  | { kind: "invalid"; seq: number; errors: DsaError[]; statement: DsaStatement };

/** The PUID of the statement for a ledger entry: `<prefix>-<seq>-<subject type>-<first 16 hash digits>`. */
export function puidFor(entry: Pick<LedgerEntry, "seq" | "hash" | "subject">, prefix = "vigil"): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(prefix))
    throw new TypeError(`puid prefix '${prefix}' may hold only letters, digits, '-' and '_' (1-100)`);
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1)
    throw new TypeError(`ledger seq ${entry.seq} is not a positive integer`);
  if (!/^[0-9a-f]{64}$/.test(entry.hash))
    throw new TypeError(`ledger entry ${entry.seq} has no SHA-256 hash`);
  return `${prefix}-${entry.seq}-${entry.subject.type}-${entry.hash.slice(0, 16)}`;
}

/**
 * The statement of reasons owed for one ledger entry, or why none is owed. Decisions:
 * - reversals (unsuspend, restore, ...) → skipped `reversal`;
 * - hashtags → skipped `hashtag_subject`;
 * - no EEA country in scope (e.g. withheld in IN only) → skipped `no_eea_effect`;
 * - otherwise one statement, validated; `invalid` if validation fails (e.g. content dated before 2000).
 */
export function buildStatement(input: DsaInput, options: DsaOptions = {}): DsaResult {
  const { entry, content } = input;
  const seq = entry.seq;
  if (!isRestricting(entry.action)) return { kind: "skipped", seq, reason: "reversal" };
  const mapping = mapAction(entry.action, entry.subject.type);
  if (mapping === null) return { kind: "skipped", seq, reason: "hashtag_subject" };
  const scope = eeaScope(entry.countries);
  if (scope.length === 0) return { kind: "skipped", seq, reason: "no_eea_effect" };

  const rules = options.rules ?? DEFAULT_RULES;
  const ruleId = entry.rule ?? (entry.action === "label" ? entry.label : null);
  const rule =
    ruleId !== null ? (rules[ruleId] ?? (entry.label ? rules[entry.label] : undefined)) : undefined;
  const isWithhold = entry.action === "withhold";
  const fromDemand = entry.source.kind === "legal_demand_item";

  const s: DsaStatement = {
    decision_ground: isWithhold ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    content_type: [],
    category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    content_date: ymd(content.createdAt),
    application_date: ymd(entry.recordedAt),
    decision_facts: "",
    source_type: "SOURCE_VOLUNTARY",
    automated_detection: "No",
    automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED",
    puid: puidFor(entry, options.puidPrefix),
    territorial_scope: scope,
  };
  if (mapping.visibility.length > 0) s.decision_visibility = mapping.visibility;
  if (mapping.provision) s.decision_provision = mapping.provision;
  if (mapping.account) s.decision_account = mapping.account;
  if (entry.expiresAt !== null) {
    const end = ymd(entry.expiresAt);
    // Past 2038-01-01 the database takes no date: blank means indefinite, the closest truth.
    if (end <= DATE_MAX) s[mapping.endDate] = end;
  }
  if (content.accountType)
    s.account_type = content.accountType === "business" ? "ACCOUNT_TYPE_BUSINESS" : "ACCOUNT_TYPE_PRIVATE";
  const lang = dsaLanguage(content.lang);
  if (lang !== null) s.content_language = lang;

  // content type
  const types = new Set<ContentType>();
  if (entry.subject.type === "account") types.add("CONTENT_TYPE_OTHER");
  else {
    if (content.hasText !== false) types.add("CONTENT_TYPE_TEXT");
    for (const m of content.media ?? [])
      types.add(m === "video" ? "CONTENT_TYPE_VIDEO" : "CONTENT_TYPE_IMAGE");
    if (types.size === 0) types.add("CONTENT_TYPE_TEXT");
  }
  if (rule?.syntheticMedia && entry.subject.type === "post") types.add("CONTENT_TYPE_SYNTHETIC_MEDIA");
  s.content_type = [...types].sort();
  if (types.has("CONTENT_TYPE_OTHER")) s.content_type_other = "User account (profile and the posts it holds)";

  // ground and category
  if (isWithhold) {
    s.category = rule?.category ?? "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE";
    const basis = entry.legalBasis ? scrubFreeText(entry.legalBasis, 500) : "";
    const countries = (entry.countries ?? []).filter((c) => EEA.has(c));
    s.illegal_content_legal_ground =
      basis !== ""
        ? basis
        : `The law of ${countries.length > 0 ? humanList(countries.map(countryName)) : "the countries concerned"}`;
    const who = fromDemand
      ? `following a legal demand from ${input.requester ? `${REQUESTER_WORDS[input.requester.type]} of ${countryName(input.requester.country)}` : "a public authority"}`
      : "because the platform found it to be illegal under local law";
    s.illegal_content_explanation = scrubFreeText(
      `Access to this ${entry.subject.type === "account" ? "account" : "content"} was disabled ${scopeWords(scope)} ${who}, which cites the legal ground given. It remains available where that law does not apply.`,
      2000,
    );
  } else {
    s.category = rule?.category ?? "STATEMENT_CATEGORY_OTHER_VIOLATION_TC";
    s.incompatible_content_ground = scrubFreeText(
      rule?.title ?? (ruleId ? `Platform rule: ${ruleId.replace(/_/g, " ")}` : "Platform rules"),
      500,
    );
    s.incompatible_content_explanation = scrubFreeText(
      rule?.summary ?? "The content or account was found to break the platform's terms and conditions.",
      2000,
    );
    if (options.termsUrl) s.decision_ground_reference_url = options.termsUrl;
  }
  if (rule?.keywords && rule.keywords.length > 0) s.category_specification = [...rule.keywords].sort();

  // source and automation
  let sourceType: SourceType = "SOURCE_VOLUNTARY";
  if (fromDemand) sourceType = "SOURCE_TYPE_OTHER_NOTIFICATION";
  else if (input.notice === "article_16") sourceType = "SOURCE_ARTICLE_16";
  else if (input.notice === "trusted_flagger") sourceType = "SOURCE_TRUSTED_FLAGGER";
  else if (input.notice === "other") sourceType = "SOURCE_TYPE_OTHER_NOTIFICATION";
  s.source_type = sourceType;
  if (fromDemand && input.requester)
    s.source_identity =
      `${REQUESTER_WORDS[input.requester.type].replace(/^an? /, "")} (${countryName(input.requester.country)})`.replace(
        /^./,
        (c) => c.toUpperCase(),
      );
  const detector = entry.source.kind === "detector";
  const humanActor = entry.actor.startsWith("key:");
  const automation = input.automation ?? {
    detection: detector,
    decision: detector ? (humanActor ? "partially" : "fully") : "not_automated",
  };
  s.automated_detection = automation.detection ? "Yes" : "No";
  s.automated_decision =
    automation.decision === "fully"
      ? "AUTOMATED_DECISION_FULLY"
      : automation.decision === "partially"
        ? "AUTOMATED_DECISION_PARTIALLY"
        : "AUTOMATED_DECISION_NOT_AUTOMATED";

  // facts
  const what = entry.subject.type === "account" ? "The account" : "The post";
  const label =
    entry.action === "label" && entry.label ? ` with the label "${entry.label.replace(/_/g, " ")}"` : "";
  const until = entry.expiresAt ? `, until ${words(entry.expiresAt)}` : "";
  const origin = fromDemand
    ? "The decision was taken on a legal demand."
    : detector
      ? "The content was detected by automated means."
      : sourceType === "SOURCE_VOLUNTARY"
        ? "The decision was taken on the platform's own initiative."
        : "The decision was taken on a notice.";
  const reason = options.includeReason === false ? "" : scrubFreeText(entry.reason, 2000);
  s.decision_facts = scrubFreeText(
    `${what} was ${ACTION_WORDS[entry.action] ?? entry.action}${label} ${scopeWords(scope)} on ${words(entry.recordedAt)}${until}. ${origin}${reason ? ` Reason given: ${reason}` : ""}`,
    5000,
  );

  const errors = validateStatement(s);
  return errors.length === 0
    ? { kind: "statement", seq, statement: s }
    : { kind: "invalid", seq, errors, statement: s };
}

export interface DsaExport {
  statements: DsaStatement[];
  skipped: { seq: number; reason: DsaSkipReason }[];
  invalid: { seq: number; errors: DsaError[] }[];
}

/** Builds statements for many entries, in the order given. */
export function buildStatements(inputs: Iterable<DsaInput>, options: DsaOptions = {}): DsaExport {
  const out: DsaExport = { statements: [], skipped: [], invalid: [] };
  for (const input of inputs) {
    const r = buildStatement(input, options);
    if (r.kind === "statement") out.statements.push(r.statement);
    else if (r.kind === "skipped") out.skipped.push({ seq: r.seq, reason: r.reason });
    else out.invalid.push({ seq: r.seq, errors: r.errors });
  }
  return out;
}

/** Bodies for `POST /api/v1/statements`: `{ statements: [...] }` of at most 100 each (§1.1). */
export function bulkBatches(
  statements: readonly DsaStatement[],
  size = BULK_MAX,
): { statements: DsaStatement[] }[] {
  if (!Number.isInteger(size) || size < 1 || size > BULK_MAX)
    throw new RangeError(`batch size must be 1 to ${BULK_MAX}`);
  const out: { statements: DsaStatement[] }[] = [];
  for (let i = 0; i < statements.length; i += size) out.push({ statements: statements.slice(i, i + size) });
  return out;
}

/** One statement per line (JSON Lines), for the file export. */
export function toJsonLines(statements: readonly DsaStatement[]): string {
  return statements.map((s) => `${JSON.stringify(s)}\n`).join("");
}

/** The mapping table as markdown (what DSA-MAPPING.md shows). */
export function renderDsaMapping(): string {
  const rows = DSA_ACTION_MAPPING.map((r) => `| ${r.action} | ${r.subject} | ${r.statement} |`);
  return ["| Vigil action | subject | statement of reasons |", "|---|---|---|", ...rows].join("\n");
}
