/**
 * Micro-benchmark of the trends ingest path (not a test): posts per second through
 * extractHashtagsFast + displayKey + TrendsEngine.observePost on the demo scenario's realistic posts,
 * replayed until about 2 million observations, then the latency of top() for one country.
 *
 *   node --expose-gc --import tsx src/trends/bench.ts [observations=2000000]
 *
 * Each replay pass shifts every timestamp by 17 days and gives every post a fresh id, so the stream
 * stays in time order, retention pruning and the post index's bounds are exercised, and no post is
 * ignored as a duplicate. Timestamps and ids are prepared before timing starts. Reposts carry the
 * original's hashtags, looked up by the caller (as the lead's wiring does).
 */
import { generateScenario } from "../src/demo/generate.ts";
import { displayKey } from "../src/hashtags/normalize.ts";
import { extractHashtags, extractHashtagsFast } from "../src/ingest/extract.ts";
import { GLOBAL_COUNTRY, type TrendFilter, TrendsEngine } from "../src/trends/engine.ts";

const target = Number(process.argv[2] ?? 2_000_000);
const scenario = generateScenario({ scale: 1 });
const posts = scenario.posts;
const passes = Math.max(1, Math.ceil(target / posts.length));
const SHIFT_MS = 17 * 86_400_000;

const ids: string[][] = [];
const times: string[][] = [];
for (let k = 0; k < passes; k++) {
  ids.push(posts.map((p) => `${p.id}.${k}`));
  times.push(posts.map((p) => new Date(Date.parse(p.createdAt) + k * SHIFT_MS).toISOString()));
}
const texts = posts.map((p) => p.text);
const originalIndex = new Map(posts.map((p, i) => [p.id, i]));
const repostOf = posts.map((p) => (p.repostOf ? (originalIndex.get(p.repostOf) ?? -1) : -1));

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString("en-US")} posts/s`;
}

// 1. Extraction alone, library vs fast (one pass over the texts, after a warm-up pass).
for (const [name, f] of [
  ["extractHashtags (twitter-text)", extractHashtags],
  ["extractHashtagsFast", extractHashtagsFast],
] as const) {
  for (const t of texts) f(t);
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < 5; r++) for (const t of texts) n += f(t).length;
  console.log(`${name}: ${rate(5 * texts.length, performance.now() - t0)} (${n} tags)`);
}

// 2. Extraction + displayKey.
{
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < 5; r++)
    for (const t of texts) for (const tag of extractHashtagsFast(t)) n += displayKey(tag).length;
  console.log(
    `extractHashtagsFast + displayKey: ${rate(5 * texts.length, performance.now() - t0)} (${n} key chars)`,
  );
}

// 3. Full ingest: extraction + normalization + counting.
let engine = new TrendsEngine({ maxTrackedPosts: 1_000_000 });
for (const a of scenario.accounts) engine.observeAccount(a);
const tags: string[][] = new Array(posts.length);
const t0 = performance.now();
let observed = 0;
for (let k = 0; k < passes; k++) {
  const pid = ids[k]!;
  const pt = times[k]!;
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i]!;
    const o = repostOf[i]!;
    const h = o >= 0 ? (tags[o] ?? []) : extractHashtagsFast(texts[i]!);
    if (o < 0) tags[i] = h;
    engine.observePost({
      id: pid[i]!,
      authorId: p.authorId,
      createdAt: pt[i]!,
      hashtags: h,
      repostOf: p.repostOf,
    });
    observed++;
  }
}
const ingestMs = performance.now() - t0;
console.log(
  `ingest (extractHashtagsFast + displayKey + observePost): ${observed.toLocaleString("en-US")} posts in ${ingestMs.toFixed(0)} ms = ${rate(observed, ingestMs)}`,
);
const st = engine.stats();
console.log(
  `stats: ${st.keys} keys, ${st.buckets} cells; keys+cells ${(st.keyBytes / 1e6).toFixed(1)} MB = ${Math.round(st.keyBytes / Math.max(1, st.keys)).toLocaleString("en-US")} B/key (${Math.round(st.keyBytes / Math.max(1, st.buckets))} B/cell); ${st.trackedPosts.toLocaleString("en-US")} posts tracked for deletes; approx total ${(st.approxBytes / 1e6).toFixed(1)} MB`,
);

// 4. top() latency at the last replayed day (the 4 Feb 2021 equivalent of the last pass).
const none: TrendFilter = { tagRestricted: () => false, accountRestricted: () => false };
const at = new Date(Date.parse("2021-02-04T12:00:00Z") + (passes - 1) * SHIFT_MS);
for (const country of ["IN", GLOBAL_COUNTRY, "US"]) {
  engine.top(country, at, 20, none);
  const runs = 50;
  const q0 = performance.now();
  let shown = "";
  for (let r = 0; r < runs; r++)
    shown = engine
      .top(country, at, 20, none)
      .trends.map((t) => t.tag)
      .slice(0, 3)
      .join(", ");
  console.log(`top(${country}, 20): ${((performance.now() - q0) / runs).toFixed(2)} ms  [${shown}]`);
}

// 5. Heap retained by the engine (needs --expose-gc): heap with it, minus heap once it is dropped.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  gc();
  const withEngine = process.memoryUsage().heapUsed;
  engine = new TrendsEngine();
  gc();
  const retained = withEngine - process.memoryUsage().heapUsed;
  console.log(
    `heap retained by the engine: ${(retained / 1e6).toFixed(1)} MB (${Math.round(retained / st.keys).toLocaleString("en-US")} B/key incl. post index and account table)`,
  );
}
