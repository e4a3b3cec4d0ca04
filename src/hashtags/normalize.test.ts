import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  CORPUS,
  DISTINCT_PAIRS,
  EQUAL_PAIRS,
  fullwidth,
  KNOWN_MISSES,
  mathematical,
  sampleTags,
} from "./corpus.ts";
import {
  clearKeyCaches,
  computeDisplayKey,
  computeMatchKey,
  displayKey,
  matchKey,
  skeletonMap,
} from "./normalize.ts";

const CONFUSABLES = createRequire(import.meta.url)("unhomoglyph/data.json") as Record<string, string>;

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const hex = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, "0")).join(" ");
const show = (s: string) => `${JSON.stringify(s)} [${hex(s)}]`;

/** Every Default_Ignorable_Code_Point (BMP and the tag-character plane). */
const IGNORABLES: string[] = [];
for (const [from, to] of [
  [0, 0xffff],
  [0xe0000, 0xe0fff],
] as const) {
  for (let cp = from; cp <= to; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (IGNORABLE.test(ch)) IGNORABLES.push(ch);
  }
}

/** Characters the normalizer treats specially, to make random strings hit its branches. */
const INTERESTING = [
  ...new Set([
    ...Object.keys(CONFUSABLES).slice(0, 6400),
    ...Object.values(CONFUSABLES).flatMap((v) => [...v]),
    ..."İIıiSsßẞςσΣǰŉﬀᾳͅΐ#＃_-.·・ ‿—0123456789",
    ..."\u0300\u0301\u0307\u0308\u0323\u0332\u0345\u0366\u0741\u20dd",
    ..."किसानआंदोलनअाँ्ऽ़ਕਿਸਾਨਏਕਤਾਮੋਰਚਾੲੇਂ਼੍ੰੱالشعبيريدـًٌٍَُِّْٰأإآ٠١٢",
    ..."ВНТКМвнткмΗΝΥΒηνυβгᴀᴍɪꞯ",
    ...IGNORABLES.filter((_, i) => i % 40 === 0),
    "\ud800",
    "\udc00",
  ]),
];

const anyText = fc.string({ unit: "binary", maxLength: 16 });
const interestingText = fc.string({ unit: fc.constantFrom(...INTERESTING), maxLength: 12 });
const mixedText = fc.oneof(anyText, interestingText, fc.string({ maxLength: 16 }));
const wordText = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"),
  maxLength: 24,
});

/**
 * matchKey as the module comment states it, one step at a time: NFD(displayKey), each code point
 * through the skeleton table, separators removed, NFD, marks after ASCII letters removed. The real
 * implementation does this in one pass.
 */
