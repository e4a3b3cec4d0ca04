import { useEffect, useMemo, useState } from "react";
import { LedgerTable } from "../components/LedgerTable.tsx";
import { ErrorBox, Field, Loading } from "../components/ui.tsx";
import { ApiError, api, qs } from "../lib/api.ts";
import { textMatch } from "../lib/filters.ts";
import { fmtDate } from "../lib/format.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import { ACTIONS, type LedgerEntry } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

/** The whole ledger, read page by page from the change feed (no waiting), then followed live. */
function useLedger(enabled: boolean): { entries: LedgerEntry[]; error: ApiError | null; done: boolean } {
  const [entries, setEntries] = useState<LedgerEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let stop = false;
    const all: LedgerEntry[] = [];
    (async () => {
      let after = 0;
      for (;;) {
        const r = await api<{ entries: LedgerEntry[]; next: number; head: number }>(
          `/v1/changes${qs({ after, limit: 10000, wait: 0 })}`,
        );
        if (stop) return;
        all.push(...r.entries);
        after = r.next;
        if (r.entries.length === 0 || after >= r.head) break;
      }
      setEntries([...all]);
      setDone(true);
      // Follow new entries with the long poll.
      while (!stop) {
        const r = await api<{ entries: LedgerEntry[]; next: number }>(
          `/v1/changes${qs({ after, limit: 10000, wait: 25 })}`,
        );
        if (stop) return;
        if (r.entries.length > 0) {
          all.push(...r.entries);
          setEntries([...all]);
        }
        after = r.next;
      }
    })().catch((e: unknown) => {
      if (!stop) setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
    });
    return () => {
      stop = true;
    };
  }, [enabled]);
  return { entries, error, done };
}

export function AuditPage() {
  const { query } = useLocation();
  const tab = query.get("tab") ?? "ledger";
  const q = query.get("q") ?? "";
  const action = query.get("action") ?? "";
  const source = query.get("source") ?? "";
  const mayLedger = useCan("read", "ledger");
  const mayAudit = useCan("read", "audit");
  const ledger = useLedger(mayLedger && tab === "ledger");
  const reads = useApi<{ reads: Array<{ keyId: string; role: string; orderId: string; at: string }> }>(
    mayAudit && tab === "reads" ? "/v1/audit/confidential-reads" : null,
  );

  const filtered = useMemo(
    () =>
      ledger.entries.filter(
        (e) =>
          (!action || e.action === action) &&
          (!source || e.source.kind === source) &&
          textMatch(
            [
              e.seq,
              e.subject.id,
              e.subject.type,
              e.reason,
              e.actor,
              e.source.id,
              e.rule,
              e.legalBasis,
              e.countries?.join(","),
            ],
            q,
          ),
      ),
    [ledger.entries, q, action, source],
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
            value={q}
            placeholder="subject, actor, reason, order"
            onChange={(e) => setQuery({ q: e.target.value })}
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
            <span className="muted">
              {filtered.length.toLocaleString("en")} of {ledger.entries.length.toLocaleString("en")} entries
              {ledger.done ? " · following live" : ""}
            </span>
          </>
        )}
      </div>
      {tab === "ledger" && (
        <>
          <ErrorBox error={ledger.error} />
          {!ledger.done && !ledger.error ? (
            <Loading what="the ledger" />
          ) : (
            <LedgerTable entries={filtered} height="calc(100vh - 260px)" showSubject testId="audit-ledger" />
          )}
        </>
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
