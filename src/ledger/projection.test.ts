import assert from "node:assert/strict";
import { test } from "node:test";
import type { ActionBody } from "../domain/model.ts";
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
