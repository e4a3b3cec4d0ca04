import assert from "node:assert/strict";
import { test } from "node:test";
import type { ActionBody } from "../domain/model.ts";
import { matchKey } from "../hashtags/normalize.ts";
import { canonicalHashtag, hashtagSubjectKey } from "../hashtags/subject.ts";
import { hashtagPattern } from "../visibility/resolver.ts";
import { liftsNothing, notInForceMessage } from "./in-force.ts";
import { differingFields } from "./ledger.ts";
import { applyToState, projectionOps, type StateRow, SubjectDelta } from "./projection.ts";
import { actionBody } from "./testing.ts";

const b = actionBody;

test("each action maps to the keys it restricts", () => {
  const keys = (body: ActionBody) => projectionOps(body, 1).upserts.map((u) => u.key);
  assert.deepEqual(keys(b({ action: "suspend" })), ["suspend"]);
  assert.deepEqual(keys(b({ action: "withhold", countries: ["IN", "PK"] })), ["withhold:IN", "withhold:PK"]);
  assert.deepEqual(keys(b({ action: "withhold", countries: null })), ["withhold:*"]);
  assert.deepEqual(keys(b({ action: "label", label: "manipulated_media" })), ["label:manipulated_media:*"]);
  assert.deepEqual(
    keys(b({ action: "suppress", surfaces: ["trends", "search_suggestions"], countries: ["IN"] })),
    ["suppress:trends:IN", "suppress:search_suggestions:IN"],
  );
  assert.deepEqual(keys(b({ action: "limit_engagement" })), ["limit_engagement:*"]);
});

test("a batch delta gives the same result as applying entries one by one", () => {
  const sequences: ActionBody[][] = [
    [
      b({ action: "withhold", countries: ["IN"] }),
      b({ action: "restore", countries: null }),
      b({ action: "withhold", countries: ["DE"] }),
    ],
    [b({ action: "suppress", surfaces: ["trends"] }), b({ action: "unsuppress", surfaces: null })],
    [b({ action: "suspend" }), b({ action: "unsuspend" }), b({ action: "suspend" })],
    [
      b({ action: "label", label: "x" }),
      b({ action: "label", label: "y", countries: ["IN"] }),
      b({ action: "unlabel", label: "x" }),
    ],
  ];
  for (const seq of sequences) {
    const stepwise = new Map<string, StateRow>();
    const delta = new SubjectDelta();
    seq.forEach((body, i) => {
      applyToState(stepwise, projectionOps(body, i + 1));
      delta.apply(projectionOps(body, i + 1));
    });
    const batched = new Map<string, StateRow>();
    applyToState(batched, { upserts: [], deletes: delta.deletes });
    for (const row of delta.upserts.values()) batched.set(row.key, row);
    assert.deepEqual([...batched.entries()].sort(), [...stepwise.entries()].sort());
  }
});

test("a recorded reversal removes only what its entry put in force", () => {
  const state = new Map<string, StateRow>();
  applyToState(state, projectionOps(b({ action: "withhold", countries: null }), 1));
  applyToState(state, projectionOps(b({ action: "withhold", countries: ["IN"] }), 2));
  applyToState(state, projectionOps(b({ action: "restore", countries: null, reverses: 1 }), 3));
  assert.deepEqual([...state.keys()], ["withhold:IN"]);
});

/** The rows a sequence of bodies leaves in force (seq = position + 1). */
const stateOf = (...bodies: ActionBody[]) => {
  const state = new Map<string, StateRow>();
  for (const [i, body] of bodies.entries()) applyToState(state, projectionOps(body, i + 1));
  return [...state.values()];
};

