import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeText, normalizeWords } from "./normalize.ts";

const words = (s: string) => normalizeText(s).tokens.map((t) => t.text);
/** Each token's original characters. */
const spans = (s: string) => normalizeText(s).tokens.map((t) => s.slice(t.start, t.end));

describe("normalizeText: obfuscation vectors", () => {
  const kill = normalizeWords("kill")[0]!;

  it("folds case and collapses repeated letters, on both sides", () => {
    assert.equal(kill, "kil");
    assert.deepEqual(words("KILL Kiiiilllll"), [kill, kill]);
    assert.deepEqual(words("maaaaaro"), normalizeWords("maro"));
  });

  it("maps leetspeak inside words, and leaves numbers alone", () => {
    assert.deepEqual(words("k1ll 4ll mu$l1ms"), normalizeWords("kill all muslims"));
    assert.deepEqual(words("@ss 5h00t"), normalizeWords("ass shoot"));
    assert.deepEqual(words("on 26 january 2021"), ["on", "26", "january", "2021"]);
  });

  it("reads ! and | as i only between letters", () => {
    assert.deepEqual(words("k!ll"), [kill]);
    assert.deepEqual(words("k|ll"), [kill]);
    assert.deepEqual(words("kill!"), [kill]);
    assert.deepEqual(words("kill!! now"), [kill, "now"]);
  });

  it("joins inserted separators: dots, dashes, underscores, asterisks, spaces", () => {
    for (const s of ["k.i.l.l", "k-i-l-l", "k_i_l_l", "k*i*l*l", "k i l l", "k . i . l . l", "k–i–l–l"]) {
      assert.deepEqual(words(s), [kill], s);
    }
    assert.deepEqual(words("don't"), ["dont"]);
    // Two single letters are not joined: "i" and "u" are words.
    assert.deepEqual(words("i u"), ["i", "u"]);
  });

  it("drops zero-width and other default-ignorable characters without splitting the word", () => {
    for (const s of [
      "ki\u200bll",
      "k\u200ci\u200dll",
      "k\u2060ill",
      "ki\u00adll",
      "k\ufeffill",
      "ki\ufe0fll",
    ]) {
      assert.deepEqual(words(s), [kill], JSON.stringify(s));
    }
  });

  it("maps look-alike letters (Cyrillic, Greek), fullwidth, mathematical and circled letters", () => {
    for (const s of ["кill", "kіll", "ΚΙLL", "ＫＩＬＬ", "𝐤𝐢𝐥𝐥", "𝓀𝒾𝓁𝓁", "ⓚⓘⓛⓛ"]) {
      assert.deepEqual(words(s), [kill], s);
    }
    assert.deepEqual(words("уоu"), ["you"]);
  });

  it("strips Latin diacritics and stacked combining marks", () => {
    assert.deepEqual(words("kíll"), [kill]);
    assert.deepEqual(words("k\u0301\u0302i\u0308\u0336l\u0337l"), [kill]);
  });

  it("splits hashtags at case changes, and only hashtags", () => {
    assert.deepEqual(words("#KillThemAll"), normalizeWords("kill them all"));
    assert.deepEqual(words("KillThemAll"), ["kilthemal"]);
  });
});

describe("normalizeText: spans map back to the original text", () => {
  it("gives each token the characters the author typed", () => {
    const s = "We w i l l  k\u200b1ll   уоu!!";
    assert.deepEqual(spans(s), ["We", "w i l l", "k\u200b1ll", "уоu"]);
    // Known limit: a one-letter word before spaced-out letters joins the run ("I w i l l" is one word).
    assert.deepEqual(spans("I w i l l"), ["I w i l l"]);
  });

  it("handles astral characters (surrogate pairs) in spans", () => {
    const s = "😡 𝐤𝐢𝐥𝐥 them";
    const t = normalizeText(s).tokens;
    assert.equal(s.slice(t[0]!.start, t[0]!.end), "𝐤𝐢𝐥𝐥");
    assert.equal(t[0]!.start, 3);
    assert.equal(s.slice(t[1]!.start, t[1]!.end), "them");
  });

  it("keeps spans over Devanagari and Gurmukhi with removed marks", () => {
    const s = "तुझे ज़िंदा नहीं छोड़ूंगा";
    assert.deepEqual(spans(s), ["तुझे", "ज़िंदा", "नहीं", "छोड़ूंगा"]);
  });
});

describe("normalizeText: Indic scripts", () => {
  it("Devanagari: drops nukta, candrabindu and anusvara, folds long ī/ū", () => {
    assert.deepEqual(words("ग़द्दार"), words("गद्दार"));
    assert.deepEqual(words("ज़िंदा"), words("जिदा"));
    assert.deepEqual(words("मारेंगे"), words("मारेगे"));
    assert.deepEqual(words("हँसी"), words("हसि"));
    assert.deepEqual(words("पूरी"), words("पुरि"));
    assert.deepEqual(words("ईसाई"), words("इसाइ"));
    // Precomposed nukta letters (U+0958..) equal base + nukta.
    assert.deepEqual(words("\u095b"), words("\u091c\u093c"));
    assert.notDeepEqual(words("मार"), words("मर"));
  });

  it("Gurmukhi: drops nukta, bindi, tippi and addak, folds long ī/ū", () => {
    assert.deepEqual(words("ਸ਼ਾਂਤੀ"), words("ਸਾਤਿ"));
    assert.deepEqual(words("ਗੱਦਾਰ"), words("ਗਦਾਰ"));
    assert.deepEqual(words("ਨੂੰ"), words("ਨੁ"));
    assert.deepEqual(words("ਖ਼ਬਰ"), words("ਖਬਰ"));
  });

  it("treats danda as a break, Indic digits as digits, and counts scripts", () => {
    const n = normalizeText("मारो। ਮਾਰੋ १२ kill");
    assert.equal(n.tokens.length, 4);
    assert.equal(n.tokens[2]!.text, "12");
    assert.equal(n.scriptCounts.deva, 4);
    assert.equal(n.scriptCounts.guru, 4);
    assert.equal(n.scriptCounts.latin, 4);
    assert.deepEqual(
      n.tokens.map((t) => t.script),
      ["deva", "guru", "deva", "latin"],
    );
  });

  it("a zero-width joiner inside a Devanagari word does not split it", () => {
    assert.deepEqual(words("मा\u200cर दूं\u200dगा"), words("मार दूंगा"));
  });
});
