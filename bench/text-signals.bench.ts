/**
 * Text signals: quality on the shipped, hand-written evaluation set, and throughput on one core.
 *   node --import tsx bench/text-signals.bench.ts
 *
 * Quality: precision/recall/F1 per language and category at the default threshold, on the held-out
 * test half (the lexicons were tuned looking at dev errors only) and, for comparison, on dev. The set
 * is small (about 300 posts) and written by the lexicons' author: read the figures as a regression
 * check, not as expected performance on real traffic.
 *
 * Throughput: every eval post plus synthetic everyday posts (mostly benign, as real traffic is),
 * scored in a loop as fresh strings; best of several runs after warm-up.
 */

import { type EvalReport, evaluate, loadEvalSet } from "../src/detect/text/eval.ts";
import { CATEGORIES } from "../src/detect/text/lexicon.ts";
import { normalizeText } from "../src/detect/text/normalize.ts";
import { createTextScorer, DEFAULT_THRESHOLD } from "../src/detect/text/scorer.ts";

const scorer = createTextScorer();
const items = loadEvalSet();
const langs = [...new Set(items.map((i) => i.lang))].sort();

const pct = (x: number) => x.toFixed(2);

function table(title: string, report: EvalReport): void {
  console.log(`\n### ${title}\n`);
  console.log("| lang | category | TP | FP | FN | precision | recall | F1 |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|");
  for (const lang of [...langs, "all"]) {
    for (const cat of [...CATEGORIES, "any"]) {
      const f = report.cells.get(`${lang}/${cat}`);
      if (f === undefined || f.tp + f.fp + f.fn === 0) continue;
      console.log(
        `| ${lang} | ${cat} | ${f.tp} | ${f.fp} | ${f.fn} | ${pct(f.precision)} | ${pct(f.recall)} | ${pct(f.f1)} |`,
      );
    }
  }
  const fp = report.falsePositives;
  const hard = report.hardNegatives;
  console.log(
    `\nposts without a label that raised a case: ${fp.flagged} of ${fp.of}; of them hard negatives (news, counter-speech, idioms, sports, quotes): ${hard.flagged} of ${hard.of}`,
  );
}

const dev = items.filter((i) => i.split === "dev");
const test = items.filter((i) => i.split === "test");
console.log(
  `eval set: ${items.length} posts (${dev.length} dev, ${test.length} held-out test), threshold ${DEFAULT_THRESHOLD}`,
);
table("held-out test", evaluate(scorer, test));
table("dev (tuned on)", evaluate(scorer, dev));

// ---------------------------------------------------------------------------------------------------
// Throughput

const EVERYDAY = [
  "Good morning everyone, chai time!",
  "The match last night was unreal, what a finish",
  "Traffic jam at ITO again, avoid if you can",
  "kal milte hain bhai, office me kaam bahut hai",
  "किसान आंदोलन को आज दो महीने पूरे हुए",
  "ਅੱਜ ਗੁਰਦੁਆਰੇ ਲੰਗਰ ਦੀ ਸੇਵਾ ਕੀਤੀ",
  "New blog post on monsoon recipes, link in bio",
  "Can't believe it's already February",
  "sab log vote karna mat bhoolna",
  "Just landed in Mumbai, the weather is lovely",
];
const posts: string[] = [];
for (let i = 0; posts.length < 20_000; i++) {
  const base = i % 4 === 0 ? items[i % items.length]!.text : EVERYDAY[i % EVERYDAY.length]!;
  posts.push(`${base} ${i % 97}`);
}
const avgLen = posts.reduce((n, p) => n + p.length, 0) / posts.length;
/** Long posts: seven short ones joined (about 280 characters). */
const long: string[] = [];
for (let i = 0; i + 7 <= posts.length; i += 7) long.push(posts.slice(i, i + 7).join(". "));

function run(label: string, fn: (s: string) => number, set: string[] = posts): void {
  const fresh = () => set.map((p) => Buffer.from(p, "utf8").toString("utf8"));
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < 8; r++) {
    const input = fresh();
    const start = performance.now();
    for (let i = 0; i < input.length; i++) sink += fn(input[i]!);
    if (r >= 2) best = Math.min(best, performance.now() - start);
  }
  const rate = Math.round((set.length / best) * 1000).toLocaleString("en");
  console.log(`| ${label} | ${rate} | ${((best / set.length) * 1e3).toFixed(2)} | (${sink}) |`);
}

console.log(
  `\n### throughput, one core (${posts.length.toLocaleString("en")} posts, mean ${avgLen.toFixed(0)} chars, 1 in 4 from the eval set)\n`,
);
console.log("| step | posts/s | µs/post | |");
console.log("|---|---:|---:|---|");
run("normalizeText", (s) => normalizeText(s).tokens.length);
run("scoreText (normalise + match + score)", (s) => scorer.score(s).signals.length);
const longLen = long.reduce((n, p) => n + p.length, 0) / long.length;
run(`scoreText, long posts (mean ${longLen.toFixed(0)} chars)`, (s) => scorer.score(s).signals.length, long);
