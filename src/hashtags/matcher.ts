/**
 * Hashtag restriction matcher. Patterns and tags are compared under `matchKey` (normalize.ts), so a
 * rule written as "#StopTheSteal" also catches "𝐒𝐭𝐨𝐩_𝐓𝐡𝐞_𝐒𝐭𝐞𝐚𝐥" and "ЅtорTheSteal".
 *
 * - exact: the tag's key equals the pattern's key (one Map lookup).
 * - prefix: the tag's key starts with the pattern's key (a walk down a trie of pattern keys).
 * - contains: the pattern's key occurs anywhere in the tag's key (Aho–Corasick over all contains
 *   patterns at once).
 * Each costs time linear in the tag's key, whatever the number of rules.
 *
 * Keys are walked as UTF-16 code units. For well-formed strings (matchKey output always is) a
 * code-unit match is a code-point match: a pattern cannot start on a low surrogate or end on a high
 * one. Matching is per code point, not per grapheme: "किसान" prefix-matches "किसानों" (its plural),
 * which is what a moderator restricting the word wants.
 *
 * Rules are keyed by (matchKey(pattern), mode). Several rules may share a key ("StopTheSteal" and
 * "#stop_the_steal" are the same restriction written twice): all their values are returned, and
 * remove(pattern, mode) removes all of them. A pattern whose key is empty (only '#', separators or
 * invisible characters) is refused: as a prefix or contains rule it would match every tag.
 *
 * add/remove only touch Maps; the prefix trie and the automaton are rebuilt on the next match after a
 * change that adds or removes a key (adding a value to an existing key needs no rebuild).
 */
import { InvalidRequestError } from "../errors.ts";
import { matchKey } from "./normalize.ts";

export type MatchMode = "exact" | "prefix" | "contains";

export const MATCH_MODES: readonly MatchMode[] = ["exact", "prefix", "contains"];

export interface HashtagRule<T> {
  /** As written by the moderator; compared under matchKey. */
  pattern: string;
  mode: MatchMode;
  value: T;
}

/** Edges of a state are scanned linearly below this many, binary-searched above. */
const LINEAR_SCAN_EDGES = 8;

/**
 * Entries of the automaton's dense transition table (4 bytes each). States get a dense row, in
 * breadth-first order, while rows fit: with ASCII patterns that is every state of a few thousand
 * patterns, and the shallow states (where matching spends its time) of any number.
 */
const DENSE_TABLE_ENTRIES = 1 << 20;

/**
 * A trie over the UTF-16 code units of a set of keys, flattened into typed arrays. Code units are
 * renumbered to symbols 1..n (0: in no key). Children of a state are a sorted slice of the edge
 * arrays; the root's are also indexed densely.
 */
class Trie<T> {
  /** Code unit → symbol; 0 when the unit is in no key. */
  readonly symbolOf = new Int32Array(0x10000);
  /** Number of symbols + 1. */
  readonly stride: number;
  /** Number of states; state 0 is the root. */
  readonly states: number;
  /** Children of state s: edgeSymbol/edgeTarget[edgeStart[s] .. edgeStart[s + 1]), sorted by symbol. */
  readonly edgeStart: Int32Array;
  readonly edgeSymbol: Int32Array;
  readonly edgeTarget: Int32Array;
  /** Root transitions by symbol; 0: none (the root is nobody's child). */
  private readonly rootNext: Int32Array;
  /** Values of the key ending at each state (the matcher's own arrays, shared). */
  readonly values: (T[] | undefined)[];

