// @vitest-environment happy-dom

import {
  type ColumnDef,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type Row,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubLayout } from "../test/dom.tsx";
import { VirtualTable } from "./VirtualTable.tsx";

interface Account {
  id: string;
  handle: string;
  score: number;
}
// Scores are a permutation of 0..n-1 that is not the row order (7919 is prime), so sorting reorders.
const accounts = (n: number): Account[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `a${String(i).padStart(6, "0")}`,
    handle: `@user${i}`,
    score: (i * 7919 + 13) % n,
  }));
// Building TanStack's row model for 100,000 rows takes 4–14 s on this 2-core machine, which is why the
// console's one list that reaches 100,000 rows (the audit log) is paged by the server instead
// (PagedLedgerTable). Client-side tables hold thousands: the windowing test uses 20,000 rows, the
// interaction tests 5,000 (both far more than a window).
const BIG = 20_000;
const N = 5_000;
const ACCOUNTS = accounts(N);
const byScore = [...ACCOUNTS].sort((a, b) => a.score - b.score);

const columns: ColumnDef<Account>[] = [
  { id: "id", header: "Account", accessorKey: "id", size: 120 },
  { id: "handle", header: "Handle", accessorKey: "handle", size: 200, meta: { grow: true } },
  { id: "score", header: "Score", accessorKey: "score", size: 80 },
];

