/**
 * Evasion corpus for hashtag restrictions: restricted tags, spellings written to evade them (each must
 * share the restricted tag's matchKey), and benign tags that look alike but are other words (none may
 * share the matchKey of any restricted tag). normalize.test.ts and matcher.test.ts check it; benchmarks
 * draw realistic tag streams from it (`sampleTags`).
 *
 * Invisible and look-alike characters are written as escapes or built by the helpers below, so the
 * file can be read and reviewed.
 */

export type EvasionKind =
  | "case"
  | "fullwidth"
  | "math"
  | "invisible"
  | "separator"
  | "homoglyph"
  | "digit"
  | "diacritic"
  | "decomposed"
  | "compatibility"
  | "decoration"
  | "mixed";

export interface Variant {
  text: string;
  kind: EvasionKind;
}

export interface Benign {
  text: string;
  /** Whether a prefix rule on the restricted tag catches it (an exact rule never does). */
  prefix: boolean;
  note: string;
}

export interface RestrictedCase {
  /** As a moderator would write the restriction. */
  tag: string;
  /** Its matchKey, spelled out so that a change of normalization shows up in review. */
  key: string;
  variants: Variant[];
  benign: Benign[];
}

// ---------------------------------------------------------------------------------------------------
// Builders

const ZWSP = "\u200b";
const ZWNJ = "\u200c";
const ZWJ = "\u200d";
const WORD_JOINER = "\u2060";
const SOFT_HYPHEN = "\u00ad";
const BOM = "\ufeff";
const LRM = "\u200e";
const RLM = "\u200f";
const RLO = "\u202e";
const PDF = "\u202c";
const VS16 = "\ufe0f";
const CGJ = "\u034f";
const HANGUL_FILLER = "\u3164";
const INVISIBLE_TIMES = "\u2062";
const TAG_LATIN_A = "\u{e0061}";

/** ASCII letters and digits → their full-width forms (U+FF01..U+FF5E). */
export function fullwidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Mathematical alphanumeric styles whose A..Z, a..z run without holes (and their digit runs). */
const MATH_STYLES = {
  bold: { upper: 0x1d400, lower: 0x1d41a, digit: 0x1d7ce },
  boldItalic: { upper: 0x1d468, lower: 0x1d482, digit: 0x1d7ce },
  sansBold: { upper: 0x1d5d4, lower: 0x1d5ee, digit: 0x1d7ec },
  monospace: { upper: 0x1d670, lower: 0x1d68a, digit: 0x1d7f6 },
  boldFraktur: { upper: 0x1d56c, lower: 0x1d586, digit: 0x1d7ce },
} as const;

export function mathematical(s: string, style: keyof typeof MATH_STYLES): string {
  const base = MATH_STYLES[style];
  return s.replace(/[A-Za-z0-9]/g, (c) => {
    const u = c.charCodeAt(0);
    if (u <= 0x39) return String.fromCodePoint(base.digit + u - 0x30);
    if (u <= 0x5a) return String.fromCodePoint(base.upper + u - 0x41);
    return String.fromCodePoint(base.lower + u - 0x61);
  });
}

/** Inserts `mark` after every `every`-th code point (never at the ends). */
export function interleave(s: string, mark: string, every = 1): string {
  const cps = [...s];
  let out = "";
  cps.forEach((c, i) => {
    out += c;
    if (i < cps.length - 1 && (i + 1) % every === 0) out += mark;
  });
  return out;
}

/** Inserts `mark` at code point index `at`. */
export function insertAt(s: string, at: number, mark: string): string {
  const cps = [...s];
  return [...cps.slice(0, at), mark, ...cps.slice(at)].join("");
}

/** Replaces the first occurrence of each key (one code point) by its look-alike. */
export function swap(s: string, table: Record<string, string>): string {
  let out = s;
  for (const [from, to] of Object.entries(table)) out = out.replace(from, to);
  return out;
}

/** Replaces every occurrence of each key by its look-alike. */
export function swapAll(s: string, table: Record<string, string>): string {
  return [...s].map((c) => table[c] ?? c).join("");
}

