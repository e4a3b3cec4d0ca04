/**
 * Coordination-detection benchmark (issue 5): quality on the seeded planted-campaign generator,
 * throughput of all detectors on one core, and memory for a 24-hour window.
 *
 *   node --expose-gc --import tsx bench/detect.bench.ts [--quick] [--memory-posts N] [--seed S] [--min-partners K]
 *
 * 1. Quality: generateStream (30,000 background accounts, hard negatives, 2 campaigns in each of the
 *    36 difficulty cells; --quick: 20,000 and 1) is replayed through a DetectionEngine, asking for
 *    flagged accounts every simulated minute. Account-level precision / recall / F1 per cell (false
 *    positives are attributed to the cell of the planted campaign their cluster mostly holds), the
 *    false-positive rate on hard negatives, and time to detect (80% of a campaign's members flagged
 *    within 10 simulated minutes of its 5th coordinated post).
 * 2. Throughput: posts per second through observePost/deletePost (every detector) on the quality
 *    stream, wall clock with the clustering checks excluded (reported apart, with their cost per
 *    check); then the same stream replayed again without checks, timed in process CPU time (one core).
 * 3. Memory: a simpler synthetic stream of N posts (default 10,000,000; --quick 1,000,000) spread over
 *    24 hours from 500,000 accounts; heap used after a full GC, before and after.
 */

import { Rng } from "../src/demo/random.ts";
import { DetectionEngine } from "../src/detect/engine.ts";
import { evaluate, replay } from "../src/detect/evaluate.ts";
import { generateStream } from "../src/detect/generator.ts";
import { fromAccountEvent, fromPostEvent } from "../src/detect/types.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const seed = option("--seed", "vigil-detect-bench");
const memoryPosts = Number(option("--memory-posts", quick ? "1000000" : "10000000"));
const gc = (globalThis as { gc?: () => void }).gc;
const fmt = (x: number, digits = 2): string => x.toFixed(digits);
const int = (x: number): string => Math.round(x).toLocaleString("en-US");

// 1–2. Quality and throughput.
let t0 = performance.now();
const stream = generateStream({
  seed,
  backgroundAccounts: quick ? 20_000 : 30_000,
  campaignsPerCell: quick ? 1 : 2,
});
const accounts = stream.truth.size;
console.log(
  `generated ${int(stream.events.length)} events (${int(accounts)} accounts) in ${fmt((performance.now() - t0) / 1000, 1)} s`,
);
const cpu0 = process.cpuUsage();
const minPartnersOption = option("--min-partners", "");
const minPartners = minPartnersOption === "" ? undefined : Number(minPartnersOption);
const result = replay(stream, { seed, minPartners });
const cpu = process.cpuUsage(cpu0);
const evaluation = evaluate(stream, result.flagged);

console.log(
  "\n| cell | easy | campaigns | members | flagged TP | FP | precision | recall | F1 | target | 80% flagged, min after 5th post |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
for (const c of evaluation.cells) {
  const [pMin, fMin] = c.cell.easy ? [0.98, 0.95] : [0.9, 0.75];
  const ok = c.precision >= pMin && c.f1 >= fMin;
  console.log(
    `| ${c.cell.name} | ${c.cell.easy ? "easy" : "hard"} | ${c.campaigns} | ${c.members} | ${c.truePositives} | ${c.falsePositives} | ${fmt(c.precision)} | ${fmt(c.recall)} | ${fmt(c.f1)} | ${ok ? "✔" : "✘"} | ` +
      `${(evaluation.timeToDetect.byCell[c.cell.name] ?? []).map((d) => (d === null ? "never" : fmt(d / 60_000, 1))).join(", ")} |`,
  );
}
const o = evaluation.overall;
console.log(
  `\noverall: ${int(o.flagged)} flagged, precision ${fmt(o.precision, 3)}, recall ${fmt(o.recall, 3)}, F1 ${fmt(o.f1, 3)}; ` +
    `${evaluation.unattributedFalsePositives} false positives in clusters matching no planted campaign`,
);
const hn = evaluation.hardNegatives;
console.log(
  `hard negatives: ${hn.flagged} of ${int(hn.accounts)} flagged, FPR ${fmt(hn.rate * 100, 2)}% (target ≤ 1%) — ` +
    Object.entries(hn.byKind)
      .map(([k, v]) => `${k} ${v.flagged}/${v.accounts}`)
      .join(", "),
);
console.log(`background: ${evaluation.background.flagged} of ${int(evaluation.background.accounts)} flagged`);
// Reviewer load (detection.md §6): flagged accounts per 10,000 accounts over the simulated day, and
// the false flags alone per 10,000 accounts outside the planted campaigns.
const outside = evaluation.background.accounts + hn.accounts;
const falseFlags = evaluation.background.flagged + hn.flagged;
console.log(
  `reviewer load: ${int((o.flagged / accounts) * 10_000)} flagged accounts per 10,000 accounts in the day ` +
    `(planted campaigns are ${fmt((stream.campaigns.reduce((n, c) => n + c.members.length, 0) / accounts) * 100, 1)}% of the accounts); ` +
    `false flags ${fmt((falseFlags / outside) * 10_000, 1)} per 10,000 accounts outside them`,
);
const ttd = evaluation.timeToDetect;
console.log(
  `time to detect: ${ttd.withinTarget} of ${ttd.campaigns} campaigns had 80% of members flagged within 10 min of their 5th coordinated post ` +
    `(${ttd.reached} reached 80% at all; median ${ttd.medianMs === null ? "n/a" : `${fmt(ttd.medianMs / 60_000, 1)} min`})`,
);
console.log(
  `  ceiling: in ${ttd.ceiling} of ${ttd.campaigns} campaigns, 80% of the members had made a coordinated post within those 10 min ` +
    "(the most a detector that flags an account only after it acts can reach)",
);
const minutes = (ms: number | null): string => (ms === null ? "n/a" : `${fmt(ms / 60_000, 1)} min`);
console.log(
  `  secondary (not the issue's measure): ${ttd.postedSoFar.withinTarget} of ${ttd.postedSoFar.campaigns} campaigns had 80% of the members ` +
    `that had posted by then flagged 10 min after their 5th coordinated post (median share ${ttd.postedSoFar.medianShare === null ? "n/a" : fmt(ttd.postedSoFar.medianShare)}); ` +
    `per flagged member, first coordinated post → flagged: median ${minutes(ttd.memberLag.medianMs)}, 80th percentile ${minutes(ttd.memberLag.p80Ms)}`,
);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `\nthroughput: ${int(result.posts)} posts through every detector in ${fmt(result.detectMs / 1000, 2)} s = ` +
    `${int((result.posts / result.detectMs) * 1000)} posts/s wall (target ≥ 100,000); ` +
    `${result.checks} clustering checks took ${fmt(result.clusterMs / 1000, 1)} s ` +
    `(${fmt(result.clusterMs / result.checks, 1)} ms each); replay CPU time ${fmt(cpuMs / 1000, 1)} s`,
);
console.log(`engine state at the end: ${JSON.stringify(result.engine.stats())}`);

