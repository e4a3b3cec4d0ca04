/**
 * The consistency audit: the "differential treatment" question, answered with data. Pure: the caller
 * assembles decided cases (from order items, review cases and the ledger); this module groups
 * comparable ones, compares them across countries, requesters and incidents or time windows, and
 * flags differences that are statistically significant, with the cases behind each flag.
 *
 * Method (also returned as `report.method`):
 * 1. Comparable cases share a group: the same rule or category, the same set of labels, the same
 *    severity-signal bucket and the same reach bucket (edges configurable).
 * 2. Within a group, for each dimension (country, requester, window), every pair of values with at
 *    least `minCasesPerSide` cases each is compared:
 *    - action rate (severityRank > 0) in a 2×2 table: Fisher's exact test, two-sided (summing the
 *      probabilities of all tables with the same margins that are no more likely than the one
 *      observed); above `fisherMaxN` cases, Pearson's chi-square with Yates' continuity correction;
 *    - action severity among actioned cases (at least `minCasesPerSide` on each side): the
 *      Mann–Whitney U test, two-sided, normal approximation with tie and continuity corrections.
 *    A pair where neither side can differ (all or none actioned on both sides; identical severity
 *    everywhere) is reported but not tested.
 * 3. Benjamini–Hochberg correction over all tests run; a comparison is flagged when its adjusted
 *    p-value (q) is at most `alpha` (default 0.05, the false discovery rate).
 */

/** One decided case. */
export interface AuditCase {
  id: string;
  /** Country the case concerns (the requesting country, or where the content was reported). */
  country: string;
  /** Who asked: court, government_agency, police, other, or e.g. "platform" / "user_report". */
  requester: string;
  /** Incident or time window, e.g. "farmers-protest-2021" or "2021-W05". */
  window: string;
  /** When the case was decided (RFC 3339). */
  decidedAt: string;
  /** The rule or category, e.g. "violent_speech". */
  category: string;
  /** Labels on the content, e.g. ["manipulated_media"]. */
  labels: readonly string[];
  /** Severity signal score, 0 to 1 (detector or reviewer score). */
  severity: number;
  /** Reach: followers of the account, or views of the post. */
  reach: number;
  /** What was decided, e.g. "no_action", "label", "withhold", "suspend". */
  outcome: string;
  /** How severe the outcome is: 0 = no action; higher = harsher. */
  severityRank: number;
}

export type AuditDimension = "country" | "requester" | "window";

export interface ConsistencyOptions {
  /** Severity bucket edges (default [0.25, 0.5, 0.75]). */
  severityEdges?: readonly number[];
  /** Reach bucket edges (default [100, 1000, 10000, 100000]). */
  reachEdges?: readonly number[];
  /** Dimensions compared (default all three). */
  dimensions?: readonly AuditDimension[];
  /** False discovery rate for Benjamini–Hochberg (default 0.05). */
  alpha?: number;
  /** Fewest cases on each side of a comparison (default 5). */
  minCasesPerSide?: number;
  /** Above this many cases in a 2×2 table, chi-square with Yates' correction replaces Fisher (default 10000). */
  fisherMaxN?: number;
}

export type AuditTest = "fisher_exact_two_sided" | "chi_square_yates" | "mann_whitney_u_two_sided";

export interface GroupKey {
  category: string;
  labels: string[];
  severityBucket: string;
  reachBucket: string;
}

export interface ComparisonSide {
  value: string;
  n: number;
  actioned: number;
  actionRate: number;
  /** Mean severityRank among actioned cases (null when none). */
  meanSeverityRank: number | null;
  caseIds: string[];
}

export interface Comparison {
  group: GroupKey;
  groupId: string;
  dimension: AuditDimension;
  metric: "action_rate" | "severity";
  test: AuditTest | null;
  a: ComparisonSide;
  b: ComparisonSide;
  /** Test statistic (chi-square, or Mann–Whitney z); null for Fisher and untested comparisons. */
  statistic: number | null;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p-value. */
  qValue: number | null;
  significant: boolean;
}

