/**
 * Lexicon files for the text signals: one JSON file per language/script in `lexicons/`
 * (`en.json`, `hi.json`, `hi-Latn.json`, `pa.json`); adding a language adds a file. The loader
 * validates every file with zod and names the file, the field and the entry at fault.
 *
 * A file holds:
 * - `lang` (the file is named `<lang>.json`), `name`, `script` (latin | deva | guru) and `markers`,
 *   common words of the language, used to tell languages of one script apart (English from
 *   romanized Hindi);
 * - `slots`: named word lists (`"kill": ["kill*", "murder*", "wipe out"]`);
 * - `patterns`: `{ id, category, weight, pattern | regex, negatable? }`;
 * - `counters`: `{ id, effect: "negate" | "dampen", pattern | regex, window? | factor? }`.
 *
 * Pattern syntax (elements separated by spaces; every word goes through the same normaliser as the
 * posts, so authors write plain spellings):
 * - `word`     one token equal to the word;           `word*`  a token starting with the word;
 * - `{slot}`   one of the slot's values (a value may be several words: "wipe out");
 * - `~N`       up to N tokens of anything (1..6);      `x?`     element x is optional.
 * A pattern may not start with a gap or an optional element, nor end with a gap.
 *
 * `regex` entries run on the normalised text: tokens joined by one space, lower case, leet mapped,
 * repeated letters collapsed to one ("kill" is written "kil"). They must not match the empty string.
 *
 * Categories: `incitement` (calls to violence against a group), `threat` (a direct threat to a
 * person), `wish_of_harm`, `abuse` (insults). A `negate` counter cancels a match it overlaps or
 * that starts within `window` tokens after it ("not", "never", "मत"); `negatable: false` on a
 * pattern opts out (Hindi "छोड़ूंगा नहीं", "won't spare you", holds its own "not"). A `dampen` counter
 * multiplies every weight in the post by `factor` (news reporting, condemnation, counter-speech).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { VigilError } from "../../errors.ts";
import { normalizeWords } from "./normalize.ts";

export const CATEGORIES = ["incitement", "threat", "wish_of_harm", "abuse"] as const;
export type Category = (typeof CATEGORIES)[number];
export type LexiconScript = "latin" | "deva" | "guru";

export class LexiconError extends VigilError {
  override name = "LexiconError";
  constructor(message: string, details?: unknown) {
    super("invalid_lexicon", 400, message, details);
  }
}

/** One word of a compiled phrase: its normalised form, and whether it is a prefix ("kill*"). */
export interface LexWord {
  readonly text: string;
  readonly prefix: boolean;
}

/** A pattern element: alternatives (each a sequence of words), or a gap of up to `max` tokens. */
export type PatternElement =
  | { readonly kind: "words"; readonly alts: readonly (readonly LexWord[])[]; readonly optional: boolean }
  | { readonly kind: "gap"; readonly max: number };

export interface LexiconPattern {
  readonly id: string;
  readonly category: Category;
  readonly weight: number;
  readonly negatable: boolean;
  readonly source: string;
  /** Parsed `pattern`, or undefined for a regex entry. */
  readonly elements?: readonly PatternElement[];
  readonly regex?: RegExp;
}

export interface LexiconCounter {
  readonly id: string;
  readonly effect: "negate" | "dampen";
  readonly window: number;
  readonly factor: number;
  readonly source: string;
  readonly elements?: readonly PatternElement[];
  readonly regex?: RegExp;
}

export interface Lexicon {
  readonly lang: string;
  readonly name: string;
  readonly script: LexiconScript;
  /** Normalised marker words. */
  readonly markers: ReadonlySet<string>;
  readonly patterns: readonly LexiconPattern[];
  readonly counters: readonly LexiconCounter[];
}

// ---------------------------------------------------------------------------------------------------
// Schema

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const SLOT_NAME = /^[a-z][a-z0-9_]*$/;

