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

/** An entry's subject, linked to its page. */
export function EntrySubject(props: { e: LedgerEntry }) {
  const s = props.e.subject;
  return (
    <Link href={`/subjects/${s.type}/${encodeURIComponent(s.id)}`} onClick={(e) => e.stopPropagation()}>
      {s.type} <UserText>{s.id}</UserText>
    </Link>
  );
}

/** An entry's action; a reversal is marked and names what it reverses. */
export function EntryAction(props: { e: LedgerEntry }) {
  const { e } = props;
  return (
    <Badge kind={e.reverses ? "info" : "warn"} title={e.reverses ? `reverses #${e.reverses}` : undefined}>
      {humanize(e.action)}
    </Badge>
  );
}

/** An entry's reason, with its rule and legal basis on hover. */
export function EntryReason(props: { e: LedgerEntry }) {
  const { e } = props;
  return (
    <span
      className="ellipsis"
      title={`${e.reason}${e.rule ? `\nrule: ${e.rule}` : ""}${e.legalBasis ? `\nbasis: ${e.legalBasis}` : ""}`}
    >
      <UserText>{e.reason}</UserText>
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
        cell: (c) => <EntrySubject e={c.row.original} />,
      });
    cols.push(
      {
        id: "action",
        header: "Action",
        accessorKey: "action",
        size: 150,
        cell: (c) => <EntryAction e={c.row.original} />,
      },
      { id: "scope", header: "Where", accessorFn: scopeOf, size: 150 },
      {
        id: "reason",
        header: "Reason",
        accessorKey: "reason",
        size: 260,
        meta: { grow: true },
        cell: (c) => <EntryReason e={c.row.original} />,
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
