import { LedgerTable, SourceLink } from "../components/LedgerTable.tsx";
import { Badge, ErrorBox, Loading, UserText } from "../components/ui.tsx";
import { fmtDate, humanize } from "../lib/format.ts";
import type { SubjectView } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

const SHOWN_FIELDS = [
  "handle",
  "displayName",
  "bio",
  "text",
  "authorId",
  "country",
  "lang",
  "createdAt",
  "followers",
  "following",
  "verified",
  "hashtags",
  "deletedAt",
];

export function SubjectPage(props: { type: string; id: string }) {
  const { data, error, loading } = useApi<SubjectView>(
    `/v1/subjects/${encodeURIComponent(props.type)}/${encodeURIComponent(props.id)}`,
  );
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {humanize(props.type)} <UserText>{props.id}</UserText>
        </h1>
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading what="the subject" />}
      {data && (
        <>
          {data.record && (
            <section className="card">
              <h2>Record</h2>
              <dl className="facts">
                {SHOWN_FIELDS.filter(
                  (k) =>
                    data.record?.[k] !== undefined && data.record?.[k] !== null && data.record?.[k] !== "",
                ).map((k) => (
                  <div key={k} className="fact">
                    <dt>{k}</dt>
                    <dd dir="auto">{fieldText(data.record?.[k])}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          <section>
            <h2>In force now ({data.inForce.length})</h2>
            {data.inForce.length === 0 ? (
              <p className="muted">
                Nothing is in force: every viewer everywhere sees it (subject to the author's own state).
              </p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>Restriction</th>
                    <th>Countries / surfaces</th>
                    <th>Since</th>
                    <th>Expires</th>
                    <th>Reason</th>
                    <th>Source</th>
                    <th>Entry</th>
                  </tr>
                </thead>
                <tbody>
                  {data.inForce.map((r) => (
                    <tr key={r.key}>
                      <td>
                        <Badge kind="warn">{r.key}</Badge>
                      </td>
                      <td>
                        {r.detail.countries?.join(", ") ?? "all countries"}
                        {r.detail.surfaces ? ` · ${r.detail.surfaces.join(", ")}` : ""}
                      </td>
                      <td>{fmtDate(r.detail.since)}</td>
                      <td>{r.expiresAt ? fmtDate(r.expiresAt) : "—"}</td>
                      <td dir="auto">
                        {r.detail.reason}
                        {r.detail.rule ? <div className="muted">rule {r.detail.rule}</div> : null}
                        {r.detail.legalBasis ? <div className="muted">{r.detail.legalBasis}</div> : null}
                      </td>
                      <td>
                        <SourceLink source={r.detail.source} />
                      </td>
                      <td>#{r.seq}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h2>Ledger history ({data.history.length})</h2>
            <LedgerTable
              entries={data.history}
              height={Math.min(600, 60 + data.history.length * 36)}
              testId="subject-history"
            />
          </section>
        </>
      )}
    </div>
  );
}

function fieldText(v: unknown): string {
  return Array.isArray(v) ? v.join(", ") : String(v);
}