/** Look-alikes of Latin letters in other scripts (the ones attackers use: drawn identically). */
export const CYRILLIC: Record<string, string> = {
  a: "\u0430", // а
  c: "\u0441", // с
  e: "\u0435", // е
  i: "\u0456", // і
  j: "\u0458", // ј
  o: "\u043e", // о
  p: "\u0440", // р
  s: "\u0455", // ѕ
  x: "\u0445", // х
  y: "\u0443", // у
  h: "\u04bb", // һ
  A: "\u0410", // А
  B: "\u0412", // В
  C: "\u0421", // С
  E: "\u0415", // Е
  H: "\u041d", // Н
  I: "\u0406", // І
  J: "\u0408", // Ј
  K: "\u041a", // К
  M: "\u041c", // М
  O: "\u041e", // О
  P: "\u0420", // Р
  S: "\u0405", // Ѕ
  T: "\u0422", // Т
  X: "\u0425", // Х
};

export const GREEK: Record<string, string> = {
  a: "\u03b1", // α
  i: "\u03b9", // ι
  o: "\u03bf", // ο
  v: "\u03bd", // ν
  u: "\u03c5", // υ
  p: "\u03c1", // ρ
  A: "\u0391", // Α
  B: "\u0392", // Β
  E: "\u0395", // Ε
  H: "\u0397", // Η
  I: "\u0399", // Ι
  K: "\u039a", // Κ
  M: "\u039c", // Μ
  N: "\u039d", // Ν
  O: "\u039f", // Ο
  P: "\u03a1", // Ρ
  T: "\u03a4", // Τ
  X: "\u03a7", // Χ
  Y: "\u03a5", // Υ
};

/** Cherokee, Armenian, Latin-extension and Lisu look-alikes. */
export const OTHER: Record<string, string> = {
  A: "\u13aa", // Cherokee Ꭺ
  E: "\u13ac", // Cherokee Ꭼ
  T: "\u13a2", // Cherokee Ꭲ
  M: "\u13b7", // Cherokee Ꮇ
  o: "\u0585", // Armenian օ
  n: "\u0578", // Armenian ո
  g: "\u0261", // Latin script ɡ
  a: "\u0251", // Latin alpha ɑ
  i: "\u0131", // dotless ı
  S: "\ua4e2", // Lisu ꓢ
  P: "\ua4d1", // Lisu ꓑ
};

/** The variants every Latin tag gets (case, width, math, invisibles). */
function latinVariants(tag: string, words: string[]): Variant[] {
  const lower = tag.toLowerCase();
  const alternating = [...tag].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join("");
  return [
    { text: lower, kind: "case" },
    { text: tag.toUpperCase(), kind: "case" },
    { text: alternating, kind: "case" },
    {
      text: [...tag].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(""),
      kind: "case",
    },
    { text: `#${tag}`, kind: "case" },
    { text: `\uff03${tag}`, kind: "fullwidth" },
    { text: fullwidth(tag), kind: "fullwidth" },
    { text: fullwidth(lower), kind: "fullwidth" },
    { text: fullwidth(tag.slice(0, 4)) + tag.slice(4), kind: "fullwidth" },
    { text: mathematical(tag, "bold"), kind: "math" },
    { text: mathematical(tag, "boldItalic"), kind: "math" },
    { text: mathematical(tag, "sansBold"), kind: "math" },
    { text: mathematical(tag, "monospace"), kind: "math" },
    { text: mathematical(tag, "boldFraktur"), kind: "math" },
    { text: mathematical(tag.slice(0, 3), "bold") + tag.slice(3), kind: "math" },
    { text: insertAt(tag, 3, ZWSP), kind: "invisible" },
    { text: interleave(tag, ZWSP), kind: "invisible" },
    { text: insertAt(tag, 2, ZWNJ), kind: "invisible" },
    { text: interleave(tag, ZWJ, 3), kind: "invisible" },
    { text: insertAt(tag, 4, WORD_JOINER), kind: "invisible" },
    { text: interleave(tag, SOFT_HYPHEN, 2), kind: "invisible" },
    { text: insertAt(tag, 1, BOM), kind: "invisible" },
    { text: `${LRM}${tag}${RLM}`, kind: "invisible" },
    { text: insertAt(insertAt(tag, 5, PDF), 2, RLO), kind: "invisible" },
    { text: insertAt(tag, 3, VS16), kind: "invisible" },
    { text: insertAt(tag, 2, CGJ), kind: "invisible" },
    { text: insertAt(tag, 6, HANGUL_FILLER), kind: "invisible" },
    { text: insertAt(tag, 2, INVISIBLE_TIMES), kind: "invisible" },
    { text: insertAt(tag, 3, TAG_LATIN_A), kind: "invisible" },
    { text: words.join("_"), kind: "separator" },
    { text: words.join("."), kind: "separator" },
    { text: words.join("-"), kind: "separator" },
    { text: words.join("\u00b7"), kind: "separator" }, // middle dot
    { text: words.join("\u30fb"), kind: "separator" }, // katakana middle dot
    { text: words.join(" "), kind: "separator" },
    { text: words.join("\u2013"), kind: "separator" }, // en dash
    { text: words.join("\u203f"), kind: "separator" }, // undertie (Pc)
    { text: `__${words.join("__")}__`, kind: "separator" },
    { text: words.map((w) => w.toLowerCase()).join("_"), kind: "separator" },
  ];
}

