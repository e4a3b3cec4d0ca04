import assert from "node:assert/strict";
import { test } from "node:test";
import type { CampaignLink } from "../detect/types.ts";
import { mergeLinks } from "./detection.ts";

const link = (source: string, target: string, weight: number): CampaignLink => ({
  source,
  target,
  weight,
  coactions: 3,
  traces: ["text"],
});

test("a case's graph keeps earlier members' edges; the newer evidence wins per pair, whichever way round", () => {
  const earlier = [link("a", "b", 5), link("b", "c", 2), link("c", "d", 9)];
  const newer = [link("b", "a", 1), link("d", "e", 4)];
  const merged = mergeLinks(earlier, newer);
  assert.deepEqual(
    merged.map((l) => [l.source, l.target, l.weight]),
    [
      ["c", "d", 9],
      ["d", "e", 4],
      ["b", "c", 2],
      ["b", "a", 1],
    ],
  );
});

test("merged links are capped, keeping the strongest", () => {
  const many = Array.from({ length: 50 }, (_, i) => link(`x${i}`, `y${i}`, i));
  const merged = mergeLinks(many, [link("p", "q", 100)], 10);
  assert.equal(merged.length, 10);
  assert.equal(merged[0]!.weight, 100);
  assert.ok(merged.every((l, i) => i === 0 || merged[i - 1]!.weight >= l.weight));
  assert.equal(merged.at(-1)!.weight, 41);
});
