/**
 * The text-signal scorer: every lexicon compiled into one matcher.
 *
 * - All words of all lexicons (exact and prefix) go into one character trie over normalised
 *   tokens; each token of a post is walked through it once, giving the set of lexicon words it is.
 * - Every pattern and counter is indexed by the words its first element can be; at a token that is
 *   such a word the candidates are tried by a small backtracking matcher (gaps, optional elements,
 *   multi-word slot values). Most tokens are no lexicon word and cost one or two trie steps.
 * - `regex` entries (few) run on the normalised text only when the post has tokens of their script.
 *
 * Scoring, per category: matches cancelled by a `negate` counter are dropped (and reported); of
 * overlapping matches the heaviest is kept; each pattern counts once; every weight is multiplied by
 * the product of the `dampen` factors found in the post; score = 1 − Π(1 − weight). A signal is
 * evidence for a review case, never an action: see `raisesCase`.
 */
import {
  CATEGORIES,
  type Category,
  type Lexicon,
  type LexiconCounter,
  type LexiconPattern,
  type LexiconScript,
  type LexWord,
  loadLexicons,
  type PatternElement,
} from "./lexicon.ts";
import { normalizeText, type Script, type Token } from "./normalize.ts";

/** Below this, a category score raises no review case (the default; a platform sets its own). */
export const DEFAULT_THRESHOLD = 0.5;

export interface TextMatch {
  readonly patternId: string;
  /** The original characters matched (text.slice(start, end)). */
  readonly term: string;
  /** UTF-16 offsets in the original text, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly weight: number;
  readonly lang: string;
}

export interface TextSignal {
  readonly category: Category;
  /** 0..1 */
  readonly score: number;
  /** The language of the heaviest match. */
  readonly lang: string;
  readonly matches: TextMatch[];
}

export interface CounterMatch {
  readonly patternId: string;
  readonly effect: "negate" | "dampen";
  readonly term: string;
  readonly start: number;
  readonly end: number;
  readonly lang: string;
}

export interface TextScore {
  /** Detected language (a lexicon `lang`), or the hint; "und" when the text has no letters we know. */
  readonly language: string;
  /** Signals with a score above 0, highest first. */
  readonly signals: TextSignal[];
  /** Counter-patterns found (negation, news, condemnation), for the reviewer. */
  readonly counters: CounterMatch[];
  /** Matches a negation cancelled. */
  readonly negated: TextMatch[];
}

// ---------------------------------------------------------------------------------------------------
// Compilation

interface CompiledElement {
  readonly gap: number; // > 0: a gap of up to this many tokens
  readonly optional: boolean;
  /** Vocabulary ids a single token may be. */
  readonly single: ReadonlySet<number>;
  /** Multi-token alternatives, as vocabulary ids per token. */
  readonly seqs: readonly (readonly number[])[];
}

interface Entry {
  readonly id: string;
  readonly lexicon: number;
  readonly lang: string;
  readonly elements: readonly CompiledElement[];
  readonly pattern?: LexiconPattern;
  readonly counter?: LexiconCounter;
}

interface RegexEntry {
  readonly lexicon: number;
  readonly lang: string;
  readonly script: LexiconScript;
  readonly regex: RegExp;
  readonly pattern?: LexiconPattern;
  readonly counter?: LexiconCounter;
  readonly id: string;
}

const NO_IDS: readonly number[] = [];

/** Character trie over lexicon words. */
class Trie {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly exact: (number[] | undefined)[] = [undefined];
  private readonly prefix: (number[] | undefined)[] = [undefined];

