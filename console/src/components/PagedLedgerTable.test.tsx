// @vitest-environment happy-dom

import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LedgerEntry } from "../lib/types.ts";
import { stubLayout } from "../test/dom.tsx";
import { type LedgerQuery, PAGE_ROWS, PagedLedgerTable, pagesFor } from "./PagedLedgerTable.tsx";

const TOTAL = 100_000;
const entry = (seq: number): LedgerEntry =>
  ({
    seq,
    prevHash: "",
    hash: "",
    subject: { type: "account", id: `acct${seq}` },
    action: seq % 2 === 0 ? "withhold" : "suspend",
    countries: seq % 2 === 0 ? ["IN"] : null,
    surfaces: null,
    label: null,
    basis: null,
    expiresAt: null,
    source: { kind: "manual", id: null },
    actor: `user:r${seq % 7}`,
    reason: `reason ${seq}`,
    rule: null,
    legalBasis: null,
    reverses: null,
    idempotencyKey: null,
    recordedAt: "2021-02-01T00:00:00.000Z",
  }) as LedgerEntry;

interface Served {
  ledger: URLSearchParams[];
  changes: number;
}

/** A server with a ledger of 100,000 entries: GET /v1/ledger pages it (q keeps seqs containing q). */
function serve(opts: { arrive?: number } = {}): Served {
  const served: Served = { ledger: [], changes: 0 };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string | URL | Request) => {
      const url = new URL(String(input), "http://x");
      if (url.pathname === "/v1/ledger") {
        const p = url.searchParams;
        served.ledger.push(p);
        const q = p.get("q") ?? "";
        const all = q
          ? Array.from({ length: TOTAL }, (_, i) => i + 1).filter((s) => String(s).includes(q))
          : null;
        const count = all ? all.length : TOTAL;
        const offset = Number(p.get("offset"));
        const limit = Number(p.get("limit"));
        const seqs: number[] = [];
        for (let i = offset; i < Math.min(count, offset + limit); i++) {
          const k = p.get("order") === "asc" ? i : count - 1 - i;
          seqs.push(all ? all[k]! : k + 1);
        }
        return Response.json({
          entries: seqs.map(entry),
          total: p.get("count") === "1" ? count : -1,
          head: TOTAL,
        });
      }
      if (url.pathname === "/v1/changes") {
        served.changes++;
        if (served.changes === 1 && opts.arrive)
          return Response.json({
            entries: Array.from({ length: opts.arrive }, (_, i) => entry(TOTAL + i + 1)),
            next: TOTAL + opts.arrive,
          });
        return new Promise<Response>(() => {}); // a long poll with nothing new
      }
      return Response.json({ error: { code: "not_found", message: "no route" } }, { status: 404 });
    }),
  );
  return served;
}

function Harness(props: { initial?: Partial<LedgerQuery>; onTotal?: (t: number | null) => void }) {
  const [query, setQuery] = useState<LedgerQuery>({
    q: "",
    action: "",
    source: "",
    order: "desc",
    ...props.initial,
  });
  return (
    <>
      <button type="button" onClick={() => setQuery((q) => ({ ...q, q: "777" }))}>
        search 777
      </button>
      <PagedLedgerTable
        query={query}
        onOrderChange={(order) => setQuery((q) => ({ ...q, order }))}
        onTotal={(t) => props.onTotal?.(t)}
        height={600}
        testId="ledger"
      />
    </>
  );
}

const loadedRows = () => [
  ...document.querySelectorAll<HTMLElement>("[data-testid=ledger] .vtable-row:not(.placeholder)"),
];
const firstCell = (row: HTMLElement) => Number(row.querySelector("[role=gridcell]")?.textContent);

describe("pagesFor", () => {
  it("names every page a window of rows touches", () => {
    expect(pagesFor(0, 0)).toEqual([0]);
    expect(pagesFor(PAGE_ROWS - 1, PAGE_ROWS)).toEqual([0, 1]);
    expect(pagesFor(450, 1020, 200)).toEqual([2, 3, 4, 5]);
    expect(pagesFor(5, 4)).toEqual([]);
  });
});

