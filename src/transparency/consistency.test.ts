import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Rng } from "../demo/random.ts";
import {
  type AuditCase,
  benjaminiHochberg,
  bucketOf,
  chiSquareYates,
  consistencyAudit,
  fisherExact,
  groupOf,
  mannWhitneyU,
  similarCases,
} from "./consistency.ts";
import { renderConsistencyHtml } from "./consistency-html.ts";

// ---- Fisher's exact test, checked against the hypergeometric formula computed here -------------

/** n choose k, exactly. */
const choose = (n: number, k: number): bigint => {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
};

/**
 * P(X = x) for the table [[x, r1-x], [c1-x, r2-c1+x]]: C(r1, x) C(r2, c1-x) / C(n, c1), and the
 * two-sided p-value: the sum over tables no more likely than the observed one. Exact rationals.
 */
function handFisher(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const denom = choose(n, c1);
  const num = (x: number) => choose(r1, x) * choose(r2, c1 - x);
  const observed = num(a);
  let sum = 0n;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) if (num(x) <= observed) sum += num(x);
  return Number((sum * 10n ** 15n) / denom) / 1e15;
}

describe("statistics", () => {
  test("Fisher p-values match the hypergeometric formula and published values", () => {
    // Published: R fisher.test — tea tasting [[3,1],[1,3]] p = 0.4857; [[1,9],[11,3]] p = 0.002759.
    assert.ok(Math.abs(handFisher(3, 1, 1, 3) - 0.4857143) < 1e-6);
    assert.ok(Math.abs(handFisher(1, 9, 11, 3) - 0.002759) < 1e-6);
    // By hand: [[10,0],[0,10]] → 2 / C(20,10) = 2 / 184756; [[0,5],[5,0]] → 2 / C(10,5) = 2 / 252.
    assert.ok(Math.abs(handFisher(10, 0, 0, 10) - 2 / 184756) < 1e-12);
    assert.ok(Math.abs(handFisher(0, 5, 5, 0) - 2 / 252) < 1e-12);
    const tables: [number, number, number, number][] = [
      [3, 1, 1, 3],
      [1, 9, 11, 3],
      [10, 0, 0, 10],
      [0, 5, 5, 0],
      [7, 2, 3, 8],
      [20, 30, 35, 15],
      [0, 0, 4, 6],
      [12, 5, 7, 9],
      [45, 15, 18, 42],
      [2, 8, 0, 1],
    ];
    for (const t of tables) {
      const expected = handFisher(...t);
      const got = fisherExact(...t);
      assert.ok(Math.abs(got - expected) <= 1e-9 + 1e-6 * expected, `${t}: ${got} vs ${expected}`);
    }
    assert.equal(fisherExact(5, 5, 5, 5), 1);
    assert.throws(() => fisherExact(-1, 2, 3, 4), RangeError);
  });

  test("chi-square with Yates: the statistic by hand, and p close to Fisher's on a large table", () => {
    const [a, b, c, d] = [300, 200, 250, 250];
    const n = 1000;
    const hand = (n * (Math.abs(a * d - b * c) - n / 2) ** 2) / ((a + b) * (c + d) * (a + c) * (b + d));
    const r = chiSquareYates(a, b, c, d);
    assert.ok(Math.abs(r.statistic - hand) < 1e-9);
    // χ² = 3.841459 (1 df) is the 5% critical value.
    const p5 = chiSquareYates(0, 0, 0, 0);
    assert.deepEqual(p5, { statistic: 0, pValue: 1 });
    const fisher = fisherExact(a, b, c, d);
    assert.ok(Math.abs(r.pValue - fisher) / fisher < 0.1, `${r.pValue} vs ${fisher}`);
  });

  test("Mann–Whitney U: U by hand, symmetric, and p = 1 for identical values", () => {
    // x = [1, 2, 3], y = [4, 5, 6]: every y beats every x → U_x = 0.
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    assert.equal(r.u, 0);
    assert.ok(r.z < 0);
    const s = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    assert.equal(s.u, 9);
    assert.ok(Math.abs(r.pValue - s.pValue) < 1e-12);
    // Normal approximation by hand: mean 4.5, var 3*3*7/12 = 5.25, z = (0 - 4.5 + 0.5)/sqrt(5.25).
    assert.ok(Math.abs(r.z - -4 / Math.sqrt(5.25)) < 1e-12);
    assert.equal(mannWhitneyU([2, 2, 2], [2, 2]).pValue, 1);
  });

  test("Benjamini–Hochberg adjusted p-values", () => {
    // sorted 0.005, 0.01, 0.03, 0.04 (m = 4): 0.02, 0.02, 0.04, 0.04; back in input order.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.02, 0.04, 0.04, 0.02];
    q.forEach((v, i) => {
      assert.ok(Math.abs(v - expected[i]!) < 1e-12, `${i}: ${v}`);
    });
    assert.deepEqual(benjaminiHochberg([]), []);
    assert.deepEqual(benjaminiHochberg([0.9, 1]), [1, 1]);
  });

  test("buckets and groups", () => {
    assert.equal(bucketOf(0.1, [0.25, 0.5]), "<0.25");
    assert.equal(bucketOf(0.25, [0.25, 0.5]), "[0.25,0.5)");
    assert.equal(bucketOf(0.9, [0.25, 0.5]), ">=0.5");
    assert.equal(bucketOf(5, []), "all");
    const g = groupOf({ ...baseCase, labels: ["b", "a", "a"], severity: 0.6, reach: 5000 });
    assert.deepEqual(g, {
      category: "violent_speech",
      labels: ["a", "b"],
      severityBucket: "[0.5,0.75)",
      reachBucket: "[1000,10000)",
    });
  });
});