export interface ConsistencyReport {
  method: string;
  alpha: number;
  cases: number;
  groups: number;
  tests: number;
  comparisons: Comparison[];
  /** The significant comparisons, smallest q first. */
  flags: Comparison[];
}

// ---- statistics -------------------------------------------------------------------------------

const logFact: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFact.length; i <= n; i++) logFact.push(logFact[i - 1]! + Math.log(i));
  return logFact[n]!;
}

/**
 * Fisher's exact test for the 2×2 table [[a, b], [c, d]], two-sided: the sum of the hypergeometric
 * probabilities of every table with the same margins whose probability is at most the observed
 * one's (with a relative tolerance of 1e-7, as R's fisher.test).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  for (const x of [a, b, c, d])
    if (!Number.isInteger(x) || x < 0) throw new RangeError("table cells must be non-negative integers");
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const base =
    logFactorial(r1) + logFactorial(r2) + logFactorial(c1) + logFactorial(n - c1) - logFactorial(n);
  const logP = (x: number) =>
    base - logFactorial(x) - logFactorial(r1 - x) - logFactorial(c1 - x) - logFactorial(r2 - c1 + x);
  const lo = Math.max(0, c1 - r2);
  const hi = Math.min(r1, c1);
  const observed = logP(a);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Complementary error function (Numerical Recipes' erfc, fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Pearson's chi-square with Yates' continuity correction for [[a, b], [c, d]] (1 df): statistic and p. */
export function chiSquareYates(
  a: number,
  b: number,
  c: number,
  d: number,
): { statistic: number; pValue: number } {
  const n = a + b + c + d;
  const denom = (a + b) * (c + d) * (a + c) * (b + d);
  if (denom === 0) return { statistic: 0, pValue: 1 };
  const diff = Math.max(0, Math.abs(a * d - b * c) - n / 2);
  const statistic = (n * diff * diff) / denom;
  return { statistic, pValue: Math.min(1, erfc(Math.sqrt(statistic / 2))) };
}

/**
 * The Mann–Whitney U test, two-sided, normal approximation with tie and continuity corrections.
 * Returns z and p; p = 1 when every value is the same.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
): { u: number; z: number; pValue: number } {
  const n1 = x.length;
  const n2 = y.length;
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((p, q) => p.v - q.v);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const diff = Math.max(0, Math.abs(u - mean) - 0.5);
  const z = (Math.sign(u - mean) * diff) / Math.sqrt(variance);
  return { u, z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/** Benjamini–Hochberg adjusted p-values (q), in the input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const q = new Array<number>(m);
  let min = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k]!;
    min = Math.min(min, (p * m) / (k + 1));
    q[i] = min;
  }
  return q;
}

// ---- grouping ---------------------------------------------------------------------------------

const DEFAULTS = {
  severityEdges: [0.25, 0.5, 0.75],
  reachEdges: [100, 1_000, 10_000, 100_000],
  dimensions: ["country", "requester", "window"] as AuditDimension[],
  alpha: 0.05,
  minCasesPerSide: 5,
  fisherMaxN: 10_000,
};

/** The bucket of `v` between sorted edges, written as an interval: "<0.25", "[0.25,0.5)", ">=0.75". */
export function bucketOf(v: number, edges: readonly number[]): string {
  if (edges.length === 0) return "all";
  if (v < edges[0]!) return `<${edges[0]}`;
  for (let i = 1; i < edges.length; i++) if (v < edges[i]!) return `[${edges[i - 1]},${edges[i]})`;
  return `>=${edges[edges.length - 1]}`;
}

/** The group a case belongs to: same category, labels, severity bucket and reach bucket. */
export function groupOf(c: AuditCase, options: ConsistencyOptions = {}): GroupKey {
  return {
    category: c.category,
    labels: [...new Set(c.labels)].sort(),
    severityBucket: bucketOf(c.severity, options.severityEdges ?? DEFAULTS.severityEdges),
    reachBucket: bucketOf(c.reach, options.reachEdges ?? DEFAULTS.reachEdges),
  };
}

