import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseLexicon } from "./lexicon.ts";
import { createTextScorer, DEFAULT_THRESHOLD, raisesCase, scoreText, type TextScore } from "./scorer.ts";

const categories = (s: TextScore) => raisesCase(s);
const flagged = (text: string, lang?: string) => categories(scoreText(text, lang));

/** Every match's term is exactly the original text at its span. */
function assertSpans(text: string, s: TextScore): void {
  for (const sig of s.signals) {
    for (const m of sig.matches) assert.equal(text.slice(m.start, m.end), m.term);
  }
  for (const c of s.counters) assert.equal(text.slice(c.start, c.end), c.term);
}

describe("scoreText: the four categories", () => {
  const cases: [string, string][] = [
    ["kill all the traitors", "incitement"],
    ["I will kill you", "threat"],
    ["I hope you die", "wish_of_harm"],
    ["you are a complete idiot", "abuse"],
    ["गद्दारों को गोली मारो", "incitement"],
    ["तुझे जान से मार दूंगा", "threat"],
    ["भगवान करे तू मर जाए", "wish_of_harm"],
    ["तू बेवकूफ है", "abuse"],
    ["gaddaron ko goli maaro", "incitement"],
    ["tujhe jaan se maar dunga", "threat"],
    ["tu mar ja", "wish_of_harm"],
    ["abe gadhe chup kar", "abuse"],
    ["ਗੱਦਾਰਾਂ ਨੂੰ ਗੋਲੀ ਮਾਰੋ", "incitement"],
    ["ਤੈਨੂੰ ਜਾਨੋਂ ਮਾਰ ਦਿਆਂਗਾ", "threat"],
    ["ਰੱਬ ਕਰੇ ਤੂੰ ਮਰ ਜਾਵੇਂ", "wish_of_harm"],
    ["ਤੂੰ ਮੂਰਖ ਹੈਂ", "abuse"],
  ];
  for (const [text, category] of cases) {
    it(`${category}: ${text}`, () => {
      const s = scoreText(text);
      assert.deepEqual(categories(s), [category]);
      assert.ok(s.signals[0]!.score >= DEFAULT_THRESHOLD && s.signals[0]!.score <= 1);
      assertSpans(text, s);
    });
  }
});

describe("scoreText: obfuscation reaches the matcher", () => {
  const vectors = [
    "I will k1ll you",
    "I will KIIIILLLL you",
    "I will k.i.l.l you",
    "I will k-i-l-l you",
    "we will k i l l you",
    "I will ki\u200bll you",
    "I will кill уou",
    "I will ＫＩＬＬ you",
    "I will 𝐤𝐢𝐥𝐥 you",
    "I will kíll you",
    "I will k!ll you",
    "i'll murd3r u",
  ];
  for (const text of vectors) {
    it(JSON.stringify(text), () => {
      const s = scoreText(text);
      assert.deepEqual(categories(s), ["threat"]);
      const m = s.signals[0]!.matches[0]!;
      assert.equal(text.slice(m.start, m.end), m.term);
      assert.equal(m.end, text.length, "the span ends at the end of the threat");
    });
  }

  it("Indic obfuscation: nukta/vowel-length variants and zero-width joiners", () => {
    assert.deepEqual(flagged("ग़द्दारों को गोली मारो"), ["incitement"]);
    assert.deepEqual(flagged("तुझे जान से मा\u200cर दुंगा"), ["threat"]);
    assert.deepEqual(flagged("ਗੱਦਾਰਾਂ ਨੂੰ ਗੋ\u200cਲੀ ਮਾ\u200dਰੋ"), ["incitement"]);
    assert.deepEqual(flagged("tujhe jaaaan se maaaar doonga"), ["threat"]);
    assert.deepEqual(flagged("gaddaaaron ko g0li maaro"), ["incitement"]);
  });

  it("hashtags split at case changes", () => {
    assert.deepEqual(flagged("#KillAllTraitors"), ["incitement"]);
  });
});