  add(text: string, isPrefix: boolean, id: number): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.children[node]!.get(c);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.exact.push(undefined);
        this.prefix.push(undefined);
        this.children[node]!.set(c, next);
      }
      node = next;
    }
    const table = isPrefix ? this.prefix : this.exact;
    const list = table[node];
    if (list === undefined) table[node] = [id];
    else list.push(id);
  }

  /** Vocabulary ids the token is: exact words equal to it, prefix words it starts with. */
  lookup(text: string): readonly number[] {
    let node = 0;
    let found: number[] | undefined;
    for (let i = 0; i < text.length; i++) {
      const next = this.children[node]!.get(text.charCodeAt(i));
      if (next === undefined) return found ?? NO_IDS;
      node = next;
      const p = this.prefix[node];
      if (p !== undefined) found = found === undefined ? p.slice() : found.concat(p);
    }
    const e = this.exact[node];
    if (e !== undefined) found = found === undefined ? e : found.concat(e);
    return found ?? NO_IDS;
  }
}

type ScriptSet = Set<LexiconScript>;

/** Lexicons compiled into one matcher. Build with `createTextScorer`. */
export class TextScorer {
  private readonly trie = new Trie();
  private readonly vocab = new Map<string, number>();
  /** vocabulary id → entries whose first element can be that word. */
  private readonly byFirst: Entry[][] = [];
  private readonly regexes: RegexEntry[] = [];
  readonly lexicons: readonly Lexicon[];
  private readonly langIndex = new Map<string, number>();

  constructor(lexicons: readonly Lexicon[]) {
    this.lexicons = lexicons;
    lexicons.forEach((lex, li) => {
      this.langIndex.set(lex.lang, li);
      for (const p of lex.patterns) this.addEntry(li, lex, p.id, p.elements, p.regex, { pattern: p });
      for (const c of lex.counters) this.addEntry(li, lex, c.id, c.elements, c.regex, { counter: c });
    });
  }

  /** The lexicon languages, in load order. */
  get languages(): string[] {
    return this.lexicons.map((l) => l.lang);
  }

  private wordId(w: LexWord): number {
    const key = `${w.prefix ? "*" : "="}${w.text}`;
    let id = this.vocab.get(key);
    if (id === undefined) {
      id = this.vocab.size;
      this.vocab.set(key, id);
      this.trie.add(w.text, w.prefix, id);
      this.byFirst.push([]);
    }
    return id;
  }

  private addEntry(
    li: number,
    lex: Lexicon,
    id: string,
    elements: readonly PatternElement[] | undefined,
    regex: RegExp | undefined,
    what: { pattern?: LexiconPattern; counter?: LexiconCounter },
  ): void {
    if (regex !== undefined) {
      this.regexes.push({ lexicon: li, lang: lex.lang, script: lex.script, regex, id, ...what });
      return;
    }
    const compiled: CompiledElement[] = elements!.map((e) => {
      if (e.kind === "gap") return { gap: e.max, optional: false, single: new Set(), seqs: [] };
      const single = new Set<number>();
      const seqs: number[][] = [];
      for (const alt of e.alts) {
        if (alt.length === 1) single.add(this.wordId(alt[0]!));
        else seqs.push(alt.map((w) => this.wordId(w)));
      }
      return { gap: 0, optional: e.optional, single, seqs };
    });
    const entry: Entry = { id, lexicon: li, lang: lex.lang, elements: compiled, ...what };
    const first = compiled[0]!;
    const firsts = new Set<number>(first.single);
    for (const s of first.seqs) firsts.add(s[0]!);
    for (const w of firsts) this.byFirst[w]!.push(entry);
  }

  /** Scores one post. `lang` (a lexicon language) restricts the lexicons used; otherwise all apply. */
  score(text: string, lang?: string): TextScore {
    const norm = normalizeText(text);
    const tokens = norm.tokens;
    const only = lang === undefined ? undefined : this.langIndex.get(lang);
    const language = only !== undefined ? lang! : this.detect(tokens, norm.scriptCounts);

    const ids: (readonly number[])[] = new Array(tokens.length);
    let any = false;
    for (let i = 0; i < tokens.length; i++) {
      const found = this.trie.lookup(tokens[i]!.text);
      ids[i] = found;
      if (found.length > 0) any = true;
    }

    const hits: Hit[] = [];
    if (any) {
      for (let i = 0; i < tokens.length; i++) {
        const here = ids[i]!;
        for (let k = 0; k < here.length; k++) {
          const candidates = this.byFirst[here[k]!]!;
          for (let c = 0; c < candidates.length; c++) {
            const e = candidates[c]!;
            if (only !== undefined && e.lexicon !== only) continue;
            const end = matchFrom(e.elements, 0, i, ids);
            if (end > i) hits.push({ entry: e, t0: i, t1: end });
          }
        }
      }
    }
    if (this.regexes.length > 0) this.regexHits(tokens, only, hits);
    if (hits.length === 0) return { language, signals: [], counters: [], negated: [] };
    return this.combine(text, tokens, hits, language);
  }

