import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import { COUNTRY_CODES } from "../domain/countries.ts";
import { ACTIONS, type ActionBody, type LedgerEntry, SOURCE_KINDS, SUBJECT_TYPES } from "../domain/model.ts";
import { AUTHORITY_TYPES } from "../legal/profiles.ts";
import {
  buildStatement,
  buildStatements,
  bulkBatches,
  type DsaContent,
  type DsaInput,
  dsaLanguage,
  eeaScope,
  puidFor,
  renderDsaMapping,
  toJsonLines,
} from "./dsa.ts";
import { EEA_COUNTRIES, PUID_PATTERN } from "./dsa-spec.ts";
import { validateBulkBody, validateStatement } from "./dsa-validate.ts";
import { findPersonalData } from "./pii.ts";

const hashOf = (seq: number) => createHash("sha256").update(`entry ${seq}`).digest("hex");

function entry(seq: number, over: Partial<ActionBody> = {}): LedgerEntry {
  return {
    seq,
    prevHash: "0".repeat(64),
    hash: hashOf(seq),
    subject: { type: "account", id: "1001" },
    action: "suspend",
    countries: null,
    surfaces: null,
    label: null,
    basis: null,
    expiresAt: null,
    source: { kind: "manual", id: null },
    actor: "key:mod1",
    reason: "Repeated violent threats",
    rule: "violent_speech",
    legalBasis: null,
    reverses: null,
    idempotencyKey: null,
    recordedAt: "2021-02-01T09:15:00.000Z",
    ...over,
  };
}

const post: DsaContent = { createdAt: "2021-01-30T12:00:00Z", lang: "hi", hasText: true, media: [] };
const account: DsaContent = { createdAt: "2012-05-01T00:00:00Z", lang: "en" };

const statementOf = (input: DsaInput) => {
  const r = buildStatement(input);
  assert.equal(r.kind, "statement", JSON.stringify(r));
  if (r.kind !== "statement") throw new Error("unreachable");
  assert.deepEqual(validateStatement(r.statement), []);
  return r.statement;
};