const groupIdOf = (g: GroupKey) =>
  `${g.category}|${g.labels.join("+") || "-"}|severity ${g.severityBucket}|reach ${g.reachBucket}`;

const side = (value: string, cases: AuditCase[]): ComparisonSide => {
  const acted = cases.filter((c) => c.severityRank > 0);
  return {
    value,
    n: cases.length,
    actioned: acted.length,
    actionRate: cases.length === 0 ? 0 : acted.length / cases.length,
    meanSeverityRank:
      acted.length === 0 ? null : acted.reduce((s, c) => s + c.severityRank, 0) / acted.length,
    caseIds: cases.map((c) => c.id),
  };
};

const METHOD = (o: typeof DEFAULTS) =>
  `Cases are grouped by rule/category, label set, severity bucket (edges ${o.severityEdges.join(", ") || "none"}) and reach bucket (edges ${o.reachEdges.join(", ") || "none"}). Within each group, every pair of ${o.dimensions.join(" / ")} values with at least ${o.minCasesPerSide} cases each is compared: action rates with Fisher's exact test, two-sided (chi-square with Yates' continuity correction above ${o.fisherMaxN} cases), and the severity of actions among actioned cases with the two-sided Mann–Whitney U test (normal approximation, tie and continuity corrections). P-values are adjusted with the Benjamini–Hochberg procedure over all tests; a difference is flagged when q ≤ ${o.alpha}.`;

/** Runs the audit over decided cases. */
export function consistencyAudit(
  cases: readonly AuditCase[],
  options: ConsistencyOptions = {},
): ConsistencyReport {
  const o = {
    severityEdges: [...(options.severityEdges ?? DEFAULTS.severityEdges)].sort((a, b) => a - b),
    reachEdges: [...(options.reachEdges ?? DEFAULTS.reachEdges)].sort((a, b) => a - b),
    dimensions: [...(options.dimensions ?? DEFAULTS.dimensions)],
    alpha: options.alpha ?? DEFAULTS.alpha,
    minCasesPerSide: options.minCasesPerSide ?? DEFAULTS.minCasesPerSide,
    fisherMaxN: options.fisherMaxN ?? DEFAULTS.fisherMaxN,
  };
  const groups = new Map<string, { key: GroupKey; cases: AuditCase[] }>();
  for (const c of cases) {
    const key = groupOf(c, o);
    const id = groupIdOf(key);
    let g = groups.get(id);
    if (!g) {
      g = { key, cases: [] };
      groups.set(id, g);
    }
    g.cases.push(c);
  }

  const comparisons: Comparison[] = [];
  for (const [groupId, g] of [...groups].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    for (const dimension of o.dimensions) {
      const byValue = new Map<string, AuditCase[]>();
      for (const c of g.cases) {
        const v = c[dimension];
        const list = byValue.get(v);
        if (list) list.push(c);
        else byValue.set(v, [c]);
      }
      const values = [...byValue.keys()].filter((v) => byValue.get(v)!.length >= o.minCasesPerSide).sort();
      for (let i = 0; i < values.length; i++)
        for (let j = i + 1; j < values.length; j++) {
          const A = byValue.get(values[i]!)!;
          const B = byValue.get(values[j]!)!;
          const a = side(values[i]!, A);
          const b = side(values[j]!, B);
          const base = { group: g.key, groupId, dimension, a, b, qValue: null, significant: false };
          // action rate
          const totalActed = a.actioned + b.actioned;
          if (totalActed === 0 || totalActed === a.n + b.n)
            comparisons.push({ ...base, metric: "action_rate", test: null, statistic: null, pValue: null });
          else if (a.n + b.n > o.fisherMaxN) {
            const r = chiSquareYates(a.actioned, a.n - a.actioned, b.actioned, b.n - b.actioned);
            comparisons.push({
              ...base,
              metric: "action_rate",
              test: "chi_square_yates",
              statistic: r.statistic,
              pValue: r.pValue,
            });
          } else
            comparisons.push({
              ...base,
              metric: "action_rate",
              test: "fisher_exact_two_sided",
              statistic: null,
              pValue: fisherExact(a.actioned, a.n - a.actioned, b.actioned, b.n - b.actioned),
            });
          // severity among actioned cases
          const ra = A.filter((c) => c.severityRank > 0).map((c) => c.severityRank);
          const rb = B.filter((c) => c.severityRank > 0).map((c) => c.severityRank);
          if (ra.length >= o.minCasesPerSide && rb.length >= o.minCasesPerSide) {
            const severitySides = {
              a: side(
                values[i]!,
                A.filter((c) => c.severityRank > 0),
              ),
              b: side(
                values[j]!,
                B.filter((c) => c.severityRank > 0),
              ),
            };
            const r = mannWhitneyU(ra, rb);
            const constant = new Set([...ra, ...rb]).size === 1;
            comparisons.push({
              ...base,
              ...severitySides,
              metric: "severity",
              test: constant ? null : "mann_whitney_u_two_sided",
              statistic: constant ? null : r.z,
              pValue: constant ? null : r.pValue,
            });
          }
        }
    }
  }

  const tested = comparisons.filter((c) => c.pValue !== null);
  const q = benjaminiHochberg(tested.map((c) => c.pValue!));
  tested.forEach((c, i) => {
    c.qValue = q[i]!;
    c.significant = q[i]! <= o.alpha;
  });
  const flags = tested
    .filter((c) => c.significant)
    .sort((x, y) => x.qValue! - y.qValue! || x.pValue! - y.pValue!);
  return {
    method: METHOD(o),
    alpha: o.alpha,
    cases: cases.length,
    groups: groups.size,
    tests: tested.length,
    comparisons,
    flags,
  };
}

