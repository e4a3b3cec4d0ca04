import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ACCOUNT_TYPES,
  AUTOMATED_DECISIONS,
  CONTENT_LANGUAGES,
  CONTENT_TYPES,
  DECISION_ACCOUNTS,
  DECISION_GROUNDS,
  DECISION_MONETARIES,
  DECISION_PROVISIONS,
  DECISION_VISIBILITIES,
  type DsaStatement,
  EEA_COUNTRIES,
  KEYWORDS,
  SOURCE_TYPES,
  STATEMENT_CATEGORIES,
} from "./dsa-spec.ts";
import { type DsaRule, validateBulkBody, validateStatement } from "./dsa-validate.ts";

/** A valid statement on the illegal-content ground (the shape of a country-withheld post). */
const illegalStatement = (): DsaStatement => ({
  decision_visibility: ["DECISION_VISIBILITY_CONTENT_DISABLED"],
  decision_ground: "DECISION_GROUND_ILLEGAL_CONTENT",
  illegal_content_legal_ground: "Strafgesetzbuch s.130",
  illegal_content_explanation: "Access was disabled in Germany following a court order.",
  content_type: ["CONTENT_TYPE_TEXT"],
  category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
  territorial_scope: ["DE"],
  content_language: "DE",
  content_date: "2021-01-30",
  application_date: "2021-02-01",
  end_date_visibility_restriction: "2021-03-01",
  decision_facts: "The post was withheld in Germany on 1 February 2021.",
  source_type: "SOURCE_TYPE_OTHER_NOTIFICATION",
  source_identity: "Court (Germany)",
  automated_detection: "No",
  automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED",
  puid: "vigil-3-post-0123456789abcdef",
});

/** A valid statement on the terms-and-conditions ground (the shape of a global account suspension). */
const incompatibleStatement = (): DsaStatement => ({
  decision_account: "DECISION_ACCOUNT_SUSPENDED",
  account_type: "ACCOUNT_TYPE_PRIVATE",
  decision_ground: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
  decision_ground_reference_url: "https://platform.example/tos",
  incompatible_content_ground: "Violent speech policy",
  incompatible_content_explanation: "The rules prohibit threatening violence.",
  incompatible_content_illegal: "No",
  content_type: ["CONTENT_TYPE_OTHER"],
  content_type_other: "User account",
  category: "STATEMENT_CATEGORY_VIOLENCE",
  category_addition: ["STATEMENT_CATEGORY_CYBER_VIOLENCE"],
  category_specification: ["KEYWORD_INCITEMENT_VIOLENCE_HATRED", "KEYWORD_OTHER"],
  category_specification_other: "Glorification of an attack",
  territorial_scope: [...EEA_COUNTRIES],
  content_date: "2012-05-01",
  application_date: "2021-02-01",
  end_date_account_restriction: null,
  decision_facts: "The account was suspended everywhere on 1 February 2021.",
  source_type: "SOURCE_VOLUNTARY",
  automated_detection: "Yes",
  automated_decision: "AUTOMATED_DECISION_PARTIALLY",
  puid: "vigil-1-account-fedcba9876543210",
  content_id: { "EAN-13": "4006381333931" },
});

type Mutable = Record<string, unknown>;
const illegal = () => illegalStatement() as unknown as Mutable;
const incompatible = () => incompatibleStatement() as unknown as Mutable;

interface Case {
  /** What is broken, in words. */
  name: string;
  base: "illegal" | "incompatible";
  endpoint?: "single" | "bulk";
  mutate: (s: Mutable) => void;
  field: string;
  rule: DsaRule;
}

const set = (k: string, v: unknown) => (s: Mutable) => {
  s[k] = v;
};
const drop = (k: string) => (s: Mutable) => {
  delete s[k];
};

const A = (n: number, c = "a") => c.repeat(n);

