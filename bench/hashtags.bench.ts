/**
 * Hashtag normalization and matching throughput, one core:
 *   node --import tsx bench/hashtags.bench.ts            all cases, one child process each
 *   node --import tsx bench/hashtags.bench.ts NAME       one case
 *
 * Each case runs in its own process (so one case's JIT feedback cannot slow another), warms up, and
 * reports the best of several runs. Tags are fresh string objects, as they are when extracted from
 * post text, so Map lookups pay for hashing them; "floor" is the cost of just reading such a tag.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CORPUS, sampleTags, seededRandom } from "../src/hashtags/corpus.ts";
import { HashtagMatcher, type MatchMode } from "../src/hashtags/matcher.ts";
import {
  clearKeyCaches,
  computeDisplayKey,
  computeMatchKey,
  displayKey,
  matchKey,
  skeletonMap,
} from "../src/hashtags/normalize.ts";

/** Fresh copies, so no string carries a cached hash from an earlier call. */
const fresh = (tags: string[]): string[] => tags.map((t) => Buffer.from(t, "utf8").toString("utf8"));

function run(label: string, tags: string[], coldCache: boolean, fn: (s: string) => string | unknown[]): void {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < 8; r++) {
    const input = fresh(tags);
    if (coldCache) clearKeyCaches();
    const start = performance.now();
    for (let i = 0; i < input.length; i++) sink += fn(input[i]!).length;
    if (r >= 2) best = Math.min(best, performance.now() - start); // two warm-up runs
  }
  const rate = Math.round((tags.length / best) * 1000).toLocaleString("en");
  console.log(
    `${label.padEnd(62)} ${rate.padStart(11)} ops/s ${((best / tags.length) * 1e6).toFixed(0).padStart(5)} ns (${sink})`,
  );
}

const N = 200_000;
const isAscii = (t: string) => /^[\x00-\x7f]*$/.test(t);
const mix = () => sampleTags(N, 3); // 80% repeats of 2,000 popular tags, 20% new; ~96% ASCII
const allNew = () => sampleTags(N, 5, 0);
const nonAscii = () => sampleTags(4 * N, 5, 0).filter((t) => !isAscii(t));

/**
 * Rules as moderators write them: mostly tags of their own (random words here, so few stream tags
 * match), plus the corpus's restricted tags. `overlap` draws patterns from the tag stream's own
 * vocabulary instead: nearly every tag then matches many rules (a stress case).
 */
function buildMatcher(
  exact: number,
  prefix: number,
  contains: number,
  overlap = false,
): HashtagMatcher<number> {
  const rand = seededRandom(42);
  const word = (min: number, max: number) => {
    let w = "";
    const n = min + Math.floor(rand() * (max - min + 1));
    for (let i = 0; i < n; i++) w += "abcdefghijklmnopqrstuvwxyz"[Math.floor(rand() * 26)];
    return w;
  };
  const pool = sampleTags(50_000, 9, 0)
    .map(matchKey)
    .filter((k) => k.length >= 4);
  const pick = (min: number, max: number) => {
    if (!overlap) return word(min, max);
    const k = pool[Math.floor(rand() * pool.length)]!;
    const from = Math.floor(rand() * Math.max(1, k.length - min));
    return k.slice(from, from + min + Math.floor(rand() * (max - min + 1)));
  };
  const m = new HashtagMatcher<number>();
  let id = 0;
  const add = (mode: MatchMode, pattern: string) => m.add({ pattern, mode, value: id++ });
  for (const c of CORPUS) for (const mode of ["exact", "prefix", "contains"] as const) add(mode, c.tag);
  for (let i = 0; i < exact; i++) add("exact", pick(8, 20));
  for (let i = 0; i < prefix; i++) add("prefix", pick(5, 12));
  for (let i = 0; i < contains; i++) add("contains", pick(5, 10));
  const start = performance.now();
  m.matchKeyed("warm-up"); // builds the trie and the automaton
  const keys = sampleTags(N, 13).map(matchKey);
  const hits = keys.filter((k) => m.matchKeyed(k).length > 0).length;
  console.log(
    `  (${m.size} rules, lazy build ${(performance.now() - start).toFixed(0)} ms incl. a probe; ` +
      `${((hits / keys.length) * 100).toFixed(1)}% of tags match)`,
  );
  return m;
}