// ---------------------------------------------------------------------------------------------------
// The corpus

const MODI = "ModiPlanningFarmerGenocide";
const STEAL = "StopTheSteal";
const FARMERS = "FarmersProtest";
const COTTON = "BoycottXinjiangCotton";
const KASHMIR = "KashmirBleeds";
const KISAN_HI = "किसान_आंदोलन";
const KISAN_PA = "ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ";
const SHAAB_AR = "الشعب_يريد";

export const CORPUS: RestrictedCase[] = [
  {
    tag: MODI,
    key: "modiplanningfarmergenocide",
    variants: [
      ...latinVariants(MODI, ["Modi", "Planning", "Farmer", "Genocide"]),
      { text: "Modi.Planning-Farmer\u00b7Genocide", kind: "separator" },
      { text: "\u041c\u043ed\u0456Pl\u0430nningFarmerGenocide", kind: "homoglyph" }, // Cyrillic М о і а
      {
        text: swap(MODI, { M: CYRILLIC.M!, o: CYRILLIC.o!, i: CYRILLIC.i!, a: CYRILLIC.a! }),
        kind: "homoglyph",
      },
      {
        text: swapAll(MODI, { a: CYRILLIC.a!, e: CYRILLIC.e!, o: CYRILLIC.o!, c: CYRILLIC.c! }),
        kind: "homoglyph",
      },
      { text: swapAll(MODI, { P: CYRILLIC.P!, i: CYRILLIC.i!, a: CYRILLIC.a! }), kind: "homoglyph" },
      { text: swap(MODI, { M: GREEK.M!, o: GREEK.o!, i: GREEK.i!, a: GREEK.a! }), kind: "homoglyph" },
      { text: swapAll(MODI, { P: GREEK.P!, o: GREEK.o!, a: GREEK.a! }), kind: "homoglyph" },
      {
        text: "\u1d0d\u1d0f\u1d05\u026a\u1d18\u029f\u1d00\u0274\u0274\u026a\u0274\u0262FarmerGenocide",
        kind: "homoglyph",
      }, // small capitals
      { text: swap(MODI, { M: OTHER.M!, o: OTHER.o!, g: OTHER.g!, a: OTHER.a! }), kind: "homoglyph" },
      { text: swapAll(MODI, { i: OTHER.i! }), kind: "homoglyph" },
      { text: "\u1d0dodi\u1d18lanningFarmerGenocide", kind: "homoglyph" }, // small capitals ᴍ ᴘ
      { text: "ModiP\u217canningFarmerGenocide", kind: "compatibility" }, // ⅼ small roman fifty
      { text: "M0diP1anningFarmerGen0cide", kind: "digit" },
      { text: "M\u00f3diPlanningFarmerGenoc\u00efde", kind: "diacritic" }, // ó ï
      { text: "Mo\u0332di\u0332Planning\u0301FarmerGenocide", kind: "diacritic" }, // combining low line, acute
      { text: "M\u0336o\u0336d\u0336i\u0336PlanningFarmerGenocide", kind: "diacritic" }, // strikethrough
      { text: "Mo\u0300\u0301\u0302\u0303\u0304diPlanningFarmerGenocide", kind: "diacritic" }, // zalgo
      {
        text: `${fullwidth("Modi")}${ZWSP}${CYRILLIC.P}l\u0430nning_${mathematical("Farmer", "bold")}\u00b7Gen${CYRILLIC.o}cide`,
        kind: "mixed",
      },
    ],
    benign: [
      { text: "ModiPlanningFarmerGenesis", prefix: false, note: "different last word" },
      {
        text: "ModiPlanningFarmerGenocides",
        prefix: true,
        note: "plural: prefix catches it, exact does not",
      },
      { text: "ModiPlanningFarmersGenocide", prefix: false, note: "farmers, not farmer" },
      { text: "ModiPlanningFarmer", prefix: false, note: "shorter than the pattern" },
      { text: "ModernPlanningFarmerGenocide", prefix: false, note: "Modern: rn is not m" },
      { text: "ModiPlanningFormerGenocide", prefix: false, note: "former/farmer" },
    ],
  },
  {
    tag: STEAL,
    key: "stopthesteal",
    variants: [
      ...latinVariants(STEAL, ["Stop", "The", "Steal"]),
      {
        text: swapAll("STOPTHESTEAL", {
          S: CYRILLIC.S!,
          T: CYRILLIC.T!,
          O: CYRILLIC.O!,
          P: CYRILLIC.P!,
          H: CYRILLIC.H!,
          E: CYRILLIC.E!,
          A: CYRILLIC.A!,
        }),
        kind: "homoglyph",
      }, // ЅТОРТНЕЅТЕАL: all-Cyrillic capitals but L
      {
        text: swapAll(STEAL, { o: CYRILLIC.o!, p: CYRILLIC.p!, e: CYRILLIC.e!, a: CYRILLIC.a! }),
        kind: "homoglyph",
      },
      { text: swap(STEAL, { S: CYRILLIC.S!, T: CYRILLIC.T!, h: CYRILLIC.h! }), kind: "homoglyph" },
      {
        text: swapAll("STOPTHESTEAL", {
          T: GREEK.T!,
          H: GREEK.H!,
          E: GREEK.E!,
          O: GREEK.O!,
          P: GREEK.P!,
          A: GREEK.A!,
        }),
        kind: "homoglyph",
      },
      { text: swap(STEAL, { o: GREEK.o!, a: GREEK.a! }), kind: "homoglyph" },
      { text: swap(STEAL, { S: OTHER.S!, P: OTHER.P!, T: OTHER.T!, E: OTHER.E! }), kind: "homoglyph" },
      { text: "StopTh\u13acSt\u13acal", kind: "homoglyph" }, // Cherokee Ꭼ
      { text: "St0pTheSteal", kind: "digit" },
      { text: "StopTheStea1", kind: "digit" },
      { text: "St\u00f6pTh\u00e9Ste\u00e0l", kind: "diacritic" },
      { text: "\u24c8top\u24c9he\u24c8teal", kind: "compatibility" }, // circled Ⓢ Ⓣ
      { text: "\u02e2top\u1d40he\u02e2teal", kind: "compatibility" }, // modifier ˢ ᵀ
    ],
    benign: [
      { text: "StopTheSteel", prefix: false, note: "steel" },
      { text: "StopTheSteak", prefix: false, note: "steak" },
      { text: "StopTheSeal", prefix: false, note: "seal" },
      { text: "StopTheSteals", prefix: true, note: "plural: prefix catches it" },
      { text: "StopTheStealing", prefix: true, note: "prefix catches it" },
      { text: "StopTheVote", prefix: false, note: "another slogan, another rule" },
      { text: "StopTheSpread", prefix: false, note: "public-health tag" },
    ],
  },
  {
    tag: FARMERS,
    key: "farmersprotest",
    variants: [
      ...latinVariants(FARMERS, ["Farmers", "Protest"]),
      {
        text: swapAll(FARMERS, { a: CYRILLIC.a!, e: CYRILLIC.e!, o: CYRILLIC.o!, s: CYRILLIC.s! }),
        kind: "homoglyph",
      },
      { text: swap(FARMERS, { P: CYRILLIC.P!, r: "\u0433" }), kind: "homoglyph" }, // Cyrillic г for r
      { text: swapAll(FARMERS, { a: GREEK.a!, o: GREEK.o!, e: "\u03b5", t: "\u03c4" }), kind: "homoglyph" }, // ε τ
      { text: swap(FARMERS, { P: GREEK.P! }), kind: "homoglyph" },
      { text: swap(FARMERS, { a: OTHER.a!, o: OTHER.o! }), kind: "homoglyph" },
      { text: "FarmersPr0test", kind: "digit" },
      { text: "F\u00e1rmersProt\u00ebst", kind: "diacritic" },
      { text: "FarmersProte\u0323st", kind: "diacritic" },
      { text: "Farmers\uff3fProtest", kind: "separator" }, // full-width low line
      { text: "Farmers\u2014Protest", kind: "separator" }, // em dash
      { text: "Farmers\u2e3aProtest", kind: "separator" }, // two-em dash
      {
        text: `${mathematical("Farmers", "sansBold")}${ZWJ}${swap("Protest", { o: CYRILLIC.o! })}`,
        kind: "mixed",
      },
    ],
    benign: [
      { text: "FarmersProtestFacts", prefix: true, note: "prefix catches it, exact does not" },
      { text: "FarmersProtests", prefix: true, note: "plural" },
      { text: "FarmersProtest2021", prefix: true, note: "year suffix" },
      { text: "FarmerProtest", prefix: false, note: "singular: a different tag" },
      { text: "FarmersPretest", prefix: false, note: "pretest" },
      { text: "FarmsProtest", prefix: false, note: "farms" },
      { text: "ProtestFarmers", prefix: false, note: "word order" },
      { text: "FarmersProject", prefix: false, note: "project" },
    ],
  },
  {
    tag: COTTON,
    key: "boycottxinjiangcotton",
    variants: [
      ...latinVariants(COTTON, ["Boycott", "Xinjiang", "Cotton"]),
      {
        text: swap(COTTON, {
          B: CYRILLIC.B!,
          y: CYRILLIC.y!,
          X: CYRILLIC.X!,
          j: CYRILLIC.j!,
          C: CYRILLIC.C!,
        }),
        kind: "homoglyph",
      },
      {
        text: swapAll(COTTON, { o: CYRILLIC.o!, c: CYRILLIC.c!, i: CYRILLIC.i!, a: CYRILLIC.a! }),
        kind: "homoglyph",
      },
      { text: swap(COTTON, { B: GREEK.B!, X: GREEK.X!, i: GREEK.i! }), kind: "homoglyph" },
      { text: "Boycott\u0445injiangCotton", kind: "homoglyph" }, // Cyrillic х
      { text: "B0yc0ttXinjiangC0tt0n", kind: "digit" },
    ],
    benign: [
      { text: "BoycottXinjiangCottonCandy", prefix: true, note: "prefix catches it" },
      { text: "BoycottXinjiangCarbon", prefix: false, note: "carbon" },
      { text: "BoycottXinjiangCoton", prefix: false, note: "one t: a different spelling, not a look-alike" },
      { text: "BuycottXinjiangCotton", prefix: false, note: "buycott (a counter-campaign)" },
    ],
  },
  {
    tag: KASHMIR,
    key: "kashmirbleeds",
    variants: [
      ...latinVariants(KASHMIR, ["Kashmir", "Bleeds"]),
      {
        text: swap(KASHMIR, {
          K: CYRILLIC.K!,
          a: CYRILLIC.a!,
          s: CYRILLIC.s!,
          h: CYRILLIC.h!,
          B: CYRILLIC.B!,
        }),
        kind: "homoglyph",
      },
      { text: swap(KASHMIR, { K: GREEK.K!, B: GREEK.B!, i: GREEK.i! }), kind: "homoglyph" },
      {
        text: swapAll("KASHMIRBLEEDS", {
          K: CYRILLIC.K!,
          A: CYRILLIC.A!,
          S: CYRILLIC.S!,
          H: CYRILLIC.H!,
          M: CYRILLIC.M!,
          I: CYRILLIC.I!,
          B: CYRILLIC.B!,
          E: CYRILLIC.E!,
        }),
        kind: "homoglyph",
      },
      {
        text: swapAll("KASHMIRBLEEDS", {
          K: GREEK.K!,
          A: GREEK.A!,
          H: GREEK.H!,
          M: GREEK.M!,
          I: GREEK.I!,
          B: GREEK.B!,
          E: GREEK.E!,
        }),
        kind: "homoglyph",
      },
      { text: "\u212aashmirBleeds", kind: "compatibility" }, // Kelvin sign
      { text: "KashmirB1eeds", kind: "digit" },
    ],
    benign: [
      { text: "KashmirBleedsBlue", prefix: true, note: "prefix catches it" },
      { text: "KashmirBlends", prefix: false, note: "blends" },
      { text: "KashmirBreeds", prefix: false, note: "breeds" },
      { text: "CashmereBleeds", prefix: false, note: "cashmere" },
    ],
  },
  {
    tag: KISAN_HI,
    key: "किसानअा\u0307दोलन",
    variants: [
      { text: "किसानआंदोलन", kind: "separator" },
      { text: "किसान-आंदोलन", kind: "separator" },
      { text: "किसान.आंदोलन", kind: "separator" },
      { text: "किसान आंदोलन", kind: "separator" },
      { text: "किसान__आंदोलन", kind: "separator" },
      { text: "#किसान_आंदोलन", kind: "case" },
      { text: "\uff03किसान_आंदोलन", kind: "fullwidth" },
      { text: `किसान${ZWJ}आंदोलन`, kind: "invisible" },
      { text: `कि${ZWNJ}सान_आंदोलन`, kind: "invisible" },
      { text: interleave("किसानआंदोलन", ZWSP), kind: "invisible" },
      { text: `किसान${SOFT_HYPHEN}आंदोलन`, kind: "invisible" },
      { text: `किसान_आंदो${WORD_JOINER}लन`, kind: "invisible" },
      { text: `${RLM}किसान_आंदोलन${LRM}`, kind: "invisible" },
      { text: "किसान_\u0905\u093eंदोलन", kind: "decomposed" }, // आ written as अ + ा
      { text: "किसान\u0905\u093eंदोलन", kind: "decomposed" },
    ],
    benign: [
      { text: "किसान_आंदोलनकारी", prefix: true, note: "agitator: prefix catches it" },
      { text: "किसान_आंदोलनों", prefix: true, note: "oblique plural: prefix catches it" },
      { text: "कीसान_आंदोलन", prefix: false, note: "ि → ी (one matra)" },
      { text: "किसन_आंदोलन", prefix: false, note: "ा dropped (one matra)" },
      { text: "किसान_आदोलन", prefix: false, note: "anusvara dropped" },
      { text: "किसान_आंदालन", prefix: false, note: "ो → ा (one matra)" },
      { text: "किसान", prefix: false, note: "the first word alone" },
    ],
  },
  {
    tag: KISAN_PA,
    key: "ਕਿਸਾਨ\u0a72\u0a47ਕਤਾਮ\u0946ਰਚਾ",
    variants: [
      { text: "ਕਿਸਾਨਏਕਤਾਮੋਰਚਾ", kind: "separator" },
      { text: "ਕਿਸਾਨ-ਏਕਤਾ-ਮੋਰਚਾ", kind: "separator" },
      { text: "ਕਿਸਾਨ ਏਕਤਾ ਮੋਰਚਾ", kind: "separator" },
      { text: `ਕਿਸਾਨ${ZWJ}ਏਕਤਾ${ZWNJ}ਮੋਰਚਾ`, kind: "invisible" },
      { text: interleave("ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ", ZWSP, 2), kind: "invisible" },
      { text: `ਕਿਸਾਨ_ਏਕਤਾ${BOM}_ਮੋਰਚਾ`, kind: "invisible" },
      { text: "ਕਿਸਾਨ_\u0a72\u0a47ਕਤਾ_ਮੋਰਚਾ", kind: "decomposed" }, // ਏ written as ੲ + ੇ
      { text: "\uff03ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ", kind: "fullwidth" },
    ],
    benign: [
      { text: "ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ_ਪੰਜਾਬ", prefix: true, note: "Punjab unit: prefix catches it" },
      { text: "ਕਿਸਾਨ_ਏਕਤਾ_ਮੋਰਚੇ", prefix: false, note: "ਾ → ੇ (one matra)" },
      { text: "ਕੀਸਾਨ_ਏਕਤਾ_ਮੋਰਚਾ", prefix: false, note: "ਿ → ੀ (one matra)" },
      { text: "ਕਿਸਾਨ_ਏਕਤਾ", prefix: false, note: "shorter than the pattern" },
      { text: "ਕਿਸਾਨ_ਏਕਤਾ_ਮੰਚ", prefix: false, note: "manch (forum), not morcha" },
    ],
  },
  {
    tag: SHAAB_AR,
    key: "l\u0644\u0633\u06db\u0639\u0628\u0649\u0631\u0649\u062f",
    variants: [
      { text: "الشعبيريد", kind: "separator" },
      { text: "الشعب-يريد", kind: "separator" },
      { text: "الشعـــب_يريـد", kind: "decoration" }, // tatweel
      { text: "الشَّعْبُ_يُرِيدُ", kind: "decoration" }, // harakat
      { text: `الشعب${ZWNJ}يريد`, kind: "invisible" },
      { text: `\u061cالشعب_يريد`, kind: "invisible" }, // Arabic letter mark
      { text: `${RLM}الشعب_${ZWJ}يريد`, kind: "invisible" },
      { text: "\ufe8d\ufedf\ufeb7\ufecc\ufe90_\ufef3\ufeae\ufef3\ufeaa", kind: "compatibility" }, // presentation forms
      { text: "ألشعب_يريد", kind: "homoglyph" }, // alef with hamza: alef → l in confusables
    ],
    benign: [
      { text: "الشعب_يريد_إسقاط_النظام", prefix: true, note: "the full slogan: prefix catches it" },
      { text: "الشعر_يريد", prefix: false, note: "poetry, not people" },
      { text: "الشعب_مريد", prefix: false, note: "one letter" },
      { text: "الشعب", prefix: false, note: "the first word alone" },
    ],
  },
];

