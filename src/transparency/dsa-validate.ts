/**
 * A validator for DSA statements of reasons, written from standards.md §1 (the Transparency
 * Database's `StatementStoreRequest::rules()` and `GroupedSubmissionsService::multi_rules()`),
 * plus the rules Vigil adds on top (marked VIGIL below). It reports every problem at once, each as
 * `{ field, rule, message }`, where `rule` names the rule broken:
 *
 * | rule | source | meaning |
 * |---|---|---|
 * | `required` | §1.2 | a required field is missing, null, blank or an empty array |
 * | `required_without_all` | §1.3.1 | none of decision_visibility / _monetary / _provision / _account |
 * | `required_if` | §1.3.2–6 | a field its condition makes required is missing |
 * | `excluded` | §1.2/§1.3 `exclude_unless` | a field sent although its condition does not hold (the server drops it silently; VIGIL treats that as a bug) |
 * | `type` | §1.2 | wrong JSON type (array / string / object expected) |
 * | `in` | §1.4 | a value outside its enumeration (keys, Yes/No) |
 * | `in_eea` | §1.5 | a `territorial_scope` code outside the 30 EEA codes |
 * | `in_language` | §1.6 | a `content_language` outside the 184 codes |
 * | `max` | §1.2 | a string longer than allowed (code points) |
 * | `date_format` | §1.2 | not a real `YYYY-MM-DD` date |
 * | `after_or_equal` / `before_or_equal` | §1.2 | a date outside its bounds |
 * | `end_date_after_application` | §1.3.8 | VIGIL: an end date before application_date (documented, not enforced by the server) |
 * | `regex` | §1.2 | `puid` or an EAN-13 that does not match its pattern |
 * | `url` | §1.2 | `decision_ground_reference_url` is not an http(s) URL |
 * | `content_id_keys` | §1.2 | `content_id` holds a key other than "EAN-13" |
 * | `not_allowed_on_bulk` | §1.2 | `content_id_ean` on the bulk endpoint (no rule there) |
 * | `unknown_field` | VIGIL | a field §1.2 does not list (the server ignores it) |
 * | `personal_data` | §1.1 + Art. 24(5) | an e-mail, @handle, URL with a path, phone/long number or IP in free text |
 * | `batch_size` / `distinct_puid` | §1.1 | bulk body: 1–100 statements; PUIDs unique within the request |
 */
import {
  ACCOUNT_TYPES,
  APPLICATION_DATE_MIN,
  AUTOMATED_DECISIONS,
  BULK_MAX,
  CONTENT_DATE_MIN,
  CONTENT_TYPES,
  DATE_MAX,
  DECISION_ACCOUNTS,
  DECISION_GROUNDS,
  DECISION_MONETARIES,
  DECISION_PROVISIONS,
  DECISION_VISIBILITIES,
  EAN13_PATTERN,
  EEA,
  FREE_TEXT_FIELDS,
  KEYWORDS,
  LANGUAGES,
  PUID_PATTERN,
  SOURCE_TYPES,
  STATEMENT_CATEGORIES,
  STATEMENT_FIELDS,
  YES_NO,
} from "./dsa-spec.ts";
import { codePoints, findPersonalData } from "./pii.ts";

export type DsaRule =
  | "required"
  | "required_without_all"
  | "required_if"
  | "excluded"
  | "type"
  | "in"
  | "in_eea"
  | "in_language"
  | "max"
  | "date_format"
  | "after_or_equal"
  | "before_or_equal"
  | "end_date_after_application"
  | "regex"
  | "url"
  | "content_id_keys"
  | "not_allowed_on_bulk"
  | "unknown_field"
  | "personal_data"
  | "batch_size"
  | "distinct_puid";

export interface DsaError {
  /** The field at fault: `decision_visibility.0`, or `statement_3.puid` in a bulk body. */
  field: string;
  rule: DsaRule;
  message: string;
}

export interface DsaValidateOptions {
  /** `single` = POST /api/v1/statement, `bulk` = POST /api/v1/statements (§1.1, §1.2). Default bulk. */
  endpoint?: "single" | "bulk";
}

type Obj = Record<string, unknown>;

