import { useCallback, useEffect, useMemo, useState } from "react";
import { PagedLedgerTable } from "../components/PagedLedgerTable.tsx";
import { ErrorBox, Field, Loading } from "../components/ui.tsx";
import { textMatch } from "../lib/filters.ts";
import { fmtDate } from "../lib/format.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import { ACTIONS } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

export function AuditPage() {
  const { query } = useLocation();
  const tab = query.get("tab") ?? "ledger";
  const q = query.get("q") ?? "";
  const action = query.get("action") ?? "";
  const source = query.get("source") ?? "";
  const mayLedger = useCan("read", "ledger");
  const mayAudit = useCan("read", "audit");
  const order = query.get("order") === "asc" ? "asc" : "desc";
  const ledgerQuery = useMemo(() => ({ q, action, source, order }) as const, [q, action, source, order]);
  const [counted, setCounted] = useState<{ total: number | null; head: number }>({ total: null, head: 0 });
  const onTotal = useCallback((total: number | null, head: number) => setCounted({ total, head }), []);
  // The search box answers at once; the URL (and the server query) follow when typing pauses.
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  useEffect(() => {
    if (typed === q) return;
    const t = setTimeout(() => setQuery({ q: typed || null }), 250);
    return () => clearTimeout(t);
  }, [typed, q]);
  const reads = useApi<{ reads: Array<{ keyId: string; role: string; orderId: string; at: string }> }>(
    mayAudit && tab === "reads" ? "/v1/audit/confidential-reads" : null,
  );

  const readRows = useMemo(
    () => (reads.data?.reads ?? []).filter((r) => textMatch([r.keyId, r.role, r.orderId, r.at], q)),
    [reads.data, q],
  );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <div className="tabs" role="tablist">
          {mayLedger && (
            <button
              type="button"
              role="tab"
              aria-selected={tab === "ledger"}
              className={tab === "ledger" ? "tab current" : "tab"}
              onClick={() => setQuery({ tab: null }, false)}
            >
              Ledger entries
            </button>
          )}
          {mayAudit && (
            <button
              type="button"
              role="tab"
              aria-selected={tab === "reads"}
              className={tab === "reads" ? "tab current" : "tab"}
              onClick={() => setQuery({ tab: "reads" }, false)}
            >
              Confidential reads
            </button>
          )}
        </div>
      </div>
      <div className="toolbar">
        <Field label="Search">
          <input
            name="audit-search"
            value={typed}
            placeholder="subject, actor, reason, order"
            onChange={(e) => setTyped(e.target.value)}
          />
        </Field>
        {tab === "ledger" && (
          <>
            <Field label="Action">
              <select value={action} onChange={(e) => setQuery({ action: e.target.value })}>
                <option value="">any</option>
                {ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Source">
              <select value={source} onChange={(e) => setQuery({ source: e.target.value })}>
                <option value="">any</option>
                {["legal_demand_item", "review_case", "detector", "appeal", "system", "manual"].map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </Field>
            <span className="muted" aria-live="polite">
              {counted.total === null
                ? "counting…"
                : `${counted.total.toLocaleString("en")} of ${counted.head.toLocaleString("en")} entries`}
            </span>
          </>
        )}
      </div>
      {tab === "ledger" && mayLedger && (
        <PagedLedgerTable
          query={ledgerQuery}
          onOrderChange={(o) => setQuery({ order: o === "desc" ? null : o }, false)}
          onTotal={onTotal}
          height="calc(100vh - 260px)"
          testId="audit-ledger"
        />
      )}
      {tab === "reads" && (
        <>
          <ErrorBox error={reads.error} />
          {reads.loading && !reads.data && <Loading what="confidential reads" />}
          <table className="simple" data-testid="confidential-reads">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Role</th>
                <th>Order</th>
              </tr>
            </thead>
            <tbody>
              {readRows.slice(0, 2000).map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: reads have no id
                <tr key={`${r.at}-${i}`}>
                  <td>{fmtDate(r.at)}</td>
                  <td>{r.keyId}</td>
                  <td>{r.role}</td>
                  <td>
                    <Link href={`/orders/${r.orderId}`}>{r.orderId}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {readRows.length > 2000 && (
            <p className="muted">Showing the first 2,000 of {readRows.length}; narrow the search.</p>
          )}
        </>
      )}
    </div>
  );
}