/**
 * Evasions deliberately NOT caught by matchKey (normalize.ts explains each decision). Tests assert
 * that they stay uncaught, so a change of policy has to update this list.
 */
export const KNOWN_MISSES: { restricted: string; text: string; why: string }[] = [
  {
    restricted: FARMERS,
    text: "FarrnersProtest",
    why: "rn for m: m → rn is dropped (modern/modem, pom/porn)",
  },
  {
    restricted: STEAL,
    text: "StopTheSteaI",
    why: "capital I for l: I folds to i; folding i into l merges Ali/All",
  },
  { restricted: STEAL, text: "St0pTh3St3al", why: "3 for e is leetspeak, not a confusable" },
  { restricted: STEAL, text: "StopTheSte4l", why: "4 for a is leetspeak" },
  {
    restricted: MODI,
    text: "ModiPlanningFar\u028derGenocide",
    why: "ʍ (turned w) is not an m look-alike in confusables.txt",
  },
  {
    restricted: MODI,
    text: "ModiPla\u03b7\u03b7ingFarmerGenocide",
    why: "Greek η for n: η takes the prototype of Η (H)",
  },
  {
    restricted: KISAN_HI,
    text: "किसान_आन्दोलन",
    why: "न् for anusvara is an orthographic variant, not a look-alike",
  },
  { restricted: KISAN_HI, text: "किसान_आँदोलन", why: "candrabindu for anusvara: drawn differently" },
];