describe("DSA statements: which entries produce one", () => {
  test("a global account suspension: account decision, T&C ground, all 30 EEA countries", () => {
    const s = statementOf({ entry: entry(1), content: account });
    assert.equal(s.decision_account, "DECISION_ACCOUNT_SUSPENDED");
    assert.equal(s.decision_visibility, undefined);
    assert.equal(s.decision_ground, "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    assert.equal(s.incompatible_content_ground, "Violent speech policy");
    assert.equal(s.category, "STATEMENT_CATEGORY_VIOLENCE");
    assert.deepEqual(s.category_specification, ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"]);
    assert.deepEqual(s.territorial_scope, [...EEA_COUNTRIES]);
    assert.equal(s.territorial_scope?.length, 30);
    assert.deepEqual(s.content_type, ["CONTENT_TYPE_OTHER"]);
    assert.ok(s.content_type_other);
    assert.equal(s.content_date, "2012-05-01");
    assert.equal(s.application_date, "2021-02-01");
    assert.equal(s.content_language, "EN");
    assert.equal(s.source_type, "SOURCE_VOLUNTARY");
    assert.equal(s.source_identity, undefined);
    assert.equal(s.illegal_content_legal_ground, undefined);
  });

  test("withheld in India only: no EEA effect, no statement", () => {
    const r = buildStatement({
      entry: entry(2, { action: "withhold", countries: ["IN"], basis: "legal_demand", rule: null }),
      content: post,
    });
    assert.deepEqual(r, { kind: "skipped", seq: 2, reason: "no_eea_effect" });
  });

  test("withheld in DE and IN on a legal demand: scope [DE], illegal-content ground from the legal basis", () => {
    const s = statementOf({
      entry: entry(3, {
        subject: { type: "post", id: "55" },
        action: "withhold",
        countries: ["DE", "IN"],
        basis: "legal_demand",
        rule: null,
        legalBasis: "Netzwerkdurchsetzungsgesetz s.3",
        source: { kind: "legal_demand_item", id: "order-1:1" },
      }),
      content: post,
      requester: { type: "court", country: "DE" },
    });
    assert.deepEqual(s.territorial_scope, ["DE"]);
    assert.deepEqual(s.decision_visibility, ["DECISION_VISIBILITY_CONTENT_DISABLED"]);
    assert.equal(s.decision_ground, "DECISION_GROUND_ILLEGAL_CONTENT");
    assert.equal(s.illegal_content_legal_ground, "Netzwerkdurchsetzungsgesetz s.3");
    assert.match(
      s.illegal_content_explanation!,
      /in Germany following a legal demand from a court of Germany/,
    );
    assert.doesNotMatch(s.illegal_content_explanation!, /India/);
    assert.equal(s.incompatible_content_ground, undefined);
    assert.equal(s.category, "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE");
    assert.equal(s.source_type, "SOURCE_TYPE_OTHER_NOTIFICATION");
    assert.equal(s.source_identity, "Court (Germany)");
    assert.deepEqual(s.content_type, ["CONTENT_TYPE_TEXT"]);
    assert.equal(s.content_language, "HI");
  });

  test("an account withheld in FR: content disabled plus partial suspension of the service, with its end date", () => {
    const s = statementOf({
      entry: entry(4, {
        action: "withhold",
        countries: ["FR"],
        basis: "local_law",
        rule: null,
        expiresAt: "2021-03-01T00:00:00.000Z",
      }),
      content: account,
    });
    assert.deepEqual(s.decision_visibility, ["DECISION_VISIBILITY_CONTENT_DISABLED"]);
    assert.equal(s.decision_provision, "DECISION_PROVISION_PARTIAL_SUSPENSION");
    assert.equal(s.end_date_service_restriction, "2021-03-01");
    assert.equal(s.illegal_content_legal_ground, "The law of France");
    assert.match(s.decision_facts, /until 1 March 2021/);
  });

  test("reversals and hashtags produce no statement", () => {
    for (const action of ["unsuspend", "restore", "unlabel", "unsuppress", "unlimit_engagement"] as const)
      assert.deepEqual(buildStatement({ entry: entry(5, { action, reverses: 1 }), content: account }), {
        kind: "skipped",
        seq: 5,
        reason: "reversal",
      });
    assert.deepEqual(
      buildStatement({
        entry: entry(6, {
          subject: { type: "hashtag", id: "tag" },
          action: "suppress",
          surfaces: ["trends"],
        }),
        content: post,
      }),
      { kind: "skipped", seq: 6, reason: "hashtag_subject" },
    );
  });

  test("a manipulated-media label: labelled content, synthetic media, civic-discourse category", () => {
    const s = statementOf({
      entry: entry(7, {
        subject: { type: "post", id: "77" },
        action: "label",
        label: "manipulated_media",
        rule: "synthetic_manipulated_media",
      }),
      content: { ...post, media: ["video", "gif"] },
    });
    assert.deepEqual(s.decision_visibility, ["DECISION_VISIBILITY_CONTENT_LABELLED"]);
    assert.deepEqual(s.content_type, [
      "CONTENT_TYPE_IMAGE",
      "CONTENT_TYPE_SYNTHETIC_MEDIA",
      "CONTENT_TYPE_TEXT",
      "CONTENT_TYPE_VIDEO",
    ]);
    assert.equal(s.category, "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS");
    assert.match(s.decision_facts, /label "manipulated media"/);
  });

  test("suppress and limit_engagement map to demotion and interaction restriction", () => {
    const sup = statementOf({
      entry: entry(8, { subject: { type: "post", id: "8" }, action: "suppress", surfaces: ["trends"] }),
      content: post,
    });
    assert.deepEqual(sup.decision_visibility, ["DECISION_VISIBILITY_CONTENT_DEMOTED"]);
    const lim = statementOf({
      entry: entry(9, { subject: { type: "post", id: "9" }, action: "limit_engagement", countries: ["IT"] }),
      content: post,
    });
    assert.deepEqual(lim.decision_visibility, ["DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"]);
    assert.deepEqual(lim.territorial_scope, ["IT"]);
  });

  test("automation follows the source: detector alone is fully automated, detector + human key partially", () => {
    const auto = statementOf({
      entry: entry(10, { source: { kind: "detector", id: "d1" }, actor: "system" }),
      content: account,
    });
    assert.equal(auto.automated_detection, "Yes");
    assert.equal(auto.automated_decision, "AUTOMATED_DECISION_FULLY");
    const mixed = statementOf({
      entry: entry(11, { source: { kind: "detector", id: "d1" } }),
      content: account,
    });
    assert.equal(mixed.automated_decision, "AUTOMATED_DECISION_PARTIALLY");
    const human = statementOf({ entry: entry(12), content: account });
    assert.equal(human.automated_detection, "No");
    assert.equal(human.automated_decision, "AUTOMATED_DECISION_NOT_AUTOMATED");
  });

  test("a notice on a review case sets the source type", () => {
    const s = statementOf({
      entry: entry(13, { source: { kind: "review_case", id: "c1" } }),
      content: account,
      notice: "trusted_flagger",
    });
    assert.equal(s.source_type, "SOURCE_TRUSTED_FLAGGER");
  });

  test("an expiry after 2038-01-01 is left blank (indefinite) rather than made invalid", () => {
    const s = statementOf({ entry: entry(14, { expiresAt: "2040-01-01T00:00:00.000Z" }), content: account });
    assert.equal(s.end_date_account_restriction, undefined);
    const t = statementOf({ entry: entry(15, { expiresAt: "2021-02-08T00:00:00.000Z" }), content: account });
    assert.equal(t.end_date_account_restriction, "2021-02-08");
  });

  test("personal data in the moderator's reason is scrubbed from decision_facts", () => {
    const reason =
      "Reported by bob.smith@example.com about @alice_99: see https://platform.example/alice_99/status/1354567890123, platform.example/alice_99 and call +91 98765 43210 from 10.0.0.1";
    const s = statementOf({ entry: entry(16, { reason }), content: account });
    for (const leak of ["bob.smith", "example.com", "alice_99", "1354567890123", "98765", "10.0.0.1"])
      assert.ok(!s.decision_facts.includes(leak), `${leak} leaked into ${s.decision_facts}`);
    assert.deepEqual(findPersonalData(s.decision_facts), []);
    assert.match(s.decision_facts, /Reason given: Reported by \[e-mail removed\] about \[account removed\]/);
    const none = statementOf({ entry: entry(17, { reason }), content: account, requester: null });
    assert.ok(none.decision_facts.includes("Reason given"));
    const off = buildStatement({ entry: entry(18, { reason }), content: account }, { includeReason: false });
    assert.ok(off.kind === "statement" && !off.statement.decision_facts.includes("Reason given"));
  });

  test("content dated before 2000 cannot give a valid statement: it comes back invalid, naming the rule", () => {
    const r = buildStatement({
      entry: entry(19),
      content: { ...account, createdAt: "1999-12-31T23:00:00Z" },
    });
    assert.equal(r.kind, "invalid");
    assert.ok(
      r.kind === "invalid" && r.errors.some((e) => e.field === "content_date" && e.rule === "after_or_equal"),
    );
    const all = buildStatements([
      { entry: entry(19), content: { ...account, createdAt: "1999-12-31T23:00:00Z" } },
    ]);
    assert.equal(all.statements.length, 0);
    assert.equal(all.invalid.length, 1);
  });

  test("languages: primary subtag, upper case, legacy codes mapped, unknown omitted", () => {
    assert.equal(dsaLanguage("en-IN"), "EN");
    assert.equal(dsaLanguage("pa"), "PA");
    assert.equal(dsaLanguage("iw"), "HE");
    assert.equal(dsaLanguage("und"), null);
    assert.equal(dsaLanguage("zxx"), null);
    assert.equal(dsaLanguage(null), null);
    const s = statementOf({ entry: entry(20), content: { ...account, lang: "und" } });
    assert.equal("content_language" in s, false);
  });

  test("eeaScope keeps the EEA part, sorted, once each", () => {
    assert.deepEqual(eeaScope(["IN", "SE", "DE", "US", "DE"]), ["DE", "SE"]);
    assert.deepEqual(eeaScope(["IN"]), []);
    assert.deepEqual(eeaScope(["CH", "GB"]), []);
    assert.deepEqual(eeaScope(["NO", "IS", "LI"]), ["IS", "LI", "NO"]);
    assert.equal(eeaScope(null).length, 30);
  });

  test("PUIDs follow the pattern, name the entry, and refuse entries without a hash", () => {
    const p = puidFor(entry(42, { subject: { type: "post", id: "x" } }));
    assert.equal(p, `vigil-42-post-${hashOf(42).slice(0, 16)}`);
    assert.match(p, PUID_PATTERN);
    assert.equal(puidFor(entry(42), "eu-prod_1").startsWith("eu-prod_1-42-account-"), true);
    assert.throws(() => puidFor({ ...entry(1), hash: "" }), TypeError);
    assert.throws(() => puidFor(entry(1), "bad prefix"), TypeError);
    assert.throws(() => puidFor({ ...entry(1), seq: 0 }), TypeError);
  });

  test("DSA-MAPPING.md shows the mapping the code uses", () => {
    // Compared cell by cell: the formatter pads markdown tables.
    const rows = (md: string) =>
      md
        .split("\n")
        .filter((l) => l.startsWith("|") && !/^[|\s:-]+$/.test(l))
        .map((l) =>
          l
            .split("|")
            .map((c) => c.trim())
            .join("|"),
        );
    const doc = rows(readFileSync(new URL("./DSA-MAPPING.md", import.meta.url), "utf8"));
    const table = rows(renderDsaMapping());
    const at = doc.indexOf(table[0]!);
    assert.ok(at >= 0, "DSA-MAPPING.md has no action table");
    assert.deepEqual(
      doc.slice(at, at + table.length),
      table,
      "DSA-MAPPING.md is out of date: paste renderDsaMapping()",
    );
  });
});

describe("DSA batches", () => {
  const many = Array.from({ length: 250 }, (_, i) => statementOf({ entry: entry(i + 1), content: account }));

  test("batches of at most 100, in order, each a valid bulk body", () => {
    const batches = bulkBatches(many);
    assert.deepEqual(
      batches.map((b) => b.statements.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      batches.flatMap((b) => b.statements),
      many,
    );
    for (const b of batches) assert.deepEqual(validateBulkBody(b), []);
    assert.deepEqual(bulkBatches([]), []);
    assert.throws(() => bulkBatches(many, 101), RangeError);
  });

  test("JSON Lines export: one statement per line", () => {
    const lines = toJsonLines(many.slice(0, 3)).trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.deepEqual(JSON.parse(lines[1]!), many[1]);
  });
});

// ---- property: every statement produced from random entries passes the validator ---------------

const EEA_SET = new Set<string>(EEA_COUNTRIES);
const piiText = fc.oneof(
  fc.string({ maxLength: 300, unit: "binary" }),
  fc.constantFrom(
    "mail me: a.b@c.de",
    "@someone said",
    "https://platform.example/user/status/99",
    "+44 20 7946 0958",
    "see platform.example/bob now",
    "from 192.168.1.20",
    "x".repeat(4000),
  ),
  fc.tuple(fc.string({ maxLength: 40 }), fc.emailAddress(), fc.webUrl()).map((t) => t.join(" ")),
);
const date = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString());

const arbInput: fc.Arbitrary<DsaInput> = fc
  .record({
    seq: fc.integer({ min: 1, max: 2 ** 40 }),
    subjectType: fc.constantFrom(...SUBJECT_TYPES),
    action: fc.constantFrom(...ACTIONS),
    countries: fc.option(fc.uniqueArray(fc.constantFrom(...COUNTRY_CODES), { minLength: 1, maxLength: 6 }), {
      nil: null,
    }),
    label: fc.constantFrom("manipulated_media", "sensitive_media", "state_affiliated"),
    rule: fc.option(
      fc.oneof(
        fc.constantFrom("violent_speech", "abuse", "platform_manipulation", "synthetic_manipulated_media"),
        piiText.map((s) => s.slice(0, 128)),
      ),
      { nil: null },
    ),
    legalBasis: fc.option(
      piiText.map((s) => s.slice(0, 1000)),
      { nil: null },
    ),
    reason: piiText,
    sourceKind: fc.constantFrom(...SOURCE_KINDS),
    actor: fc.constantFrom("key:abc", "system", "detector:spam"),
    recordedAt: date("2020-01-01T00:00:00Z", "2037-12-31T23:59:59Z"),
    expiresAt: fc.option(date("2020-01-02T00:00:00Z", "2045-01-01T00:00:00Z"), { nil: null }),
    createdAt: date("2000-01-01T00:00:00Z", "2037-12-31T00:00:00Z"),
    lang: fc.option(fc.constantFrom("en", "hi", "pa", "ur", "de", "und", "en-IN", "iw", "zz", "fil"), {
      nil: null,
    }),
    hasText: fc.boolean(),
    media: fc.array(fc.constantFrom("image" as const, "video" as const, "gif" as const), { maxLength: 3 }),
    accountType: fc.constantFrom("business" as const, "private" as const, null),
    requester: fc.option(
      fc.record({
        type: fc.constantFrom(...AUTHORITY_TYPES),
        country: fc.constantFrom("IN", "DE", "FR", "US"),
      }),
      { nil: null },
    ),
    notice: fc.constantFrom("article_16" as const, "trusted_flagger" as const, "other" as const, null),
  })
  .map((r) => {
    // Keep entries the ledger would accept: time order, and the action's own constraints.
    const recordedAt = r.recordedAt;
    const createdAt = [r.createdAt, recordedAt].sort()[0]!; // ISO strings: the earlier one
    const expiresAt = r.expiresAt !== null && r.expiresAt > recordedAt ? r.expiresAt : null;
    const restricting = ["suspend", "withhold", "label", "suppress", "limit_engagement"].includes(r.action);
    const e = entry(r.seq, {
      subject: { type: r.subjectType, id: String(r.seq) },
      action: r.action,
      countries: r.action === "suspend" || r.action === "unsuspend" ? null : r.countries,
      surfaces: r.action === "suppress" || r.action === "unsuppress" ? ["trends"] : null,
      label: r.action === "label" || r.action === "unlabel" ? r.label : null,
      basis: r.action === "withhold" ? "legal_demand" : null,
      expiresAt: restricting ? expiresAt : null,
      source: { kind: r.sourceKind, id: r.sourceKind === "manual" ? null : "src-1" },
      actor: r.actor,
      reason: r.reason,
      rule: r.rule,
      legalBasis: r.legalBasis,
      recordedAt,
    });
    return {
      entry: e,
      content: { createdAt, lang: r.lang, hasText: r.hasText, media: r.media, accountType: r.accountType },
      requester: r.requester,
      notice: r.notice,
    };
  });

describe("DSA statements: property-based", () => {
  test("every statement produced for random ledger entries passes the validator, and skips are exactly the rule", () => {
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(arbInput, (input) => {
        const r = buildStatement(input);
        const e = input.entry;
        const restricting = ["suspend", "withhold", "label", "suppress", "limit_engagement"].includes(
          e.action,
        );
        const eea = e.countries === null ? 30 : new Set(e.countries.filter((c) => EEA_SET.has(c))).size;
        if (!restricting) return r.kind === "skipped" && r.reason === "reversal";
        if (e.subject.type === "hashtag") return r.kind === "skipped" && r.reason === "hashtag_subject";
        if (eea === 0) return r.kind === "skipped" && r.reason === "no_eea_effect";
        assert.equal(r.kind, "statement", JSON.stringify(r.kind === "invalid" ? r.errors : r));
        if (r.kind !== "statement") return false;
        count(r.statement.decision_ground);
        if (r.statement.decision_facts.includes("removed]")) count("scrubbed");
        assert.deepEqual(validateStatement(r.statement), []);
        assert.deepEqual(validateStatement(r.statement, { endpoint: "single" }), []);
        assert.equal(r.statement.territorial_scope?.length, eea);
        assert.ok(
          r.statement.territorial_scope!.every((c) => EEA_SET.has(c) && (e.countries ?? [c]).includes(c)),
        );
        return true;
      }),
      { numRuns: 1000, seed: 20210126 },
    );
    // The property must have exercised both grounds and the scrubber, not only skips.
    assert.ok((seen.get("DECISION_GROUND_ILLEGAL_CONTENT") ?? 0) >= 30, JSON.stringify([...seen]));
    assert.ok((seen.get("DECISION_GROUND_INCOMPATIBLE_CONTENT") ?? 0) >= 100, JSON.stringify([...seen]));
    assert.ok((seen.get("scrubbed") ?? 0) >= 20, JSON.stringify([...seen]));
  });

  test("random exports: PUIDs unique, every bulk batch valid", () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbInput, { maxLength: 260, selector: (i) => i.entry.seq }), (inputs) => {
        const out = buildStatements(inputs);
        assert.deepEqual(out.invalid, []);
        assert.equal(out.statements.length + out.skipped.length, inputs.length);
        assert.equal(new Set(out.statements.map((s) => s.puid)).size, out.statements.length);
        for (const b of bulkBatches(out.statements)) assert.deepEqual(validateBulkBody(b), []);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
