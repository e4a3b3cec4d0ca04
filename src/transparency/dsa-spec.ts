/**
 * The DSA Transparency Database's vocabulary, copied from standards.md §1.4–§1.6 (which was generated
 * from `app/Models/Statement.php`, `EuropeanCountriesService` and `EuropeanLanguagesService` at the
 * snapshot named in §0). API values are the constant KEYS, except the Yes/No fields.
 */

export const DECISION_VISIBILITIES = [
  "DECISION_VISIBILITY_CONTENT_REMOVED",
  "DECISION_VISIBILITY_CONTENT_DISABLED",
  "DECISION_VISIBILITY_CONTENT_DEMOTED",
  "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
  "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
  "DECISION_VISIBILITY_CONTENT_LABELLED",
  "DECISION_VISIBILITY_OTHER",
] as const;
export type DecisionVisibility = (typeof DECISION_VISIBILITIES)[number];

export const DECISION_MONETARIES = [
  "DECISION_MONETARY_SUSPENSION",
  "DECISION_MONETARY_TERMINATION",
  "DECISION_MONETARY_OTHER",
] as const;
export type DecisionMonetary = (typeof DECISION_MONETARIES)[number];

export const DECISION_PROVISIONS = [
  "DECISION_PROVISION_PARTIAL_SUSPENSION",
  "DECISION_PROVISION_TOTAL_SUSPENSION",
  "DECISION_PROVISION_PARTIAL_TERMINATION",
  "DECISION_PROVISION_TOTAL_TERMINATION",
] as const;
export type DecisionProvision = (typeof DECISION_PROVISIONS)[number];

export const DECISION_ACCOUNTS = ["DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"] as const;
export type DecisionAccount = (typeof DECISION_ACCOUNTS)[number];

export const ACCOUNT_TYPES = ["ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const DECISION_GROUNDS = [
  "DECISION_GROUND_ILLEGAL_CONTENT",
  "DECISION_GROUND_INCOMPATIBLE_CONTENT",
] as const;
export type DecisionGround = (typeof DECISION_GROUNDS)[number];

export const YES_NO = ["Yes", "No"] as const;
export type YesNo = (typeof YES_NO)[number];

