import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../demo/random.ts";
import {
  estimateJaccard,
  jaccard,
  minhash,
  normalizeText,
  shingleSet,
  textShingles,
  tokenize,
} from "./textsig.ts";

const words = (rng: Rng, n: number): string[] => Array.from({ length: n }, () => `w${rng.int(0, 100_000)}`);

describe("text signatures", () => {
  it("MinHash estimates the exact Jaccard index of shingle sets", () => {
    const rng = new Rng("minhash");
    let worst = 0;
    for (let trial = 0; trial < 60; trial++) {
      const base = words(rng, 60);
      const changed = base.map((w) => (rng.chance(trial / 120) ? `x${rng.int(0, 1e6)}` : w));
      const a = shingleSet(base);
      const b = shingleSet(changed);
      const exact = jaccard(a, b);
      const estimate = estimateJaccard(minhash(a), minhash(b));
      worst = Math.max(worst, Math.abs(exact - estimate));
    }
    // 120 hashes: standard error ≤ 0.046, so 0.15 is beyond 3 sigma.
    assert.ok(worst < 0.15, `worst MinHash error ${worst}`);
  });

  it("computes exact Jaccard on sorted sets", () => {
    assert.equal(jaccard(Uint32Array.of(1, 2, 3, 4), Uint32Array.of(3, 4, 5, 6)), 2 / 6);
    assert.equal(jaccard(Uint32Array.of(1, 2), Uint32Array.of(1, 2)), 1);
    assert.equal(jaccard(new Uint32Array(0), Uint32Array.of(1)), 0);
  });

  it("normalises case, URLs, mentions, hashtags and invisible characters away", () => {
    const plain = "the farmers will march to the city tomorrow morning";
    const noisy =
      "The FARMERS will m\u200barch to the @someone city https://t.co/abc?x=1 tomorrow #Protest morning";
    assert.deepEqual(textShingles(noisy), textShingles(plain));
    assert.equal(normalizeText("Ｆｕｌｌ width").trim(), "full width");
  });

  it("hashes ASCII tokens in one pass exactly like the regex tokenizer", () => {
    const rng = new Rng("tokens");
    const pieces = [
      "Hello",
      "WORLD",
      "x@y.com",
      "#tag",
      "@user",
      "https://a.b/c?d",
      "www.x.org",
      "a.b",
      "it's",
      "42",
      "--",
      "Ünï",
      "ok",
      "HTTP://X.Y/z",
      "hTtPs://q",
      "Www.Z.com",
      "http:/x",
      "https:x",
      "wwwx",
      "ww.x",
      "ahttp://b",
      "x-www.y",
      "#Tag_1",
      "@Mention",
    ];
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: rng.int(0, 14) }, () => rng.pick(pieces)).join(
        rng.pick([" ", "  ", ", "]),
      );
      const tokens = tokenize(normalizeText(text));
      const expected = tokens.length >= 5 ? shingleSet(tokens) : null;
      assert.deepEqual(textShingles(text), expected, text);
    }
  });

  it("hashes texts whose non-ASCII characters sit in hashtags exactly like the regex tokenizer", () => {
    const rng = new Rng("tags");
    const words = ["Hello", "world", "42", "it's", "a.b", "x@y.com", "https://a.b/c", "www.x.org", "--"];
    const tags = [
      "#Ｔａｇ",
      "#𝐓𝐚𝐠𝟏",
      "#𝙼𝚘𝚛𝚊𝚗",
      "#Tа\u200dg",
      "#Ta\u200cg",
      "#Tág",
      "#ЁжИк",
      "#a\u0301b",
      "@ｕｓｅｒ",
      "#ab\u00adc",
      "#x\ufe0fy",
      "#𝛁x",
      "#ab×c",
      "#a\u2028b",
      "＃tag",
      "#a\u200cwww.b.c",
      "#ａhttp://b.c/d",
      "#ａbwww.c",
      "#ǅz",
      "#ŉ",
      "#ſ",
      "#\ud835",
      "é",
      "\u200b",
    ];
    for (let i = 0; i < 3000; i++) {
      const parts = Array.from({ length: rng.int(0, 12) }, () =>
        rng.chance(0.3) ? rng.pick(tags) : rng.pick(words),
      );
      const text = parts.join(rng.pick([" ", ", ", "", "#"]));
      // (Pure ASCII texts keep the one-pass reading, checked above on text the two readings agree on.)
      if (!/[^\x00-\x7f]/.test(text)) continue;
      const tokens = tokenize(normalizeText(text));
      const expected = tokens.length >= 5 ? shingleSet(tokens) : null;
      assert.deepEqual(textShingles(text), expected, JSON.stringify(text));
    }
  });

  it("skips posts under five tokens", () => {
    assert.equal(textShingles("only four words here"), null);
    assert.notEqual(textShingles("now there are five words"), null);
  });
});