// The same stream again through a fresh engine with no clustering checks: process CPU time per post
// (one core; conversion of the ingest events included), best of two runs.
let bestCpuMs = Infinity;
for (let run = 0; run < 2; run++) {
  const engine = new DetectionEngine({ seed, minPartners });
  gc?.();
  const c0 = process.cpuUsage();
  for (let i = 0; i < stream.events.length; i++) {
    const e = stream.events[i]!;
    if (e.type === "account") engine.observeAccount(fromAccountEvent(e));
    else if (e.type === "post") engine.observePost(fromPostEvent(e));
    else engine.deletePost(e.id, stream.times[i]!);
  }
  const c = process.cpuUsage(c0);
  bestCpuMs = Math.min(bestCpuMs, (c.user + c.system) / 1000);
}
console.log(
  `throughput (CPU): ${int(result.posts)} posts in ${fmt(bestCpuMs / 1000, 2)} s of process CPU time = ` +
    `${int((result.posts / bestCpuMs) * 1000)} posts/s (best of 2; target ≥ 100,000 on one core)`,
);

// 3. Memory for a 24-hour window.
const WORDS = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
const TAGS = Array.from({ length: 20_000 }, (_, i) => `Tag${i.toString(36)}`);
function syntheticMemoryRun(posts: number): void {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const rng = new Rng(`${seed}/memory`);
  const engine = new DetectionEngine({ seed });
  const start = Date.UTC(2021, 1, 1);
  const step = 86_400_000 / posts;
  const nAccounts = 500_000;
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(n ** rng.next()) - 1);
  const t1 = performance.now();
  for (let i = 0; i < posts; i++) {
    const words: string[] = [];
    for (let k = 5 + (i % 15); k > 0; k--) words.push(WORDS[zipf(WORDS.length)]!);
    if (i % 3 === 0) words.push(`#${TAGS[zipf(TAGS.length)]}`, `#${TAGS[zipf(TAGS.length)]}`);
    const repost = i % 10 === 9 && i > 1000;
    engine.observePost({
      id: `m${i.toString(36)}`,
      authorId: `a${(zipf(nAccounts) * 7919) % nAccounts}`,
      createdAt: start + i * step,
      text: repost ? "" : words.join(" "),
      replyTo: null,
      quoteOf: null,
      repostOf: repost ? `m${(i - 1 - zipf(1000)).toString(36)}` : null,
      urls: i % 20 === 0 ? [`https://site${i % 97}.example/a/${zipf(100_000)}`] : [],
    });
    if (i % 1000 === 0 && i % 50 === 7) engine.deletePost(`m${(i - 5).toString(36)}`, start + i * step);
  }
  const seconds = (performance.now() - t1) / 1000;
  gc?.();
  const after = process.memoryUsage();
  console.log(
    `\nmemory: ${int(posts)} posts over 24 h from ${int(nAccounts)} accounts in ${fmt(seconds, 1)} s ` +
      `(${int(posts / seconds)} posts/s); after gc: heap ${fmt((after.heapUsed - before) / 2 ** 30, 3)} GiB + typed arrays ` +
      `${fmt(after.arrayBuffers / 2 ** 30, 3)} GiB = ${fmt((after.heapUsed - before + after.arrayBuffers) / 2 ** 30, 3)} GiB ` +
      `(rss ${fmt(after.rss / 2 ** 30, 2)} GiB; target ≤ 2 GB)` +
      `${gc ? "" : " — run with --expose-gc for a meaningful figure"}`,
  );
  console.log(`engine state: ${JSON.stringify(engine.stats())}`);
}
t0 = performance.now();
syntheticMemoryRun(memoryPosts);
