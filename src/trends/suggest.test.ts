import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchKey } from "../hashtags/normalize.ts";
import { GLOBAL_COUNTRY } from "./engine.ts";
import { type SuggestFilter, type Suggestion, SuggestionIndex } from "./suggest.ts";

const NONE: SuggestFilter = { tagRestricted: () => false, accountRestricted: () => false };

function filterOf(rules: {
  tags?: Record<string, string[]>;
  accounts?: Record<string, string[]>;
}): SuggestFilter {
  return {
    tagRestricted: (mk, country) => (rules.tags?.[country] ?? []).includes(mk),
    accountRestricted: (id, country) => (rules.accounts?.[country] ?? []).includes(id),
  };
}

const texts = (s: Suggestion[]) => s.map((x) => x.text);

function farmIndex(): SuggestionIndex {
  const ix = new SuggestionIndex();
  ix.addHashtag("FarmersProtest", "IN", 50);
  ix.addHashtag("FarmLaws", "IN", 30);
  ix.addHashtag("FarmersProtest2021", "IN", 10);
  ix.addHashtag("Delhi", "IN", 40);
  ix.addHandle("a1", "farmer_news", 20);
  ix.addHandle("a2", "FarmUnionIndia", 5);
  ix.addHandle("a3", "kisan_voice", 100);
  return ix;
}

describe("SuggestionIndex matching", () => {
  it("matches the displayKey prefix: case, width and invisible characters do not matter", () => {
    const ix = farmIndex();
    const expected = [
      "#FarmersProtest",
      "#FarmLaws",
      "@farmer_news",
      "#FarmersProtest2021",
      "@FarmUnionIndia",
    ];
    assert.deepEqual(texts(ix.suggest("farm", "IN", 10, NONE)), expected);
    assert.deepEqual(texts(ix.suggest("FARM", "IN", 10, NONE)), expected);
    assert.deepEqual(texts(ix.suggest("ＦＡＲＭ", "IN", 10, NONE)), expected);
    assert.deepEqual(texts(ix.suggest("fa\u200Brm", "IN", 10, NONE)), expected);
    assert.deepEqual(texts(ix.suggest("  farmers", "IN", 10, NONE)), [
      "#FarmersProtest",
      "#FarmersProtest2021",
    ]);
  });

  it('"#" restricts to hashtags, "@" to handles', () => {
    const ix = farmIndex();
    assert.deepEqual(texts(ix.suggest("#farm", "IN", 10, NONE)), [
      "#FarmersProtest",
      "#FarmLaws",
      "#FarmersProtest2021",
    ]);
    assert.deepEqual(texts(ix.suggest("＃farm", "IN", 10, NONE)).length, 3);
    assert.deepEqual(texts(ix.suggest("@farm", "IN", 10, NONE)), ["@farmer_news", "@FarmUnionIndia"]);
    assert.deepEqual(ix.suggest("@kisan", "IN", 10, NONE), [
      { kind: "handle", text: "@kisan_voice", id: "a3", weight: 100 },
    ]);
    assert.deepEqual(texts(ix.suggest("#", "IN", 2, NONE)), ["#FarmersProtest", "#Delhi"]);
  });

  it("ranks by weight, respects limit, and shows the most used spelling", () => {
    const ix = new SuggestionIndex();
    for (let i = 0; i < 7; i++) ix.addHashtag("KisanEkta", "IN");
    for (let i = 0; i < 3; i++) ix.addHashtag("kisanekta", "IN");
    ix.addHashtag("KisanAndolan", "IN", 4);
    ix.addHashtag("Kisan", "IN", 20);
    assert.deepEqual(ix.suggest("kisan", "IN", 2, NONE), [
      { kind: "hashtag", text: "#Kisan", weight: 20 },
      { kind: "hashtag", text: "#KisanEkta", weight: 10 },
    ]);
    assert.deepEqual(ix.suggest("kisan", "IN", 0, NONE), []);
  });

  it("falls back to tags used anywhere when the viewer's country has too few", () => {
    const ix = new SuggestionIndex();
    ix.addHashtag("Bauernprotest", "DE", 5);
    ix.addHashtag("BauernLegen", "IN", 1);
    assert.deepEqual(texts(ix.suggest("#bauern", "IN", 5, NONE)), ["#BauernLegen", "#Bauernprotest"]);
    assert.deepEqual(texts(ix.suggest("#bauern", GLOBAL_COUNTRY, 5, NONE)), [
      "#Bauernprotest",
      "#BauernLegen",
    ]);
    assert.deepEqual(texts(ix.suggest("#bauern", "IN", 1, NONE)), ["#BauernLegen"]);
  });

  it("sees new entries at once, and removed or renamed handles disappear", () => {
    const ix = new SuggestionIndex();
    for (let i = 0; i < 1000; i++) ix.addHandle(`u${i}`, `user${i}`, i);
    assert.deepEqual(texts(ix.suggest("@user99", "IN", 3, NONE)), ["@user999", "@user998", "@user997"]);
    ix.addHandle("new", "user99x", 5000);
    assert.deepEqual(texts(ix.suggest("@user99", "IN", 1, NONE)), ["@user99x"]);
    ix.removeHandle("new");
    ix.removeHandle("u999");
    assert.deepEqual(texts(ix.suggest("@user99", "IN", 2, NONE)), ["@user998", "@user997"]);
    ix.addHandle("u998", "renamed", 998);
    assert.deepEqual(texts(ix.suggest("@user99", "IN", 1, NONE)), ["@user997"]);
    assert.deepEqual(texts(ix.suggest("@ren", "IN", 1, NONE)), ["@renamed"]);
    assert.equal(ix.stats().handles, 999);
  });
});