// ---- similar cases ----------------------------------------------------------------------------

/** The item being decided: a case without its outcome. `decidedAt` (default: now) bounds "earlier". */
export type AuditItem = Omit<AuditCase, "outcome" | "severityRank" | "decidedAt"> & { decidedAt?: string };

export interface SimilarCase {
  case: AuditCase;
  /** 0 = identical signals; category mismatch adds 2, label Jaccard distance up to 1, severity up to 1, reach (log10, halved) up to 1. */
  distance: number;
  outcome: string;
  severityRank: number;
}

/** Distance between an item and an earlier case (see SimilarCase.distance). */
export function caseDistance(item: AuditItem, c: AuditCase): number {
  const la = new Set(item.labels);
  const lb = new Set(c.labels);
  const union = new Set([...la, ...lb]).size;
  const inter = [...la].filter((l) => lb.has(l)).length;
  const jaccard = union === 0 ? 0 : 1 - inter / union;
  const sev = Math.min(1, Math.abs(item.severity - c.severity));
  const reach = Math.min(
    1,
    Math.abs(Math.log10(1 + Math.max(0, item.reach)) - Math.log10(1 + Math.max(0, c.reach))) / 2,
  );
  return (item.category === c.category ? 0 : 2) + jaccard + sev + reach;
}

/**
 * The k earlier cases most similar to `item`, nearest first (ties: most recent first, then id), each
 * with what was decided. Only cases decided before `item.decidedAt` count (all, when it is absent);
 * the item itself (same id) never does.
 */
export function similarCases(item: AuditItem, history: readonly AuditCase[], k = 5): SimilarCase[] {
  const before = item.decidedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(item.decidedAt);
  return history
    .filter((c) => c.id !== item.id && Date.parse(c.decidedAt) < before)
    .map((c) => ({
      case: c,
      distance: caseDistance(item, c),
      outcome: c.outcome,
      severityRank: c.severityRank,
    }))
    .sort(
      (x, y) =>
        x.distance - y.distance ||
        Date.parse(y.case.decidedAt) - Date.parse(x.case.decidedAt) ||
        (x.case.id < y.case.id ? -1 : x.case.id > y.case.id ? 1 : 0),
    )
    .slice(0, Math.max(0, k));
}
