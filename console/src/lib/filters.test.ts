import { describe, expect, it } from "vitest";
import { itemMatches, NO_ITEM_FILTER, textMatch } from "./filters.ts";
import type { OrderItem } from "./types.ts";

const base: OrderItem = {
  id: "o:1",
  position: 1,
  target: "https://platform.example/kisan_ekta",
  reason: "misinformation",
  resolution: "resolved",
  subject: { type: "account", id: "a000042" },
  resolutionNote: null,
  recommendation: {
    outcome: "no_action",
    reasons: ["protected speech: journalist"],
    relisted: true,
    protectedCategory: "journalist",
    campaignCase: "c1",
  },
  decision: null,
};

describe("itemMatches", () => {
  it("filters by recommendation, protection, campaign, re-listing and decision", () => {
    expect(itemMatches(base, NO_ITEM_FILTER)).toBe(true);
    expect(itemMatches(base, { ...NO_ITEM_FILTER, recommendation: "withhold" })).toBe(false);
    expect(itemMatches(base, { ...NO_ITEM_FILTER, recommendation: "no_action", onlyProtected: true })).toBe(
      true,
    );
    expect(
      itemMatches(
        { ...base, recommendation: { ...base.recommendation!, campaignCase: undefined } },
        { ...NO_ITEM_FILTER, onlyCampaign: true },
      ),
    ).toBe(false);
    expect(
      itemMatches(
        { ...base, decision: { outcome: "withhold", decidedAt: "x" } },
        { ...NO_ITEM_FILTER, onlyUndecided: true },
      ),
    ).toBe(false);
    expect(itemMatches(base, { ...NO_ITEM_FILTER, recommendation: "overridden" }, false)).toBe(false);
    expect(itemMatches(base, { ...NO_ITEM_FILTER, recommendation: "overridden" }, true)).toBe(true);
  });
  it("matches every word of the text anywhere", () => {
    expect(itemMatches(base, { ...NO_ITEM_FILTER, text: "KISAN journalist" })).toBe(true);
    expect(itemMatches(base, { ...NO_ITEM_FILTER, text: "a000042 spam" })).toBe(false);
  });
});

describe("textMatch", () => {
  it("ignores empty fields and case", () => {
    expect(textMatch(["Suspend", null, 42], "susp 42")).toBe(true);
    expect(textMatch(["Suspend"], "withhold")).toBe(false);
    expect(textMatch([], "")).toBe(true);
  });
});
