/**
 * The transparency report's renderings: CSV, a self-contained HTML page with server-side ECharts SVG
 * charts, and a PDF printed by Chromium (playwright-core). Everything is rendered from the
 * `TransparencyReport` object alone; every string from it is escaped.
 */
import fs from "node:fs";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { VigilError } from "../errors.ts";
import type {
  DemandRow,
  ProactiveRow,
  Published,
  RequesterGroup,
  TransparencyReport,
} from "./report-types.ts";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

// ---------------------------------------------------------------------------------------------
// Columns (shared by the CSV and the HTML tables)

type DemandCount = {
  [K in keyof DemandRow]: DemandRow[K] extends Published ? K : never;
}[keyof DemandRow];

/** The demand count columns, in order: field, CSV header, HTML header. */
export const DEMAND_COUNT_COLUMNS: readonly (readonly [DemandCount, string, string])[] = [
  ["legalDemands", "legal_demands", "Legal demands"],
  ["itemsSpecified", "items_specified", "Items specified"],
  ["accountsSpecified", "accounts_specified", "Accounts specified"],
  ["accountsWithheld", "accounts_withheld", "Accounts withheld"],
  ["postsWithheld", "posts_withheld", "Posts withheld"],
  ["accountsTos", "accounts_tos", "Accounts actioned (rules)"],
  ["itemsNoAction", "items_no_action", "Items with no action"],
  ["emergencyOrders", "emergency_orders", "Emergency orders"],
  ["restorations", "restorations", "Restorations"],
  ["appealsReceived", "appeals_received", "Appeals received"],
  ["appealsGranted", "appeals_granted", "Appeals granted"],
];

type ProactiveCount = Exclude<keyof ProactiveRow, "rule" | "group">;

export const PROACTIVE_COUNT_COLUMNS: readonly (readonly [ProactiveCount, string, string])[] = [
  ["accountsSuspended", "accounts_suspended", "Accounts suspended"],
  ["postsActioned", "posts_actioned", "Posts actioned"],
  ["labels", "labels", "Labels"],
  ["hashtagsRestricted", "hashtags_restricted", "Hashtags restricted"],
  ["total", "total", "Total"],
];

const REQUESTER_LABELS: Record<RequesterGroup, string> = {
  court_orders: "Court orders",
  government_agency_police_other: "Government agency, police, other",
};

const GROUP_LABELS: Record<string, string> = {
  violent_speech: "Violent speech",
  abuse: "Abuse",
  threats: "Threats",
  platform_manipulation_spam: "Platform manipulation and spam",
  manipulated_media: "Manipulated media",
  other: "Other",
};
const GROUP_ORDER = Object.keys(GROUP_LABELS);