describe("SuggestionIndex restrictions", () => {
  it("a handle withheld in IN is not suggested to IN viewers but is to DE viewers", () => {
    const ix = farmIndex();
    const filter = filterOf({ accounts: { IN: ["a3"] } });
    assert.deepEqual(texts(ix.suggest("@kisan", "IN", 5, filter)), []);
    assert.deepEqual(texts(ix.suggest("@kisan", "DE", 5, filter)), ["@kisan_voice"]);
    assert.deepEqual(texts(ix.suggest("kisan", "IN", 5, filter)), []);
  });

  it("a suppressed tag and its evasion spellings are not suggested where suppressed", () => {
    const ix = new SuggestionIndex();
    const canonical = "ModiPlanningFarmerGenocide";
    const evasions = [
      "MODIPLANNINGFARMERGENOCIDE",
      "Modi_Planning_Farmer_Genocide",
      "M\u043EdiPlanningFarmerGen\u043Ecide",
      "Modi\u200DPlanningFarmerGenocide",
      "ModiPlanningFarmerGenoc\u00EDde",
    ];
    for (const [i, t] of [canonical, ...evasions].entries()) ix.addHashtag(t, "IN", 100 - i);
    ix.addHashtag("ModiGovt", "IN", 1);
    ix.addHashtag("M\u043EdiHaiToMumkinHai", "IN", 1);
    const filter = filterOf({ tags: { IN: [matchKey(canonical)] } });
    assert.deepEqual(texts(ix.suggest("modi", "IN", 10, filter)), ["#ModiGovt"]);
    assert.deepEqual(texts(ix.suggest("m\u043Edi", "IN", 10, filter)), ["#M\u043EdiHaiToMumkinHai"]);
    assert.deepEqual(texts(ix.suggest("#modi_plan", "IN", 10, filter)), []);
    // Elsewhere the spellings are suggested (grouped by displayKey).
    const de = texts(ix.suggest("modi", "DE", 10, filter));
    assert.ok(de.includes(`#${canonical}`), de.join(","));
    assert.ok(de.includes("#ModiGovt"));
  });

  it("keeps scanning past restricted candidates (large prefix ranges included)", () => {
    const ix = new SuggestionIndex();
    const bots: string[] = [];
    for (let i = 0; i < 2000; i++) {
      ix.addHandle(`bot${i}`, `bot_${i}`, 10_000 + i);
      bots.push(`bot${i}`);
    }
    ix.addHandle("h1", "bot_watch", 3);
    ix.addHandle("h2", "botany_daily", 2);
    ix.addHandle("h3", "bottle_art", 1);
    const filter = filterOf({ accounts: { IN: bots } });
    for (const q of ["@bot", "@b", "@", "bo"]) {
      assert.deepEqual(
        texts(ix.suggest(q, "IN", 3, filter)),
        ["@bot_watch", "@botany_daily", "@bottle_art"],
        q,
      );
    }
    assert.deepEqual(texts(ix.suggest("@bot", "DE", 2, filter)), ["@bot_1999", "@bot_1998"]);
  });
});

describe("SuggestionIndex bounds", () => {
  it("caps hashtags per country, dropping the least used", () => {
    const ix = new SuggestionIndex({ maxTagsPerCountry: 1000 });
    ix.addHashtag("FarmersProtest", "IN", 1000);
    for (let i = 0; i < 20_000; i++) ix.addHashtag(`noise${i}`, "IN");
    const st = ix.stats();
    assert.ok(st.hashtags <= 2 * 1000, String(st.hashtags));
    assert.deepEqual(texts(ix.suggest("#farm", "IN", 1, NONE)), ["#FarmersProtest"]);
  });
});
