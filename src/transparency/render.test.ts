import assert from "node:assert/strict";
import fs from "node:fs";
import { before, describe, it } from "node:test";
import zlib from "node:zlib";
import { parse } from "csv-parse/sync";
import { VigilError } from "../errors.ts";
import {
  DEFAULT_CHROMIUM_PATH,
  DEMAND_COUNT_COLUMNS,
  langOf,
  PROACTIVE_COUNT_COLUMNS,
  reportToCsv,
  reportToHtml,
  reportToPdf,
} from "./render.ts";
import type { Published, TransparencyReport } from "./report-types.ts";

const HOSTILE_NAME = 'United States <script>alert("x")</script> & "Co", Ltd';
const HOSTILE_RULE = "abuse<script>alert(1)</script>&amp;";
const FORMULA_RULE = '=HYPERLINK("http://evil")';
const HINDI = "भारत (राष्ट्रीय राजधानी क्षेत्र दिल्ली)"; // conjuncts ष्ट्र, क्ष, त्र, ल्ल
const PUNJABI = "ਪੰਜਾਬ";
const URDU = "پاکستان";

const days = Array.from({ length: 16 }, (_, i) => {
  const d = new Date(Date.UTC(2021, 0, 26 + i));
  return {
    day: d.toISOString().slice(0, 10),
    legal: (i * 37) % 90,
    proactive: 20 + ((i * 13) % 40),
    reversals: (i * 7) % 12,
  };
});

const fixture: TransparencyReport = {
  title: "Transparency report <b>&</b>",
  period: { from: "2021-01-26", to: "2021-02-10" },
  generatedAt: "2021-02-11T00:00:00.000Z",
  asOfSeq: 1234,
  maskSmallCounts: true,
  demands: [
    {
      country: "IN",
      countryName: HINDI,
      requester: "government_agency_police_other",
      legalDemands: 42,
      itemsSpecified: 1178,
      accountsSpecified: 1178,
      accountsWithheld: 583,
      postsWithheld: 12,
      accountsTos: 126,
      itemsNoAction: 469,
      emergencyOrders: 2,
      restorations: 11,
      appealsReceived: 15,
      appealsGranted: 3,
      medianHoursToDecision: 27.5,
      complianceRate: 95.2,
    },
    {
      country: "IN",
      countryName: PUNJABI,
      requester: "court_orders",
      legalDemands: 12,
      itemsSpecified: 30,
      accountsSpecified: 20,
      accountsWithheld: 18,
      postsWithheld: 10,
      accountsTos: "<10",
      itemsNoAction: "<10",
      emergencyOrders: 0,
      restorations: 0,
      appealsReceived: "<10",
      appealsGranted: 0,
      medianHoursToDecision: 50,
      complianceRate: 91.66666666666667,
    },
    {
      country: "PK",
      countryName: URDU,
      requester: "government_agency_police_other",
      legalDemands: 15,
      itemsSpecified: 40,
      accountsSpecified: 40,
      accountsWithheld: 20,
      postsWithheld: 14,
      accountsTos: "<10",
      itemsNoAction: 12,
      emergencyOrders: 0,
      restorations: 0,
      appealsReceived: 0,
      appealsGranted: 0,
      medianHoursToDecision: 30.25,
      complianceRate: 80,
    },
    {
      country: "US",
      countryName: HOSTILE_NAME,
      requester: "court_orders",
      legalDemands: "<10",
      itemsSpecified: "<10",
      accountsSpecified: "<10",
      accountsWithheld: 0,
      postsWithheld: "<10",
      accountsTos: 0,
      itemsNoAction: "<10",
      emergencyOrders: 0,
      restorations: 0,
      appealsReceived: 0,
      appealsGranted: 0,
      medianHoursToDecision: null,
      complianceRate: null,
    },
  ],
  countries: [
    { country: "IN", countryName: HINDI, legalDemands: 54, complianceRate: 94.4 },
    { country: "PK", countryName: URDU, legalDemands: 15, complianceRate: 80 },
    { country: "US", countryName: HOSTILE_NAME, legalDemands: "<10", complianceRate: null },
  ],
  proactive: [
    {
      rule: "violent_speech",
      group: "violent_speech",
      accountsSuspended: 120,
      postsActioned: 340,
      labels: 0,
      hashtagsRestricted: 2,
      total: 462,
    },
    {
      rule: HOSTILE_RULE,
      group: "abuse",
      accountsSuspended: 30,
      postsActioned: 80,
      labels: 0,
      hashtagsRestricted: 0,
      total: 110,
    },
    {
      rule: FORMULA_RULE,
      group: "threats",
      accountsSuspended: "<10",
      postsActioned: 25,
      labels: 0,
      hashtagsRestricted: 0,
      total: 30,
    },
    {
      rule: "platform_manipulation",
      group: "platform_manipulation_spam",
      accountsSuspended: 900,
      postsActioned: 0,
      labels: 0,
      hashtagsRestricted: 5,
      total: 905,
    },
    {
      rule: "synthetic_manipulated_media",
      group: "manipulated_media",
      accountsSuspended: 0,
      postsActioned: 0,
      labels: 77,
      hashtagsRestricted: 0,
      total: 77,
    },
  ],
  daily: days,
  checkpoint: {
    version: "vigil-checkpoint/1",
    seq: 1200,
    hash: "3f".repeat(32),
    signedAt: "2021-02-10T23:00:00.000Z",
    keyId: "0123456789abcdef",
    publicKey: `MCowBQYDK2VwAyEA${"Q".repeat(43)}=`,
    signature: `${"c2ln".repeat(21)}bmF0dXJl==`,
  },
  definitions: {
    legalDemands:
      "Official legal process: court orders and requests through the authorized-reporter channel.",
    complianceRate: "Percentage of legal demands where some or all reported content was withheld or removed.",
    "<i>hostile</i>": "a definition <img src=x onerror=alert(1)>",
  },
  attribution: ["IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0"],
};