describe("PagedLedgerTable", () => {
  beforeEach(() => stubLayout({ width: 1400, height: 600 }));

  it("counts 100,000 entries on the server and puts only a window of them in the page, newest first", async () => {
    const served = serve();
    const totals: Array<number | null> = [];
    render(<Harness onTotal={(t) => totals.push(t)} />);
    await waitFor(() => expect(loadedRows().length).toBeGreaterThan(0));
    expect(screen.getByTestId("ledger").getAttribute("aria-rowcount")).toBe(String(TOTAL));
    expect(totals.at(-1)).toBe(TOTAL);
    const rows = loadedRows();
    expect(rows.length).toBeLessThan(80);
    expect(firstCell(rows[0]!)).toBe(TOTAL);
    expect(firstCell(rows[1]!)).toBe(TOTAL - 1);
    // One counted read of the first page; nothing else needed for the first screen.
    expect(served.ledger.length).toBe(1);
    expect(served.ledger[0]!.get("count")).toBe("1");
  });

  it("scrolling to the middle reads just the pages in view, uncounted", async () => {
    const served = serve();
    render(<Harness />);
    await waitFor(() => expect(loadedRows().length).toBeGreaterThan(0));
    const grid = screen.getByTestId("ledger");
    grid.scrollTop = 50_000 * 36;
    fireEvent.scroll(grid);
    await waitFor(() => expect(loadedRows().some((r) => Math.abs(firstCell(r) - 50_000) < 40)).toBe(true));
    const later = served.ledger.slice(1);
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThanOrEqual(3);
    for (const p of later) {
      expect(p.get("count")).toBe("0");
      expect(Math.abs(Number(p.get("offset")) - 50_000)).toBeLessThan(2 * PAGE_ROWS);
    }
  });

  it("a new search starts over with a counted first page", async () => {
    const served = serve();
    const totals: Array<number | null> = [];
    render(<Harness onTotal={(t) => totals.push(t)} />);
    await waitFor(() => expect(loadedRows().length).toBeGreaterThan(0));
    fireEvent.click(screen.getByText("search 777"));
    await waitFor(() =>
      expect(totals.at(-1)).toBe(
        Array.from({ length: TOTAL }, (_, i) => String(i + 1)).filter((s) => s.includes("777")).length,
      ),
    );
    const last = served.ledger.at(-1)!;
    expect(last.get("q")).toBe("777");
    expect(last.get("offset")).toBe("0");
    expect(last.get("count")).toBe("1");
    await waitFor(() => expect(loadedRows().every((r) => String(firstCell(r)).includes("777"))).toBe(true));
  });

  it("the Seq header flips the server's order, from the keyboard too", async () => {
    const served = serve();
    render(<Harness />);
    await waitFor(() => expect(loadedRows().length).toBeGreaterThan(0));
    const seq = screen.getByRole("columnheader", { name: /Seq/ });
    expect(seq.getAttribute("aria-sort")).toBe("descending");
    fireEvent.keyDown(seq, { key: "Enter" });
    await waitFor(() => expect(firstCell(loadedRows()[0]!)).toBe(1));
    expect(served.ledger.at(-1)!.get("order")).toBe("asc");
    expect(screen.getByRole("columnheader", { name: /Seq/ }).getAttribute("aria-sort")).toBe("ascending");
  });

  it("entries recorded after the read are announced, and shown on request", async () => {
    const served = serve({ arrive: 3 });
    render(<Harness />);
    const notice = await screen.findByRole("status");
    expect(notice.textContent).toContain("3 new entries");
    const reads = served.ledger.length;
    fireEvent.click(screen.getByText("Show them"));
    await waitFor(() => expect(served.ledger.length).toBeGreaterThan(reads));
    expect(served.ledger.at(-1)!.get("count")).toBe("1");
  });
});