  private regexHits(tokens: readonly Token[], only: number | undefined, hits: Hit[]): void {
    const scripts: ScriptSet = new Set();
    for (const t of tokens) if (t.script !== "other") scripts.add(t.script);
    const active = this.regexes.filter(
      (r) => scripts.has(r.script) && (only === undefined || r.lexicon === only),
    );
    if (active.length === 0) return;
    let joined = "";
    const starts: number[] = [];
    for (const t of tokens) {
      if (joined.length > 0) joined += " ";
      starts.push(joined.length);
      joined += t.text;
    }
    const tokenAt = (offset: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const r of active) {
      r.regex.lastIndex = 0;
      for (const m of joined.matchAll(r.regex)) {
        if (m[0].length === 0) continue;
        const t0 = tokenAt(m.index);
        const t1 = tokenAt(m.index + m[0].length - 1) + 1;
        const entry: Entry = {
          id: r.id,
          lexicon: r.lexicon,
          lang: r.lang,
          elements: [],
          ...(r.pattern ? { pattern: r.pattern } : {}),
          ...(r.counter ? { counter: r.counter } : {}),
        };
        hits.push({ entry, t0, t1 });
      }
    }
  }

  private combine(text: string, tokens: readonly Token[], hits: Hit[], language: string): TextScore {
    const counters: Hit[] = [];
    const found: Hit[] = [];
    for (const h of hits) (h.entry.counter ? counters : found).push(h);

    let damp = 1;
    const seenDampen = new Set<string>();
    for (const c of counters) {
      const k = c.entry.counter!;
      if (k.effect === "dampen" && !seenDampen.has(k.id)) {
        seenDampen.add(k.id);
        damp *= k.factor;
      }
    }

    const toMatch = (h: Hit, weight: number): TextMatch => {
      const start = tokens[h.t0]!.start;
      const end = tokens[h.t1 - 1]!.end;
      return { patternId: h.entry.id, term: text.slice(start, end), start, end, weight, lang: h.entry.lang };
    };

    const negated: TextMatch[] = [];
    const live: Hit[] = [];
    for (const h of found) {
      const p = h.entry.pattern!;
      const cancelled =
        p.negatable &&
        counters.some((c) => {
          const k = c.entry.counter!;
          if (k.effect !== "negate") return false;
          const overlaps = c.t0 < h.t1 && c.t1 > h.t0;
          const before = c.t1 <= h.t0 && h.t0 - c.t1 <= k.window;
          return overlaps || before;
        });
      if (cancelled) negated.push(toMatch(h, p.weight));
      else live.push(h);
    }

    // Per category: heaviest first, drop overlaps, each pattern once.
    live.sort((a, b) => b.entry.pattern!.weight - a.entry.pattern!.weight || a.t0 - b.t0);
    const signals: TextSignal[] = [];
    for (const category of CATEGORIES) {
      const kept: Hit[] = [];
      const patterns = new Set<string>();
      let keep = 1;
      for (const h of live) {
        if (h.entry.pattern!.category !== category) continue;
        if (kept.some((k) => k.t0 < h.t1 && k.t1 > h.t0)) continue;
        kept.push(h);
        if (!patterns.has(h.entry.id)) {
          patterns.add(h.entry.id);
          keep *= 1 - h.entry.pattern!.weight * damp;
        }
      }
      if (kept.length === 0) continue;
      const score = Math.round((1 - keep) * 1000) / 1000;
      if (score <= 0) continue;
      signals.push({
        category,
        score,
        lang: kept[0]!.entry.lang,
        matches: kept.sort((a, b) => a.t0 - b.t0).map((h) => toMatch(h, h.entry.pattern!.weight)),
      });
    }
    signals.sort((a, b) => b.score - a.score);

    const counterMatches: CounterMatch[] = counters
      .sort((a, b) => a.t0 - b.t0)
      .map((c) => {
        const start = tokens[c.t0]!.start;
        const end = tokens[c.t1 - 1]!.end;
        return {
          patternId: c.entry.id,
          effect: c.entry.counter!.effect,
          term: text.slice(start, end),
          start,
          end,
          lang: c.entry.lang,
        };
      });
    return { language, signals, counters: counterMatches, negated };
  }

