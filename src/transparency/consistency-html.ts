/**
 * The consistency audit as a self-contained HTML page (no scripts, no external resources): the
 * method, then each flag with its two sides and the cases behind them, then every comparison run.
 */
import type { Comparison, ConsistencyReport } from "./consistency.ts";

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number | null) => (x === null ? "—" : x < 1e-4 ? x.toExponential(2) : x.toFixed(4));

const TEST_NAMES: Record<string, string> = {
  fisher_exact_two_sided: "Fisher's exact test (two-sided)",
  chi_square_yates: "Chi-square with Yates' correction",
  mann_whitney_u_two_sided: "Mann–Whitney U (two-sided)",
};

const sideCell = (c: Comparison, s: Comparison["a"]) =>
  c.metric === "action_rate"
    ? `${esc(s.value)}: ${s.actioned}/${s.n} actioned (${pct(s.actionRate)})`
    : `${esc(s.value)}: mean severity ${s.meanSeverityRank?.toFixed(2) ?? "—"} over ${s.n} actioned`;

const row = (c: Comparison) =>
  `<tr${c.significant ? ' class="flag"' : ""}><td>${esc(c.groupId)}</td><td>${c.dimension}</td><td>${c.metric === "action_rate" ? "action rate" : "severity"}</td><td>${sideCell(c, c.a)}</td><td>${sideCell(c, c.b)}</td><td>${c.test ? esc(TEST_NAMES[c.test] ?? c.test) : "not tested (no variation)"}</td><td>${num(c.pValue)}</td><td>${num(c.qValue)}</td></tr>`;

const HEAD =
  "<tr><th>group</th><th>dimension</th><th>metric</th><th>side A</th><th>side B</th><th>test</th><th>p</th><th>q (BH)</th></tr>";

/** Renders the report. `caseLink` turns a case id into a URL (default: no links). */
export function renderConsistencyHtml(
  report: ConsistencyReport,
  options: { title?: string; caseLink?: (id: string) => string } = {},
): string {
  const title = options.title ?? "Consistency audit";
  const caseList = (ids: string[]) =>
    ids
      .map((id) => (options.caseLink ? `<a href="${esc(options.caseLink(id))}">${esc(id)}</a>` : esc(id)))
      .join(", ");
  const flags = report.flags
    .map(
      (f, i) => `<section class="flag">
<h3>Flag ${i + 1}: ${f.dimension} — ${esc(f.a.value)} vs ${esc(f.b.value)} (${f.metric === "action_rate" ? "action rate" : "severity"})</h3>
<p>Group: ${esc(f.groupId)}. ${esc(TEST_NAMES[f.test ?? ""] ?? "")}: p = ${num(f.pValue)}, q = ${num(f.qValue)}.</p>
<p>${sideCell(f, f.a)} — cases: ${caseList(f.a.caseIds)}</p>
<p>${sideCell(f, f.b)} — cases: ${caseList(f.b.caseIds)}</p>
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}tr.flag{background:#fde2e2}section.flag{border-left:4px solid #c0392b;padding-left:1rem;margin-bottom:1rem}</style>
</head><body>
<h1>${esc(title)}</h1>
<p>${report.cases} cases in ${report.groups} groups; ${report.tests} tests; ${report.flags.length} significant difference${report.flags.length === 1 ? "" : "s"} at a false discovery rate of ${report.alpha}.</p>
<h2>Method</h2>
<p>${esc(report.method)}</p>
<h2>Flags</h2>
${flags || "<p>No statistically significant difference.</p>"}
<h2>All comparisons</h2>
<table>${HEAD}
${report.comparisons.map(row).join("\n")}
</table>
</body></html>
`;
}