const matcherCase = (label: string, m: () => HashtagMatcher<number>) => () => {
  const matcher = m();
  const tags = sampleTags(N, 13);
  run(`match(tag), ${label}`, tags, false, (t) => matcher.match(t));
  run(`matchKeyed(key), ${label}`, tags.map(matchKey), false, (k) => matcher.matchKeyed(k));
};

const CASES: Record<string, () => void> = {
  floor: () => {
    run("floor: read every code unit of a fresh tag", mix(), false, (t) => {
      let x = 0;
      for (let i = 0; i < t.length; i++) x += t.charCodeAt(i);
      return x > 0 ? "" : "x";
    });
  },
  "matchKey-mix": () => {
    skeletonMap();
    run("matchKey, 80% repeated / 20% new, caches start empty", mix(), true, matchKey);
  },
  "matchKey-new": () => {
    skeletonMap();
    run("matchKey, all new tags (~96% ASCII fast path)", allNew(), true, matchKey);
  },
  "matchKey-nonascii-new": () => {
    skeletonMap();
    run("matchKey, new non-ASCII tags (cache misses)", nonAscii(), true, matchKey);
  },
  "matchKey-nonascii-cached": () => {
    skeletonMap();
    run("matchKey, non-ASCII tags, cache hits", nonAscii().slice(0, 20_000), false, matchKey);
  },
  "matchKey-ascii-normalized": () => {
    const tags = allNew()
      .map((t) => t.toLowerCase())
      .filter((t) => /^[a-z2-9]+$/.test(t));
    run("matchKey fast path, already-normalized ASCII", tags, false, matchKey);
    run("computeMatchKey (no fast path, no cache), same tags", tags, false, computeMatchKey);
    const cache = new Map(tags.map((t) => [t, t]));
    run("Map.get, same tags (a cache hit instead of the fast path)", tags, false, (t) => cache.get(t)!);
  },
  "matchKey-ascii-camel": () => {
    run("matchKey fast path, CamelCase ASCII", allNew().filter(isAscii), false, matchKey);
  },
  "computeMatchKey-nonascii": () => {
    run("computeMatchKey (uncached), non-ASCII", nonAscii(), false, computeMatchKey);
  },
  "displayKey-mix": () => {
    skeletonMap();
    run("displayKey, 80% repeated / 20% new, caches start empty", mix(), true, displayKey);
  },
  "displayKey-ascii": () => {
    run("displayKey fast path, CamelCase ASCII", allNew().filter(isAscii), false, displayKey);
  },
  "displayKey-nonascii-new": () => {
    run("displayKey, new non-ASCII tags (cache misses)", nonAscii(), true, displayKey);
    run("computeDisplayKey (uncached), non-ASCII", nonAscii(), false, computeDisplayKey);
  },
  "matcher-mix": matcherCase("10k rules: 6k exact, 2k prefix, 2k contains", () =>
    buildMatcher(6_000, 2_000, 2_000),
  ),
  "matcher-contains": matcherCase("10k contains rules", () => buildMatcher(0, 0, 10_000)),
  "matcher-exact": matcherCase("10k exact rules", () => buildMatcher(10_000, 0, 0)),
  "matcher-stress": matcherCase("10k contains rules, stress overlap", () => buildMatcher(0, 0, 10_000, true)),
};

const only = process.argv[2];
if (only !== undefined) {
  const c = CASES[only];
  if (c === undefined) throw new Error(`unknown case '${only}': ${Object.keys(CASES).join(", ")}`);
  c();
} else {
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(CASES)) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, name], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
