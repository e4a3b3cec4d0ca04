import { useMemo } from "react";
import { Chart } from "../components/Chart.tsx";
import { ErrorBox, Field, Loading } from "../components/ui.tsx";
import { qs } from "../lib/api.ts";
import { fmtDate, humanize } from "../lib/format.ts";
import { setQuery, useLocation } from "../lib/router.tsx";
import { useApi } from "../lib/useApi.ts";

interface Report {
  title: string;
  period: { from: string; to: string };
  generatedAt: string;
  asOfSeq: number;
  demands: Array<Record<string, string | number | null>>;
  countries: Array<{ country: string; countryName: string; legalDemands: number; complianceRate: number }>;
  proactive: Array<Record<string, string | number>>;
  daily: Array<{ day: string; legal: number; proactive: number; reversals: number }>;
  checkpoint?: { seq: number; hash: string; signedAt: string; keyId: string };
  definitions?: Record<string, string>;
  attribution?: string[];
}

const DEMAND_COLS = [
  "legalDemands",
  "itemsSpecified",
  "accountsSpecified",
  "accountsWithheld",
  "postsWithheld",
  "accountsTos",
  "itemsNoAction",
  "restorations",
  "appealsReceived",
  "appealsGranted",
  "medianHoursToDecision",
  "complianceRate",
];

export function TransparencyPage() {
  const { query } = useLocation();
  const from = query.get("from") ?? "2021-01-26";
  const to = query.get("to") ?? "2021-02-10";
  const { data, error, loading } = useApi<Report>(`/v1/transparency${qs({ from, to })}`);

  const perCountry = useMemo(() => {
    if (!data) return null;
    const rows = data.demands;
    const label = (r: Record<string, string | number | null>) =>
      `${r.country}${r.requester ? ` (${humanize(String(r.requester)).slice(0, 18)})` : ""}`;
    const series = ["itemsSpecified", "accountsWithheld", "postsWithheld", "accountsTos", "itemsNoAction"];
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 40 },
      xAxis: { type: "category", data: rows.map(label) },
      yAxis: { type: "value" },
      series: series.map((s) => ({
        name: humanize(s.replace(/([A-Z])/g, "_$1").toLowerCase()),
        type: "bar",
        data: rows.map((r) => Number(r[s] ?? 0)),
      })),
    };
  }, [data]);
  const overTime = useMemo(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.daily.map((d) => d.day) },
      yAxis: { type: "value", name: "ledger entries" },
      series: (["legal", "proactive", "reversals"] as const).map((k) => ({
        name: k,
        type: "bar",
        stack: "all",
        data: data.daily.map((d) => d[k]),
      })),
    };
  }, [data]);

  const dl = (format: string) => `/v1/transparency${qs({ from, to, format })}`;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Transparency</h1>
        <Field label="From">
          <input type="date" value={from} onChange={(e) => setQuery({ from: e.target.value })} />
        </Field>
        <Field label="To">
          <input type="date" value={to} onChange={(e) => setQuery({ to: e.target.value })} />
        </Field>
        <span className="downloads">
          Download: <a href={dl("csv")}>CSV</a> · <a href={dl("html")}>HTML</a> · <a href={dl("pdf")}>PDF</a>{" "}
          · <a href={dl("json")}>JSON</a>
        </span>
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading what="the report" />}
      {data && (
        <>
          <p className="muted">
            {data.title} · {fmtDate(data.period.from)} to {fmtDate(data.period.to)} · computed at ledger #
            {data.asOfSeq}
            {data.checkpoint
              ? ` · signed checkpoint #${data.checkpoint.seq} (${data.checkpoint.hash.slice(0, 16)}…, key ${data.checkpoint.keyId})`
              : ""}
          </p>
          <div className="grid2">
            <div className="card">
              <h2>Legal demands per country</h2>
              {perCountry && <Chart option={perCountry} height={320} label="Legal demands per country" />}
            </div>
            <div className="card">
              <h2>Over time</h2>
              {overTime && <Chart option={overTime} height={320} label="Enforcement over time" />}
            </div>
          </div>
          <section>
            <h2>Legal demands</h2>
            <div className="scroll-x">
              <table className="simple">
                <thead>
                  <tr>
                    <th>Country</th>
                    <th>Requester</th>
                    {DEMAND_COLS.map((c) => (
                      <th key={c} title={data.definitions?.[c]}>
                        {humanize(c.replace(/([A-Z])/g, "_$1").toLowerCase())}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.demands.map((d) => (
                    <tr key={`${d.country}-${d.requester}`}>
                      <td>{String(d.countryName ?? d.country)}</td>
                      <td>{humanize(String(d.requester ?? ""))}</td>
                      {DEMAND_COLS.map((c) => (
                        <td key={c}>{d[c] === null || d[c] === undefined ? "—" : String(d[c])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section>
            <h2>Platform's own enforcement</h2>
            <table className="simple">
              <thead>
                <tr>
                  {Object.keys(data.proactive[0] ?? {}).map((k) => (
                    <th key={k}>{humanize(k.replace(/([A-Z])/g, "_$1").toLowerCase())}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.proactive.map((p) => (
                  <tr key={`${p.rule}-${p.group}`}>
                    {Object.entries(p).map(([k, v]) => (
                      <td key={k}>{String(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {data.attribution && <p className="muted small">{data.attribution.join(" · ")}</p>}
        </>
      )}
    </div>
  );
}
