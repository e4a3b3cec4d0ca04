import assert from "node:assert/strict";
import { test } from "node:test";
import { runDefence } from "./defence.ts";

test("a coordinated campaign cannot push its tag into the top 10, while an organic surge of the same size trends", () => {
  const r = runDefence({ surge: 150, seed: "defence-test" });
  // Without the detectors' weighting the campaign would trend: the defence is what keeps it out.
  assert.ok(
    r.campaignRankWithout !== null && r.campaignRankWithout <= 10,
    `without: ${r.campaignRankWithout}`,
  );
  assert.equal(r.campaignRankWith, null, "with the defence the campaign's tag is not in the top 10");
  assert.ok(r.organicRankWith !== null && r.organicRankWith <= 10, `organic: ${r.organicRankWith}`);
  assert.ok(r.campaignCoordinated >= 0.9, `campaign accounts found coordinated: ${r.campaignCoordinated}`);
  assert.equal(r.organicCoordinated, 0, "no organic account is weighed down");
});
