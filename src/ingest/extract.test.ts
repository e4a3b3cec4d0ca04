import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import { type ConformanceCase, loadConformance } from "./conformance.ts";
import {
  extractCashtags,
  extractCashtagsWithIndices,
  extractEntities,
  extractHashtags,
  extractHashtagsWithIndices,
  extractMentions,
  extractMentionsOrListsWithIndices,
  extractMentionsWithIndices,
  extractUrls,
  extractUrlsWithIndices,
} from "./extract.ts";

/** Maps each section of extract.yml to the function under test, with output in the YAML's shape. */
const SECTIONS: Record<string, { required: boolean; run: (text: string) => unknown }> = {
  hashtags: { required: true, run: extractHashtags },
  hashtags_from_astral: { required: false, run: extractHashtags },
  hashtags_with_indices: { required: true, run: extractHashtagsWithIndices },
  mentions: { required: true, run: extractMentions },
  mentions_with_indices: {
    required: true,
    run: (text) =>
      extractMentionsWithIndices(text).map((m) => ({ screen_name: m.screenName, indices: m.indices })),
  },
  mentions_or_lists_with_indices: {
    required: true,
    run: (text) =>
      extractMentionsOrListsWithIndices(text).map((m) => ({
        screen_name: m.screenName,
        list_slug: m.listSlug,
        indices: m.indices,
      })),
  },
  urls: { required: true, run: extractUrls },
  urls_with_indices: { required: true, run: extractUrlsWithIndices },
  urls_with_directional_markers: { required: true, run: extractUrlsWithIndices },
  tco_urls_with_params: { required: true, run: extractUrls },
  cashtags: { required: true, run: extractCashtags },
  cashtags_with_indices: { required: true, run: extractCashtagsWithIndices },
};

let suite: Record<string, ConformanceCase[]> | undefined;
let loadError: unknown;
try {
  suite = loadConformance();
} catch (err) {
  loadError = err;
}

describe("twitter-text conformance (extract.yml)", () => {
  if (!suite) {
    // Never skip: a missing suite means extraction is unverified.
    it("loads the conformance file", () => {
      throw loadError;
    });
    return;
  }
  const tests = suite;

  it("has every section Vigil depends on", () => {
    const missing = Object.entries(SECTIONS)
      .filter(([name, s]) => s.required && !Array.isArray(tests[name]))
      .map(([name]) => name);
    assert.deepEqual(missing, []);
  });

  for (const [section, { run }] of Object.entries(SECTIONS)) {
    const cases = tests[section];
    if (!Array.isArray(cases)) continue;
    describe(section, () => {
      cases.forEach((c, i) => {
        it(`[${i + 1}] ${c.description}`, () => {
          assert.deepEqual(run(c.text), c.expected);
        });
      });
    });
  }

  it("extractEntities equals the de-duplicated per-kind extractors on every conformance text", () => {
    const texts = new Set<string>();
    for (const cases of Object.values(tests)) {
      if (!Array.isArray(cases)) continue;
      for (const c of cases) if (typeof c.text === "string") texts.add(c.text);
    }
    assert.ok(texts.size > 100, `only ${texts.size} texts`);
    const dedup = (xs: string[]) => [...new Set(xs)];
    for (const text of texts) {
      assert.deepEqual(
        extractEntities(text),
        {
          hashtags: dedup(extractHashtags(text)),
          mentions: dedup(extractMentions(text)),
          urls: dedup(extractUrls(text)),
          cashtags: dedup(extractCashtags(text)),
        },
        JSON.stringify(text),
      );
    }
  });
});

describe("extractEntities", () => {
  test("Hindi and Gurmukhi hashtags keep their combining marks", () => {
    const out = extractEntities("किसानों के साथ #किसान_आंदोलन और #ਕਿਸਾਨ #FarmersProtest");
    assert.deepEqual(out.hashtags, ["किसान_आंदोलन", "ਕਿਸਾਨ", "FarmersProtest"]);
  });

  test("full-width hash and at signs", () => {
    const out = extractEntities("＃किसान ＠kisan_voice");
    assert.deepEqual(out.hashtags, ["किसान"]);
    assert.deepEqual(out.mentions, ["kisan_voice"]);
  });

  test("de-duplicates case-sensitively, keeping first-appearance order", () => {
    const out = extractEntities(
      "#B #a #B #A @x @y @x $TSLA $TSLA see example.com and https://t.co/abc then example.com #a",
    );
    assert.deepEqual(out, {
      hashtags: ["B", "a", "A"],
      mentions: ["x", "y"],
      urls: ["example.com", "https://t.co/abc"],
      cashtags: ["TSLA"],
    });
  });

  test("hashtags inside URLs are not hashtags", () => {
    const out = extractEntities("read https://example.com/page#section and #real");
    assert.deepEqual(out.hashtags, ["real"]);
    assert.deepEqual(out.urls, ["https://example.com/page#section"]);
  });

  test("empty and entity-free text", () => {
    const empty = { hashtags: [], mentions: [], urls: [], cashtags: [] };
    assert.deepEqual(extractEntities(""), empty);
    assert.deepEqual(extractEntities("no entities in this post at all"), empty);
    assert.deepEqual(extractEntities("# @ . $"), empty);
  });

  test("mentions come back without the at sign; list references are not mentions (as in twitter-text)", () => {
    assert.deepEqual(extractEntities("cc @kisan_voice/farmers and @Another, @third").mentions, [
      "Another",
      "third",
    ]);
  });
});
