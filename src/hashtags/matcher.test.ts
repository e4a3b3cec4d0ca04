import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InvalidRequestError } from "../errors.ts";
import { CORPUS, sampleTags, seededRandom } from "./corpus.ts";
import { HashtagMatcher, type HashtagRule, MATCH_MODES, type MatchMode } from "./matcher.ts";
import { matchKey } from "./normalize.ts";

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The obvious implementation: every rule tested one by one. */
function naive(rules: HashtagRule<number>[], tag: string): number[] {
  const k = matchKey(tag);
  return rules
    .filter((r) => {
      const p = matchKey(r.pattern);
      return r.mode === "exact" ? k === p : r.mode === "prefix" ? k.startsWith(p) : k.includes(p);
    })
    .map((r) => r.value);
}

/**
 * Random text over a small alphabet (so patterns overlap and recur), mixing ASCII, Devanagari,
 * Gurmukhi, Arabic and an astral letter; every character is its own matchKey.
 */
const ALPHABET = [
  "a",
  "b",
  "c",
  "n",
  "o",
  "s",
  "क",
  "ि",
  "स",
  "ा",
  "न",
  "ਕ",
  "ਿ",
  "ب",
  "ع",
  "ر",
  "\u{20000}",
];
function randomText(rand: () => number, min: number, max: number): string {
  let s = "";
  const n = min + Math.floor(rand() * (max - min + 1));
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

describe("HashtagMatcher semantics", () => {
  it("exact, prefix and contains", () => {
    const m = new HashtagMatcher<string>([
      { pattern: "#FarmersProtest", mode: "exact", value: "exact" },
      { pattern: "FarmersProtest", mode: "prefix", value: "prefix" },
      { pattern: "Protest", mode: "contains", value: "contains" },
    ]);
    assert.deepEqual(m.match("farmers_protest"), ["exact", "prefix", "contains"]);
    assert.deepEqual(m.match("FarmersProtestFacts"), ["prefix", "contains"]);
    assert.deepEqual(m.match("StudentsProtest"), ["contains"]);
    assert.deepEqual(m.match("FarmerProtest"), ["contains"]);
    assert.deepEqual(m.match("FarmersPretest"), []);
    assert.deepEqual(m.match("ＦａｒｍｅｒｓＰｒ０ｔｅｓｔ"), ["exact", "prefix", "contains"]);
    assert.equal(m.size, 3);
  });

  it("applies the corpus in every mode", () => {
    const rules = CORPUS.flatMap((c) =>
      MATCH_MODES.map((mode) => ({ pattern: c.tag, mode, value: `${mode}:${c.tag}` })),
    );
    const m = new HashtagMatcher(rules);
    for (const c of CORPUS) {
      for (const v of c.variants) {
        const got = m.match(v.text);
        for (const mode of MATCH_MODES) assert.ok(got.includes(`${mode}:${c.tag}`), `${v.text}: ${got}`);
      }
      for (const b of c.benign) {
        const got = m.match(b.text);
        assert.ok(!got.some((g) => g.startsWith("exact:")), `${b.text} (${b.note}) matched ${got}`);
        assert.equal(got.includes(`prefix:${c.tag}`), b.prefix, `${b.text} (${b.note}): ${got}`);
        if (b.prefix) assert.ok(got.includes(`contains:${c.tag}`));
      }
    }
  });

  it("contains: overlapping patterns, each reported once, in order of first occurrence end", () => {
    const m = new HashtagMatcher<string>(
      ["he", "she", "his", "hers", "s"].map((p) => ({ pattern: p, mode: "contains" as const, value: p })),
    );
    assert.deepEqual(m.match("ushers"), ["s", "she", "he", "hers"]);
    assert.deepEqual(m.match("shishe"), ["s", "his", "she", "he"]);
    assert.deepEqual(m.match("xyz"), []);
  });

  it("prefix: shortest pattern first, and only prefixes", () => {
    const m = new HashtagMatcher<string>(
      ["farm", "farmers", "farmersprotest", "protest"].map((p) => ({
        pattern: p,
        mode: "prefix" as const,
        value: p,
      })),
    );
    assert.deepEqual(m.match("FarmersProtest2021"), ["farm", "farmers", "farmersprotest"]);
    assert.deepEqual(m.match("fa"), []);
  });

  it("non-ASCII patterns, by code point", () => {
    const m = new HashtagMatcher<string>([
      { pattern: "किसान", mode: "prefix", value: "hi-prefix" },
      { pattern: "आंदोलन", mode: "contains", value: "hi-contains" },
      { pattern: "ਮੋਰਚਾ", mode: "contains", value: "pa-contains" },
      { pattern: "يريد", mode: "contains", value: "ar-contains" },
      { pattern: "\u{20000}\u{20001}", mode: "contains", value: "astral" },
    ]);
    assert.deepEqual(m.match("किसानों_का_आंदोलन"), ["hi-prefix", "hi-contains"]);
    assert.deepEqual(m.match("ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ"), ["pa-contains"]);
    assert.deepEqual(m.match("الشعـــب_يُريد"), ["ar-contains"]);
    assert.deepEqual(m.match("x\u{20000}\u{20001}y"), ["astral"]);
    assert.deepEqual(m.match("\u{20000}\u{20002}"), []); // shares the high surrogate only
  });

  it("add and remove", () => {
    const m = new HashtagMatcher<number>();
    assert.deepEqual(m.match("StopTheSteal"), []);
    m.add({ pattern: "StopTheSteal", mode: "contains", value: 1 });
    assert.deepEqual(m.match("#StopTheSteal2020"), [1]);
    m.add({ pattern: "stop_the_steal", mode: "contains", value: 2 }); // same key: both rules fire
    assert.deepEqual(m.match("#StopTheSteal2020"), [1, 2]);
    assert.equal(m.size, 2);
    m.add({ pattern: "steal", mode: "contains", value: 3 });
    assert.deepEqual(m.match("#StopTheSteal2020"), [1, 2, 3]); // same end: the longer pattern first
    assert.equal(m.remove("STOPTHESTEAL", "prefix"), false); // other mode
    assert.equal(m.remove("Stop.The.Steal", "contains"), true);
    assert.equal(m.remove("StopTheSteal", "contains"), false);
    assert.deepEqual(m.match("#StopTheSteal2020"), [3]);
    assert.equal(m.size, 1);
    m.add({ pattern: "StopTheSteal", mode: "exact", value: 4 });
    assert.deepEqual(m.match("StopTheSteal"), [4, 3]);
    assert.equal(m.remove("steal", "contains"), true);
    assert.deepEqual(m.match("StopTheSteal"), [4]);
    assert.equal(m.size, 1);
  });

  it("refuses patterns that normalize to nothing, and unknown modes", () => {
    const m = new HashtagMatcher<number>();
    for (const pattern of ["", "#", "__", "\u200b", "#\u00ad-"])
      assert.throws(() => m.add({ pattern, mode: "contains", value: 1 }), InvalidRequestError);
    assert.throws(() => m.add({ pattern: "x", mode: "fuzzy" as MatchMode, value: 1 }), InvalidRequestError);
    assert.equal(m.size, 0);
  });

  it("matchKeyed equals match on the key", () => {
    const m = new HashtagMatcher(
      CORPUS.map((c, i) => ({ pattern: c.tag, mode: "contains" as const, value: i })),
    );
    for (const c of CORPUS)
      for (const v of c.variants) assert.deepEqual(m.matchKeyed(matchKey(v.text)), m.match(v.text));
  });
});

describe("HashtagMatcher against the naive implementation", () => {
  it("5,000 random contains patterns (plus prefix and exact), random tags", () => {
    const rand = seededRandom(2024);
    const rules: HashtagRule<number>[] = [];
    for (let i = 0; i < 5_000; i++)
      rules.push({ pattern: randomText(rand, 1, 6), mode: "contains", value: i });
    for (let i = 0; i < 1_000; i++)
      rules.push({ pattern: randomText(rand, 1, 8), mode: "prefix", value: 5_000 + i });
    for (let i = 0; i < 1_000; i++)
      rules.push({ pattern: randomText(rand, 1, 8), mode: "exact", value: 6_000 + i });
    const m = new HashtagMatcher(rules);
    assert.equal(m.size, rules.length);
    let matched = 0;
    for (let t = 0; t < 1_500; t++) {
      const tag = randomText(rand, 0, 14);
      const got = m.match(tag);
      assert.equal(new Set(got).size, got.length, `duplicates for ${tag}`);
      assert.deepEqual(sorted(got), sorted(naive(rules, tag)), tag);
      matched += got.length;
    }
    assert.ok(matched > 10_000, `the random setup should produce many matches (${matched})`);
  });

  it("random rule sets and changes (fast-check)", () => {
    const text = fc.string({ unit: fc.constantFrom(...ALPHABET, "A", "0", "_", "\u200b"), maxLength: 7 });
    const rule = fc.record({ pattern: text, mode: fc.constantFrom(...MATCH_MODES) });
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(text, { maxLength: 20 }),
        (specs, removals, tags) => {
          const rules = specs.filter((s) => matchKey(s.pattern) !== "").map((s, value) => ({ ...s, value }));
          const m = new HashtagMatcher(rules);
          let live = rules;
          for (const tag of tags) assert.deepEqual(sorted(m.match(tag)), sorted(naive(live, tag)));
          for (const r of removals) {
            if (live.length === 0) break;
            const victim = live[r % live.length]!;
            const key = matchKey(victim.pattern);
            assert.equal(m.remove(victim.pattern, victim.mode), true);
            live = live.filter((x) => !(x.mode === victim.mode && matchKey(x.pattern) === key));
            assert.equal(m.size, live.length);
            for (const tag of tags) assert.deepEqual(sorted(m.match(tag)), sorted(naive(live, tag)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("performance smoke (figures only, no assertion)", (t) => {
    const rand = seededRandom(7);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rand() * 26)]).join("");
    const modes: MatchMode[] = ["exact", "exact", "exact", "prefix", "contains"];
    const rules = Array.from({ length: 10_000 }, (_, i) => ({
      pattern: word(5 + Math.floor(rand() * 10)),
      mode: modes[i % modes.length]!,
      value: i,
    }));
    const m = new HashtagMatcher(rules);
    const tags = sampleTags(100_000, 21);
    m.match("warm-up");
    let sink = 0;
    const start = performance.now();
    for (const tag of tags) sink += m.match(tag).length;
    const ms = performance.now() - start;
    t.diagnostic(
      `match with 10,000 rules (6k exact, 2k prefix, 2k contains): ${Math.round((tags.length / ms) * 1000).toLocaleString("en")} ops/s (${sink})`,
    );
  });
});