function Harness(props: {
  data?: Account[];
  activeIndex?: number;
  onRowClick?: (row: Row<Account>, index: number) => void;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [globalFilter, setGlobalFilter] = useState("");
  const table = useReactTable({
    data: props.data ?? ACCOUNTS,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    getRowId: (a) => a.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  return (
    <>
      <input aria-label="Filter" value={globalFilter} onChange={(e) => setGlobalFilter(e.target.value)} />
      <VirtualTable
        table={table}
        height={600}
        rowHeight={40}
        label="Accounts"
        activeIndex={props.activeIndex}
        onRowClick={props.onRowClick}
      />
    </>
  );
}

const grid = () => screen.getByRole("grid", { name: "Accounts" });
/** The body rows in the DOM (the header row has no aria-rowindex). */
const bodyRows = () => [...grid().querySelectorAll<HTMLElement>("[role=row][aria-rowindex]")];
const firstCell = (row: HTMLElement) => within(row).getAllByRole("gridcell")[0]!.textContent;

describe("VirtualTable", () => {
  beforeEach(() => stubLayout({ width: 1200, height: 600 }));

  it("puts only a window of 20,000 rows in the DOM, and moves it with the scroll position", () => {
    render(<Harness data={accounts(BIG)} />);
    expect(grid().getAttribute("aria-rowcount")).toBe(String(BIG));
    const rows = bodyRows();
    // 600px / 40px = 15 visible rows, plus the overscan: a few dozen, not 20,000.
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.length).toBeLessThan(60);
    expect(firstCell(rows[0]!)).toBe("a000000");
    expect(screen.queryByText("a019999")).toBeNull();
    // The body is as tall as all rows, so the scrollbar is honest.
    expect((grid().querySelector(".vtable-body") as HTMLElement).style.height).toBe(`${BIG * 40}px`);

    fireEvent.scroll(grid(), { target: { scrollTop: 10_000 * 40 } });
    const indexes = bodyRows().map((r) => Number(r.getAttribute("aria-rowindex")));
    expect(indexes).toContain(10_001);
    expect(indexes).not.toContain(1);
    expect(indexes.length).toBeLessThan(60);
    expect(screen.getByText("a010000")).toBeTruthy();
    // Each row sits at its own offset in the tall body.
    const row = bodyRows().find((r) => r.getAttribute("aria-rowindex") === "10001")!;
    expect(row.style.transform).toBe(`translateY(${10_000 * 40}px)`);
  }, 60_000);

  it("sorts by a header click (numbers largest first) and again the other way", () => {
    render(<Harness />);
    const score = screen.getByRole("columnheader", { name: "Score" });
    fireEvent.click(score);
    expect(score.getAttribute("aria-sort")).toBe("descending");
    expect(firstCell(bodyRows()[0]!)).toBe(byScore[N - 1]!.id);
    fireEvent.click(score);
    expect(score.getAttribute("aria-sort")).toBe("ascending");
    expect(firstCell(bodyRows()[0]!)).toBe(byScore[0]!.id);
    expect(bodyRows().length).toBeLessThan(60);
  });

  it("sorts from the keyboard: Enter on a focusable header", () => {
    render(<Harness />);
    const handle = screen.getByRole("columnheader", { name: "Handle" });
    expect(handle.tabIndex).toBe(0);
    fireEvent.keyDown(handle, { key: "Enter" });
    expect(handle.getAttribute("aria-sort")).toBe("ascending");
    const handles = () => bodyRows().map((r) => r.querySelectorAll("[role=gridcell]")[1]!.textContent);
    // TanStack's alphanumeric sort orders the digits as numbers.
    expect(handles().slice(0, 3)).toEqual(["@user0", "@user1", "@user2"]);
    fireEvent.keyDown(handle, { key: "Enter" });
    expect(handle.getAttribute("aria-sort")).toBe("descending");
    expect(handles().slice(0, 2)).toEqual([`@user${N - 1}`, `@user${N - 2}`]);
    // Other keys do nothing.
    fireEvent.keyDown(handle, { key: "a" });
    expect(handle.getAttribute("aria-sort")).toBe("descending");
  });

  it("shows what the filter leaves, and says so when nothing is left", () => {
    render(<Harness />);
    fireEvent.change(screen.getByLabelText("Filter"), { target: { value: "a00499" } });
    expect(grid().getAttribute("aria-rowcount")).toBe("10");
    expect(bodyRows().map(firstCell)).toEqual(Array.from({ length: 10 }, (_, i) => `a00499${i}`));
    fireEvent.change(screen.getByLabelText("Filter"), { target: { value: "nobody" } });
    expect(grid().getAttribute("aria-rowcount")).toBe("0");
    expect(bodyRows()).toHaveLength(0);
    expect(screen.getByText("Nothing to show.")).toBeTruthy();
  });

  it("reports the clicked row with its index in the sorted view", () => {
    const onRowClick = vi.fn();
    render(<Harness onRowClick={onRowClick} />);
    fireEvent.click(screen.getByRole("columnheader", { name: "Score" }));
    fireEvent.click(bodyRows()[2]!);
    expect(onRowClick).toHaveBeenCalledTimes(1);
    const [row, index] = onRowClick.mock.calls[0]!;
    expect(index).toBe(2);
    expect((row as Row<Account>).original).toEqual(byScore[N - 3]);
  });

  it("scrolls the active row into the window", async () => {
    const { rerender } = render(<Harness activeIndex={0} />);
    expect(bodyRows()[0]!.className).toContain("active");
    rerender(<Harness activeIndex={4_000} />);
    // The table asks the scroller to bring row 4,000 into view...
    await waitFor(() => expect(grid().scrollTop).toBeGreaterThan(3_900 * 40));
    // ...and once the browser reports the scroll (happy-dom does not fire it), that row is drawn.
    fireEvent.scroll(grid());
    await waitFor(() => expect(screen.getByText("a004000")).toBeTruthy());
    const active = grid().querySelector<HTMLElement>(".vtable-row.active")!;
    expect(active.getAttribute("aria-rowindex")).toBe("4001");
    expect(screen.queryByText("a000000")).toBeNull();
  });
});

/** Windowed mode: TanStack holds only the rows around the view; the caller slices its own array. */
function WindowedHarness(props: { data: Account[]; seen: number[] }) {
  const [range, setRange] = useState({ first: 0, end: 30 });
  const start = Math.max(0, range.first - 10);
  const slice = props.data.slice(start, range.end + 10);
  props.seen.push(slice.length);
  const table = useReactTable({
    data: slice,
    columns,
    getRowId: (a) => a.id,
    getCoreRowModel: getCoreRowModel(),
  });
  return (
    <VirtualTable
      table={table}
      height={600}
      rowHeight={40}
      label="Accounts"
      window={{
        rowCount: props.data.length,
        start,
        onRange: (first, end) => setRange((r) => (r.first === first && r.end === end ? r : { first, end })),
      }}
    />
  );
}

describe("VirtualTable, windowed", () => {
  beforeEach(() => stubLayout({ width: 1200, height: 600 }));

  it("spans 100,000 rows while TanStack only ever holds the window", async () => {
    const data = accounts(100_000);
    const seen: number[] = [];
    render(<WindowedHarness data={data} seen={seen} />);
    expect(grid().getAttribute("aria-rowcount")).toBe("100000");
    expect((grid().querySelector(".vtable-body") as HTMLElement).style.height).toBe(`${100_000 * 40}px`);
    expect(firstCell(bodyRows()[0]!)).toBe("a000000");
    fireEvent.scroll(grid(), { target: { scrollTop: 73_000 * 40 } });
    await waitFor(() => expect(screen.getByText("a073000")).toBeTruthy());
    const row = bodyRows().find((r) => r.getAttribute("aria-rowindex") === "73001")!;
    expect(firstCell(row)).toBe("a073000");
    expect(row.style.transform).toBe(`translateY(${73_000 * 40}px)`);
    expect(grid().querySelectorAll(".placeholder").length).toBe(0);
    expect(Math.max(...seen)).toBeLessThan(120);
  });
});