const PatternSchema = z
  .strictObject({
    id: z.string().regex(ID, "must be lower-case letters, digits, '.', '_' or '-'"),
    category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(", ")}` }),
    weight: z.number({ error: "must be a number" }).gt(0, "must be above 0").max(1, "must be at most 1"),
    pattern: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    negatable: z.boolean().optional(),
    note: z.string().optional(),
  })
  .refine((p) => (p.pattern === undefined) !== (p.regex === undefined), {
    message: "needs exactly one of 'pattern' or 'regex'",
  });

const CounterSchema = z
  .strictObject({
    id: z.string().regex(ID, "must be lower-case letters, digits, '.', '_' or '-'"),
    effect: z.enum(["negate", "dampen"], { error: "must be 'negate' or 'dampen'" }),
    pattern: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    window: z.number().int().min(0).max(6).optional(),
    factor: z.number().min(0).max(1).optional(),
    note: z.string().optional(),
  })
  .refine((p) => (p.pattern === undefined) !== (p.regex === undefined), {
    message: "needs exactly one of 'pattern' or 'regex'",
  })
  .refine((c) => c.effect !== "dampen" || c.factor !== undefined, {
    message: "a 'dampen' counter needs a 'factor' (0..1)",
    path: ["factor"],
  })
  .refine((c) => c.effect !== "negate" || c.factor === undefined, {
    message: "'factor' is for 'dampen' counters only",
    path: ["factor"],
  });

const FileSchema = z.strictObject({
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?$/, "must be a language tag like 'en' or 'hi-Latn'"),
  name: z.string().min(1),
  script: z.enum(["latin", "deva", "guru"], { error: "must be 'latin', 'deva' or 'guru'" }),
  markers: z.array(z.string().min(1)).default([]),
  slots: z
    .record(
      z.string().regex(SLOT_NAME, "slot names are lower-case words"),
      z.array(z.string().min(1)).min(1, "a slot needs at least one value"),
    )
    .default({}),
  patterns: z.array(PatternSchema).min(1, "a lexicon needs at least one pattern"),
  counters: z.array(CounterSchema).default([]),
  notes: z.array(z.string()).optional(),
});

type LexiconFile = z.infer<typeof FileSchema>;

// ---------------------------------------------------------------------------------------------------
// Pattern syntax

class SyntaxProblem extends Error {}

/** A phrase ("wipe out", "kill*") as normalised words. */
function parsePhrase(phrase: string): LexWord[] {
  const words: LexWord[] = [];
  for (const raw of phrase.trim().split(/\s+/)) {
    if (raw.includes("{") || raw.includes("}") || /^~\d*$/.test(raw) || raw.endsWith("?"))
      throw new SyntaxProblem(`'${raw}' in '${phrase}': slot values are plain words (no {slot}, ~N or '?')`);
    const prefix = raw.length > 1 && raw.endsWith("*");
    const stem = prefix ? raw.slice(0, -1) : raw;
    const norm = normalizeWords(stem);
    if (norm.length === 0) throw new SyntaxProblem(`'${raw}' normalises to nothing`);
    norm.forEach((text, i) => {
      words.push({ text, prefix: prefix && i === norm.length - 1 });
    });
  }
  return words;
}

function parsePattern(source: string, slots: Map<string, LexWord[][]>): PatternElement[] {
  const elements: PatternElement[] = [];
  for (const part of source.trim().split(/\s+/)) {
    const gap = /^~(\d+)$/.exec(part);
    if (gap) {
      const max = Number(gap[1]);
      if (max < 1 || max > 6) throw new SyntaxProblem(`gap '${part}' must be ~1 to ~6`);
      elements.push({ kind: "gap", max });
      continue;
    }
    if (part.startsWith("~")) throw new SyntaxProblem(`'${part}' is not a gap (write ~1 to ~6)`);
    const optional = part.length > 1 && part.endsWith("?");
    const body = optional ? part.slice(0, -1) : part;
    const slot = /^\{([^{}]*)\}$/.exec(body);
    if (slot) {
      const alts = slots.get(slot[1]!);
      if (alts === undefined) {
        const known = [...slots.keys()].join(", ") || "none";
        throw new SyntaxProblem(`unknown slot '{${slot[1]}}' (slots: ${known})`);
      }
      elements.push({ kind: "words", alts, optional });
      continue;
    }
    if (body.includes("{") || body.includes("}")) throw new SyntaxProblem(`'${part}' is not a {slot}`);
    elements.push({ kind: "words", alts: [parsePhrase(body)], optional });
  }
  const first = elements[0];
  if (first === undefined) throw new SyntaxProblem("empty pattern");
  if (first.kind === "gap" || first.optional)
    throw new SyntaxProblem("a pattern cannot start with a gap or an optional element");
  if (elements[elements.length - 1]!.kind === "gap")
    throw new SyntaxProblem("a pattern cannot end with a gap");
  return elements;
}

function compileRegex(source: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(source, "gu");
  } catch (e) {
    throw new SyntaxProblem(`not a valid regular expression: ${(e as Error).message}`);
  }
  if (new RegExp(source, "u").test(""))
    throw new SyntaxProblem("the regular expression matches the empty string");
  return re;
}

const describeIssues = (issues: z.core.$ZodIssue[]): string =>
  issues
    .map((i) => {
      const where = i.path.length > 0 ? `${i.path.join(".")}: ` : "";
      if (i.code === "unrecognized_keys")
        return `${where}unknown field(s) ${i.keys.map((k) => `'${k}'`).join(", ")}`;
      return `${where}${i.message}`;
    })
    .join("; ");

/** Validates and compiles one lexicon (already JSON-parsed). `file` names it in errors. */
export function parseLexicon(raw: unknown, file = "lexicon"): Lexicon {
  const r = FileSchema.safeParse(raw);
  if (!r.success) throw new LexiconError(`${file}: ${describeIssues(r.error.issues)}`, r.error.issues);
  const data: LexiconFile = r.data;
  const problems: string[] = [];
  const at = (where: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof SyntaxProblem) problems.push(`${where}: ${e.message}`);
      else throw e;
    }
  };

  const slots = new Map<string, LexWord[][]>();
  for (const [name, values] of Object.entries(data.slots)) {
    const alts: LexWord[][] = [];
    values.forEach((v, i) => {
      at(`slots.${name}.${i}`, () => alts.push(parsePhrase(v)));
    });
    slots.set(name, alts);
  }

  const ids = new Map<string, string>();
  const claim = (id: string, where: string) => {
    const before = ids.get(id);
    if (before !== undefined) problems.push(`${where}.id: '${id}' is already used by ${before}`);
    else ids.set(id, where);
  };

  const patterns: LexiconPattern[] = [];
  data.patterns.forEach((p, i) => {
    const where = `patterns.${i}`;
    claim(p.id, where);
    at(`${where}.${p.pattern !== undefined ? "pattern" : "regex"} (${p.id})`, () => {
      patterns.push({
        id: p.id,
        category: p.category,
        weight: p.weight,
        negatable: p.negatable ?? true,
        source: (p.pattern ?? p.regex)!,
        ...(p.pattern !== undefined
          ? { elements: parsePattern(p.pattern, slots) }
          : { regex: compileRegex(p.regex!) }),
      });
    });
  });

  const counters: LexiconCounter[] = [];
  data.counters.forEach((c, i) => {
    const where = `counters.${i}`;
    claim(c.id, where);
    at(`${where}.${c.pattern !== undefined ? "pattern" : "regex"} (${c.id})`, () => {
      counters.push({
        id: c.id,
        effect: c.effect,
        window: c.window ?? 1,
        factor: c.effect === "dampen" ? c.factor! : 0,
        source: (c.pattern ?? c.regex)!,
        ...(c.pattern !== undefined
          ? { elements: parsePattern(c.pattern, slots) }
          : { regex: compileRegex(c.regex!) }),
      });
    });
  });

  const markers = new Set<string>();
  data.markers.forEach((m, i) => {
    at(`markers.${i}`, () => {
      for (const w of parsePhrase(m)) markers.add(w.text);
    });
  });

  if (problems.length > 0) throw new LexiconError(`${file}: ${problems.join("; ")}`, problems);
  return { lang: data.lang, name: data.name, script: data.script, markers, patterns, counters };
}

export const LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), "lexicons");

/**
 * Loads every `*.json` in `dir` (default: `src/detect/text/lexicons/`), in file-name order. A file
 * is named after its `lang`; ids are unique across files. Throws `LexiconError` naming the file.
 */
export function loadLexicons(dir: string = LEXICON_DIR): Lexicon[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch (e) {
    throw new LexiconError(`cannot read the lexicon folder ${dir}: ${(e as Error).message}`);
  }
  if (files.length === 0) throw new LexiconError(`${dir}: no lexicon files (*.json)`);
  const out: Lexicon[] = [];
  const owners = new Map<string, string>();
  for (const f of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, f), "utf8"));
    } catch (e) {
      throw new LexiconError(`${f}: not valid JSON: ${(e as Error).message}`);
    }
    const lex = parseLexicon(raw, f);
    if (basename(f) !== `${lex.lang}.json`)
      throw new LexiconError(
        `${f}: holds the lexicon for '${lex.lang}', so it must be named ${lex.lang}.json`,
      );
    for (const e of [...lex.patterns, ...lex.counters]) {
      const before = owners.get(e.id);
      if (before !== undefined) throw new LexiconError(`${f}: id '${e.id}' is already used in ${before}`);
      owners.set(e.id, f);
    }
    out.push(lex);
  }
  return out;
}