// ---- scenarios ------------------------------------------------------------------------------

const baseCase: AuditCase = {
  id: "c0",
  country: "IN",
  requester: "government_agency",
  window: "2021-W05",
  decidedAt: "2021-02-01T00:00:00.000Z",
  category: "violent_speech",
  labels: [],
  severity: 0.5,
  reach: 1000,
  outcome: "no_action",
  severityRank: 0,
};

const COUNTRIES = ["IN", "US", "BR", "DE"];
const REQUESTERS = ["government_agency", "police", "court"];
const WINDOWS = ["2021-W04", "2021-W05", "2021-W06"];
const CATEGORIES = ["violent_speech", "abuse"];
/** Action probability by severity bucket (the only thing that should decide, absent disparity). */
const P_ACTION = [0.1, 0.3, 0.6, 0.85];
const RANK = { none: 0, label: 1, withhold: 2, suspend: 3 };

interface Plant {
  /** Action rate for this country and category is raised to `rate`. */
  actionRate?: { country: string; category: string; rate: number };
  /** Actioned cases in this country and category are suspended with probability `p` (else 0.2). */
  harsher?: { country: string; category: string; p: number };
  /** Severity signals skewed high in this country (a confound the grouping must absorb). */
  skewSeverity?: string;
}

function scenario(seed: string, plant: Plant = {}, n = 4000): AuditCase[] {
  const rng = new Rng(seed);
  const out: AuditCase[] = [];
  const start = Date.parse("2021-01-20T00:00:00Z");
  for (let i = 0; i < n; i++) {
    const country = rng.pick(COUNTRIES);
    const category = rng.pick(CATEGORIES);
    const severity = plant.skewSeverity === country ? 0.5 + 0.5 * rng.next() : rng.next();
    const bucket = severity < 0.25 ? 0 : severity < 0.5 ? 1 : severity < 0.75 ? 2 : 3;
    let p = P_ACTION[bucket]!;
    const ar = plant.actionRate;
    if (ar && ar.country === country && ar.category === category) p = ar.rate;
    const acted = rng.chance(p);
    const h = plant.harsher;
    const pSuspend = h && h.country === country && h.category === category ? h.p : 0.2;
    const outcome = !acted ? "no_action" : rng.chance(pSuspend) ? "suspend" : "withhold";
    out.push({
      id: `${seed}-${i}`,
      country,
      requester: rng.pick(REQUESTERS),
      window: rng.pick(WINDOWS),
      decidedAt: new Date(start + i * 60_000).toISOString(),
      category,
      labels: [],
      severity,
      reach: Math.floor(10 ** rng.float(2.1, 3.9)),
      outcome,
      severityRank:
        outcome === "no_action" ? RANK.none : outcome === "suspend" ? RANK.suspend : RANK.withhold,
    });
  }
  return out;
}

const SEEDS = ["s1", "s2", "s3", "s4", "s5", "s6"];

