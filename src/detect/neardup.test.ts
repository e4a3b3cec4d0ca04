import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../demo/random.ts";
import { NearDuplicateIndex, type TextMatch } from "./neardup.ts";
import { textShingles } from "./textsig.ts";

const sentence = (rng: Rng, n: number): string[] => Array.from({ length: n }, () => `w${rng.int(0, 50_000)}`);

describe("near-duplicate index", () => {
  it("finds copies of a template by other authors and nothing unrelated", () => {
    const rng = new Rng("neardup");
    const index = new NearDuplicateIndex(600_000);
    const matches: TextMatch[] = [];
    const template = sentence(rng, 30);
    const first = index.add(textShingles(template.join(" "))!, 1, 1, 0, matches);
    assert.equal(matches.length, 0);
    for (let i = 0; i < 50; i++)
      index.add(textShingles(sentence(rng, 20).join(" "))!, 100 + i, 100 + i, 1000, matches);
    // One word changed at the end keeps Jaccard at 27/29 ≥ 0.8.
    const copy = [...template.slice(0, 29), "changed"];
    const second = index.add(textShingles(copy.join(" "))!, 2, 2, 2000, matches);
    assert.equal(second, first, "same template id");
    assert.deepEqual(
      matches.map((m) => m.author),
      [1],
    );
    assert.ok(matches[0]!.similarity >= 0.8);
    // Same author again: same template, but no co-action with itself.
    index.add(textShingles(template.join(" "))!, 2, 3, 3000, matches);
    assert.deepEqual(
      matches.map((m) => m.author),
      [1],
    );
  });

  it("rejects candidates below Jaccard 0.8", () => {
    const rng = new Rng("below");
    const index = new NearDuplicateIndex(600_000);
    const matches: TextMatch[] = [];
    const base = sentence(rng, 30);
    index.add(textShingles(base.join(" "))!, 1, 1, 0, matches);
    const half = base.map((w, i) => (i % 3 === 0 ? `z${i}` : w));
    index.add(textShingles(half.join(" "))!, 2, 2, 10, matches);
    assert.equal(matches.length, 0);
  });

  it("forgets texts older than the window", () => {
    const rng = new Rng("window");
    const index = new NearDuplicateIndex(60_000);
    const matches: TextMatch[] = [];
    const text = sentence(rng, 20).join(" ");
    index.add(textShingles(text)!, 1, 1, 0, matches);
    index.add(textShingles(text)!, 2, 2, 61_000, matches);
    assert.equal(matches.length, 0);
    for (let t = 0; t < 1000; t++)
      index.add(textShingles(sentence(rng, 12).join(" "))!, 10 + t, 10 + t, 61_000 + t * 1000, matches);
    index.sweep(1_061_000);
    assert.ok(index.size <= 61, `window holds ${index.size} texts`);
  });

  it("caps the matches of a heavily copied template", () => {
    const rng = new Rng("cap");
    const index = new NearDuplicateIndex(600_000);
    const matches: TextMatch[] = [];
    const text = sentence(rng, 25).join(" ");
    let most = 0;
    for (let i = 0; i < 500; i++) {
      index.add(textShingles(text)!, i, i, i, matches);
      most = Math.max(most, matches.length);
    }
    assert.ok(most > 0 && most <= 16, `at most 16 matches per post, got ${most}`);
  });
});
