import { describe, expect, it } from "vitest";
import { approxMatchKey, mergeCandidates, wouldCatch } from "./hashtags.ts";

describe("approxMatchKey", () => {
  it("folds width, case, invisibles, separators and 0/1", () => {
    const k = approxMatchKey("ModiPlanningFarmerGenocide");
    expect(approxMatchKey("ＭｏｄｉPlanning_Farmer\u200bGenocide")).toBe(k);
    expect(approxMatchKey("#modi-planning-farmer-genocide")).toBe(k);
    expect(approxMatchKey("FarmersPr0test")).toBe(approxMatchKey("farmersprotest"));
    expect(approxMatchKey("Fármers")).toBe("farmers");
  });
  it("keeps Indic marks that distinguish words", () => {
    expect(approxMatchKey("किसान_एकता")).toBe("किसानएकता");
    expect(approxMatchKey("किसान")).not.toBe(approxMatchKey("कसान"));
  });
});

describe("wouldCatch", () => {
  it("lists the spellings that share the key, with where they were seen", () => {
    const c = mergeCandidates([
      { source: "trends IN", tags: [{ tag: "FarmersProtest", key: "farmersprotest" }, { tag: "KisanEkta" }] },
      { source: "suggestions IN", tags: [{ tag: "#Farmers_Protest" }, { tag: "#FarmersProtest" }] },
    ]);
    const hit = wouldCatch("#farmersprotest", c);
    expect(hit.map((x) => x.tag)).toEqual(["FarmersProtest", "Farmers_Protest"]);
    expect(hit[0]!.seenIn).toEqual(["trends IN", "suggestions IN"]);
    expect(wouldCatch("  ", c)).toEqual([]);
  });
});