describe("consistency audit", () => {
  test("a planted disparity (same content acted on more in IN) is flagged, with the cases behind it", () => {
    for (const seed of SEEDS) {
      const cases = scenario(seed, { actionRate: { country: "IN", category: "violent_speech", rate: 0.95 } });
      const report = consistencyAudit(cases);
      assert.match(report.method, /Fisher's exact test/);
      assert.match(report.method, /Benjamini–Hochberg/);
      const byId = new Map(cases.map((c) => [c.id, c]));
      const planted = report.flags.filter(
        (f) =>
          f.dimension === "country" &&
          f.metric === "action_rate" &&
          (f.a.value === "IN" || f.b.value === "IN"),
      );
      assert.ok(planted.length >= 3, `${seed}: only ${planted.length} IN flags`);
      // Benjamini–Hochberg bounds the false discovery RATE: with many true flags a few chance ones
      // may join them, but they must stay a small minority.
      const offTarget = report.flags.filter((f) => !planted.includes(f));
      assert.ok(
        offTarget.length <= Math.ceil(0.1 * report.flags.length),
        `${seed}: ${offTarget.length} off-target flags`,
      );
      for (const f of planted) {
        assert.equal(f.group.category, "violent_speech", `${seed}: IN flagged in ${f.groupId}`);
        assert.equal(f.test, "fisher_exact_two_sided");
        assert.ok(f.qValue! <= 0.05 && f.pValue! <= f.qValue!);
        // The cases behind the flag: in the flag's group, on the side they are listed on.
        for (const [sideOf, ids] of [
          [f.a.value, f.a.caseIds],
          [f.b.value, f.b.caseIds],
        ] as const) {
          assert.ok(ids.length >= 5);
          for (const id of ids) {
            const c = byId.get(id)!;
            assert.equal(c.country, sideOf);
            assert.deepEqual(groupOf(c), f.group);
          }
        }
        const inSide = f.a.value === "IN" ? f.a : f.b;
        const other = f.a.value === "IN" ? f.b : f.a;
        assert.ok(inSide.actionRate > other.actionRate);
        assert.equal(inSide.actioned, inSide.caseIds.filter((id) => byId.get(id)!.severityRank > 0).length);
      }
    }
  });

  test("no disparity: nothing is flagged, over several seeds", () => {
    for (const seed of SEEDS) {
      const report = consistencyAudit(scenario(seed));
      assert.ok(report.tests > 200, `${seed}: only ${report.tests} tests ran`);
      assert.deepEqual(
        report.flags.map((f) => `${f.groupId} ${f.dimension} ${f.a.value}/${f.b.value} q=${f.qValue}`),
        [],
        seed,
      );
    }
  });

  test("a confound is absorbed by the grouping: IN content is more severe, and only severity decides", () => {
    for (const seed of SEEDS.slice(0, 3)) {
      const cases = scenario(seed, { skewSeverity: "IN" });
      assert.deepEqual(consistencyAudit(cases).flags, [], seed);
      // Without severity buckets the same data looks like differential treatment of IN.
      const naive = consistencyAudit(cases, { severityEdges: [] });
      assert.ok(
        naive.flags.some((f) => f.dimension === "country" && (f.a.value === "IN" || f.b.value === "IN")),
        `${seed}: the naive audit should have flagged IN`,
      );
    }
  });

  test("harsher actions for the same content in one country are flagged on severity (Mann–Whitney)", () => {
    for (const seed of SEEDS.slice(0, 3)) {
      const report = consistencyAudit(
        scenario(seed, { harsher: { country: "BR", category: "abuse", p: 0.9 } }),
      );
      const sev = report.flags.filter((f) => f.metric === "severity");
      assert.ok(sev.length >= 1, `${seed}: no severity flag`);
      const offTarget = report.flags.filter((f) => !sev.includes(f));
      assert.ok(
        offTarget.length <= Math.ceil(0.1 * report.flags.length),
        `${seed}: ${offTarget.length} off-target flags`,
      );
      for (const f of sev) {
        assert.equal(f.test, "mann_whitney_u_two_sided");
        assert.equal(f.group.category, "abuse");
        const br = f.a.value === "BR" ? f.a : f.b;
        assert.equal(br.value, "BR");
        assert.ok(br.meanSeverityRank! > (f.a === br ? f.b : f.a).meanSeverityRank!);
      }
    }
  });

  test("chi-square with Yates replaces Fisher above fisherMaxN, and says so", () => {
    const cases = scenario("s1", { actionRate: { country: "IN", category: "violent_speech", rate: 0.95 } });
    const report = consistencyAudit(cases, { fisherMaxN: 10 });
    const rates = report.comparisons.filter((c) => c.metric === "action_rate" && c.test !== null);
    assert.ok(rates.length > 0 && rates.every((c) => c.test === "chi_square_yates" && c.statistic !== null));
    assert.ok(report.flags.some((f) => f.a.value === "IN" || f.b.value === "IN"));
  });

  test("comparisons with nothing to test are listed but not counted; small sides are skipped", () => {
    const mk = (id: string, country: string, rank: number): AuditCase => ({
      ...baseCase,
      id,
      country,
      severityRank: rank,
      outcome: rank > 0 ? "withhold" : "no_action",
    });
    const all = [
      ...Array.from({ length: 6 }, (_, i) => mk(`a${i}`, "IN", 2)),
      ...Array.from({ length: 6 }, (_, i) => mk(`b${i}`, "US", 2)),
      ...Array.from({ length: 4 }, (_, i) => mk(`c${i}`, "BR", 0)),
    ];
    const r = consistencyAudit(all, { dimensions: ["country"] });
    // BR has 4 < 5 cases: no comparison. IN vs US: all actioned → untested rate; same rank → untested severity.
    assert.equal(r.comparisons.length, 2);
    assert.ok(r.comparisons.every((c) => c.pValue === null && c.test === null && !c.significant));
    assert.equal(r.tests, 0);
    assert.deepEqual(r.flags, []);
  });
});

describe("similar cases", () => {
  const hist: AuditCase[] = [
    {
      ...baseCase,
      id: "h1",
      decidedAt: "2021-01-10T00:00:00Z",
      severity: 0.8,
      reach: 2000,
      outcome: "withhold",
      severityRank: 2,
    },
    {
      ...baseCase,
      id: "h2",
      decidedAt: "2021-01-11T00:00:00Z",
      severity: 0.2,
      reach: 2000,
      outcome: "no_action",
      severityRank: 0,
    },
    {
      ...baseCase,
      id: "h3",
      decidedAt: "2021-01-12T00:00:00Z",
      category: "spam",
      severity: 0.8,
      reach: 2000,
      outcome: "suspend",
      severityRank: 3,
    },
    {
      ...baseCase,
      id: "h4",
      decidedAt: "2021-01-13T00:00:00Z",
      severity: 0.8,
      reach: 2000,
      labels: ["manipulated_media"],
      outcome: "label",
      severityRank: 1,
    },
    {
      ...baseCase,
      id: "h5",
      decidedAt: "2021-03-01T00:00:00Z",
      severity: 0.8,
      reach: 2000,
      outcome: "suspend",
      severityRank: 3,
    },
    {
      ...baseCase,
      id: "h6",
      decidedAt: "2021-01-14T00:00:00Z",
      severity: 0.8,
      reach: 2000,
      outcome: "withhold",
      severityRank: 2,
    },
  ];
  const item = { ...baseCase, id: "new", decidedAt: "2021-02-01T00:00:00Z", severity: 0.8, reach: 2000 };

  test("nearest earlier cases first, with what was decided; later cases and the item itself excluded", () => {
    const s = similarCases(item, [...hist, { ...hist[0]!, id: "new" }], 4);
    assert.deepEqual(
      s.map((x) => [x.case.id, x.outcome]),
      [
        ["h6", "withhold"], // identical signals, most recent
        ["h1", "withhold"], // identical signals
        ["h2", "no_action"], // severity 0.6 apart
        ["h4", "label"], // a different label set (Jaccard distance 1)
      ],
    );
    assert.equal(s[0]!.distance, 0);
    assert.ok(s.every((x) => x.case.id !== "h5" && x.case.id !== "new"));
    assert.equal(similarCases(item, hist, 10).at(-1)!.case.id, "h3", "another category comes last");
    assert.equal(similarCases(item, hist, 0).length, 0);
  });

  test("without decidedAt every case counts as earlier", () => {
    const { decidedAt: _d, ...undated } = item;
    assert.ok(similarCases(undated, hist, 10).some((x) => x.case.id === "h5"));
  });
});

describe("consistency audit page", () => {
  test("lists the method, each flag with its cases, and escapes every value", () => {
    const cases = scenario("s2", {
      actionRate: { country: "IN", category: "violent_speech", rate: 0.95 },
    }).map((c, i) => (i === 0 ? { ...c, country: "<b>X</b>" } : c));
    const report = consistencyAudit(cases);
    const html = renderConsistencyHtml(report, { caseLink: (id) => `/cases/${id}?a=1&b=2` });
    assert.ok(report.flags.length > 0);
    assert.match(html, /Fisher&#39;s exact test/);
    assert.equal(html.match(/<section class="flag">/g)?.length, report.flags.length);
    const first = report.flags[0]!;
    assert.ok(html.includes(`<a href="/cases/${first.a.caseIds[0]}?a=1&amp;b=2">`));
    assert.ok(!html.includes("<b>X</b>"));
    const quiet = renderConsistencyHtml(consistencyAudit(scenario("s3")));
    assert.match(quiet, /No statistically significant difference/);
  });
});
