import {
  type ColumnDef,
  type ColumnFiltersState,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Badge, Countdown, ErrorBox, Field, Loading, UserText, useNow } from "../components/ui.tsx";
import { VirtualTable } from "../components/VirtualTable.tsx";
import { textMatch } from "../lib/filters.ts";
import { countdown, fmtDate, humanize, urgencyRank } from "../lib/format.ts";
import { Link, navigate, setQuery, useLocation } from "../lib/router.tsx";
import type { OrderHeader } from "../lib/types.ts";
import { useApi } from "../lib/useApi.ts";

export function OrdersPage() {
  const { query } = useLocation();
  const { data, error, loading, reload } = useApi<{ orders: OrderHeader[] }>("/v1/orders");
  const now = useNow();
  const text = query.get("q") ?? "";
  const status = query.get("status") ?? "";
  const urgency = query.get("urgency") ?? "";
  const [sorting, setSorting] = useState<SortingState>([{ id: "deadline", desc: false }]);

  const columns = useMemo<ColumnDef<OrderHeader>[]>(
    () => [
      {
        id: "reference",
        header: "Reference",
        accessorKey: "reference",
        size: 220,
        cell: (c) => <Link href={`/orders/${c.row.original.id}`}>{c.row.original.reference}</Link>,
      },
      {
        id: "authority",
        header: "Authority",
        accessorFn: (o) => `${o.authority.name} (${o.authority.country})`,
        size: 260,
        meta: { grow: true },
        cell: (c) => (
          <span>
            <UserText>{c.row.original.authority.name}</UserText>{" "}
            <Badge>{c.row.original.authority.country}</Badge>
          </span>
        ),
      },
      {
        id: "received",
        header: "Received",
        accessorKey: "receivedAt",
        size: 170,
        cell: (c) => fmtDate(c.row.original.receivedAt),
      },
      {
        id: "deadline",
        header: "Deadline",
        accessorFn: (o) => {
          const c = countdown(o.reviewDeadline ?? o.deadline, o.status, now);
          return urgencyRank(c) * 1e15 + (Number.isFinite(c.leftMs) ? c.leftMs : 9e14);
        },
        size: 240,
        cell: (c) => {
          const o = c.row.original;
          return (
            <span
              title={`deadline ${fmtDate(o.deadline)}${o.reviewDeadline ? `; review by ${fmtDate(o.reviewDeadline)}` : ""}`}
            >
              <Countdown deadline={o.reviewDeadline ?? o.deadline} status={o.status} now={now} />
            </span>
          );
        },
      },
      {
        id: "status",
        header: "Status",
        accessorKey: "status",
        size: 150,
        filterFn: (row, _id, v: string) => !v || row.original.status === v,
        cell: (c) => humanize(c.row.original.status),
      },
      {
        id: "flags",
        header: "Flags",
        accessorFn: (o) => (o.emergency ? 2 : 0) + (o.confidential ? 1 : 0),
        size: 200,
        cell: (c) => (
          <span className="badges">
            {c.row.original.emergency && <Badge kind="danger">emergency</Badge>}
            {c.row.original.confidential && <Badge kind="warn">confidential</Badge>}
          </span>
        ),
      },
    ],
    [now],
  );

  const rows = useMemo(() => {
    const all = data?.orders ?? [];
    if (!urgency) return all;
    return all.filter((o) => countdown(o.reviewDeadline ?? o.deadline, o.status, now).urgency === urgency);
  }, [data, urgency, now]);
  const columnFilters = useMemo<ColumnFiltersState>(
    () => (status ? [{ id: "status", value: status }] : []),
    [status],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: text, columnFilters },
    onSortingChange: setSorting,
    globalFilterFn: (row, _c, q: string) => {
      const o = row.original;
      return textMatch([o.reference, o.authority.name, o.authority.country, o.legalBasis, o.status], q);
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  const counts = useMemo(() => {
    const c = { overdue: 0, due_soon: 0 };
    for (const o of data?.orders ?? []) {
      const u = countdown(o.reviewDeadline ?? o.deadline, o.status, now).urgency;
      if (u === "overdue") c.overdue++;
      if (u === "due_soon") c.due_soon++;
    }
    return c;
  }, [data, now]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Orders inbox</h1>
        <span className="badges">
          <Badge kind="danger">{counts.overdue} overdue</Badge>
          <Badge kind="warn">{counts.due_soon} due within 6 h</Badge>
        </span>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <div className="toolbar">
        <Field label="Search">
          <input
            value={text}
            placeholder="reference, authority, basis"
            onChange={(e) => setQuery({ q: e.target.value })}
          />
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setQuery({ status: e.target.value })}>
            <option value="">any</option>
            {["received", "in_review", "complied", "partially_complied", "rejected"].map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Deadline">
          <select value={urgency} onChange={(e) => setQuery({ urgency: e.target.value })}>
            <option value="">any</option>
            <option value="overdue">overdue</option>
            <option value="due_soon">due within 6 h</option>
            <option value="ok">later</option>
            <option value="closed">closed</option>
          </select>
        </Field>
      </div>
      <ErrorBox error={error} />
      {loading && !data ? (
        <Loading what="orders" />
      ) : (
        <VirtualTable
          table={table}
          height="calc(100vh - 260px)"
          rowHeight={44}
          label="Orders"
          testId="orders-table"
          onRowClick={(r) => navigate(`/orders/${r.original.id}`)}
          rowClassName={(r) =>
            `urgency-row-${countdown(r.original.reviewDeadline ?? r.original.deadline, r.original.status, now).urgency}`
          }
        />
      )}
    </div>
  );
}