describe("scoreText: counter-speech, news and idioms are not flagged", () => {
  const negatives = [
    "Police said the mob shouted 'kill all muslims' before the attack",
    "We condemn the calls to kill Muslims made at the rally",
    "Stop the violence. No one should kill anyone over farm laws.",
    "I would never hurt you",
    "You're killing it with these photos!",
    "This joke killed me lol",
    "A little exercise won't kill you",
    "Let's kill time before the movie",
    "पुलिस ने कहा कि भीड़ ने 'गद्दारों को गोली मारो' के नारे लगाए",
    "मत मारो किसानों को",
    "हिंसा बंद करो, किसी को मारना समाधान नहीं है",
    "police ne kaha ki bheed ne 'gaddaron ko goli maaro' ke naare lagaye",
    "ਅਸੀਂ ਮੁਸਲਮਾਨਾਂ ਨੂੰ ਮਾਰਨ ਦੀਆਂ ਗੱਲਾਂ ਦੀ ਸਖ਼ਤ ਨਿਖੇਧੀ ਕਰਦੇ ਹਾਂ",
    "ਨਾ ਮਾਰੋ ਕਿਸੇ ਨੂੰ",
    "kisan andolan zindabad, morcha jaari rahega",
    "किसान आंदोलन का आज सत्तरवां दिन है",
    "मार्च में परीक्षाएं होंगी",
    "chakka maaro bhai",
  ];
  for (const text of negatives) {
    it(text, () => {
      const s = scoreText(text);
      assert.deepEqual(categories(s), []);
      assertSpans(text, s);
    });
  }

  it("a news dampener keeps the match as evidence but lowers its score", () => {
    const text = "Police said the mob shouted kill all muslims";
    const s = scoreText(text);
    const sig = s.signals.find((x) => x.category === "incitement")!;
    assert.ok(sig.score > 0 && sig.score < DEFAULT_THRESHOLD, `score ${sig.score}`);
    assert.equal(sig.matches[0]!.term, "kill all muslims");
    assert.ok(s.counters.some((c) => c.patternId === "en.news.police-said" && c.term === "Police said"));
  });

  it("a negation cancels the match and reports it", () => {
    const s = scoreText("we must not kill farmers");
    assert.deepEqual(categories(s), []);
    assert.equal(s.negated.length, 1);
    assert.equal(s.negated[0]!.term, "kill farmers");
    // Without the negation the same words raise a case.
    assert.deepEqual(flagged("we must kill farmers"), ["incitement"]);
  });

  it("a pattern marked negatable: false keeps its own 'not'", () => {
    assert.deepEqual(flagged("tujhe zinda nahi chhodunga"), ["threat"]);
    assert.deepEqual(flagged("तू मर क्यों नहीं जाता"), ["wish_of_harm"]);
  });
});

describe("scoreText: language and scoring", () => {
  it("detects the language by script, then by marker words", () => {
    assert.equal(scoreText("the weather is lovely today").language, "en");
    assert.equal(scoreText("aaj mausam bahut accha hai yaar").language, "hi-Latn");
    assert.equal(scoreText("आज मौसम अच्छा है").language, "hi");
    assert.equal(scoreText("ਅੱਜ ਮੌਸਮ ਵਧੀਆ ਹੈ").language, "pa");
    assert.equal(scoreText("😀 123").language, "und");
  });

  it("a language hint restricts the lexicons used", () => {
    assert.deepEqual(flagged("tujhe jaan se maar dunga", "hi-Latn"), ["threat"]);
    assert.deepEqual(flagged("tujhe jaan se maar dunga", "en"), []);
    assert.equal(scoreText("tujhe jaan se maar dunga", "en").language, "en");
  });

  it("combines distinct patterns, counts a repeated pattern once, and reports each match", () => {
    const one = scoreText("idiot").signals[0]!;
    const two = scoreText("stupid. shut up").signals[0]!;
    const same = scoreText("idiot idiot idiot idiot").signals[0]!;
    assert.ok(two.score > one.score);
    assert.equal(scoreText("idiot, moron").signals[0]!.score, one.score, "one pattern, counted once");
    assert.equal(same.score, one.score);
    assert.equal(same.matches.length, 4);
    assert.ok(one.score < DEFAULT_THRESHOLD, "a lone insult word raises no case");
  });

  it("raisesCase honours the threshold", () => {
    const s = scoreText("watch your back");
    const score = s.signals[0]!.score;
    assert.deepEqual(raisesCase(s, score), ["threat"]);
    assert.deepEqual(raisesCase(s, score + 0.01), []);
  });

  it("runs regex entries on the normalised text, mapped back to the original span", () => {
    const text = "We got a gun for u, 1d10t";
    const s = scoreText(text);
    const threat = s.signals.find((x) => x.category === "threat")!;
    assert.equal(threat.matches[0]!.patternId, "en.threat.regex-gun");
    assert.equal(threat.matches[0]!.term, "We got a gun for u");
  });

  it("a custom lexicon compiles into its own scorer", () => {
    const lex = parseLexicon(
      {
        lang: "xx",
        name: "Test",
        script: "latin",
        slots: { v: ["zap*"], who: ["robots", "the robots"] },
        patterns: [
          { id: "xx.t", category: "incitement", weight: 0.6, pattern: "{v} all? {who}" },
          { id: "xx.g", category: "threat", weight: 0.7, pattern: "i ~2 zap you" },
        ],
        counters: [{ id: "xx.d", effect: "dampen", factor: 0.5, pattern: "cartoon" }],
      },
      "xx.json",
    );
    const scorer = createTextScorer([lex]);
    assert.deepEqual(raisesCase(scorer.score("ZAPPING all the robots")), ["incitement"]);
    assert.deepEqual(raisesCase(scorer.score("zap robots")), ["incitement"]);
    assert.deepEqual(raisesCase(scorer.score("i will totally zap you")), ["threat"]);
    assert.deepEqual(
      raisesCase(scorer.score("i will totally really zap you")),
      [],
      "gap ~2 is at most two tokens",
    );
    assert.equal(scorer.score("zap robots in the cartoon").signals[0]!.score, 0.3);
  });
});