/** Pairs that must get different matchKeys (collisions the skeleton would otherwise create). */
export const DISTINCT_PAIRS: [string, string, string][] = [
  ["Modern", "Modem", "m → rn dropped"],
  ["burn", "bum", "m → rn dropped"],
  ["corn", "com", "m → rn dropped"],
  ["pom", "porn", "m → rn dropped: a contains rule on one must not hit #pomeranian"],
  ["CNN", "CMN", "different letters"],
  ["Ali", "All", "i is not folded into l"],
  ["Bali", "Ball", "i is not folded into l"],
  ["Mali", "Mall", "i is not folded into l"],
  ["किसान", "कीसान", "matras are kept"],
  ["मैं", "में", "matras are kept"],
  ["ਸਿੰਘ", "ਸਿੱਘ", "tippi and addak are kept"],
  ["дом", "дым", "Cyrillic letters without Latin look-alikes are kept"],
  ["мой", "мои", "marks on non-Latin letters are kept (й/и)"],
  ["٢٠٢٠", "٢٢", "Arabic-Indic zero does not vanish as a '.'"],
];

/** Pairs that deliberately share a matchKey, with the reason (documented trade-offs). */
export const EQUAL_PAIRS: [string, string, string][] = [
  ["101", "lol", "0 → o and 1 → l (UTS #39)"],
  ["G20", "G2O", "0 → o"],
  ["año", "ano", "marks on Latin letters are removed"],
  ["schön", "schon", "marks on Latin letters are removed"],
  ["Straße", "STRASSE", "full case folding"],
  ["İstanbul", "istanbul", "Turkish dotted capital I"],
  ["ıstanbul", "istanbul", "dotless i folds to i"],
  ["мама", "mama", "Cyrillic letters with Latin look-alikes become Latin"],
  ["أحمد", "احمد", "alef variants (alef → l in confusables)"],
  ["ΟΔΟΣ", "οδοσ", "final sigma folds to sigma"],
];

