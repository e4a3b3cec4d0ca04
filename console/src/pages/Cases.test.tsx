// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Case } from "../lib/types.ts";
import { errorBody, mockApi, renderAs, stubLayout } from "../test/dom.tsx";
import { CasesPage } from "./Cases.tsx";

// Cases as GET /v1/cases serves them (src/http/routes/cases.ts), highest priority first.
const kase = (n: number): Case => ({
  id: `case-${String(n).padStart(5, "0")}`,
  kind: "report",
  state: "open",
  title: `report ${n}`,
  subjects: [{ type: "post", id: `p${n}`, score: null }],
  evidence: {},
  priority: 10_000 - n,
  assignee: null,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
  closedAt: null,
  resolution: null,
});
const FIRST = "GET /v1/cases?state=open&limit=1000";
const SECOND = "GET /v1/cases?state=open&limit=1000&offset=1000";
const THIRD = "GET /v1/cases?state=open&limit=1000&offset=2000";
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => kase(from + i));

describe("the cases list", () => {
  it("loads further pages on request, without listing a case twice", async () => {
    stubLayout();
    // Between the requests one case moved down a page: it comes again and is listed once, and the
    // case it pushed off the end is not seen, which the page says.
    const api = mockApi({
      [FIRST]: { json: { cases: range(0, 1000), total: 2300 } },
      [SECOND]: { json: { cases: [kase(999), ...range(1000, 1999)], total: 2300 } },
      [THIRD]: { json: { cases: range(1999, 2299), total: 2300 } },
    });
    renderAs("moderator", <CasesPage />);
    await screen.findByText(/The 1,000 highest-priority of 2,300 cases/);
    fireEvent.click(screen.getByRole("button", { name: "Load the next 1,000" }));
    await screen.findByText(/The 1,999 highest-priority of 2,300 cases/);
    fireEvent.click(screen.getByRole("button", { name: "Load the next 300" }));
    await screen.findByText(/2,299 of 2,300 cases: priorities changed/);
    expect(screen.queryByRole("button", { name: /Load the next/ })).toBeNull();
    expect(api.callsTo(SECOND)).toHaveLength(1);
    expect(api.callsTo(THIRD)).toHaveLength(1);
  });

  it("keeps what it has when a further page fails, and says why", async () => {
    stubLayout();
    mockApi({
      [FIRST]: { json: { cases: range(0, 1000), total: 1500 } },
      [SECOND]: { status: 503, json: errorBody("unavailable", "the store is restarting") },
    });
    renderAs("moderator", <CasesPage />);
    await screen.findByText(/The 1,000 highest-priority of 1,500 cases/);
    fireEvent.click(screen.getByRole("button", { name: "Load the next 500" }));
    await screen.findByText(/the store is restarting/);
    await waitFor(() => expect(screen.getByRole("button", { name: "Load the next 500" })).toBeTruthy());
    expect(screen.getByRole("status").textContent).toMatch(/The 1,000 highest-priority of 1,500/);
  });
});
