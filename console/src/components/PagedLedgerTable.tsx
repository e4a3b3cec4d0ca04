/**
 * The whole ledger as one scrollable list, however long: the server filters and counts
 * (GET /v1/ledger), and the table fetches only the pages of rows that come into view. Memory and
 * work follow what is on screen, not the ledger's size, so 100,000 entries (or ten million) scroll
 * without freezing. New entries are announced from the change feed and shown on request, so the
 * rows never move under the reader.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, api, qs } from "../lib/api.ts";
import { fmtDate } from "../lib/format.ts";
import type { LedgerEntry } from "../lib/types.ts";
import { EntryAction, EntryReason, EntrySubject, SourceLink, scopeOf } from "./LedgerTable.tsx";
import { ErrorBox } from "./ui.tsx";

export const PAGE_ROWS = 200;
const ROW_HEIGHT = 36;

export interface LedgerQuery {
  q: string;
  action: string;
  source: string;
  order: "asc" | "desc";
}

interface Page {
  entries: LedgerEntry[];
  total: number;
  head: number;
}

/** The pages a window of rows [first, last] needs. */
export function pagesFor(first: number, last: number, pageRows = PAGE_ROWS): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageRows); p <= Math.floor(last / pageRows); p++) out.push(p);
  return out;
}

const pagePath = (query: LedgerQuery, page: number, count: boolean): string =>
  `/v1/ledger${qs({
    q: query.q.trim() || null,
    action: query.action || null,
    source: query.source || null,
    order: query.order,
    offset: page * PAGE_ROWS,
    limit: PAGE_ROWS,
    count: count ? 1 : 0,
  })}`;

interface Column {
  id: string;
  header: string;
  width: string;
  cell: (e: LedgerEntry) => React.ReactNode;
}

const COLUMNS: Column[] = [
  { id: "seq", header: "Seq", width: "70px", cell: (e) => e.seq },
  { id: "at", header: "Recorded", width: "170px", cell: (e) => fmtDate(e.recordedAt) },
  { id: "subject", header: "Subject", width: "170px", cell: (e) => <EntrySubject e={e} /> },
  { id: "action", header: "Action", width: "150px", cell: (e) => <EntryAction e={e} /> },
  { id: "scope", header: "Where", width: "150px", cell: scopeOf },
  { id: "reason", header: "Reason", width: "minmax(260px, 1fr)", cell: (e) => <EntryReason e={e} /> },
  { id: "source", header: "Source", width: "150px", cell: (e) => <SourceLink source={e.source} /> },
  { id: "actor", header: "Actor", width: "150px", cell: (e) => e.actor },
];