// ---------------------------------------------------------------------------------------------------
// Tag streams for benchmarks

/** Small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "breaking",
  "news",
  "india",
  "farmers",
  "cricket",
  "ipl",
  "election",
  "modi",
  "rahul",
  "delhi",
  "mumbai",
  "punjab",
  "protest",
  "monday",
  "motivation",
  "love",
  "music",
  "bollywood",
  "world",
  "cup",
  "stop",
  "the",
  "save",
  "free",
  "justice",
  "for",
  "climate",
  "action",
  "covid",
  "vaccine",
  "tech",
  "ai",
  "crypto",
  "bitcoin",
  "football",
  "goal",
  "trending",
  "viral",
  "photo",
  "day",
  "night",
];
const HINDI = ["किसान", "आंदोलन", "भारत", "चुनाव", "दिल्ली", "खबर", "न्याय", "मोदी", "सरकार"];

/** One synthetic tag, as written by a user (mostly CamelCase ASCII, some lowercase, Hindi, evasions). */
function syntheticTag(rand: () => number, id: number): string {
  const r = rand();
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)]!;
  const words = 1 + Math.floor(rand() * 3);
  if (r < 0.08) {
    return (
      Array.from({ length: words }, () => pick(HINDI)).join("_") + (rand() < 0.5 ? String(id % 100) : "")
    );
  }
  let tag = "";
  for (let i = 0; i < words; i++) {
    const w = pick(WORDS);
    tag += r < 0.3 ? w : w[0]!.toUpperCase() + w.slice(1);
  }
  if (rand() < 0.3) tag += String(id % 1000);
  if (r > 0.97) {
    const c = pick(CORPUS);
    return pick(c.variants).text;
  }
  return tag;
}

/**
 * `count` tags where `repeatShare` of them repeat from a working set of `distinct` popular tags
 * (Zipf-like: the cache-hit case) and the rest are new tags never seen before.
 */
export function sampleTags(count: number, seed = 1, repeatShare = 0.8, distinct = 2_000): string[] {
  const rand = seededRandom(seed);
  const popular = Array.from({ length: distinct }, (_, i) => syntheticTag(rand, i));
  const out: string[] = [];
  let fresh = 0;
  for (let i = 0; i < count; i++) {
    if (rand() < repeatShare) {
      // Zipf(1)-ish rank: 1/u.
      const rank = Math.min(distinct - 1, Math.floor(1 / (rand() + 1 / distinct)) - 1);
      out.push(popular[Math.max(0, rank)]!);
    } else {
      out.push(`${syntheticTag(rand, i)}${(seed * 1_000_003 + fresh++).toString(36)}`);
    }
  }
  return out;
}
