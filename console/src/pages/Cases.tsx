import {
  type ColumnDef,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Badge, ErrorBox, Field, Loading, UserText } from "../components/ui.tsx";
import { VirtualTable } from "../components/VirtualTable.tsx";
import { qs } from "../lib/api.ts";
import { textMatch } from "../lib/filters.ts";
import { fmtDate, humanize } from "../lib/format.ts";
import { Link, navigate, setQuery, useLocation } from "../lib/router.tsx";
import type { Case } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

export const CASE_KINDS = ["campaign", "violent_speech", "report", "appeal"];
export const CASE_STATES = ["open", "escalated", "closed"];

export function CasesPage() {
  const { query } = useLocation();
  const kind = query.get("kind") ?? "";
  const state = query.get("state") ?? "open";
  const text = query.get("q") ?? "";
  const { data, error, loading, reload } = useApi<{ cases: Case[]; total: number }>(
    `/v1/cases${qs({ kind, state, limit: 1000 })}`,
  );
  const [sorting, setSorting] = useState<SortingState>([]);
  const columns = useMemo<ColumnDef<Case>[]>(
    () => [
      { id: "priority", header: "Priority", accessorKey: "priority", size: 80 },
      {
        id: "kind",
        header: "Queue",
        accessorKey: "kind",
        size: 130,
        cell: (c) => <Badge kind="info">{humanize(c.row.original.kind)}</Badge>,
      },
      {
        id: "title",
        header: "Case",
        accessorKey: "title",
        size: 320,
        meta: { grow: true },
        cell: (c) => (
          <Link href={`/cases/${c.row.original.id}`} className="ellipsis">
            <UserText>{c.row.original.title}</UserText>
          </Link>
        ),
      },
      { id: "subjects", header: "Subjects", accessorFn: (x) => x.subjects.length, size: 90 },
      {
        id: "state",
        header: "State",
        accessorKey: "state",
        size: 100,
        cell: (c) => humanize(c.row.original.state),
      },
      {
        id: "assignee",
        header: "Assignee",
        accessorFn: (x) => x.assignee ?? "",
        size: 140,
        cell: (c) => c.row.original.assignee ?? <span className="muted">unassigned</span>,
      },
      {
        id: "updated",
        header: "Updated",
        accessorKey: "updatedAt",
        size: 180,
        cell: (c) => fmtDate(c.row.original.updatedAt),
      },
    ],
    [],
  );
  const table = useReactTable({
    data: data?.cases ?? [],
    columns,
    state: { sorting, globalFilter: text },
    onSortingChange: setSorting,
    globalFilterFn: (row, _c, q: string) =>
      textMatch([row.original.title, row.original.assignee, row.original.kind, row.original.id], q),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Review cases</h1>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <div className="toolbar">
        <Field label="Queue">
          <select value={kind} onChange={(e) => setQuery({ kind: e.target.value })}>
            <option value="">all queues</option>
            {CASE_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="State">
          <select value={state} onChange={(e) => setQuery({ state: e.target.value || "any" })}>
            {CASE_STATES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Search">
          <input
            value={text}
            onChange={(e) => setQuery({ q: e.target.value })}
            placeholder="title, assignee"
          />
        </Field>
        {data && (
          <span className="muted" role="status">
            {data.total > data.cases.length
              ? `The ${data.cases.length.toLocaleString("en")} highest-priority of ${data.total.toLocaleString("en")} cases (search and sorting apply to these): pick a queue to narrow it.`
              : `${data.total.toLocaleString("en")} case${data.total === 1 ? "" : "s"}`}
          </span>
        )}
      </div>
      <ErrorBox error={error} />
      {loading && !data ? (
        <Loading what="cases" />
      ) : (
        <VirtualTable
          table={table}
          height="calc(100vh - 260px)"
          rowHeight={40}
          label="Cases"
          testId="cases-table"
          onRowClick={(r) => navigate(`/cases/${r.original.id}`)}
        />
      )}
    </div>
  );
}