const requesterLabel = (r: string) => REQUESTER_LABELS[r as RequesterGroup] ?? r;
const groupLabel = (g: string) => GROUP_LABELS[g] ?? g;

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or leading/trailing
 * space. A text field that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
 * is prefixed with an apostrophe (OWASP's CSV-injection advice); numbers are never touched.
 */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (fields: (string | number | null)[]) => fields.map(csvField).join(",");

/**
 * The report as CSV (CRLF line ends, UTF-8, no BOM unless asked): a header row and one row per
 * country and requester group, then a blank line and the proactive-enforcement rows with their own
 * header. Masked counts stay "<10"; a missing median or rate is an empty field. The compliance rate
 * is the report's percentage as is.
 */
export function reportToCsv(report: TransparencyReport, options: { bom?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(
    csvLine([
      "country",
      "country_name",
      "requester",
      ...DEMAND_COUNT_COLUMNS.map((c) => c[1]),
      "median_hours_to_decision",
      "compliance_rate",
    ]),
  );
  for (const r of report.demands)
    lines.push(
      csvLine([
        r.country,
        r.countryName,
        r.requester,
        ...DEMAND_COUNT_COLUMNS.map((c) => r[c[0]]),
        r.medianHoursToDecision,
        r.complianceRate,
      ]),
    );
  lines.push("");
  lines.push(csvLine(["rule", "group", ...PROACTIVE_COUNT_COLUMNS.map((c) => c[1])]));
  for (const r of report.proactive)
    lines.push(csvLine([r.rule, r.group, ...PROACTIVE_COUNT_COLUMNS.map((c) => r[c[0]])]));
  return `${options.bom ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML helpers

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export const esc = (s: string): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** The font stack the page, the charts and the PDF use (Debian's fonts-noto-core has them all). */
export const FONT_STACK = [
  "Noto Sans",
  "Noto Sans Devanagari",
  "Noto Sans Gurmukhi",
  "Noto Naskh Arabic",
  "Noto Sans Arabic",
];
const CSS_FONTS = `${FONT_STACK.map((f) => `"${f}"`).join(", ")}, sans-serif`;
// ECharts (zrender) writes font-family into a double-quoted style attribute without escaping it.
const SVG_FONTS = `${FONT_STACK.map((f) => `'${f}'`).join(", ")}, sans-serif`;

/**
 * A BCP 47 tag for a piece of user text: the script when it is one we know (language undetermined),
 * else English (the page's language: ISO country names and rule identifiers are English).
 */
export function langOf(text: string): string {
  if (/\p{Script=Devanagari}/u.test(text)) return "und-Deva";
  if (/\p{Script=Gurmukhi}/u.test(text)) return "und-Guru";
  if (/\p{Script=Arabic}/u.test(text)) return "und-Arab";
  if (/\p{Script=Hebrew}/u.test(text)) return "und-Hebr";
  if (/[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text)) return "und";
  return "en";
}

/** A table cell holding user text: escaped, with its language and `dir="auto"`. */
const userCell = (tag: "td" | "th", text: string, extra = "") =>
  `<${tag}${extra} lang="${langOf(text)}" dir="auto">${esc(text)}</${tag}>`;

const NF = new Intl.NumberFormat("en-US");
const fmtCount = (v: Published) => (v === "<10" ? "&lt;10" : NF.format(v));
const fmtHours = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}`);
const fmtRate = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
const numCell = (html: string) => `<td class="n">${html}</td>`;

/** Text with its http(s) URLs turned into links; everything escaped. */
function linkify(text: string): string {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"'()]+/g)) {
    const url = m[0].replace(/[.,;:!?]+$/, "");
    const at = m.index ?? 0;
    out.push(esc(text.slice(last, at)), `<a href="${esc(url)}">${esc(url)}</a>`);
    last = at + url.length;
  }
  out.push(esc(text.slice(last)));
  return out.join("");
}

/** An attribution line: URLs become links; a DB-IP credit without one links DB-IP to db-ip.com. */
function attributionLine(line: string): string {
  if (/https?:\/\//.test(line) || !line.includes("DB-IP")) return linkify(line);
  return line.split("DB-IP").map(esc).join('<a href="https://db-ip.com">DB-IP</a>');
}

// ---------------------------------------------------------------------------------------------
// Charts (ECharts, server-side SVG)

const CHART_WIDTH = 720;
const CHART_HEIGHT = 320;
const COLORS = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#7f8c8d"];

function renderChart(option: echarts.EChartsCoreOption, id: string, title: string): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      color: COLORS,
      textStyle: { fontFamily: SVG_FONTS },
      ...option,
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  // Hover styles mean nothing on a static page: drop them and their classes. zrender numbers its
  // instances process-wide; name the clip paths after the chart so that the page is the same on every
  // render (reproducible) and ids stay unique within it. Then label the image for assistive tech.
  svg = svg
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/ class="zr\d+-cls-\d+"/g, "")
    .replace(/(id="|url\(#)zr\d+-/g, `$1${id}-`);
  return svg
    .replace(/^<svg /, `<svg role="img" aria-labelledby="${id}-title" focusable="false" class="chart" `)
    .replace(/^(<svg[^>]*>)/, `$1<title id="${id}-title">${esc(title)}</title>`);
}

const numeric = (v: Published): number => (v === "<10" ? 0 : v);

function demandsChart(report: TransparencyReport): string {
  const rows = report.countries;
  const maxDemands = Math.max(1, ...rows.map((r) => numeric(r.legalDemands)));
  return renderChart(
    {
      legend: { top: 0 },
      grid: { left: 60, right: 60, top: 40, bottom: 40 },
      xAxis: { type: "category", data: rows.map((r) => r.country) },
      yAxis: [
        { type: "value", name: "Legal demands", minInterval: 1 },
        { type: "value", name: "Compliance rate (%)", min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        {
          name: "Legal demands",
          type: "bar",
          // Tall bars carry their figure inside (clear of the rate line's labels), short ones above.
          data: rows.map((r) => {
            const value = numeric(r.legalDemands);
            const inside = value >= 0.15 * maxDemands;
            return {
              value,
              label: {
                show: true,
                position: inside ? "insideTop" : "top",
                color: inside ? "#fff" : "#333",
                formatter: String(r.legalDemands),
              },
            };
          }),
        },
        {
          name: "Compliance rate (%)",
          type: "line",
          yAxisIndex: 1,
          data: rows.map((r) => (r.complianceRate === null ? null : Number(r.complianceRate.toFixed(1)))),
          label: { show: true, position: "top", distance: 8, formatter: "{c}%" },
        },
      ],
    },
    "chart-demands",
    "Legal demands and compliance rate per country",
  );
}

function dailyChart(report: TransparencyReport): string {
  const days = report.daily;
  return renderChart(
    {
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: days.map((d) => d.day), axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", name: "Ledger entries", minInterval: 1 },
      series: [
        { name: "Legal", type: "bar", stack: "enforcement", data: days.map((d) => d.legal) },
        { name: "Proactive", type: "bar", stack: "enforcement", data: days.map((d) => d.proactive) },
        { name: "Reversals", type: "line", data: days.map((d) => d.reversals), symbolSize: 4 },
      ],
    },
    "chart-daily",
    "Enforcement over time: legal, proactive and reversals per day",
  );
}

function proactiveChart(report: TransparencyReport): string {
  const present = [...new Set(report.proactive.map((r) => r.group))];
  const groups = [
    ...GROUP_ORDER.filter((g) => present.includes(g)),
    ...present.filter((g) => !GROUP_ORDER.includes(g)).sort(),
  ];
  const metrics = PROACTIVE_COUNT_COLUMNS.filter((c) => c[0] !== "total");
  return renderChart(
    {
      legend: { top: 0 },
      grid: { left: 170, right: 30, top: 40, bottom: 30 },
      yAxis: {
        type: "category",
        data: groups.map(groupLabel),
        inverse: true,
        axisLabel: { width: 155, overflow: "break" },
      },
      xAxis: { type: "value", minInterval: 1 },
      series: metrics.map(([key, , label]) => ({
        name: label,
        type: "bar",
        stack: "proactive",
        data: groups.map((g) =>
          report.proactive.filter((r) => r.group === g).reduce((s, r) => s + numeric(r[key]), 0),
        ),
      })),
    },
    "chart-proactive",
    "Proactive enforcement by group",
  );
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font-family:${CSS_FONTS};color:#1a1a1a;background:#fff;margin:0 auto;padding:1.5rem;max-width:72rem;line-height:1.45;font-size:15px}
h1{font-size:1.7rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid #1f5fa8;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
a{color:#174e8c}
.meta{color:#444;margin:.2rem 0}
nav ul{padding-left:1.2rem;margin:.4rem 0}
dl.defs dt{font-weight:600;margin-top:.5rem}dl.defs dd{margin:0 0 0 1rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.8rem;margin:.5rem 0 1rem}
caption{text-align:start;font-weight:600;padding:.3rem 0;caption-side:top}
th,td{border:1px solid #bbb;padding:.25rem .4rem;vertical-align:top}
thead th{background:#e8eef6;text-align:start}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
tbody tr:nth-child(even){background:#f6f8fb}
tbody th{text-align:start;font-weight:600}
figure{margin:1rem 0}figcaption{font-size:.85rem;color:#444;margin-top:.25rem}
svg.chart{display:block;max-width:100%;height:auto}
.verify dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
.verify dt{font-weight:600}.verify dd{margin:0}
code,pre{font-family:"Noto Sans Mono","DejaVu Sans Mono",monospace;font-size:.8rem}
.verify dd code{word-break:break-all}
pre{background:#f3f3f3;border:1px solid #ccc;padding:.5rem;overflow-x:auto}
footer{margin-top:2rem;border-top:1px solid #ccc;padding-top:.5rem;font-size:.85rem;color:#333}
@page{size:A4}
@media print{
  body{padding:0;max-width:none;font-size:10pt}
  nav{display:none}
  h2,h3{break-after:avoid;page-break-after:avoid}
  table{font-size:7pt;break-inside:avoid;page-break-inside:avoid}
  th,td{padding:.15rem .25rem}
  thead{display:table-header-group}
  tr,figure,.verify,dl.defs div{break-inside:avoid;page-break-inside:avoid}
  .table-wrap{overflow:visible}
  a{color:inherit}
  tbody tr:nth-child(even){background:#f6f8fb;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

function demandsTable(report: TransparencyReport): string {
  const head = `<tr><th scope="col">Country</th><th scope="col">Requester</th>${DEMAND_COUNT_COLUMNS.map(
    (c) => `<th scope="col" class="n">${c[2]}</th>`,
  ).join(
    "",
  )}<th scope="col" class="n">Median hours to decision</th><th scope="col" class="n">Compliance rate</th></tr>`;
  const body = report.demands
    .map(
      (r) =>
        `<tr>${userCell("th", `${r.countryName} (${r.country})`, ' scope="row"')}<td>${esc(requesterLabel(r.requester))}</td>${DEMAND_COUNT_COLUMNS.map(
          (c) => numCell(fmtCount(r[c[0]])),
        ).join("")}${numCell(fmtHours(r.medianHoursToDecision))}${numCell(fmtRate(r.complianceRate))}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table id="table-demands">
<caption>Legal demands per country and requester type</caption>
<thead>${head}</thead>
<tbody>
${body || `<tr><td colspan="${DEMAND_COUNT_COLUMNS.length + 4}">No legal demands in this period.</td></tr>`}
</tbody></table></div>`;
}

function countriesTable(report: TransparencyReport): string {
  const body = report.countries
    .map(
      (c) =>
        `<tr>${userCell("th", `${c.countryName} (${c.country})`, ' scope="row"')}${numCell(fmtCount(c.legalDemands))}${numCell(fmtRate(c.complianceRate))}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table id="table-countries">
<caption>Totals per country (all requester types)</caption>
<thead><tr><th scope="col">Country</th><th scope="col" class="n">Legal demands</th><th scope="col" class="n">Compliance rate</th></tr></thead>
<tbody>
${body || '<tr><td colspan="3">No legal demands in this period.</td></tr>'}
</tbody></table></div>`;
}

function proactiveTable(report: TransparencyReport): string {
  const head = `<tr><th scope="col">Rule</th><th scope="col">Group</th>${PROACTIVE_COUNT_COLUMNS.map(
    (c) => `<th scope="col" class="n">${c[2]}</th>`,
  ).join("")}</tr>`;
  const body = report.proactive
    .map(
      (r) =>
        `<tr>${userCell("th", r.rule, ' scope="row"')}${userCell("td", groupLabel(r.group))}${PROACTIVE_COUNT_COLUMNS.map(
          (c) => numCell(fmtCount(r[c[0]])),
        ).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table id="table-proactive">
<caption>Proactive enforcement under the platform's rules</caption>
<thead>${head}</thead>
<tbody>
${body || `<tr><td colspan="${PROACTIVE_COUNT_COLUMNS.length + 2}">No proactive enforcement in this period.</td></tr>`}
</tbody></table></div>`;
}

/** A definition's key shown as the column it explains when it names one, else as given. */
function definitionTerm(key: string): string {
  const col =
    DEMAND_COUNT_COLUMNS.find((c) => c[0] === key || c[1] === key) ??
    PROACTIVE_COUNT_COLUMNS.find((c) => c[0] === key || c[1] === key);
  if (col) return col[2];
  const named: Record<string, string> = {
    medianHoursToDecision: "Median hours to decision",
    complianceRate: "Compliance rate",
    proactive: "Proactive enforcement",
  };
  if (named[key]) return named[key];
  // camelCase identifiers read as words ("period" → "Period"); anything else is shown as given.
  if (/^[a-z][A-Za-z0-9]*$/.test(key)) {
    const words = key.replace(/([A-Z])/g, " $1").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return key;
}

function verifySection(report: TransparencyReport): string {
  const cp = report.checkpoint;
  const command = "vigil ledger verify --checkpoint report.json";
  if (!cp)
    return `<section class="verify" id="verify" aria-labelledby="h-verify">
<h2 id="h-verify">Verify this report</h2>
<p>No signed ledger checkpoint covered this report's ledger position (entry ${report.asOfSeq}) when it was produced, so it carries no proof of origin. A later report will.</p>
</section>`;
  const item = (term: string, value: string) => `<dt>${term}</dt><dd><code>${esc(value)}</code></dd>`;
  return `<section class="verify" id="verify" aria-labelledby="h-verify">
<h2 id="h-verify">Verify this report</h2>
<p>This report was computed at ledger entry ${report.asOfSeq}. The enforcement ledger is a hash chain; every so often Vigil signs the position and hash of its latest entry with an Ed25519 key. The latest signed checkpoint at or before this report is:</p>
<dl>
${item("Sequence number", String(cp.seq))}
${item("Entry hash (SHA-256)", cp.hash)}
${item("Key id", cp.keyId)}
${item("Signature (Ed25519, base64)", cp.signature)}
${item("Public key (SPKI DER, base64)", cp.publicKey)}
${item("Signed at", cp.signedAt)}
${item("Format", cp.version)}
</dl>
<p>Save this report's JSON form as <code>report.json</code> and run, against the ledger it claims to come from:</p>
<pre><code>${esc(command)}</code></pre>
<p>The command checks the signature, re-walks the hash chain and confirms that entry ${cp.seq} still has this hash: an altered, removed or reordered entry makes it fail.</p>
</section>`;
}

/** The report as one self-contained, accessible HTML page (no scripts, no external resources). */
export function reportToHtml(report: TransparencyReport): string {
  const title = report.title;
  const defs = Object.entries(report.definitions)
    .map(([k, v]) => `<div><dt>${esc(definitionTerm(k))}</dt><dd dir="auto">${esc(v)}</dd></div>`)
    .join("\n");
  const masked = report.maskSmallCounts
    ? "<p>Counts from 1 to 9 are shown as “&lt;10”; the charts draw them as zero.</p>"
    : "";
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Vigil">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1 dir="auto">${esc(title)}</h1>
<p class="meta">Period: <time datetime="${esc(report.period.from)}">${esc(report.period.from)}</time> to <time datetime="${esc(report.period.to)}">${esc(report.period.to)}</time></p>
<p class="meta">Generated <time datetime="${esc(report.generatedAt)}">${esc(report.generatedAt)}</time> from the enforcement ledger at entry ${report.asOfSeq}.</p>
</header>
<nav aria-label="Contents"><ul>
<li><a href="#how">How to read this report</a></li>
<li><a href="#demands">Legal demands</a></li>
<li><a href="#proactive">Proactive enforcement</a></li>
<li><a href="#time">Enforcement over time</a></li>
<li><a href="#verify">Verify this report</a></li>
</ul></nav>
<main>
<section id="how" aria-labelledby="h-how">
<h2 id="h-how">How to read this report</h2>
<p>Every figure is derived from stored records (legal orders, decisions, ledger entries, appeals); nothing is typed in. Legal demands are counted per requesting country and requester type. A dash (—) means there is nothing to measure.</p>
${masked}
<dl class="defs">
${defs}
</dl>
</section>
<section id="demands" aria-labelledby="h-demands">
<h2 id="h-demands">Legal demands</h2>
<figure>
${demandsChart(report)}
<figcaption>Legal demands (bars, left axis) and compliance rate (line, right axis, %) per requesting country.</figcaption>
</figure>
${countriesTable(report)}
${demandsTable(report)}
</section>
<section id="proactive" aria-labelledby="h-proactive">
<h2 id="h-proactive">Proactive enforcement</h2>
<figure>
${proactiveChart(report)}
<figcaption>Actions the platform took under its own rules, by reporting group.</figcaption>
</figure>
${proactiveTable(report)}
</section>
<section id="time" aria-labelledby="h-time">
<h2 id="h-time">Enforcement over time</h2>
<figure>
${dailyChart(report)}
<figcaption>Restricting ledger entries per day: in response to legal demands and proactive (stacked bars), and reversals (line).</figcaption>
</figure>
</section>
${verifySection(report)}
</main>
<footer>
<h2 id="h-attribution">Attribution</h2>
<ul>
${report.attribution.map((a) => `<li dir="auto">${attributionLine(a)}</li>`).join("\n")}
</ul>
</footer>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// PDF

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

export interface PdfOptions {
  /** The Chromium executable (default /usr/bin/chromium). */
  executablePath?: string;
  /** Landscape A4 instead of portrait (the demands table is wide). */
  landscape?: boolean;
  /** Launch and print time limit in milliseconds (default 60 s). */
  timeoutMs?: number;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Prints the report's HTML page to an A4 PDF with Chromium. Throws `pdf_unavailable` (503) without it. */
export async function reportToPdf(report: TransparencyReport, options: PdfOptions = {}): Promise<Buffer> {
  return htmlToPdf(reportToHtml(report), { ...options, title: report.title });
}

/** Prints a self-contained HTML page (the network is blocked) to an A4 PDF. */
export async function htmlToPdf(
  html: string,
  options: PdfOptions & { title?: string } = {},
): Promise<Buffer> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
  const timeout = options.timeoutMs ?? 60_000;
  if (!fs.existsSync(executablePath))
    throw new VigilError(
      "pdf_unavailable",
      503,
      `PDF output needs Chromium, and there is none at ${executablePath}: install it (Debian: apt-get install chromium) or ask for the HTML or CSV form`,
      { executablePath },
    );
  const { chromium } = await import("playwright-core");
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout });
  } catch (err) {
    throw new VigilError("pdf_unavailable", 503, `Chromium at ${executablePath} failed to start`, {
      executablePath,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load" });
    const footer = `<div style="font-family:${esc(SVG_FONTS)};font-size:7pt;color:#555;width:100%;padding:0 12mm;display:flex;justify-content:space-between"><span>${esc(options.title ?? "")}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
    const pdf = await page.pdf({
      format: "A4",
      landscape: options.landscape ?? false,
      printBackground: true,
      margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: footer,
    });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