export function PagedLedgerTable(props: {
  query: LedgerQuery;
  onOrderChange: (order: "asc" | "desc") => void;
  height: string | number;
  testId?: string;
  /** Called with the number of matching entries once known (null while counting). */
  onTotal?: (total: number | null, head: number) => void;
}) {
  const { query, onTotal } = props;
  const key = JSON.stringify(query);
  const [generation, setGeneration] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const [head, setHead] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const pages = useRef(new Map<number, LedgerEntry[]>());
  const inFlight = useRef(new Set<number>());
  const [, setLoaded] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const epoch = useRef(0);

  // A new query (or a refresh): forget the pages, count again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the query; generation forces a refresh
  useEffect(() => {
    const mine = ++epoch.current;
    pages.current = new Map();
    inFlight.current = new Set([0]);
    setTotal(null);
    setError(null);
    onTotal?.(null, 0);
    if (scroller.current) scroller.current.scrollTop = 0;
    api<Page>(pagePath(query, 0, true)).then(
      (p) => {
        if (epoch.current !== mine) return;
        inFlight.current.delete(0);
        pages.current.set(0, p.entries);
        setTotal(p.total);
        setHead(p.head);
        onTotal?.(p.total, p.head);
      },
      (e: unknown) => {
        if (epoch.current === mine)
          setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
      },
    );
  }, [key, generation]);

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // Fetch the pages the visible window needs (without recounting).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the window and the query decide what is needed
  useEffect(() => {
    if (total === null) return;
    const mine = epoch.current;
    for (const p of pagesFor(first, last)) {
      if (pages.current.has(p) || inFlight.current.has(p)) continue;
      inFlight.current.add(p);
      api<Page>(pagePath(query, p, false)).then(
        (r) => {
          if (epoch.current !== mine) return;
          inFlight.current.delete(p);
          pages.current.set(p, r.entries);
          setLoaded((n) => n + 1);
        },
        (e: unknown) => {
          if (epoch.current !== mine) return;
          inFlight.current.delete(p);
          setError(e instanceof ApiError ? e : new ApiError(0, "client", String(e)));
        },
      );
    }
  }, [first, last, total, key]);

  // Follow the feed: count what arrived since this view was read.
  const [arrived, setArrived] = useState(0);
  useEffect(() => {
    setArrived(0);
    if (!head) return;
    let stop = false;
    let after = head;
    (async () => {
      while (!stop) {
        try {
          const r = await api<{ entries: unknown[]; next: number }>(
            `/v1/changes${qs({ after, limit: 1000, wait: 25 })}`,
          );
          if (stop) return;
          if (r.entries.length > 0) setArrived((n) => n + r.entries.length);
          after = r.next;
        } catch {
          if (stop) return;
          await new Promise((res) => setTimeout(res, 5000));
        }
      }
    })();
    return () => {
      stop = true;
    };
  }, [head]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const template = useMemo(() => COLUMNS.map((c) => c.width).join(" "), []);
  const gridStyle: CSSProperties = { gridTemplateColumns: template };
  const rowAt = (i: number): LedgerEntry | undefined =>
    pages.current.get(Math.floor(i / PAGE_ROWS))?.[i % PAGE_ROWS];

  return (
    <>
      <ErrorBox error={error} />
      {arrived > 0 && (
        <div className="notice" role="status">
          {arrived.toLocaleString("en")} new {arrived === 1 ? "entry has" : "entries have"} been recorded
          since this list was read.{" "}
          <button type="button" onClick={refresh}>
            Show them
          </button>
        </div>
      )}
      <div
        className="vtable"
        ref={scroller}
        style={{ height: props.height }}
        role="grid"
        aria-label="Ledger entries"
        aria-rowcount={total ?? -1}
        aria-busy={total === null}
        data-testid={props.testId}
      >
        <div className="vtable-head" role="row" style={gridStyle}>
          {COLUMNS.map((c) =>
            c.id === "seq" ? (
              <div
                key={c.id}
                role="columnheader"
                className="sortable"
                tabIndex={0}
                aria-sort={query.order === "asc" ? "ascending" : "descending"}
                onClick={() => props.onOrderChange(query.order === "asc" ? "desc" : "asc")}
                onKeyDown={(e) => {
                  if (e.key === "Enter") props.onOrderChange(query.order === "asc" ? "desc" : "asc");
                }}
              >
                {c.header}
                {query.order === "asc" ? " ▲" : " ▼"}
              </div>
            ) : (
              <div key={c.id} role="columnheader">
                {c.header}
              </div>
            ),
          )}
        </div>
        <div className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const e = rowAt(v.index);
            return (
              <div
                key={v.index}
                role="row"
                aria-rowindex={v.index + 1}
                className={e ? "vtable-row" : "vtable-row placeholder"}
                style={{ ...gridStyle, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              >
                {e ? (
                  COLUMNS.map((c) => (
                    <div key={c.id} role="gridcell" className="vtable-cell">
                      {c.cell(e)}
                    </div>
                  ))
                ) : (
                  <div role="gridcell" className="vtable-cell muted">
                    …
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {total === 0 && <div className="empty">Nothing to show.</div>}
      </div>
    </>
  );
}