const csvValue = (v: Published | number | null): string => (v === null ? "" : String(v));

describe("reportToCsv", () => {
  const csv = reportToCsv(fixture);
  const records: string[][] = parse(csv, { relax_column_count: true, skip_empty_lines: false });
  const blank = records.findIndex((r) => r.length === 1 && r[0] === "");

  it("has a header row, the demand rows, a blank line and the proactive rows with their own header", () => {
    assert.equal(blank, 1 + fixture.demands.length);
    assert.deepEqual(records[0], [
      "country",
      "country_name",
      "requester",
      ...DEMAND_COUNT_COLUMNS.map((c) => c[1]),
      "median_hours_to_decision",
      "compliance_rate",
    ]);
    assert.deepEqual(records[blank + 1], ["rule", "group", ...PROACTIVE_COUNT_COLUMNS.map((c) => c[1])]);
    assert.equal(records.length, blank + 2 + fixture.proactive.length);
    assert.ok(csv.endsWith("\r\n"));
  });

  it("parses back to the same text and numbers, with <10 kept", () => {
    const header = records[0]!;
    fixture.demands.forEach((d, i) => {
      const row = Object.fromEntries(header.map((h, j) => [h, records[1 + i]![j]]));
      assert.equal(row.country, d.country);
      assert.equal(row.country_name, d.countryName);
      assert.equal(row.requester, d.requester);
      for (const [key, name] of DEMAND_COUNT_COLUMNS) assert.equal(row[name], csvValue(d[key]), name);
      assert.equal(row.median_hours_to_decision, csvValue(d.medianHoursToDecision));
      assert.equal(row.compliance_rate, csvValue(d.complianceRate));
      if (d.complianceRate !== null) assert.equal(Number(row.compliance_rate), d.complianceRate);
    });
    assert.equal(records[4]![3], "<10");
    const pHeader = records[blank + 1]!;
    fixture.proactive.forEach((p, i) => {
      const row = Object.fromEntries(pHeader.map((h, j) => [h, records[blank + 2 + i]![j]]));
      if (p.rule !== FORMULA_RULE) assert.equal(row.rule, p.rule);
      assert.equal(row.group, p.group);
      for (const [key, name] of PROACTIVE_COUNT_COLUMNS) assert.equal(row[name], csvValue(p[key]), name);
    });
  });

  it("quotes commas and quotes, and defuses spreadsheet formulas in text fields", () => {
    assert.ok(csv.includes('"United States <script>alert(""x"")</script> & ""Co"", Ltd"'));
    const formula = records[blank + 2 + 2]!;
    assert.equal(formula[0], `'${FORMULA_RULE}`);
  });

  it("can start with a byte-order mark for spreadsheets", () => {
    assert.ok(reportToCsv(fixture, { bom: true }).startsWith("\uFEFFcountry,"));
  });
});

