import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadConformance } from "./conformance.ts";
import { extractHashtags, extractHashtagsFast } from "./extract.ts";

const same = (text: string) =>
  assert.deepEqual(extractHashtagsFast(text), extractHashtags(text), JSON.stringify(text));

/** Fragments that exercise every branch: hash signs, boundaries, URLs with and without protocol. */
const FRAGMENTS = [
  "#",
  "＃",
  "##",
  "tag",
  "Farmers",
  "Protest",
  "2021",
  "1",
  "_",
  "\u200c",
  "\u200d",
  "\u200b",
  "\ufe0e",
  "\ufe0f",
  "\u20e3",
  ".",
  "..",
  ". ",
  "com",
  ".com",
  ".in",
  ".co",
  "example.com",
  "a.b",
  "www.",
  "t.co/",
  "xn--",
  ".みんな",
  ".中国",
  "http://",
  "https://",
  "://",
  ":",
  "/",
  "?",
  "=",
  "&",
  "@",
  "$",
  "-",
  " ",
  "  ",
  "\n",
  "\t",
  "\u3000",
  "é",
  "а",
  "о",
  "किसान",
  "्",
  "ਕਿਸਾਨ",
  "🌾",
  "😀",
  "\ud83d",
  "\ude00",
  "(",
  ")",
  "'",
  '"',
  "!",
  "，",
  "、",
  "ー",
  "\u05be",
  "·",
];

const fragmentText = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 0, maxLength: 24 })
  .map((parts) => parts.join(""));

/** Post-like text: words, tags, mentions and links separated by spaces and punctuation. */
const postText = fc
  .array(
    fc.oneof(
      fc.constantFrom("Farmers", "are", "here", "किसान", "ਏਕਤਾ", "no", "food", "🚜", "cc", "@kisan_voice"),
      fc.constantFrom("#FarmersProtest", "#FarmLaws", "＃किसान_आंदोलन", "#2021", "#a1", "#Modi\u200dPlanning"),
      fc.constantFrom(
        "https://example.com/a#frag",
        "example.org/page#x",
        "news.example.com",
        "http://t.co/abc#d",
        "https://x.example.in/#tag",
      ),
      fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
    ),
    { maxLength: 20 },
  )
  .chain((words) =>
    fc
      .array(fc.constantFrom(" ", " ", " ", ". ", ", ", "\n", ".", "#", "/", ""), {
        minLength: words.length,
        maxLength: words.length,
      })
      .map((seps) => words.map((w, i) => w + (seps[i] ?? "")).join("")),
  );

describe("extractHashtagsFast equals extractHashtags", () => {
  const tests = loadConformance();

  for (const section of ["hashtags", "hashtags_from_astral", "hashtags_with_indices"]) {
    it(`on every text of extract.yml section ${section}`, () => {
      const cases = tests[section];
      if (section !== "hashtags_from_astral") assert.ok(Array.isArray(cases) && cases.length > 0, section);
      for (const c of cases ?? []) same(c.text);
    });
  }

  it("on every text of every other section of extract.yml (URLs, mentions, cashtags)", () => {
    let n = 0;
    for (const cases of Object.values(tests)) {
      if (!Array.isArray(cases)) continue;
      for (const c of cases) {
        if (typeof c.text !== "string") continue;
        same(c.text);
        same(`#tag ${c.text} #end`);
        n++;
      }
    }
    assert.ok(n > 100, `only ${n} texts`);
  });

  it("on 4,000 texts built from tricky fragments", () => {
    fc.assert(
      fc.property(fragmentText, (t) => {
        same(t);
      }),
      { numRuns: 4000, seed: 20210126 },
    );
  });

  it("on 3,000 post-like texts with tags, mentions and URLs", () => {
    fc.assert(
      fc.property(postText, (t) => {
        same(t);
      }),
      { numRuns: 3000, seed: 20210204 },
    );
  });

  it("on 2,000 arbitrary Unicode strings seeded with hash signs and dots", () => {
    const arb = fc
      .array(fc.oneof(fc.string({ unit: "binary", maxLength: 4 }), fc.constantFrom("#", "＃", ".", "a.co")), {
        maxLength: 16,
      })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(arb, (t) => {
        same(t);
      }),
      { numRuns: 2000, seed: 20210210 },
    );
  });

  it("known edge cases", () => {
    for (const t of [
      "",
      "no tags here",
      "#",
      "＃",
      "#1",
      "#FarmersProtest.",
      "#FarmersProtest.Next",
      "see example.com#tag and #real",
      "https://example.com/page#section and #real",
      "#tag://x",
      "#a#b",
      "##a",
      "&#39;",
      "#a.com",
      "x.com#a",
      "#Modi\u200dPlanning #किसान_आंदोलन #ਕਿਸਾਨ #Genoc\u00edde",
    ]) {
      same(t);
    }
    assert.deepEqual(extractHashtagsFast("read https://example.com/page#section and #real"), ["real"]);
  });
});
