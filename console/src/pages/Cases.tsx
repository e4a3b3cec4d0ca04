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
import { type ApiError, api, qs } from "../lib/api.ts";
import { textMatch } from "../lib/filters.ts";
import { fmtDate, humanize } from "../lib/format.ts";
import { Link, navigate, setQuery, useLocation } from "../lib/router.tsx";
import type { Case } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

export const CASE_KINDS = ["campaign", "violent_speech", "report", "appeal"];
export const CASE_STATES = ["open", "escalated", "closed"];
/** Cases per request (the API's largest page). */
const PAGE = 1000;

/** Pages loaded after the first, for one answer of the first page (a reload or a new filter drops them). */
interface MorePages {
  first: unknown;
  cases: Case[];
  fetched: number;
}

export function CasesPage() {
  const { query } = useLocation();
  const kind = query.get("kind") ?? "";
  const state = query.get("state") ?? "open";
  const text = query.get("q") ?? "";
  const { data, error, loading, reload } = useApi<{ cases: Case[]; total: number }>(
    `/v1/cases${qs({ kind, state, limit: PAGE })}`,
  );
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const extra = more !== null && more.first === data ? more : null;
  const rows = useMemo(() => {
    const first = data?.cases ?? [];
    if (extra === null) return first;
    // Priorities move while a reviewer pages: a case seen on an earlier page is not listed twice.
    const seen = new Set(first.map((c) => c.id));
    return [...first, ...extra.cases.filter((c) => !seen.has(c.id))];
  }, [data, extra]);
  const fetched = (data?.cases.length ?? 0) + (extra?.fetched ?? 0);
  const loadMore = () => {
    if (data === null) return;
    setLoadingMore(true);
    setMoreError(null);
    api<{ cases: Case[] }>(`/v1/cases${qs({ kind, state, limit: PAGE, offset: fetched })}`).then(
      (page) => {
        setMore({
          first: data,
          cases: [...(extra?.cases ?? []), ...page.cases],
          fetched: (extra?.fetched ?? 0) + page.cases.length,
        });
        setLoadingMore(false);
      },
      (e: ApiError) => {
        setMoreError(e);
        setLoadingMore(false);
      },
    );
  };
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
    data: rows,
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
            {data.total > fetched
              ? `The ${rows.length.toLocaleString("en")} highest-priority of ${data.total.toLocaleString("en")} cases (search and sorting apply to these): pick a queue to narrow it, or load more.`
              : data.total > rows.length
                ? `${rows.length.toLocaleString("en")} of ${data.total.toLocaleString("en")} cases: priorities changed while the pages loaded; Refresh to list them all.`
                : `${rows.length.toLocaleString("en")} case${rows.length === 1 ? "" : "s"}`}
          </span>
        )}
        {data && data.total > fetched && (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore
              ? "Loading…"
              : `Load the next ${Math.min(PAGE, data.total - fetched).toLocaleString("en")}`}
          </button>
        )}
      </div>
      <ErrorBox error={error ?? moreError} />
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
