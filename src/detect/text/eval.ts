/**
 * The labelled evaluation set for the text signals (`eval/*.jsonl`, one file per language) and its
 * metrics. The set is small and hand-written by the same author as the lexicons: figures from it
 * say the lexicons do what they were written to do on short, plausible posts, not how they perform
 * on a platform's real traffic.
 *
 * Each line: `{ id, lang, text, labels: Category[], kind }`; `kind` is "violation", "benign" or a
 * hard-negative kind ("news", "counter", "idiom", "sports", "quote"). Lines are split into a dev
 * half and a held-out test half by a hash of their id (FNV-1a, even → dev), fixed before any tuning;
 * lexicon changes are made looking at dev errors only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CATEGORIES, type Category } from "./lexicon.ts";
import { DEFAULT_THRESHOLD, raisesCase, type TextScorer } from "./scorer.ts";

export const EVAL_DIR = join(dirname(fileURLToPath(import.meta.url)), "eval");

const ItemSchema = z.strictObject({
  id: z.string().min(1),
  lang: z.string().min(1),
  text: z.string().min(1),
  labels: z.array(z.enum(CATEGORIES)),
  kind: z.enum(["violation", "benign", "news", "counter", "idiom", "sports", "quote"]),
});

export type EvalItem = z.infer<typeof ItemSchema> & { split: "dev" | "test" };

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const splitOf = (id: string): "dev" | "test" => (fnv1a(id) % 2 === 0 ? "dev" : "test");

/** Reads every `*.jsonl` in `dir`; throws naming the file and line of a bad item. */
export function loadEvalSet(dir: string = EVAL_DIR): EvalItem[] {
  const items: EvalItem[] = [];
  const ids = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".jsonl"))
    .sort()) {
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const r = ItemSchema.safeParse(JSON.parse(line));
        if (!r.success) throw new Error(`${f}:${i + 1}: ${r.error.issues.map((x) => x.message).join("; ")}`);
        if (ids.has(r.data.id)) throw new Error(`${f}:${i + 1}: duplicate id ${r.data.id}`);
        ids.add(r.data.id);
        items.push({ ...r.data, split: splitOf(r.data.id) });
      });
  }
  return items;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Figures extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

const figures = (c: Counts): Figures => {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
};

export interface EvalReport {
  /** `${lang}/${category}`, `${lang}/any`, `all/${category}` and `all/any` → figures. */
  readonly cells: Map<string, Figures>;
  /** Posts without labels (benign and hard negatives) that raised any case, of how many. */
  readonly falsePositives: { readonly flagged: number; readonly of: number };
  readonly hardNegatives: { readonly flagged: number; readonly of: number };
  readonly errors: { item: EvalItem; predicted: Category[] }[];
}

/**
 * Scores every item (language detected, no hint) and counts, per language and category, whether a
 * case would be raised at `threshold`. "any" counts a post as flagged if it raises any category.
 */
export function evaluate(
  scorer: TextScorer,
  items: readonly EvalItem[],
  threshold = DEFAULT_THRESHOLD,
): EvalReport {
  const counts = new Map<string, Counts>();
  const bump = (key: string, k: keyof Counts) => {
    let c = counts.get(key);
    if (c === undefined) {
      c = { tp: 0, fp: 0, fn: 0 };
      counts.set(key, c);
    }
    c[k]++;
  };
  let fpFlagged = 0;
  let fpOf = 0;
  let hardFlagged = 0;
  let hardOf = 0;
  const errors: { item: EvalItem; predicted: Category[] }[] = [];
  for (const item of items) {
    const predicted = raisesCase(scorer.score(item.text), threshold);
    const truth = new Set(item.labels);
    for (const cat of CATEGORIES) {
      const p = predicted.includes(cat);
      const t = truth.has(cat);
      for (const lang of [item.lang, "all"]) {
        if (p && t) bump(`${lang}/${cat}`, "tp");
        else if (p) bump(`${lang}/${cat}`, "fp");
        else if (t) bump(`${lang}/${cat}`, "fn");
        else counts.get(`${lang}/${cat}`) ?? counts.set(`${lang}/${cat}`, { tp: 0, fp: 0, fn: 0 });
      }
    }
    const anyP = predicted.length > 0;
    const anyT = truth.size > 0;
    for (const lang of [item.lang, "all"]) {
      if (anyP && anyT) bump(`${lang}/any`, "tp");
      else if (anyP) bump(`${lang}/any`, "fp");
      else if (anyT) bump(`${lang}/any`, "fn");
    }
    if (!anyT) {
      fpOf++;
      if (anyP) fpFlagged++;
      if (item.kind !== "benign") {
        hardOf++;
        if (anyP) hardFlagged++;
      }
    }
    const same = predicted.length === truth.size && predicted.every((c) => truth.has(c));
    if (!same) errors.push({ item, predicted });
  }
  const cells = new Map<string, Figures>();
  for (const [k, c] of counts) cells.set(k, figures(c));
  return {
    cells,
    falsePositives: { flagged: fpFlagged, of: fpOf },
    hardNegatives: { flagged: hardFlagged, of: hardOf },
    errors,
  };
}