  constructor(entries: Map<string, T[]>) {
    const symbolOf = this.symbolOf;
    let symbols = 0;
    for (const key of entries.keys()) {
      for (let i = 0; i < key.length; i++) {
        const u = key.charCodeAt(i);
        if (symbolOf[u] === 0) symbolOf[u] = ++symbols;
      }
    }
    const stride = symbols + 1;
    this.stride = stride;

    // Insertion, with a temporary edge map keyed by state * stride + symbol.
    const parentSymbol: number[] = [0];
    const parentState: number[] = [0];
    const values: (T[] | undefined)[] = [undefined];
    const edges = new Map<number, number>();
    for (const [key, vals] of entries) {
      let s = 0;
      for (let i = 0; i < key.length; i++) {
        const a = symbolOf[key.charCodeAt(i)]!;
        let next = edges.get(s * stride + a);
        if (next === undefined) {
          next = values.length;
          edges.set(s * stride + a, next);
          parentState.push(s);
          parentSymbol.push(a);
          values.push(undefined);
        }
        s = next;
      }
      values[s] = vals;
    }
    const n = values.length;
    this.states = n;
    this.values = values;

    // Children grouped by parent and sorted by symbol: two stable counting sorts (symbol, then parent).
    const bySymbol = countingSort(n, stride, (c) => parentSymbol[c]!, null);
    const sorted = countingSort(n, n, (c) => parentState[c]!, bySymbol);
    const edgeStart = new Int32Array(n + 1);
    for (let c = 1; c < n; c++) edgeStart[parentState[c]! + 1]!++;
    for (let s = 0; s < n; s++) edgeStart[s + 1]! += edgeStart[s]!;
    const edgeSymbol = new Int32Array(n - 1);
    const edgeTarget = new Int32Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      const c = sorted[i]!;
      edgeSymbol[i] = parentSymbol[c]!;
      edgeTarget[i] = c;
    }
    this.edgeStart = edgeStart;
    this.edgeSymbol = edgeSymbol;
    this.edgeTarget = edgeTarget;
    this.rootNext = new Int32Array(stride);
    for (let i = edgeStart[0]!; i < edgeStart[1]!; i++) this.rootNext[edgeSymbol[i]!] = edgeTarget[i]!;
  }

  /** The child of state s on symbol a, or -1. */
  step(s: number, a: number): number {
    if (s === 0) {
      const next = this.rootNext[a]!;
      return next === 0 ? -1 : next;
    }
    let lo = this.edgeStart[s]!;
    let hi = this.edgeStart[s + 1]!;
    const symbol = this.edgeSymbol;
    if (hi - lo < LINEAR_SCAN_EDGES) {
      for (; lo < hi; lo++) if (symbol[lo] === a) return this.edgeTarget[lo]!;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = symbol[mid]!;
      if (m === a) return this.edgeTarget[mid]!;
      if (m < a) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Appends the values of every key that is a prefix of `key`, shortest key first. */
  collectPrefixes(key: string, out: T[]): void {
    const symbolOf = this.symbolOf;
    let s = 0;
    for (let i = 0; i < key.length; i++) {
      const a = symbolOf[key.charCodeAt(i)]!;
      if (a === 0) return;
      s = this.step(s, a);
      if (s < 0) return;
      const vals = this.values[s];
      if (vals !== undefined) for (const v of vals) out.push(v);
    }
  }
}

/**
 * Aho–Corasick automaton over a Trie: failure links, output links, and a dense transition table
 * (failures already resolved) for the states that fit in it, so that matching costs one table read
 * per code unit in the common case.
 */
class Automaton<T> {
  private readonly trie: Trie<T>;
  /** Longest proper suffix state of each state. */
  private readonly fail: Int32Array;
  /** State whose values to report on reaching a state: itself if it holds values, else the nearest
   * suffix state that does; 0: none. */
  private readonly report: Int32Array;
  /** Next reportable state down the suffix chain of a reportable state; 0: none. */
  private readonly nextReport: Int32Array;
  /** Offset of each state's row in `dense`, or -1 when the state has none. */
  private readonly denseRow: Int32Array;
  private readonly dense: Int32Array;
  /** States already reported in the current match, by epoch. */
  private readonly seen: Int32Array;
  private epoch = 0;

  constructor(entries: Map<string, T[]>) {
    const trie = new Trie(entries);
    this.trie = trie;
    const { states: n, stride, edgeStart, edgeSymbol, edgeTarget, values } = trie;

    // Breadth-first, so that a state's failure link (a shallower state) is known before the state.
    const fail = new Int32Array(n);
    const report = new Int32Array(n);
    const nextReport = new Int32Array(n);
    const order = new Int32Array(n);
    let head = 0;
    let tail = 1; // order[0] = 0: the root
    while (head < tail) {
      const u = order[head++]!;
      for (let i = edgeStart[u]!; i < edgeStart[u + 1]!; i++) {
        const v = edgeTarget[i]!;
        const a = edgeSymbol[i]!;
        let link = 0;
        if (u !== 0) {
          let f = fail[u]!;
          let g = trie.step(f, a);
          while (g < 0 && f !== 0) {
            f = fail[f]!;
            g = trie.step(f, a);
          }
          link = Math.max(0, g);
        }
        fail[v] = link;
        nextReport[v] = report[link]!;
        report[v] = values[v] !== undefined ? v : report[link]!;
        order[tail++] = v;
      }
    }
    this.fail = fail;
    this.report = report;
    this.nextReport = nextReport;

    // Dense rows for the first states in breadth-first order. A state's failure link comes before
    // it, so its row is complete when the state's row is filled.
    const rows = Math.max(1, Math.min(n, Math.floor(DENSE_TABLE_ENTRIES / stride)));
    const denseRow = new Int32Array(n).fill(-1);
    const dense = new Int32Array(rows * stride);
    for (let r = 0; r < rows; r++) {
      const s = order[r]!;
      const row = r * stride;
      denseRow[s] = row;
      if (s !== 0) dense.copyWithin(row, denseRow[fail[s]!]!, denseRow[fail[s]!]! + stride);
      for (let i = edgeStart[s]!; i < edgeStart[s + 1]!; i++) dense[row + edgeSymbol[i]!] = edgeTarget[i]!;
    }
    this.denseRow = denseRow;
    this.dense = dense;
    this.seen = new Int32Array(n);
  }

  /**
   * Appends the values of every key occurring in `key`, each key once, in the order their first
   * occurrences end (longer keys first at the same end).
   */
  collectOccurrences(key: string, out: T[]): void {
    if (this.epoch === 0x7fffffff) {
      this.seen.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const { symbolOf, values } = this.trie;
    const { fail, report, nextReport, denseRow, dense, seen } = this;
    let s = 0;
    for (let i = 0; i < key.length; i++) {
      const a = symbolOf[key.charCodeAt(i)]!;
      if (a === 0) {
        s = 0;
        continue;
      }
      const row = denseRow[s]!;
      if (row >= 0) {
        s = dense[row + a]!;
      } else {
        let next = this.trie.step(s, a);
        while (next < 0) {
          s = fail[s]!;
          const r = denseRow[s]!;
          next = r >= 0 ? dense[r + a]! : this.trie.step(s, a);
        }
        s = next;
      }
      // Every state down a report chain past a seen one was reported with it.
      for (let o = report[s]!; o !== 0 && seen[o] !== epoch; o = nextReport[o]!) {
        seen[o] = epoch;
        for (const v of values[o]!) out.push(v);
      }
    }
  }
}

/**
 * Stable counting sort of the states 1..n-1 (or of `order`, when given) by `keyOf`, keys in [0, range).
 */
function countingSort(
  n: number,
  range: number,
  keyOf: (state: number) => number,
  order: Int32Array | null,
): Int32Array {
  const count = new Int32Array(range + 1);
  for (let c = 1; c < n; c++) count[keyOf(c) + 1]!++;
  for (let k = 0; k < range; k++) count[k + 1]! += count[k]!;
  const out = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    const c = order === null ? i + 1 : order[i]!;
    out[count[keyOf(c)]!++] = c;
  }
  return out;
}

export class HashtagMatcher<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly prefixes = new Map<string, T[]>();
  private readonly infixes = new Map<string, T[]>();
  /** Built lazily; null after a change of keys. */
  private prefixTrie: Trie<T> | null = null;
  private automaton: Automaton<T> | null = null;
  private count = 0;

  constructor(rules?: Iterable<HashtagRule<T>>) {
    if (rules !== undefined) for (const rule of rules) this.add(rule);
  }

  /** Number of rules (values), counting rules that share a key separately. */
  get size(): number {
    return this.count;
  }

  add(rule: HashtagRule<T>): void {
    const table = this.table(rule.mode);
    const key = matchKey(rule.pattern);
    if (key === "")
      throw new InvalidRequestError(
        `hashtag pattern '${rule.pattern}' has nothing left to match once normalized`,
        { pattern: rule.pattern, mode: rule.mode },
      );
    const values = table.get(key);
    if (values !== undefined) {
      values.push(rule.value); // the built trie shares this array: no rebuild
    } else {
      table.set(key, [rule.value]);
      this.invalidate(rule.mode);
    }
    this.count++;
  }

  /** Removes every rule with this mode whose pattern has the same matchKey; false if there was none. */
  remove(pattern: string, mode: MatchMode): boolean {
    const table = this.table(mode);
    const key = matchKey(pattern);
    const values = table.get(key);
    if (values === undefined) return false;
    table.delete(key);
    this.count -= values.length;
    this.invalidate(mode);
    return true;
  }

  /**
   * Values of all rules matching the tag: exact rules first, then prefix rules (shortest pattern
   * first), then contains rules (by where their first occurrence ends). Each rule at most once.
   */
  match(tag: string): T[] {
    return this.matchKeyed(matchKey(tag));
  }

  /** As match, for a caller that already holds the tag's matchKey. */
  matchKeyed(key: string): T[] {
    const out: T[] = [];
    const exact = this.exact.get(key);
    if (exact !== undefined) for (const v of exact) out.push(v);
    if (this.prefixes.size > 0) {
      this.prefixTrie ??= new Trie(this.prefixes);
      this.prefixTrie.collectPrefixes(key, out);
    }
    if (this.infixes.size > 0) {
      this.automaton ??= new Automaton(this.infixes);
      this.automaton.collectOccurrences(key, out);
    }
    return out;
  }

  private table(mode: MatchMode): Map<string, T[]> {
    switch (mode) {
      case "exact":
        return this.exact;
      case "prefix":
        return this.prefixes;
      case "contains":
        return this.infixes;
      default:
        throw new InvalidRequestError(
          `unknown match mode '${String(mode)}': use one of exact, prefix, contains`,
        );
    }
  }

  private invalidate(mode: MatchMode): void {
    if (mode === "prefix") this.prefixTrie = null;
    else if (mode === "contains") this.automaton = null;
  }
}