describe("reportToHtml", () => {
  const html = reportToHtml(fixture);

  it("is a complete page with no scripts and no external resources", () => {
    assert.match(html, /^<!doctype html>\n<html lang="en"/);
    assert.ok(html.trimEnd().endsWith("</html>"));
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<link\b|@import|url\(\s*['"]?(?!#)/i); // url(#clip) is in-page
    assert.doesNotMatch(html, /<[^>]*\s(src|on[a-z]+)=/i);
    // The only links leave to the attribution's site; the rest are in-page anchors.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(
      hrefs.filter((h) => !h?.startsWith("#")),
      ["https://db-ip.com"],
    );
  });

  it("escapes every string from the report", () => {
    assert.ok(
      html.includes("United States &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot;"),
    );
    assert.ok(html.includes("abuse&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;"));
    assert.ok(html.includes("<title>Transparency report &lt;b&gt;&amp;&lt;/b&gt;</title>"));
    assert.ok(html.includes("&lt;i&gt;hostile&lt;/i&gt;"));
    assert.ok(html.includes("a definition &lt;img src=x onerror=alert(1)&gt;"));
    assert.ok(html.includes("&lt;10"));
  });

  it("draws three server-side SVG charts, labelled for assistive technology", () => {
    const svgs = html.match(/<svg [^>]*>/g) ?? [];
    assert.equal(svgs.length, 3);
    for (const id of ["chart-demands", "chart-proactive", "chart-daily"])
      assert.ok(html.includes(`aria-labelledby="${id}-title"`), id);
    for (const svg of svgs) assert.match(svg, /role="img"/);
    assert.doesNotMatch(html, /<style[^>]*><!\[CDATA/);
  });

  it("has both tables, with language and direction on user text", () => {
    assert.ok(html.includes('<table id="table-demands">'));
    assert.ok(html.includes('<table id="table-proactive">'));
    assert.ok(html.includes(`lang="und-Deva" dir="auto">${HINDI} (IN)</th>`));
    assert.ok(html.includes(`lang="und-Guru" dir="auto">${PUNJABI} (IN)</th>`));
    assert.ok(html.includes(`lang="und-Arab" dir="auto">${URDU} (PK)</th>`));
    assert.ok(html.includes("Noto Sans Devanagari"));
    assert.ok(html.includes("Noto Naskh Arabic"));
    assert.ok(html.includes("@page{size:A4}"));
  });

  it("shows the checkpoint and the command that verifies it, and the DB-IP attribution", () => {
    const cp = fixture.checkpoint!;
    for (const s of [cp.hash, cp.keyId, cp.signature, String(cp.seq)]) assert.ok(html.includes(s), s);
    assert.ok(html.includes("<pre><code>vigil ledger verify --checkpoint report.json</code></pre>"));
    assert.ok(html.includes('IP Geolocation by DB-IP (<a href="https://db-ip.com">https://db-ip.com</a>)'));
  });

  it("says when there is no checkpoint, and renders an empty report", () => {
    const empty = reportToHtml({
      ...fixture,
      demands: [],
      countries: [],
      proactive: [],
      daily: [],
      checkpoint: null,
    });
    assert.equal((empty.match(/<svg /g) ?? []).length, 3);
    assert.ok(empty.includes("No legal demands in this period."));
    assert.ok(empty.includes("carries no proof of origin"));
  });

  it("is the same on every render (reproducible)", () => {
    assert.equal(reportToHtml(fixture), html);
    assert.doesNotMatch(html, /zr\d+-/);
  });

  it("tags user text by script", () => {
    assert.equal(langOf("India"), "en");
    assert.equal(langOf(HINDI), "und-Deva");
    assert.equal(langOf(PUNJABI), "und-Guru");
    assert.equal(langOf(URDU), "und-Arab");
    assert.equal(langOf("中国"), "und");
  });
});

// --- PDF inspection: font names and the characters the text maps to (ToUnicode CMaps) ---

function pdfTexts(pdf: Buffer): string[] {
  const s = pdf.toString("latin1");
  const out = [s];
  for (const m of s.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = s.indexOf("endstream", start);
    if (end < 0) continue;
    try {
      out.push(zlib.inflateSync(pdf.subarray(start, end)).toString("latin1"));
    } catch {
      // not a Flate stream (or an image): nothing to read
    }
  }
  return out;
}

const fontNames = (texts: string[]) =>
  texts.flatMap((t) => [...t.matchAll(/\/FontName\s*\/([^\s/<>[\]()]+)/g)].map((m) => m[1]!));

/** Every code point that the PDF's ToUnicode maps give for its glyphs. */
function mappedText(texts: string[]): Set<string> {
  const chars = new Set<string>();
  const utf16 = (hex: string) => Buffer.from(hex, "hex").swap16().toString("utf16le");
  for (const t of texts) {
    for (const block of t.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
        for (const c of utf16(m[2]!)) chars.add(c);
    for (const block of t.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const m of block[1]!.matchAll(
        /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g,
      )) {
        const lo = Number.parseInt(m[1]!, 16);
        const hi = Number.parseInt(m[2]!, 16);
        const dest = m[3]!;
        if (dest.startsWith("[")) {
          for (const d of dest.matchAll(/<([0-9A-Fa-f]+)>/g)) for (const c of utf16(d[1]!)) chars.add(c);
        } else {
          const base = utf16(dest.slice(1, -1));
          const last = base.codePointAt(base.length - 1) ?? 0;
          for (const c of base.slice(0, -1)) chars.add(c);
          for (let k = 0; k <= hi - lo; k++) chars.add(String.fromCodePoint(last + k));
        }
      }
  }
  return chars;
}

describe("reportToPdf", () => {
  const haveChromium = fs.existsSync(DEFAULT_CHROMIUM_PATH);
  let pdf: Buffer | undefined;
  let ms = 0;

  before(async () => {
    if (!haveChromium) return;
    const t0 = performance.now();
    pdf = await reportToPdf(fixture);
    ms = performance.now() - t0;
  });

  it("refuses with pdf_unavailable (503) when Chromium is missing", async () => {
    await assert.rejects(reportToPdf(fixture, { executablePath: "/nonexistent/chromium" }), (err) => {
      assert.ok(err instanceof VigilError);
      assert.equal(err.code, "pdf_unavailable");
      assert.equal(err.status, 503);
      return true;
    });
  });

  it("prints an A4 PDF that contains text", (t) => {
    if (!haveChromium) return t.skip(`no ${DEFAULT_CHROMIUM_PATH}`);
    assert.ok(pdf);
    t.diagnostic(`one PDF render: ${ms.toFixed(0)} ms, ${pdf.length} bytes`);
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
    const texts = pdfTexts(pdf);
    assert.ok(
      texts.some((s) => /\bTJ\b|\bTj\b/.test(s)),
      "no text-showing operator in any content stream",
    );
    // A4 portrait: 595 x 842 points.
    assert.match(texts[0]!, /\/MediaBox\s*\[0 0 59[56](\.\d+)? 84[12](\.\d+)?\]/);
    const chars = mappedText(texts);
    for (const c of "Transparency reportLegal demandsVerify") assert.ok(chars.has(c), `missing ${c}`);
  });

  it("embeds Devanagari, Gurmukhi and Arabic fonts and maps their text", (t) => {
    if (!haveChromium) return t.skip(`no ${DEFAULT_CHROMIUM_PATH}`);
    assert.ok(pdf);
    const texts = pdfTexts(pdf);
    const fonts = fontNames(texts);
    t.diagnostic(`fonts: ${[...new Set(fonts)].join(", ")}`);
    assert.ok(
      fonts.some((f) => /Devanagari/.test(f)),
      `no Devanagari font in ${fonts.join(", ")}`,
    );
    assert.ok(
      fonts.some((f) => /Gurmukhi/.test(f)),
      `no Gurmukhi font in ${fonts.join(", ")}`,
    );
    assert.ok(
      fonts.some((f) => /Arabic|Naskh/.test(f)),
      `no Arabic font in ${fonts.join(", ")}`,
    );
    // Conjunct ligatures (ष्ट्र, क्ष) map to nothing in Skia's ToUnicode, and Arabic maps to presentation
    // forms (NFKC folds them back), so check letters that stand alone.
    const chars = new Set([...mappedText(texts)].map((c) => c.normalize("NFKC")));
    for (const c of ["भ", "त", "ज", "ल", "ਪ", "ਜ", "ਬ", "پ", "ک", "س", "ن"])
      assert.ok(chars.has(c), `missing ${c}`);
  });
});