export const CONTENT_TYPES = [
  "CONTENT_TYPE_APP",
  "CONTENT_TYPE_AUDIO",
  "CONTENT_TYPE_IMAGE",
  "CONTENT_TYPE_PRODUCT",
  "CONTENT_TYPE_SYNTHETIC_MEDIA",
  "CONTENT_TYPE_TEXT",
  "CONTENT_TYPE_VIDEO",
  "CONTENT_TYPE_OTHER",
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const STATEMENT_CATEGORIES = [
  "STATEMENT_CATEGORY_ANIMAL_WELFARE",
  "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
  "STATEMENT_CATEGORY_CYBER_VIOLENCE",
  "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
  "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
  "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
  "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
  "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
  "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
  "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
  "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
  "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
  "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
  "STATEMENT_CATEGORY_SELF_HARM",
  "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
  "STATEMENT_CATEGORY_VIOLENCE",
] as const;
export type StatementCategory = (typeof STATEMENT_CATEGORIES)[number];

export const KEYWORDS = [
  "KEYWORD_ADULT_SEXUAL_MATERIAL",
  "KEYWORD_AGE_SPECIFIC_RESTRICTIONS",
  "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
  "KEYWORD_ANIMAL_HARM",
  "KEYWORD_BIOMETRIC_DATA_BREACH",
  "KEYWORD_BULLYING_AGAINST_GIRLS",
  "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
  "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
  "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS",
  "KEYWORD_COORDINATED_HARM",
  "KEYWORD_COPYRIGHT_INFRINGEMENT",
  "KEYWORD_CYBER_BULLYING_INTIMIDATION",
  "KEYWORD_CYBER_HARASSMENT",
  "KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN",
  "KEYWORD_CYBER_INCITEMENT",
  "KEYWORD_CYBER_STALKING",
  "KEYWORD_CYBER_STALKING_AGAINST_WOMEN",
  "KEYWORD_DATA_FALSIFICATION",
  "KEYWORD_DEFAMATION",
  "KEYWORD_DESIGN_INFRINGEMENT",
  "KEYWORD_DISCRIMINATION",
  "KEYWORD_FEMALE_GENDERED_DISINFORMATION",
  "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
  "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
  "KEYWORD_GOODS_SERVICES_NOT_PERMITTED",
  "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS",
  "KEYWORD_HATE_SPEECH",
  "KEYWORD_HIDDEN_ADVERTISEMENT",
  "KEYWORD_HUMAN_EXPLOITATION",
  "KEYWORD_HUMAN_TRAFFICKING",
  "KEYWORD_ILLEGAL_ORGANIZATIONS",
  "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
  "KEYWORD_INAUTHENTIC_ACCOUNTS",
  "KEYWORD_INAUTHENTIC_LISTINGS",
  "KEYWORD_INAUTHENTIC_USER_REVIEWS",
  "KEYWORD_INCITEMENT_AGAINST_WOMEN",
  "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
  "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS",
  "KEYWORD_LANGUAGE_REQUIREMENTS",
  "KEYWORD_MISINFORMATION_DISINFORMATION",
  "KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS",
  "KEYWORD_MISLEADING_INFO_GOODS_SERVICES",
  "KEYWORD_MISSING_PROCESSING_GROUND",
  "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING",
  "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
  "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
  "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
  "KEYWORD_NONCOMPLIANCE_PRICING",
  "KEYWORD_NUDITY",
  "KEYWORD_PATENT_INFRINGEMENT",
  "KEYWORD_PHISHING",
  "KEYWORD_PROHIBITED_PRODUCTS",
  "KEYWORD_PYRAMID_SCHEMES",
  "KEYWORD_RIGHT_TO_BE_FORGOTTEN",
  "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE",
  "KEYWORD_RISK_PUBLIC_HEALTH",
  "KEYWORD_SELF_MUTILATION",
  "KEYWORD_STALKING",
  "KEYWORD_SUICIDE",
  "KEYWORD_TERRORIST_CONTENT",
  "KEYWORD_TRADE_SECRET_INFRINGEMENT",
  "KEYWORD_TRADEMARK_INFRINGEMENT",
  "KEYWORD_TRAFFICKING_WOMEN_GIRLS",
  "KEYWORD_UNLAWFUL_SALE_ANIMALS",
  "KEYWORD_UNSAFE_CHALLENGES",
  "KEYWORD_UNSAFE_PRODUCTS",
  "KEYWORD_VIOLATION_EU_LAW",
  "KEYWORD_VIOLATION_NATIONAL_LAW",
  "KEYWORD_OTHER",
] as const;
export type Keyword = (typeof KEYWORDS)[number];

export const SOURCE_TYPES = [
  "SOURCE_ARTICLE_16",
  "SOURCE_TRUSTED_FLAGGER",
  "SOURCE_TYPE_OTHER_NOTIFICATION",
  "SOURCE_VOLUNTARY",
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const AUTOMATED_DECISIONS = [
  "AUTOMATED_DECISION_FULLY",
  "AUTOMATED_DECISION_PARTIALLY",
  "AUTOMATED_DECISION_NOT_AUTOMATED",
] as const;
export type AutomatedDecision = (typeof AUTOMATED_DECISIONS)[number];

/** §1.5: `territorial_scope` codes (EEA, 30). Greece is GR. */
// biome-ignore format: compact table
export const EEA_COUNTRIES = [
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
  "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
] as const;
export const EEA: ReadonlySet<string> = new Set(EEA_COUNTRIES);

/** §1.6: `content_language` codes (184, upper-case ISO 639-1), in the order the source lists them. */
// biome-ignore format: compact table
export const CONTENT_LANGUAGES = [
  "AB", "AA", "AF", "AK", "SQ", "AM", "AR", "AN", "HY", "AS", "AV", "AE", "AY", "AZ", "BM", "BA",
  "EU", "BE", "BN", "BH", "BI", "BS", "BR", "BG", "MY", "CA", "KM", "CH", "CE", "NY", "ZH", "CU",
  "CV", "KW", "CO", "CR", "HR", "CS", "DA", "DV", "NL", "DZ", "EN", "EO", "ET", "EE", "FO", "FJ",
  "FI", "FR", "FF", "GD", "GL", "LG", "KA", "DE", "KI", "EL", "KL", "GN", "GU", "HT", "HA", "HE",
  "HZ", "HI", "HO", "HU", "IS", "IO", "IG", "ID", "IA", "IE", "IU", "IK", "GA", "IT", "JA", "JV",
  "KN", "KR", "KS", "KK", "RW", "KV", "KG", "KO", "KJ", "KU", "KY", "LO", "LA", "LV", "LB", "LI",
  "LN", "LT", "LU", "MK", "MG", "MS", "ML", "MT", "GV", "MI", "MR", "MH", "RO", "MN", "NA", "NV",
  "ND", "NG", "NE", "SE", "NO", "NB", "NN", "II", "OC", "OJ", "OR", "OM", "OS", "PI", "PA", "PS",
  "FA", "PL", "PT", "QU", "RM", "RN", "RU", "SM", "SG", "SA", "SC", "SR", "SN", "SD", "SI", "SK",
  "SL", "SO", "ST", "NR", "ES", "SU", "SW", "SS", "SV", "TL", "TY", "TG", "TA", "TT", "TE", "TH",
  "BO", "TI", "TO", "TS", "TN", "TR", "TK", "TW", "UG", "UK", "UR", "UZ", "VE", "VI", "VO", "WA",
  "CY", "FY", "WO", "XH", "YI", "YO", "ZA", "ZU",
] as const;
export const LANGUAGES: ReadonlySet<string> = new Set(CONTENT_LANGUAGES);

/** §1.2 bounds. */
export const CONTENT_DATE_MIN = "2000-01-01";
export const APPLICATION_DATE_MIN = "2020-01-01";
export const DATE_MAX = "2038-01-01";
export const PUID_PATTERN = /^[a-zA-Z0-9-_]+$/;
export const EAN13_PATTERN = /^[0-9]{13}$/;
/** §1.1: the bulk endpoint takes 1 to 100 statements. */
export const BULK_MAX = 100;

/** A statement of reasons as the API takes it (§1.2). Optional fields are omitted when unused. */
export interface DsaStatement {
  decision_visibility?: DecisionVisibility[] | null;
  decision_visibility_other?: string;
  decision_monetary?: DecisionMonetary | null;
  decision_monetary_other?: string;
  decision_provision?: DecisionProvision | null;
  decision_account?: DecisionAccount | null;
  account_type?: AccountType | null;
  decision_ground: DecisionGround;
  decision_ground_reference_url?: string | null;
  illegal_content_legal_ground?: string;
  illegal_content_explanation?: string;
  incompatible_content_ground?: string;
  incompatible_content_explanation?: string;
  incompatible_content_illegal?: YesNo;
  content_type: ContentType[];
  content_type_other?: string;
  category: StatementCategory;
  category_addition?: StatementCategory[];
  category_specification?: Keyword[] | null;
  category_specification_other?: string;
  territorial_scope?: string[] | null;
  content_language?: string | null;
  content_date: string;
  application_date: string;
  end_date_account_restriction?: string | null;
  end_date_monetary_restriction?: string | null;
  end_date_service_restriction?: string | null;
  end_date_visibility_restriction?: string | null;
  decision_facts: string;
  source_type: SourceType;
  source_identity?: string | null;
  automated_detection: YesNo;
  automated_decision: AutomatedDecision;
  puid: string;
  content_id?: { "EAN-13": string } | null;
  content_id_ean?: string | null;
}

/** Every field §1.2 lists, in its order. */
export const STATEMENT_FIELDS = [
  "decision_visibility",
  "decision_visibility_other",
  "decision_monetary",
  "decision_monetary_other",
  "decision_provision",
  "decision_account",
  "account_type",
  "decision_ground",
  "decision_ground_reference_url",
  "illegal_content_legal_ground",
  "illegal_content_explanation",
  "incompatible_content_ground",
  "incompatible_content_explanation",
  "incompatible_content_illegal",
  "content_type",
  "content_type_other",
  "category",
  "category_addition",
  "category_specification",
  "category_specification_other",
  "territorial_scope",
  "content_language",
  "content_date",
  "application_date",
  "end_date_account_restriction",
  "end_date_monetary_restriction",
  "end_date_service_restriction",
  "end_date_visibility_restriction",
  "decision_facts",
  "source_type",
  "source_identity",
  "automated_detection",
  "automated_decision",
  "puid",
  "content_id",
  "content_id_ean",
] as const satisfies readonly (keyof DsaStatement)[];

/** The free-text fields: no personal data allowed (Art. 24(5), §1.1). */
export const FREE_TEXT_FIELDS = [
  "decision_visibility_other",
  "decision_monetary_other",
  "illegal_content_legal_ground",
  "illegal_content_explanation",
  "incompatible_content_ground",
  "incompatible_content_explanation",
  "content_type_other",
  "category_specification_other",
  "decision_facts",
  "source_identity",
] as const satisfies readonly (keyof DsaStatement)[];