/** Laravel's notion of "present" for required*: not null, not blank, not an empty array. */
const filled = (v: unknown): boolean => {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
};

const present = (o: Obj, k: string) => Object.hasOwn(o, k) && o[k] !== undefined;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isRealDate = (s: string): boolean => {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
};

/** Validates one statement. Returns every error found; an empty list means it passes. */
export function validateStatement(input: unknown, options: DsaValidateOptions = {}): DsaError[] {
  const endpoint = options.endpoint ?? "bulk";
  const errors: DsaError[] = [];
  const err = (field: string, rule: DsaRule, message: string) => errors.push({ field, rule, message });
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    err("", "type", "a statement must be a JSON object");
    return errors;
  }
  const s = input as Obj;
  const known = new Set<string>(STATEMENT_FIELDS);
  for (const k of Object.keys(s))
    if (!known.has(k)) err(k, "unknown_field", `'${k}' is not a statement field`);

  // -- checks by kind --------------------------------------------------------------------------
  const required = (k: string) => {
    if (!filled(s[k])) {
      err(k, "required", `${k} is required`);
      return false;
    }
    return true;
  };
  const str = (k: string, max: number | null): boolean => {
    const v = s[k];
    if (v === undefined || v === null) return false;
    if (typeof v !== "string") {
      err(k, "type", `${k} must be a string`);
      return false;
    }
    if (max !== null && codePoints(v) > max) err(k, "max", `${k} must be at most ${max} characters`);
    return true;
  };
  const oneOf = (k: string, values: readonly string[], list: string) => {
    const v = s[k];
    if (v === undefined || v === null) return;
    if (typeof v !== "string") return err(k, "type", `${k} must be a string`);
    if (!values.includes(v)) err(k, "in", `${k} '${v}' is not one of ${list}`);
  };
  const arrayOf = (k: string, values: readonly string[], list: string, allowNullItems = false) => {
    const v = s[k];
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) return err(k, "type", `${k} must be an array`);
    v.forEach((x, i) => {
      if (x === null && allowNullItems) return;
      if (typeof x !== "string" || !values.includes(x))
        err(`${k}.${i}`, "in", `${k}[${i}] ${JSON.stringify(x)} is not one of ${list}`);
    });
  };
  const date = (k: string, min: string | null) => {
    const v = s[k];
    if (v === undefined || v === null) return;
    if (typeof v !== "string" || !isRealDate(v))
      return err(k, "date_format", `${k} must be a date written YYYY-MM-DD, not ${JSON.stringify(v)}`);
    if (min !== null && v < min) err(k, "after_or_equal", `${k} must be on or after ${min}`);
    if (v > DATE_MAX) err(k, "before_or_equal", `${k} must be on or before ${DATE_MAX}`);
  };
  const excludedUnless = (k: string, holds: boolean, condition: string) => {
    if (!holds && present(s, k) && s[k] !== null)
      err(k, "excluded", `${k} applies only when ${condition}; the database would drop it`);
  };
  const requiredIf = (k: string, holds: boolean, condition: string) => {
    if (holds && !filled(s[k])) err(k, "required_if", `${k} is required when ${condition}`);
  };

  // -- 1.3.1: at least one decision ------------------------------------------------------------
  const decisions = ["decision_visibility", "decision_monetary", "decision_provision", "decision_account"];
  if (!decisions.some((k) => filled(s[k])))
    for (const k of decisions)
      err(k, "required_without_all", `${k} is required when none of the other decision_* fields is given`);

  arrayOf("decision_visibility", DECISION_VISIBILITIES, "DECISION_VISIBILITIES", true);
  const visibility = Array.isArray(s.decision_visibility) ? s.decision_visibility : [];
  const visOther = visibility.includes("DECISION_VISIBILITY_OTHER");
  requiredIf("decision_visibility_other", visOther, "decision_visibility contains DECISION_VISIBILITY_OTHER");
  excludedUnless(
    "decision_visibility_other",
    visOther,
    "decision_visibility contains DECISION_VISIBILITY_OTHER",
  );
  str("decision_visibility_other", 500);

  oneOf("decision_monetary", DECISION_MONETARIES, "DECISION_MONETARIES");
  const monOther = s.decision_monetary === "DECISION_MONETARY_OTHER";
  requiredIf("decision_monetary_other", monOther, "decision_monetary is DECISION_MONETARY_OTHER");
  excludedUnless("decision_monetary_other", monOther, "decision_monetary is DECISION_MONETARY_OTHER");
  str("decision_monetary_other", 500);

  oneOf("decision_provision", DECISION_PROVISIONS, "DECISION_PROVISIONS");
  oneOf("decision_account", DECISION_ACCOUNTS, "DECISION_ACCOUNTS");
  oneOf("account_type", ACCOUNT_TYPES, "ACCOUNT_TYPES");

  // -- grounds (1.3.2, 1.3.3) ------------------------------------------------------------------
  if (required("decision_ground")) oneOf("decision_ground", DECISION_GROUNDS, "DECISION_GROUNDS");
  if (str("decision_ground_reference_url", 500) && !isHttpUrl(s.decision_ground_reference_url as string))
    err("decision_ground_reference_url", "url", "decision_ground_reference_url must be an http(s) URL");
  const illegal = s.decision_ground === "DECISION_GROUND_ILLEGAL_CONTENT";
  const incompatible = s.decision_ground === "DECISION_GROUND_INCOMPATIBLE_CONTENT";
  for (const [k, max] of [
    ["illegal_content_legal_ground", 500],
    ["illegal_content_explanation", 2000],
  ] as const) {
    requiredIf(k, illegal, "decision_ground is DECISION_GROUND_ILLEGAL_CONTENT");
    excludedUnless(k, illegal, "decision_ground is DECISION_GROUND_ILLEGAL_CONTENT");
    str(k, max);
  }
  for (const [k, max] of [
    ["incompatible_content_ground", 500],
    ["incompatible_content_explanation", 2000],
  ] as const) {
    requiredIf(k, incompatible, "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT");
    excludedUnless(k, incompatible, "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT");
    str(k, max);
  }
  excludedUnless(
    "incompatible_content_illegal",
    incompatible,
    "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT",
  );
  oneOf("incompatible_content_illegal", YES_NO, "Yes, No");

  // -- content ---------------------------------------------------------------------------------
  if (required("content_type")) arrayOf("content_type", CONTENT_TYPES, "CONTENT_TYPES");
  const ctOther = Array.isArray(s.content_type) && s.content_type.includes("CONTENT_TYPE_OTHER");
  requiredIf("content_type_other", ctOther, "content_type contains CONTENT_TYPE_OTHER");
  excludedUnless("content_type_other", ctOther, "content_type contains CONTENT_TYPE_OTHER");
  str("content_type_other", 500);

  if (required("category")) oneOf("category", STATEMENT_CATEGORIES, "STATEMENT_CATEGORIES");
  arrayOf("category_addition", STATEMENT_CATEGORIES, "STATEMENT_CATEGORIES");
  arrayOf("category_specification", KEYWORDS, "KEYWORDS");
  str("category_specification_other", 500);

  const scope = s.territorial_scope;
  if (scope !== undefined && scope !== null) {
    if (!Array.isArray(scope)) err("territorial_scope", "type", "territorial_scope must be an array");
    else
      scope.forEach((c, i) => {
        if (typeof c !== "string" || !EEA.has(c))
          err(
            `territorial_scope.${i}`,
            "in_eea",
            `${JSON.stringify(c)} is not one of the 30 EEA country codes`,
          );
      });
  }
  if (str("content_language", null) && !LANGUAGES.has(s.content_language as string))
    err(
      "content_language",
      "in_language",
      `'${s.content_language}' is not an upper-case ISO 639-1 code of §1.6`,
    );

  // -- dates -----------------------------------------------------------------------------------
  if (required("content_date")) date("content_date", CONTENT_DATE_MIN);
  if (required("application_date")) date("application_date", APPLICATION_DATE_MIN);
  const app =
    typeof s.application_date === "string" && isRealDate(s.application_date) ? s.application_date : null;
  for (const k of [
    "end_date_account_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_visibility_restriction",
  ]) {
    const before = errors.length;
    date(k, null);
    const v = s[k];
    if (errors.length === before && typeof v === "string" && app !== null && v < app)
      err(k, "end_date_after_application", `${k} ${v} is before application_date ${app}`);
  }

  // -- facts, source, automation, identifiers ------------------------------------------------
  if (required("decision_facts")) str("decision_facts", 5000);
  if (required("source_type")) oneOf("source_type", SOURCE_TYPES, "SOURCE_TYPES");
  if (endpoint === "single")
    excludedUnless(
      "source_identity",
      s.source_type !== "SOURCE_VOLUNTARY",
      "source_type is not SOURCE_VOLUNTARY",
    );
  else if (s.source_type === "SOURCE_VOLUNTARY" && filled(s.source_identity))
    err("source_identity", "excluded", "source_identity is dropped when source_type is SOURCE_VOLUNTARY");
  str("source_identity", 500);
  if (required("automated_detection")) oneOf("automated_detection", YES_NO, "Yes, No");
  if (required("automated_decision")) oneOf("automated_decision", AUTOMATED_DECISIONS, "AUTOMATED_DECISIONS");
  if (required("puid") && str("puid", 500) && !PUID_PATTERN.test(s.puid as string))
    err("puid", "regex", "puid may hold only letters, digits, '-' and '_' (no spaces or newlines)");

  const cid = s.content_id;
  if (cid !== undefined && cid !== null) {
    if (typeof cid !== "object" || Array.isArray(cid))
      err("content_id", "type", "content_id must be an object");
    else
      for (const [k, v] of Object.entries(cid as Obj)) {
        if (k !== "EAN-13")
          err(`content_id.${k}`, "content_id_keys", `content_id may only hold "EAN-13", not '${k}'`);
        else if (typeof v !== "string" || !EAN13_PATTERN.test(v))
          err("content_id.EAN-13", "regex", "content_id.EAN-13 must be 13 digits");
      }
  }
  if (present(s, "content_id_ean") && s.content_id_ean !== null) {
    if (endpoint === "bulk")
      err("content_id_ean", "not_allowed_on_bulk", "content_id_ean is accepted by the single endpoint only");
    else if (typeof s.content_id_ean !== "string" || !EAN13_PATTERN.test(s.content_id_ean))
      err("content_id_ean", "regex", "content_id_ean must be 13 digits");
  }

  // -- personal data (Art. 24(5)) ----------------------------------------------------------------
  for (const k of FREE_TEXT_FIELDS) {
    const v = s[k];
    if (typeof v !== "string") continue;
    const found = findPersonalData(v);
    if (found.length > 0)
      err(
        k,
        "personal_data",
        `${k} carries personal data: ${found.map((f) => `${f.kind} '${f.excerpt}'`).join(", ")}`,
      );
  }
  return errors;
}