  /**
   * The language of a post: the script with most letters (Latin, Devanagari, Gurmukhi), then, among
   * that script's lexicons, the one whose marker words occur most (ties: load order).
   */
  private detect(tokens: readonly Token[], counts: Record<Script, number>): string {
    let script: LexiconScript | undefined;
    let best = 0;
    for (const s of ["latin", "deva", "guru"] as const) {
      if (counts[s] > best) {
        best = counts[s];
        script = s;
      }
    }
    if (script === undefined) return "und";
    let lang = "und";
    let hits = -1;
    for (const lex of this.lexicons) {
      if (lex.script !== script) continue;
      let n = 0;
      if (lex.markers.size > 0) for (const t of tokens) if (lex.markers.has(t.text)) n++;
      if (n > hits) {
        hits = n;
        lang = lex.lang;
      }
    }
    return lang;
  }
}

interface Hit {
  readonly entry: Entry;
  readonly t0: number;
  readonly t1: number;
}

const has = (single: ReadonlySet<number>, tokenIds: readonly number[]): boolean => {
  for (let i = 0; i < tokenIds.length; i++) if (single.has(tokenIds[i]!)) return true;
  return false;
};

/** End token (exclusive) of the first way `elements[ei..]` matches from token `ti`, or -1. */
function matchFrom(
  elements: readonly CompiledElement[],
  ei: number,
  ti: number,
  ids: readonly (readonly number[])[],
): number {
  if (ei === elements.length) return ti;
  const e = elements[ei]!;
  if (e.gap > 0) {
    for (let k = 0; k <= e.gap && ti + k <= ids.length; k++) {
      const r = matchFrom(elements, ei + 1, ti + k, ids);
      if (r >= 0) return r;
    }
    return -1;
  }
  if (ti < ids.length) {
    if (has(e.single, ids[ti]!)) {
      const r = matchFrom(elements, ei + 1, ti + 1, ids);
      if (r >= 0) return r;
    }
    for (const seq of e.seqs) {
      if (ti + seq.length > ids.length) continue;
      let ok = true;
      for (let j = 0; j < seq.length && ok; j++) ok = ids[ti + j]!.includes(seq[j]!);
      if (ok) {
        const r = matchFrom(elements, ei + 1, ti + seq.length, ids);
        if (r >= 0) return r;
      }
    }
  }
  return e.optional ? matchFrom(elements, ei + 1, ti, ids) : -1;
}

/** Compiles lexicons (default: the shipped ones in src/detect/text/lexicons/) into one scorer. */
export function createTextScorer(lexicons: readonly Lexicon[] = loadLexicons()): TextScorer {
  return new TextScorer(lexicons);
}

let shared: TextScorer | undefined;

/** Scores a post with the shipped lexicons (compiled once, on first use). */
export function scoreText(text: string, lang?: string): TextScore {
  shared ??= createTextScorer();
  return shared.score(text, lang);
}

/** The categories whose score reaches `threshold`: what a review case would be raised for. */
export function raisesCase(score: TextScore, threshold = DEFAULT_THRESHOLD): Category[] {
  return score.signals.filter((s) => s.score >= threshold).map((s) => s.category);
}