// One row per rule, each rule broken once on a statement that is otherwise valid.
const CASES: Case[] = [
  // §1.2 required
  ...(
    [
      "decision_ground",
      "content_type",
      "category",
      "content_date",
      "application_date",
      "decision_facts",
      "source_type",
      "automated_detection",
      "automated_decision",
      "puid",
    ] as const
  ).map(
    (k): Case => ({ name: `${k} missing`, base: "illegal", mutate: drop(k), field: k, rule: "required" }),
  ),
  {
    name: "content_type empty",
    base: "illegal",
    mutate: set("content_type", []),
    field: "content_type",
    rule: "required",
  },
  {
    name: "decision_facts blank",
    base: "illegal",
    mutate: set("decision_facts", "   "),
    field: "decision_facts",
    rule: "required",
  },
  { name: "puid null", base: "illegal", mutate: set("puid", null), field: "puid", rule: "required" },
  // §1.3.1
  {
    name: "no decision at all",
    base: "illegal",
    mutate: drop("decision_visibility"),
    field: "decision_visibility",
    rule: "required_without_all",
  },
  {
    name: "only empty or null decisions",
    base: "incompatible",
    mutate: (s) => {
      s.decision_account = null;
      s.decision_visibility = [];
      s.decision_provision = null;
    },
    field: "decision_account",
    rule: "required_without_all",
  },
  // §1.3.2–6 required_if
  ...(["illegal_content_legal_ground", "illegal_content_explanation"] as const).map(
    (k): Case => ({
      name: `${k} missing on ILLEGAL`,
      base: "illegal",
      mutate: drop(k),
      field: k,
      rule: "required_if",
    }),
  ),
  ...(["incompatible_content_ground", "incompatible_content_explanation"] as const).map(
    (k): Case => ({
      name: `${k} missing on INCOMPATIBLE`,
      base: "incompatible",
      mutate: drop(k),
      field: k,
      rule: "required_if",
    }),
  ),
  {
    name: "DECISION_VISIBILITY_OTHER without its text",
    base: "illegal",
    mutate: set("decision_visibility", ["DECISION_VISIBILITY_OTHER"]),
    field: "decision_visibility_other",
    rule: "required_if",
  },
  {
    name: "DECISION_MONETARY_OTHER without its text",
    base: "illegal",
    mutate: set("decision_monetary", "DECISION_MONETARY_OTHER"),
    field: "decision_monetary_other",
    rule: "required_if",
  },
  {
    name: "CONTENT_TYPE_OTHER without its text",
    base: "illegal",
    mutate: set("content_type", ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_OTHER"]),
    field: "content_type_other",
    rule: "required_if",
  },
  // exclude_unless
  {
    name: "incompatible ground on ILLEGAL",
    base: "illegal",
    mutate: set("incompatible_content_ground", "x"),
    field: "incompatible_content_ground",
    rule: "excluded",
  },
  {
    name: "incompatible explanation on ILLEGAL",
    base: "illegal",
    mutate: set("incompatible_content_explanation", "x"),
    field: "incompatible_content_explanation",
    rule: "excluded",
  },
  {
    name: "incompatible_content_illegal on ILLEGAL",
    base: "illegal",
    mutate: set("incompatible_content_illegal", "Yes"),
    field: "incompatible_content_illegal",
    rule: "excluded",
  },
  {
    name: "illegal legal ground on INCOMPATIBLE",
    base: "incompatible",
    mutate: set("illegal_content_legal_ground", "x"),
    field: "illegal_content_legal_ground",
    rule: "excluded",
  },
  {
    name: "illegal explanation on INCOMPATIBLE",
    base: "incompatible",
    mutate: set("illegal_content_explanation", "x"),
    field: "illegal_content_explanation",
    rule: "excluded",
  },
  {
    name: "decision_visibility_other without OTHER",
    base: "illegal",
    mutate: set("decision_visibility_other", "x"),
    field: "decision_visibility_other",
    rule: "excluded",
  },
  {
    name: "decision_monetary_other without OTHER",
    base: "illegal",
    mutate: set("decision_monetary_other", "x"),
    field: "decision_monetary_other",
    rule: "excluded",
  },
  {
    name: "content_type_other without OTHER",
    base: "illegal",
    mutate: set("content_type_other", "x"),
    field: "content_type_other",
    rule: "excluded",
  },
  {
    name: "source_identity on SOURCE_VOLUNTARY (bulk)",
    base: "incompatible",
    mutate: set("source_identity", "Court"),
    field: "source_identity",
    rule: "excluded",
  },
  {
    name: "source_identity on SOURCE_VOLUNTARY (single)",
    base: "incompatible",
    endpoint: "single",
    mutate: set("source_identity", "Court"),
    field: "source_identity",
    rule: "excluded",
  },
  // §1.4 enumerations
  {
    name: "unknown visibility key",
    base: "illegal",
    mutate: set("decision_visibility", ["DECISION_VISIBILITY_CONTENT_DISABLED", "CONTENT_REMOVED"]),
    field: "decision_visibility.1",
    rule: "in",
  },
  {
    name: "visibility as label text, not key",
    base: "illegal",
    mutate: set("decision_visibility", ["Removal of content"]),
    field: "decision_visibility.0",
    rule: "in",
  },
  {
    name: "unknown monetary key",
    base: "illegal",
    mutate: set("decision_monetary", "DECISION_MONETARY_FINE"),
    field: "decision_monetary",
    rule: "in",
  },
  {
    name: "unknown provision key",
    base: "illegal",
    mutate: set("decision_provision", "DECISION_PROVISION_SUSPENDED"),
    field: "decision_provision",
    rule: "in",
  },
  {
    name: "unknown account key",
    base: "incompatible",
    mutate: set("decision_account", "DECISION_ACCOUNT_BANNED"),
    field: "decision_account",
    rule: "in",
  },
  {
    name: "unknown account type",
    base: "incompatible",
    mutate: set("account_type", "ACCOUNT_TYPE_GOVERNMENT"),
    field: "account_type",
    rule: "in",
  },
  {
    name: "unknown ground",
    base: "illegal",
    mutate: set("decision_ground", "DECISION_GROUND_OTHER"),
    field: "decision_ground",
    rule: "in",
  },
  {
    name: "incompatible_content_illegal lower case",
    base: "incompatible",
    mutate: set("incompatible_content_illegal", "yes"),
    field: "incompatible_content_illegal",
    rule: "in",
  },
  {
    name: "unknown content type",
    base: "illegal",
    mutate: set("content_type", ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_LIVESTREAM"]),
    field: "content_type.1",
    rule: "in",
  },
  {
    name: "retired v1 category",
    base: "illegal",
    mutate: set("category", "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"),
    field: "category",
    rule: "in",
  },
  {
    name: "unknown category_addition",
    base: "incompatible",
    mutate: set("category_addition", ["STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT"]),
    field: "category_addition.0",
    rule: "in",
  },
  {
    name: "retired keyword KEYWORD_DISINFORMATION",
    base: "incompatible",
    mutate: set("category_specification", ["KEYWORD_DISINFORMATION"]),
    field: "category_specification.0",
    rule: "in",
  },
  {
    name: "KEYWORD_DANGEROUS_TOYS is no longer in KEYWORDS",
    base: "incompatible",
    mutate: set("category_specification", ["KEYWORD_OTHER", "KEYWORD_DANGEROUS_TOYS"]),
    field: "category_specification.1",
    rule: "in",
  },
  {
    name: "unknown source type",
    base: "illegal",
    mutate: set("source_type", "SOURCE_GOVERNMENT_ORDER"),
    field: "source_type",
    rule: "in",
  },
  {
    name: "automated_detection as boolean text",
    base: "illegal",
    mutate: set("automated_detection", "true"),
    field: "automated_detection",
    rule: "in",
  },
  {
    name: "unknown automated decision",
    base: "illegal",
    mutate: set("automated_decision", "AUTOMATED_DECISION_MOSTLY"),
    field: "automated_decision",
    rule: "in",
  },
  // §1.5 / §1.6
  {
    name: "India in territorial_scope",
    base: "illegal",
    mutate: set("territorial_scope", ["DE", "IN"]),
    field: "territorial_scope.1",
    rule: "in_eea",
  },
  {
    name: "Greece as EL",
    base: "illegal",
    mutate: set("territorial_scope", ["EL"]),
    field: "territorial_scope.0",
    rule: "in_eea",
  },
  {
    name: "lower-case country",
    base: "illegal",
    mutate: set("territorial_scope", ["de"]),
    field: "territorial_scope.0",
    rule: "in_eea",
  },
  {
    name: "Switzerland is not EEA",
    base: "illegal",
    mutate: set("territorial_scope", ["CH"]),
    field: "territorial_scope.0",
    rule: "in_eea",
  },
  {
    name: "lower-case language",
    base: "illegal",
    mutate: set("content_language", "de"),
    field: "content_language",
    rule: "in_language",
  },
  {
    name: "BCP 47 tag as language",
    base: "illegal",
    mutate: set("content_language", "EN-IN"),
    field: "content_language",
    rule: "in_language",
  },
  {
    name: "unknown language",
    base: "illegal",
    mutate: set("content_language", "XX"),
    field: "content_language",
    rule: "in_language",
  },
  // types
  {
    name: "decision_visibility as a string",
    base: "illegal",
    mutate: set("decision_visibility", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    field: "decision_visibility",
    rule: "type",
  },
  {
    name: "territorial_scope as a string",
    base: "illegal",
    mutate: set("territorial_scope", "DE"),
    field: "territorial_scope",
    rule: "type",
  },
  {
    name: "decision_facts as a number",
    base: "illegal",
    mutate: set("decision_facts", 42),
    field: "decision_facts",
    rule: "type",
  },
  {
    name: "content_id as an array",
    base: "incompatible",
    mutate: set("content_id", ["4006381333931"]),
    field: "content_id",
    rule: "type",
  },
  // lengths
  ...(
    [
      ["decision_visibility_other", 500, "illegal", { decision_visibility: ["DECISION_VISIBILITY_OTHER"] }],
      ["decision_monetary_other", 500, "illegal", { decision_monetary: "DECISION_MONETARY_OTHER" }],
      ["illegal_content_legal_ground", 500, "illegal", {}],
      ["illegal_content_explanation", 2000, "illegal", {}],
      ["incompatible_content_ground", 500, "incompatible", {}],
      ["incompatible_content_explanation", 2000, "incompatible", {}],
      ["content_type_other", 500, "incompatible", {}],
      ["category_specification_other", 500, "incompatible", {}],
      ["decision_facts", 5000, "illegal", {}],
      ["source_identity", 500, "illegal", {}],
      ["puid", 500, "illegal", {}],
    ] as const
  ).map(
    ([k, max, base, extra]): Case => ({
      name: `${k} over ${max} characters`,
      base,
      mutate: (s) => {
        Object.assign(s, extra);
        s[k] = A(max + 1);
      },
      field: k,
      rule: "max",
    }),
  ),
  {
    name: "decision_ground_reference_url over 500 characters",
    base: "incompatible",
    mutate: set("decision_ground_reference_url", `https://platform.example/${A(480)}`),
    field: "decision_ground_reference_url",
    rule: "max",
  },
  // dates
  {
    name: "impossible date",
    base: "illegal",
    mutate: set("content_date", "2021-02-30"),
    field: "content_date",
    rule: "date_format",
  },
  {
    name: "date with a time",
    base: "illegal",
    mutate: set("application_date", "2021-02-01T00:00:00Z"),
    field: "application_date",
    rule: "date_format",
  },
  {
    name: "day-first date",
    base: "illegal",
    mutate: set("end_date_visibility_restriction", "01/03/2021"),
    field: "end_date_visibility_restriction",
    rule: "date_format",
  },
  {
    name: "content before 2000",
    base: "illegal",
    mutate: set("content_date", "1999-12-31"),
    field: "content_date",
    rule: "after_or_equal",
  },
  {
    name: "application before 2020",
    base: "illegal",
    mutate: (s) => {
      s.application_date = "2019-12-31";
      s.content_date = "2019-01-01";
    },
    field: "application_date",
    rule: "after_or_equal",
  },
  {
    name: "content after 2038-01-01",
    base: "illegal",
    mutate: set("content_date", "2038-01-02"),
    field: "content_date",
    rule: "before_or_equal",
  },
  {
    name: "application after 2038-01-01",
    base: "illegal",
    mutate: set("application_date", "2038-01-02"),
    field: "application_date",
    rule: "before_or_equal",
  },
  ...(
    [
      "end_date_account_restriction",
      "end_date_monetary_restriction",
      "end_date_service_restriction",
      "end_date_visibility_restriction",
    ] as const
  ).flatMap((k): Case[] => [
    {
      name: `${k} after 2038-01-01`,
      base: "illegal",
      mutate: set(k, "2038-01-02"),
      field: k,
      rule: "before_or_equal",
    },
    {
      name: `${k} before application_date`,
      base: "illegal",
      mutate: set(k, "2021-01-31"),
      field: k,
      rule: "end_date_after_application",
    },
  ]),
  // identifiers
  {
    name: "puid with a space",
    base: "illegal",
    mutate: set("puid", "vigil 3"),
    field: "puid",
    rule: "regex",
  },
  {
    name: "puid with a slash",
    base: "illegal",
    mutate: set("puid", "vigil/3"),
    field: "puid",
    rule: "regex",
  },
  {
    name: "puid with a newline",
    base: "illegal",
    mutate: set("puid", "vigil-3\n"),
    field: "puid",
    rule: "regex",
  },
  {
    name: "EAN-13 of 12 digits",
    base: "incompatible",
    mutate: set("content_id", { "EAN-13": "400638133393" }),
    field: "content_id.EAN-13",
    rule: "regex",
  },
  {
    name: "content_id with another key",
    base: "incompatible",
    mutate: set("content_id", { ISBN: "9780306406157" }),
    field: "content_id.ISBN",
    rule: "content_id_keys",
  },
  {
    name: "content_id_ean on the bulk endpoint",
    base: "illegal",
    mutate: set("content_id_ean", "4006381333931"),
    field: "content_id_ean",
    rule: "not_allowed_on_bulk",
  },
  {
    name: "bad content_id_ean on the single endpoint",
    base: "illegal",
    endpoint: "single",
    mutate: set("content_id_ean", "40063813339X1"),
    field: "content_id_ean",
    rule: "regex",
  },
  {
    name: "reference URL without a scheme",
    base: "incompatible",
    mutate: set("decision_ground_reference_url", "platform.example/tos"),
    field: "decision_ground_reference_url",
    rule: "url",
  },
  {
    name: "reference URL with ftp",
    base: "incompatible",
    mutate: set("decision_ground_reference_url", "ftp://platform.example/tos"),
    field: "decision_ground_reference_url",
    rule: "url",
  },
  {
    name: "unknown field",
    base: "illegal",
    mutate: set("platform_name", "Vigil"),
    field: "platform_name",
    rule: "unknown_field",
  },
  {
    name: "misspelt field",
    base: "illegal",
    mutate: set("territorial_scopes", ["DE"]),
    field: "territorial_scopes",
    rule: "unknown_field",
  },
  // personal data
  {
    name: "e-mail in decision_facts",
    base: "illegal",
    mutate: set("decision_facts", "Reported by jane.doe@example.org."),
    field: "decision_facts",
    rule: "personal_data",
  },
  {
    name: "handle in illegal_content_explanation",
    base: "illegal",
    mutate: set("illegal_content_explanation", "Posted by @jane_doe."),
    field: "illegal_content_explanation",
    rule: "personal_data",
  },
  {
    name: "profile URL in incompatible_content_explanation",
    base: "incompatible",
    mutate: set("incompatible_content_explanation", "See https://platform.example/jane_doe"),
    field: "incompatible_content_explanation",
    rule: "personal_data",
  },
  {
    name: "bare profile path in incompatible_content_ground",
    base: "incompatible",
    mutate: set("incompatible_content_ground", "platform.example/jane_doe"),
    field: "incompatible_content_ground",
    rule: "personal_data",
  },
  {
    name: "phone number in illegal_content_legal_ground",
    base: "illegal",
    mutate: set("illegal_content_legal_ground", "Call +49 30 1234 5678"),
    field: "illegal_content_legal_ground",
    rule: "personal_data",
  },
  {
    name: "IP address in source_identity",
    base: "illegal",
    mutate: set("source_identity", "Sent from 203.0.113.7"),
    field: "source_identity",
    rule: "personal_data",
  },
  {
    name: "platform id in content_type_other",
    base: "incompatible",
    mutate: set("content_type_other", "Account 1354567890123"),
    field: "content_type_other",
    rule: "personal_data",
  },
  {
    name: "e-mail in category_specification_other",
    base: "incompatible",
    mutate: set("category_specification_other", "ask x@y.eu"),
    field: "category_specification_other",
    rule: "personal_data",
  },
  {
    name: "handle in decision_visibility_other",
    base: "illegal",
    mutate: (s) => {
      s.decision_visibility = ["DECISION_VISIBILITY_OTHER"];
      s.decision_visibility_other = "hidden from @jane";
    },
    field: "decision_visibility_other",
    rule: "personal_data",
  },
  {
    name: "URL in decision_monetary_other",
    base: "illegal",
    mutate: (s) => {
      s.decision_monetary = "DECISION_MONETARY_OTHER";
      s.decision_monetary_other = "see www.example.org/u/jane";
    },
    field: "decision_monetary_other",
    rule: "personal_data",
  },
];

describe("DSA validator (standards.md §1)", () => {
  test("the enumerations have the sizes §1.4–§1.6 state, with no duplicates", () => {
    const sizes: [readonly string[], number][] = [
      [DECISION_VISIBILITIES, 7],
      [DECISION_MONETARIES, 3],
      [DECISION_PROVISIONS, 4],
      [DECISION_ACCOUNTS, 2],
      [ACCOUNT_TYPES, 2],
      [DECISION_GROUNDS, 2],
      [CONTENT_TYPES, 8],
      [STATEMENT_CATEGORIES, 16],
      [KEYWORDS, 69],
      [SOURCE_TYPES, 4],
      [AUTOMATED_DECISIONS, 3],
      [EEA_COUNTRIES, 30],
      [CONTENT_LANGUAGES, 184],
    ];
    for (const [list, n] of sizes) {
      assert.equal(list.length, n, list[0]);
      assert.equal(new Set(list).size, n, `${list[0]}: duplicates`);
    }
    for (const c of ["IN", "GB", "CH", "EL", "EU"]) assert.ok(!EEA_COUNTRIES.includes(c as never), c);
    for (const l of ["HI", "BN", "TA", "UR", "PA", "GU", "KN", "ML", "MR", "TE", "OR"])
      assert.ok(CONTENT_LANGUAGES.includes(l as never), l);
  });

  test("both base statements pass, on both endpoints", () => {
    for (const s of [illegal(), incompatible()]) {
      assert.deepEqual(validateStatement(s), []);
      assert.deepEqual(validateStatement(s, { endpoint: "single" }), []);
    }
  });

  test("boundaries pass: exact maximum lengths (in code points), bound dates, nulls where nullable", () => {
    const s = illegal();
    s.illegal_content_legal_ground = "ग".repeat(500);
    s.illegal_content_explanation = "😀".repeat(2000); // 4000 UTF-16 units, 2000 code points
    s.decision_facts = A(5000);
    s.puid = A(500, "Z");
    s.content_date = "2000-01-01";
    s.application_date = "2020-01-01";
    s.end_date_visibility_restriction = "2038-01-01";
    s.territorial_scope = null;
    s.content_language = null;
    s.decision_monetary = null;
    s.content_id = null;
    assert.deepEqual(validateStatement(s), []);
    const single = illegal();
    single.content_id_ean = "4006381333931";
    assert.deepEqual(validateStatement(single, { endpoint: "single" }), []);
  });

  test("the table has a case for every rule the validator names (except the bulk-body rules)", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    const all: DsaRule[] = [
      "required",
      "required_without_all",
      "required_if",
      "excluded",
      "type",
      "in",
      "in_eea",
      "in_language",
      "max",
      "date_format",
      "after_or_equal",
      "before_or_equal",
      "end_date_after_application",
      "regex",
      "url",
      "content_id_keys",
      "not_allowed_on_bulk",
      "unknown_field",
      "personal_data",
    ];
    assert.deepEqual(
      all.filter((r) => !covered.has(r)),
      [],
    );
  });

  for (const c of CASES)
    test(`rejects: ${c.name} → ${c.field}: ${c.rule}`, () => {
      const s = c.base === "illegal" ? illegal() : incompatible();
      assert.deepEqual(validateStatement(s, { endpoint: c.endpoint }), [], "the base must be valid");
      c.mutate(s);
      const errors = validateStatement(s, { endpoint: c.endpoint });
      assert.ok(
        errors.some((e) => e.field === c.field && e.rule === c.rule),
        `expected ${c.field}: ${c.rule}, got ${JSON.stringify(errors)}`,
      );
      for (const e of errors) assert.ok(e.message.length > 0);
    });

  test("a statement that is not an object is rejected", () => {
    assert.deepEqual(
      validateStatement([]).map((e) => e.rule),
      ["type"],
    );
    assert.deepEqual(
      validateStatement(null).map((e) => e.rule),
      ["type"],
    );
  });
});

describe("DSA bulk body (§1.1)", () => {
  const withPuid = (p: string) => ({ ...illegal(), puid: p });

  test("1 to 100 statements pass", () => {
    assert.deepEqual(validateBulkBody({ statements: [withPuid("a")] }), []);
    assert.deepEqual(
      validateBulkBody({ statements: Array.from({ length: 100 }, (_, i) => withPuid(`p${i}`)) }),
      [],
    );
  });

  test("0 or 101 statements: batch_size", () => {
    assert.deepEqual(
      validateBulkBody({ statements: [] }).map((e) => e.rule),
      ["batch_size"],
    );
    const big = validateBulkBody({ statements: Array.from({ length: 101 }, (_, i) => withPuid(`p${i}`)) });
    assert.deepEqual(
      big.map((e) => [e.field, e.rule]),
      [["statements", "batch_size"]],
    );
    assert.deepEqual(
      validateBulkBody({}).map((e) => e.rule),
      ["type"],
    );
  });

  test("a PUID twice in one request: distinct_puid on the second", () => {
    const errors = validateBulkBody({ statements: [withPuid("x"), withPuid("y"), withPuid("x")] });
    assert.deepEqual(errors, [
      {
        field: "statement_2.puid",
        rule: "distinct_puid",
        message: "puid 'x' is also used by statement_0 in this request",
      },
    ]);
  });

  test("item errors are keyed statement_<index>", () => {
    const bad = illegal();
    delete bad.category;
    const errors = validateBulkBody({ statements: [withPuid("a"), bad] });
    assert.deepEqual(
      errors.map((e) => [e.field, e.rule]),
      [["statement_1.category", "required"]],
    );
  });
});