/**
 * Validates a bulk request body `{ statements: [...] }` (§1.1): 1 to 100 statements, each valid
 * (errors prefixed `statement_<index>.`, as the server keys them), and no PUID twice in the request.
 */
export function validateBulkBody(body: unknown): DsaError[] {
  const errors: DsaError[] = [];
  const list = (body as { statements?: unknown } | null)?.statements;
  if (!Array.isArray(list))
    return [{ field: "statements", rule: "type", message: "statements must be an array" }];
  if (list.length < 1 || list.length > BULK_MAX)
    errors.push({
      field: "statements",
      rule: "batch_size",
      message: `statements must hold between 1 and ${BULK_MAX} items, not ${list.length}`,
    });
  const seen = new Map<string, number>();
  list.forEach((st, i) => {
    for (const e of validateStatement(st, { endpoint: "bulk" }))
      errors.push({ ...e, field: `statement_${i}${e.field === "" ? "" : `.${e.field}`}` });
    const puid = (st as { puid?: unknown } | null)?.puid;
    if (typeof puid !== "string") return;
    const first = seen.get(puid);
    if (first !== undefined)
      errors.push({
        field: `statement_${i}.puid`,
        rule: "distinct_puid",
        message: `puid '${puid}' is also used by statement_${first} in this request`,
      });
    else seen.set(puid, i);
  });
  return errors;
}