function referenceMatchKey(tag: string): string {
  const table = skeletonMap();
  let mapped = "";
  for (const ch of computeDisplayKey(tag).normalize("NFD")) {
    const cp = ch.codePointAt(0)!;
    mapped +=
      cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : ch === "0" ? "o" : ch === "1" ? "l" : (table.get(cp) ?? ch);
  }
  return mapped
    .replace(/[\p{Pc}\p{Pd}\s.·・#]/gu, "")
    .normalize("NFD")
    .replace(/(?<=[a-z0-9])[\p{Mn}\p{Me}]+/gu, "");
}

function insertAtCodePoint(s: string, at: number, mark: string): string {
  const cps = [...s];
  const i = at % (cps.length + 1);
  return [...cps.slice(0, i), mark, ...cps.slice(i)].join("");
}

describe("corpus", () => {
  const restrictedKeys = new Map(CORPUS.map((c) => [matchKey(c.tag), c.tag]));

  it("restricted tags have the matchKeys spelled out in the corpus", () => {
    for (const c of CORPUS) assert.equal(matchKey(c.tag), c.key, `${c.tag}: ${show(matchKey(c.tag))}`);
  });

  it("every evasion variant shares its restricted tag's matchKey", () => {
    for (const c of CORPUS) {
      for (const v of c.variants) {
        assert.equal(
          matchKey(v.text),
          c.key,
          `${c.tag} / ${v.kind}: ${show(v.text)} → ${show(matchKey(v.text))}`,
        );
      }
    }
  });

  it("covers every evasion vector for every Latin tag", () => {
    for (const c of CORPUS.filter((c) => /^[A-Za-z]+$/.test(c.tag))) {
      const kinds = new Set(c.variants.map((v) => v.kind));
      for (const kind of [
        "case",
        "fullwidth",
        "math",
        "invisible",
        "separator",
        "homoglyph",
        "digit",
      ] as const)
        assert.ok(kinds.has(kind), `${c.tag} has no ${kind} variant`);
    }
  });

  it("no benign tag shares the matchKey of any restricted tag", () => {
    for (const c of CORPUS) {
      for (const b of c.benign) {
        const hit = restrictedKeys.get(matchKey(b.text));
        assert.equal(hit, undefined, `${show(b.text)} (${b.note}) collides with ${hit}`);
      }
    }
  });

  it("benign tags are caught by a prefix rule exactly where the corpus says", () => {
    for (const c of CORPUS) {
      for (const b of c.benign) {
        assert.equal(matchKey(b.text).startsWith(c.key), b.prefix, `${show(b.text)} (${b.note})`);
      }
    }
  });

  it("known misses stay missed (changing that is a policy change: update corpus.ts)", () => {
    for (const m of KNOWN_MISSES)
      assert.notEqual(matchKey(m.text), matchKey(m.restricted), `${m.text}: ${m.why}`);
  });

  it("distinct pairs get different keys, documented pairs share one", () => {
    for (const [a, b, why] of DISTINCT_PAIRS)
      assert.notEqual(matchKey(a), matchKey(b), `${a} / ${b}: ${why}`);
    for (const [a, b, why] of EQUAL_PAIRS) assert.equal(matchKey(a), matchKey(b), `${a} / ${b}: ${why}`);
  });
});

describe("displayKey", () => {
  it("the caseless shortcut covers only code points without case mappings", () => {
    for (const [from, to] of [
      [0x0590, 0x109f],
      [0x3040, 0x9fff],
      [0xac00, 0xd7af],
    ] as const) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        assert.ok(ch.toUpperCase() === ch && ch.toLowerCase() === ch, `U+${cp.toString(16)} has case`);
      }
    }
  });

  it("folds case fully and strips the hash sign", () => {
    assert.equal(displayKey("#FarmersProtest"), "farmersprotest");
    assert.equal(displayKey("＃ＦａｒｍｅｒｓＰｒｏｔｅｓｔ"), "farmersprotest");
    assert.equal(displayKey("İstanbul"), "istanbul");
    assert.equal(displayKey("ISTANBUL"), "istanbul");
    assert.equal(displayKey("Straße"), "strasse");
    assert.equal(displayKey("STRAẞE"), "strasse");
    assert.equal(displayKey("ΟΔΟΣ"), "οδοσ");
    assert.equal(displayKey("ǰ"), "ǰ".normalize("NFC"));
    assert.equal(displayKey("##Tag"), "tag");
    assert.equal(displayKey("\u00ad#Tag"), "tag");
    assert.equal(displayKey("Tag#1"), "tag#1");
  });

  it("removes invisible characters but keeps separators and marks", () => {
    assert.equal(displayKey("Farmers\u200b\u00adProtest\ufe0f"), "farmersprotest");
    assert.equal(displayKey("Farmers_Protest"), "farmers_protest");
    assert.equal(displayKey("e\u200b\u0301"), "é");
    assert.equal(displayKey("किसान\u200dआंदोलन"), "किसानआंदोलन");
    assert.equal(displayKey("Fármers"), "fármers");
  });

  it("never contains a default-ignorable code point", () => {
    fc.assert(
      fc.property(mixedText, (s) => !IGNORABLE.test(displayKey(s))),
      { numRuns: 3000 },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const d = displayKey(s);
        assert.equal(displayKey(d), d, show(s));
      }),
      { numRuns: 3000 },
    );
  });

  it("ignores inserted default-ignorable characters", () => {
    fc.assert(
      fc.property(mixedText, fc.nat(), fc.constantFrom(...IGNORABLES), (s, at, mark) => {
        assert.equal(displayKey(insertAtCodePoint(s, at, mark)), displayKey(s), show(s));
      }),
      { numRuns: 3000 },
    );
  });

  it("ASCII fast path agrees with the full computation", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 24 }), (s) => {
        assert.equal(displayKey(s), computeDisplayKey(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("matchKey", () => {
  it("decisions: rn/m, l/1/I, 0/O", () => {
    assert.equal(matchKey("Modern"), "modern");
    assert.equal(matchKey("Modem"), "modem");
    assert.equal(matchKey("\u0271odi"), "modi"); // ɱ: an m look-alike spelled "rn" in the data
    assert.equal(matchKey("P1anning"), "planning");
    assert.equal(matchKey("Planning"), "planning");
    assert.equal(matchKey("IndIa"), "india"); // capital I is i, not l
    assert.equal(matchKey("Pr0test"), "protest");
    assert.equal(matchKey("PrOtest"), "protest");
  });

  it("decisions: marks, scripts, separators", () => {
    assert.equal(matchKey("F\u00e1rmers\u0332"), "farmers");
    assert.equal(matchKey("\u0438\u0306"), matchKey("\u0439")); // й in either form
    assert.notEqual(matchKey("\u0439"), matchKey("\u0438")); // but not и
    assert.equal(matchKey("किसान"), "किसान"); // Devanagari marks kept
    assert.equal(matchKey("आ"), matchKey("अा")); // visual decomposition of the independent vowel
    assert.equal(matchKey("ਇਕ"), matchKey("ੲਿਕ"));
    assert.equal(matchKey("كـــتاب"), matchKey("كِتَاب")); // tatweel, harakat
    assert.equal(matchKey("a_b-c.d·e・f g\u2013h\u203fi"), "abcdefghi");
    assert.equal(matchKey("Farmers\u2014Protest"), "farmersprotest"); // em dash is a dash, not "ー"
    assert.equal(matchKey("\ud800ab"), "\ufffdab"); // lone surrogate
    assert.equal(matchKey(""), "");
    assert.equal(matchKey("#"), "");
    assert.equal(matchKey("#_\u200b_"), "");
    assert.equal(matchKey("##Farmers#Protest"), "farmersprotest");
    // U+0345 is a mark that case-folds to a letter (found by the properties below).
    assert.equal(matchKey("\u0345\u00ad\u0366"), matchKey("\u0345\u0366"));
    assert.equal(matchKey("\u0345\u0741".toUpperCase()), matchKey("\u0345\u0741"));
  });

  it("equals the step-by-step reference pipeline", () => {
    for (const c of CORPUS)
      for (const v of [c.tag, ...c.variants.map((x) => x.text)])
        assert.equal(computeMatchKey(v), referenceMatchKey(v), show(v));
    fc.assert(
      fc.property(mixedText, (s) => {
        assert.equal(computeMatchKey(s), referenceMatchKey(s), show(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("leaves no separator and no mark on an ASCII letter", () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const k = matchKey(s);
        assert.ok(!/[\p{Pc}\p{Pd}\s.·・#]|[a-z0-9][\p{Mn}\p{Me}]/u.test(k), `${show(s)} → ${show(k)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it("the skeleton table maps no ASCII code point and only to fixed points", () => {
    const table = skeletonMap();
    for (const [cp, to] of table) {
      assert.ok(cp >= 0x80, `ASCII U+${cp.toString(16)} is mapped`);
      for (const c of to) {
        const target = table.get(c.codePointAt(0)!);
        assert.ok(
          target === undefined || target === c,
          `U+${cp.toString(16)} → ${show(to)}: ${show(c)} moves`,
        );
      }
    }
  });

  it("is idempotent on every confusables entry, in every case", () => {
    for (const [source, prototype] of Object.entries(CONFUSABLES)) {
      for (const s of [source, source.toLowerCase(), source.toUpperCase(), prototype, `a${source}b`]) {
        const k = matchKey(s);
        assert.equal(matchKey(k), k, `${show(s)} → ${show(k)} → ${show(matchKey(k))}`);
      }
    }
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const k = matchKey(s);
        assert.equal(matchKey(k), k, `${show(s)} → ${show(k)}`);
      }),
      { numRuns: 5000 },
    );
  });

  it("ignores inserted default-ignorable characters", () => {
    fc.assert(
      fc.property(mixedText, fc.nat(), fc.constantFrom(...IGNORABLES), (s, at, mark) => {
        assert.equal(matchKey(insertAtCodePoint(s, at, mark)), matchKey(s), show(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("ignores case", () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const k = matchKey(s);
        assert.equal(matchKey(s.toUpperCase()), k, show(s));
        assert.equal(matchKey(s.toLowerCase()), k, show(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("ignores width and mathematical styles", () => {
    const styles = ["bold", "boldItalic", "sansBold", "monospace", "boldFraktur"] as const;
    fc.assert(
      fc.property(wordText, fc.constantFrom(...styles), (s, style) => {
        const k = matchKey(s);
        assert.equal(matchKey(fullwidth(s)), k, s);
        assert.equal(matchKey(mathematical(s, style)), k, s);
      }),
      { numRuns: 2000 },
    );
    assert.equal(matchKey("ｶﾀｶﾅ"), matchKey("カタカナ")); // half-width katakana
  });

  it("ASCII fast paths agree with the full computation", () => {
    fc.assert(
      fc.property(fc.oneof(wordText, fc.string({ unit: "binary-ascii", maxLength: 24 })), (s) => {
        assert.equal(matchKey(s), computeMatchKey(s), JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("cached results equal fresh computations", () => {
    clearKeyCaches();
    for (const tag of sampleTags(5_000, 7)) {
      const first = matchKey(tag);
      assert.equal(matchKey(tag), first);
      assert.equal(first, computeMatchKey(tag));
      assert.equal(displayKey(tag), computeDisplayKey(tag));
    }
  });

  it("performance smoke (figures only, no assertion)", (t) => {
    const measure = (label: string, tags: string[], fn: (s: string) => string) => {
      let sink = 0;
      const start = performance.now();
      for (const tag of tags) sink += fn(tag).length;
      const ms = performance.now() - start;
      t.diagnostic(`${label}: ${Math.round((tags.length / ms) * 1000).toLocaleString("en")} ops/s (${sink})`);
    };
    const mix = sampleTags(200_000, 3);
    const fresh = sampleTags(50_000, 11, 0);
    skeletonMap(); // built once, on first use
    for (const tag of sampleTags(20_000, 5)) matchKey(tag) + displayKey(tag) + computeMatchKey(tag); // warm-up
    clearKeyCaches();
    measure("matchKey, 80% repeated / 20% new", mix, matchKey);
    clearKeyCaches();
    measure("displayKey, 80% repeated / 20% new", mix, displayKey);
    measure("matchKey uncached (all new)", fresh, (s) => computeMatchKey(s));
    measure("displayKey uncached (all new)", fresh, (s) => computeDisplayKey(s));
  });
});
