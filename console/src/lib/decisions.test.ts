import { describe, expect, it } from "vitest";
import {
  buildDecisionBody,
  checkDraft,
  type DecisionDraft,
  type Override,
  overrideFor,
  previewCounts,
  problemsByItem,
} from "./decisions.ts";
import type { Order, OrderItem } from "./types.ts";

const item = (n: number, extra: Partial<OrderItem> = {}): OrderItem => ({
  id: `o1:${n}`,
  position: n,
  target: `account:a${n}`,
  reason: "r",
  resolution: "resolved",
  subject: { type: "account", id: `a${n}` },
  resolutionNote: null,
  recommendation: { outcome: "withhold", countries: ["IN"], reasons: ["law"], relisted: false },
  decision: null,
  ...extra,
});

const order = (items: OrderItem[], emergency = false): Order => ({
  id: "o1",
  reference: "R",
  authority: { name: "A", country: "IN", type: "court" },
  legalBasis: "B",
  receivedAt: "2021-02-04T12:00:00Z",
  deadline: "2021-02-06T00:00:00Z",
  reviewDeadline: null,
  emergency,
  confidential: false,
  status: "received",
  items,
});

const draft = (
  overrides: Array<[string, Override]>,
  bulk = true,
  reason = "per the order",
): DecisionDraft => ({
  bulkRecommended: bulk,
  bulkReason: reason,
  overrides: new Map(overrides),
});

describe("buildDecisionBody", () => {
  it("turns a selection by recommendation plus overrides into one request", () => {
    const body = buildDecisionBody(
      draft([
        ["o1:2", { outcome: "no_action", reason: " news reporting ", countries: ["IN"] }],
        [
          "o1:3",
          {
            outcome: "global_action",
            reason: "spam",
            action: "suspend",
            rule: "platform_manipulation",
            countries: ["IN"],
          },
        ],
      ]),
    );
    expect(body).toEqual({
      decisions: [
        { item: "o1:2", outcome: "no_action", reason: "news reporting" },
        {
          item: "o1:3",
          outcome: "global_action",
          reason: "spam",
          action: "suspend",
          rule: "platform_manipulation",
        },
      ],
      bulk: { select: "recommended", reason: "per the order" },
    });
  });
  it("sends only overrides when nothing is selected in bulk", () => {
    const body = buildDecisionBody(
      draft(
        [["o1:1", { outcome: "withhold", reason: "x", countries: ["IN", "PK"], justification: "  " }]],
        false,
      ),
    );
    expect(body).toEqual({
      decisions: [{ item: "o1:1", outcome: "withhold", reason: "x", countries: ["IN", "PK"] }],
    });
  });
});

describe("checkDraft", () => {
  it("needs a reason for the bulk decision and for every override", () => {
    const o = order([item(1), item(2)]);
    const p = checkDraft(o, draft([["o1:2", { outcome: "no_action", reason: "" }]], true, " "));
    expect(p.map((x) => x.item)).toEqual([null, "o1:2"]);
  });
  it("needs a 20-character justification to act on a protected subject", () => {
    const prot = item(1, {
      recommendation: {
        outcome: "no_action",
        reasons: ["protected"],
        relisted: false,
        protectedCategory: "journalist",
      },
    });
    const o = order([prot]);
    expect(
      checkDraft(o, draft([["o1:1", { outcome: "withhold", reason: "x", justification: "too short" }]])),
    ).toHaveLength(1);
    expect(
      checkDraft(
        o,
        draft([["o1:1", { outcome: "withhold", reason: "x", justification: "a court found it unlawful" }]]),
      ),
    ).toEqual([]);
    expect(checkDraft(o, draft([["o1:1", { outcome: "no_action", reason: "protected speech" }]]))).toEqual(
      [],
    );
  });
  it("refuses acting on unresolved targets and temporary withholding outside emergencies", () => {
    const o = order([item(1, { resolution: "unresolvable", subject: null }), item(2)]);
    const p = checkDraft(
      o,
      draft([
        ["o1:1", { outcome: "withhold", reason: "x" }],
        ["o1:2", { outcome: "temporary_withhold", reason: "x" }],
      ]),
    );
    expect(p.map((x) => x.item)).toEqual(["o1:1", "o1:2"]);
    expect(
      checkDraft(order([item(2)], true), draft([["o1:2", { outcome: "temporary_withhold", reason: "x" }]])),
    ).toEqual([]);
  });
  it("says when there is nothing to submit", () => {
    expect(checkDraft(order([item(1)]), draft([], false))).toHaveLength(1);
  });
});

describe("overrideFor and previewCounts", () => {
  it("pre-fills an override from the recommendation", () => {
    expect(overrideFor(item(1))).toEqual({ outcome: "withhold", reason: "", countries: ["IN"] });
    expect(overrideFor(item(1), "global_action")).toMatchObject({
      action: "suspend",
      rule: "platform_manipulation",
    });
  });
  it("counts what would be decided, skipping decided items", () => {
    const decided = item(3, { decision: { outcome: "withhold", decidedAt: "2021-02-05T00:00:00Z" } });
    const o = order([item(1), item(2), decided]);
    expect(previewCounts(o, draft([["o1:2", { outcome: "no_action", reason: "x" }]]))).toEqual({
      withhold: 1,
      no_action: 1,
    });
  });
});

describe("problemsByItem", () => {
  it("keys the server's problems by item id", () => {
    const m = problemsByItem({
      problems: [
        { item: "uuid:7 (https://platform.example/x (y))", message: "protected" },
        { item: "uuid:7 (https://platform.example/x)", message: "again" },
      ],
    });
    expect(m.get("uuid:7")).toEqual(["protected", "again"]);
  });
});
