import { describe, expect, it } from "vitest";
import { buildCaseAction, unresolvedProtected } from "./caseAction.ts";

const d = {
  members: ["a1", "a2", "a3", "a4"],
  excluded: new Set(["a2"]),
  protectedIds: new Map([
    ["a3", "journalist"],
    ["a4", "politician"],
  ]),
  justifications: new Map([["a3", " posted the template 40 times in an hour "]]),
  reason: " coordinated amplification ",
  rule: "platform_manipulation",
};

describe("buildCaseAction", () => {
  it("lists exclusions and justified protected accounts", () => {
    expect(buildCaseAction(d)).toEqual({
      action: "suspend",
      target: "accounts",
      rule: "platform_manipulation",
      reason: "coordinated amplification",
      exclude: ["a2"],
      includeProtected: [{ id: "a3", justification: "posted the template 40 times in an hour" }],
    });
    expect(buildCaseAction(d, true).dryRun).toBe(true);
  });
  it("names protected members the server would refuse", () => {
    expect(unresolvedProtected(d)).toEqual(["a4"]);
    expect(unresolvedProtected({ ...d, excluded: new Set(["a4"]) })).toEqual([]);
  });
});
