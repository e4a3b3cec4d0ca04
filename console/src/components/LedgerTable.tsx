import {
  type ColumnDef,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { fmtDate, humanize } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import type { LedgerEntry } from "../lib/types.ts";
import { Badge, UserText } from "./ui.tsx";
import { VirtualTable } from "./VirtualTable.tsx";

/** Where an entry came from, linked when the console has a page for it. */
export function SourceLink(props: { source: { kind: string; id: string | null } }) {
  const { kind, id } = props.source;
  if (!id) return <span>{humanize(kind)}</span>;
  if (kind === "legal_demand_item") {
    const order = id.split(":")[0] ?? id;
    return (
      <Link href={`/orders/${order}`} onClick={(e) => e.stopPropagation()} title={id}>
        order item {id.slice(id.lastIndexOf(":") + 1)}
      </Link>
    );
  }
  if (kind === "review_case")
    return (
      <Link href={`/cases/${id}`} onClick={(e) => e.stopPropagation()}>
        case {id.slice(0, 8)}
      </Link>
    );
  return (
    <span title={id}>
      {humanize(kind)} {id.slice(0, 12)}
    </span>
  );
}

export function scopeOf(e: LedgerEntry): string {
  const parts: string[] = [];
  if (e.countries) parts.push(e.countries.join(","));
  if (e.surfaces) parts.push(e.surfaces.join(","));
  if (e.label) parts.push(`label ${e.label}`);
  return parts.join(" · ") || "everywhere";
}

export function LedgerTable(props: {
  entries: LedgerEntry[];
  height: string | number;
  showSubject?: boolean;
  testId?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "seq", desc: true }]);
  const columns = useMemo<ColumnDef<LedgerEntry>[]>(() => {
    const cols: ColumnDef<LedgerEntry>[] = [
      { id: "seq", header: "Seq", accessorKey: "seq", size: 70 },
      {
        id: "at",
        header: "Recorded",
        accessorKey: "recordedAt",
        size: 170,
        cell: (c) => fmtDate(c.row.original.recordedAt),
      },
    ];
    if (props.showSubject)
      cols.push({
        id: "subject",
        header: "Subject",
        accessorFn: (e) => `${e.subject.type}:${e.subject.id}`,
        size: 170,
        cell: (c) => {
          const s = c.row.original.subject;
          return (
            <Link
              href={`/subjects/${s.type}/${encodeURIComponent(s.id)}`}
              onClick={(e) => e.stopPropagation()}
            >
              {s.type} <UserText>{s.id}</UserText>
            </Link>
          );
        },
      });
    cols.push(
      {
        id: "action",
        header: "Action",
        accessorKey: "action",
        size: 150,
        cell: (c) => (
          <Badge
            kind={c.row.original.reverses ? "info" : "warn"}
            title={c.row.original.reverses ? `reverses #${c.row.original.reverses}` : undefined}
          >
            {humanize(c.row.original.action)}
          </Badge>
        ),
      },
      { id: "scope", header: "Where", accessorFn: scopeOf, size: 150 },
      {
        id: "reason",
        header: "Reason",
        accessorKey: "reason",
        size: 260,
        meta: { grow: true },
        cell: (c) => (
          <span
            className="ellipsis"
            title={`${c.row.original.reason}${c.row.original.rule ? `\nrule: ${c.row.original.rule}` : ""}${c.row.original.legalBasis ? `\nbasis: ${c.row.original.legalBasis}` : ""}`}
          >
            <UserText>{c.row.original.reason}</UserText>
          </span>
        ),
      },
      {
        id: "source",
        header: "Source",
        accessorFn: (e) => e.source.kind,
        size: 150,
        cell: (c) => <SourceLink source={c.row.original.source} />,
      },
      { id: "actor", header: "Actor", accessorKey: "actor", size: 150 },
    );
    return cols;
  }, [props.showSubject]);
  const table = useReactTable({
    data: props.entries,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (e) => String(e.seq),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <VirtualTable
      table={table}
      height={props.height}
      rowHeight={36}
      label="Ledger entries"
      testId={props.testId}
    />
  );
}