test("a reversal that matches nothing in force lifts nothing, for every kind of reversal", () => {
  const everywhere = stateOf(b({ action: "withhold", countries: null }));
  assert.equal(liftsNothing(b({ action: "restore", countries: ["IN"] }), everywhere), true);
  assert.equal(liftsNothing(b({ action: "restore", countries: null }), everywhere), false);
  const some = stateOf(b({ action: "withhold", countries: ["DE", "IN"] }));
  assert.equal(
    liftsNothing(b({ action: "restore", countries: ["IN", "PK"] }), some),
    false,
    "partly in force",
  );
  assert.equal(liftsNothing(b({ action: "restore", countries: ["PK"] }), some), true);
  assert.equal(liftsNothing(b({ action: "unsuspend" }), some), true);
  assert.equal(liftsNothing(b({ action: "unsuspend" }), stateOf(b({ action: "suspend" }))), false);
  const labelled = stateOf(b({ action: "label", label: "manipulated_media" }));
  assert.equal(liftsNothing(b({ action: "unlabel", label: "other" }), labelled), true);
  assert.equal(liftsNothing(b({ action: "unlabel", label: "manipulated_media" }), labelled), false);
  const suppressed = stateOf(b({ action: "suppress", surfaces: ["trends"], countries: null }));
  assert.equal(liftsNothing(b({ action: "unsuppress", surfaces: ["search_results"] }), suppressed), true);
  assert.equal(
    liftsNothing(b({ action: "unsuppress", surfaces: ["trends"], countries: ["IN"] }), suppressed),
    true,
  );
  assert.equal(liftsNothing(b({ action: "unsuppress", surfaces: null }), suppressed), false);
  assert.equal(liftsNothing(b({ action: "unlimit_engagement" }), suppressed), true);
  assert.equal(
    liftsNothing(b({ action: "unlimit_engagement" }), stateOf(b({ action: "limit_engagement" }))),
    false,
  );
  assert.equal(liftsNothing(b({ action: "suspend" }), []), false, "a restricting action is never refused");
});

test("the refusal says what is in force and how to lift it", () => {
  const msg = (body: ActionBody, rows: StateRow[]) => notInForceMessage(body, rows);
  const a = { type: "account" as const, id: "a1" };
  assert.equal(
    msg(
      b({ subject: a, action: "restore", countries: ["IN"] }),
      stateOf(b({ action: "withhold", countries: null })),
    ),
    "nothing to restore: account 'a1' is withheld everywhere (entry 1); restore with countries: null to lift it; nothing was written",
  );
  assert.equal(
    msg(
      b({ subject: a, action: "restore", countries: ["IN"] }),
      stateOf(b({ action: "withhold", countries: ["PK"] }), b({ action: "withhold", countries: ["DE"] })),
    ),
    `nothing to restore: account 'a1' is withheld in DE, PK (entries 1, 2); restore with countries: ["DE", "PK"] (or null) to lift it; nothing was written`,
  );
  assert.equal(
    msg(b({ subject: a, action: "unsuspend" }), []),
    "nothing to unsuspend: account 'a1' is not suspended; nothing was written",
  );
  assert.match(
    msg(
      b({ subject: a, action: "unlabel", label: "spam" }),
      stateOf(b({ action: "label", label: "manipulated_media" })),
    ),
    /does not carry the label 'spam' \(it carries 'manipulated_media'\)/,
  );
  assert.match(
    msg(
      b({ subject: a, action: "unlimit_engagement", countries: ["IN"] }),
      stateOf(b({ action: "limit_engagement" })),
    ),
    /engagement with account 'a1' is limited everywhere \(entry 1\); unlimit_engagement with countries: null/,
  );
  const h = { type: "hashtag" as const, id: "QaTag" };
  assert.equal(
    msg(
      b({ subject: h, action: "unsuppress", surfaces: ["search_results"], countries: ["IN"] }),
      stateOf(b({ action: "suppress", surfaces: ["trends", "search_suggestions"], countries: null })),
    ),
    `nothing to unsuppress: hashtag 'QaTag' is suppressed on search_suggestions everywhere, on trends everywhere (entry 1); unsuppress with surfaces: ["search_suggestions", "trends"] (or null) and countries: null to lift it; nothing was written`,
  );
  assert.equal(
    msg(b({ subject: h, action: "unsuppress", surfaces: null }), []),
    "nothing to unsuppress: hashtag 'QaTag' is not suppressed on any surface; nothing was written",
  );
});

