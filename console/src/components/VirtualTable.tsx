/**
 * A TanStack table rendered through react-virtual: only the visible rows are in the DOM, so 100k
 * rows scroll without freezing. Columns size with `size` (px); `meta: { grow: true }` columns share the
 * rest of the width.
 */
import { flexRender, type Row, type Table } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, useEffect, useMemo, useRef } from "react";

export interface VirtualTableProps<T> {
  table: Table<T>;
  height: number | string;
  rowHeight: number;
  activeIndex?: number;
  onRowClick?: (row: Row<T>, index: number) => void;
  rowClassName?: (row: Row<T>) => string;
  label: string;
  testId?: string;
  /**
   * Windowed mode, for long lists: the table holds only the rows from `start` of `rowCount` in all,
   * and `onRange` asks for the rows in view [first, end). TanStack then builds row objects for a
   * window instead of for every row (at 100,000 rows that is seconds and most of the garbage).
   */
  window?: { rowCount: number; start: number; onRange: (first: number, end: number) => void };
}

export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { table, rowHeight, activeIndex } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const win = props.window;
  const count = win ? win.rowCount : rows.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const headers = table.getFlatHeaders();
  const template = useMemo(
    () =>
      headers
        .map((h) =>
          (h.column.columnDef.meta as { grow?: boolean } | undefined)?.grow
            ? `minmax(${h.getSize()}px, 1fr)`
            : `${h.getSize()}px`,
        )
        .join(" "),
    [headers],
  );
  useEffect(() => {
    if (activeIndex !== undefined && activeIndex >= 0 && activeIndex < count)
      virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, count, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const end = (items[items.length - 1]?.index ?? -1) + 1;
  const onRange = win?.onRange;
  useEffect(() => {
    onRange?.(first, end);
  }, [onRange, first, end]);

  const gridStyle: CSSProperties = { gridTemplateColumns: template };
  return (
    <div
      className="vtable"
      ref={scroller}
      style={{ height: props.height }}
      role="grid"
      aria-label={props.label}
      aria-rowcount={count}
      data-testid={props.testId}
    >
      <div className="vtable-head" role="row" style={gridStyle}>
        {headers.map((h) => {
          const sorted = h.column.getIsSorted();
          return (
            <div
              key={h.id}
              role="columnheader"
              className={h.column.getCanSort() ? "sortable" : undefined}
              onClick={h.column.getToggleSortingHandler()}
              onKeyDown={(e) => {
                if (e.key === "Enter") h.column.toggleSorting();
              }}
              tabIndex={h.column.getCanSort() ? 0 : undefined}
              aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
            >
              {flexRender(h.column.columnDef.header, h.getContext())}
              {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
            </div>
          );
        })}
      </div>
      <div className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          const row = win ? rows[v.index - win.start] : rows[v.index];
          if (!row)
            return (
              <div
                key={`pending-${v.index}`}
                role="row"
                aria-rowindex={v.index + 1}
                className="vtable-row placeholder"
                style={{ ...gridStyle, transform: `translateY(${v.start}px)`, height: rowHeight }}
              />
            );
          const cls = `vtable-row${v.index === activeIndex ? " active" : ""}${props.rowClassName ? ` ${props.rowClassName(row)}` : ""}`;
          return (
            <div
              key={row.id}
              role="row"
              aria-rowindex={v.index + 1}
              className={cls}
              style={{ ...gridStyle, transform: `translateY(${v.start}px)`, height: rowHeight }}
              onClick={() => props.onRowClick?.(row, v.index)}
            >
              {row.getVisibleCells().map((c) => (
                <div key={c.id} role="gridcell" className="vtable-cell">
                  {flexRender(c.column.columnDef.cell, c.getContext())}
                </div>
              ))}
            </div>
          );
        })}
      </div>
      {count === 0 && <div className="empty">Nothing to show.</div>}
    </div>
  );
}
