import {
  type ColumnDef,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { VirtualTable } from "../components/VirtualTable.tsx";
import { type ApiError, api, qs } from "../lib/api.ts";
import { fmtDate, humanize } from "../lib/format.ts";
import { Link, setQuery, useLocation } from "../lib/router.tsx";
import { useCan } from "../lib/session.tsx";
import type { Appeal } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

export function AppealsPage() {
  const { query } = useLocation();
  const state = query.get("state") ?? "open";
  const selected = query.get("id");
  const { data, error, loading, reload } = useApi<{ appeals: Appeal[] }>(
    `/v1/appeals${qs({ state: state === "any" ? "" : state })}`,
  );
  const [sorting, setSorting] = useState<SortingState>([]);
  const columns = useMemo<ColumnDef<Appeal>[]>(
    () => [
      {
        id: "received",
        header: "Received",
        accessorKey: "receivedAt",
        size: 170,
        cell: (c) => fmtDate(c.row.original.receivedAt),
      },
      {
        id: "subject",
        header: "Subject",
        accessorFn: (a) => `${a.subject.type}:${a.subject.id}`,
        size: 160,
        cell: (c) => (
          <Link
            href={`/subjects/${c.row.original.subject.type}/${c.row.original.subject.id}`}
            onClick={(e) => e.stopPropagation()}
          >
            {c.row.original.subject.type} {c.row.original.subject.id}
          </Link>
        ),
      },
      {
        id: "action",
        header: "Against",
        accessorKey: "action",
        size: 130,
        cell: (c) => `${humanize(c.row.original.action)} #${c.row.original.entry}`,
      },
      {
        id: "text",
        header: "Appeal",
        accessorKey: "text",
        size: 300,
        meta: { grow: true },
        cell: (c) => (
          <span className="ellipsis">
            <UserText>{c.row.original.text}</UserText>
          </span>
        ),
      },
      {
        id: "state",
        header: "State",
        accessorKey: "state",
        size: 100,
        cell: (c) => (
          <Badge
            kind={
              c.row.original.state === "granted" ? "ok" : c.row.original.state === "denied" ? "muted" : "warn"
            }
          >
            {c.row.original.state}
          </Badge>
        ),
      },
    ],
    [],
  );
  const table = useReactTable({
    data: data?.appeals ?? [],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (a) => a.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const current = data?.appeals.find((a) => a.id === selected) ?? null;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Appeals</h1>
        <Field label="State">
          <select value={state} onChange={(e) => setQuery({ state: e.target.value, id: null })}>
            {["open", "granted", "denied", "any"].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorBox error={error} />
      {loading && !data ? (
        <Loading what="appeals" />
      ) : (
        <div className="split">
          <VirtualTable
            table={table}
            height="calc(100vh - 240px)"
            rowHeight={40}
            label="Appeals"
            onRowClick={(r) => setQuery({ id: r.original.id }, false)}
            rowClassName={(r) => (r.original.id === selected ? "active" : "")}
          />
          {current && <AppealPanel key={current.id} appeal={current} onDone={reload} />}
        </div>
      )}
    </div>
  );
}

function AppealPanel(props: { appeal: Appeal; onDone: () => void }) {
  const a = props.appeal;
  const mayDecide = useCan("decide", "appeal");
  const [reason, setReason] = useState("");
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (outcome: "granted" | "denied") => {
    setBusy(true);
    setErr(null);
    try {
      await api(`/v1/appeals/${encodeURIComponent(a.id)}/decision`, {
        method: "POST",
        body: { outcome, reason },
      });
      props.onDone();
    } catch (e) {
      setErr(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <aside className="item-panel" aria-label="Appeal">
      <h2>Appeal by {a.appellant}</h2>
      <p dir="auto" className="appeal-text">
        {a.text}
      </p>
      <div className="kv">
        <div>
          <b>Against</b> {humanize(a.action)} (ledger #{a.entry}) on{" "}
          <Link href={`/subjects/${a.subject.type}/${a.subject.id}`}>
            {a.subject.type} {a.subject.id}
          </Link>
        </div>
        {a.orderId && (
          <div>
            <b>Order</b> <Link href={`/orders/${a.orderId}`}>{a.orderId.slice(0, 8)}</Link> item{" "}
            {a.itemId?.split(":").pop()}
          </div>
        )}
        <div>
          <b>Received</b> {fmtDate(a.receivedAt)}
        </div>
        {a.decidedAt && (
          <div>
            <b>Decided</b> {a.state} by {a.decidedBy} on {fmtDate(a.decidedAt)}:{" "}
            <span dir="auto">{a.decisionReason}</span>
            {a.restoreSeq ? ` (reversal #${a.restoreSeq})` : ""}
          </div>
        )}
      </div>
      {mayDecide && a.state === "open" && (
        <div className="stack">
          <Field label="Reason (required)">
            <textarea rows={3} dir="auto" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="toolbar">
            <button
              type="button"
              className="primary"
              disabled={busy || !reason.trim()}
              onClick={() => void decide("granted")}
            >
              Grant (lift the restriction)
            </button>
            <button type="button" disabled={busy || !reason.trim()} onClick={() => void decide("denied")}>
              Deny
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={err} />
    </aside>
  );
}