test("a hashtag subject is its wildcard form and the match key of its pattern, as the resolver reads it", () => {
  for (const [id, mode] of [
    ["CaseTagQa", "exact"],
    ["Tag*", "prefix"],
    ["*Tag*", "contains"],
    ["*", "exact"],
    ["**", "prefix"],
    ["*Tag", "exact"],
  ] as const) {
    assert.equal(hashtagPattern(id).mode, mode, id);
    const key = hashtagSubjectKey(id);
    assert.equal(
      key,
      matchKey(hashtagPattern(id).pattern) === "" ? null : `${mode}:${matchKey(hashtagPattern(id).pattern)}`,
    );
  }
  assert.equal(hashtagSubjectKey("CaseTagQa"), hashtagSubjectKey("casetagqa"));
  assert.equal(hashtagSubjectKey("Case_Tag_Qa"), hashtagSubjectKey("ＣａｓｅＴａｇＱａ"));
  assert.equal(hashtagSubjectKey("QaTag*"), hashtagSubjectKey("qatag*"));
  assert.notEqual(hashtagSubjectKey("QaTag*"), hashtagSubjectKey("QaTag"), "a wildcard is another subject");
  assert.notEqual(hashtagSubjectKey("*QaTag*"), hashtagSubjectKey("QaTag*"));
  assert.equal(hashtagSubjectKey("_"), null, "nothing left to match");
});

test("an action on another spelling goes to the existing subject: in force first, then the same spelling, then the oldest", () => {
  const k = (id: string, first: number, inForce: boolean) => ({ id, first, inForce });
  assert.equal(canonicalHashtag("casetagqa", [k("CaseTagQa", 5, true)]), "CaseTagQa");
  assert.equal(canonicalHashtag("casetagqa", []), "casetagqa", "a new subject keeps its spelling");
  assert.equal(canonicalHashtag("casetagqa", [k("Other", 1, true)]), "casetagqa");
  assert.equal(canonicalHashtag("qatag*", [k("QaTag", 1, true), k("QaTag*", 2, false)]), "QaTag*");
  assert.equal(canonicalHashtag("qatag", [k("QaTag", 1, false), k("QATAG", 2, true)]), "QATAG");
  assert.equal(canonicalHashtag("QaTag", [k("qatag", 1, true), k("QaTag", 2, true)]), "QaTag");
  assert.equal(canonicalHashtag("qatag", [k("QATAG", 3, false), k("QaTag", 2, false)]), "QaTag");
});

test("a replay differs from its key's first use in the fields named; strict replays compare the whole request", () => {
  const first = b({ action: "withhold", countries: ["IN"], reason: "s.69A", rule: "r1" });
  assert.deepEqual(
    differingFields(first, { ...first, recordedAt: "2030-01-01T00:00:00.000Z", actor: "x" }, true),
    [],
  );
  assert.deepEqual(differingFields(first, { ...first, reason: "other", rule: "r2" }, true), [
    "reason",
    "rule",
  ]);
  assert.deepEqual(differingFields(first, { ...first, reason: "other", rule: "r2" }, false), []);
  assert.deepEqual(differingFields(first, { ...first, countries: ["PK"], legalBasis: "x" }, true), [
    "countries",
    "legalBasis",
  ]);
  const tag = b({ subject: { type: "hashtag", id: "CaseTagQa" }, action: "suppress", surfaces: ["trends"] });
  assert.deepEqual(differingFields(tag, { ...tag, subject: { type: "hashtag", id: "casetagqa" } }, true), []);
  assert.deepEqual(differingFields(tag, { ...tag, subject: { type: "hashtag", id: "casetagqa*" } }, true), [
    "subject",
  ]);
});
