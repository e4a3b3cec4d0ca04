// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../lib/api.ts";
import { errorBody, mockApi } from "../test/dom.tsx";
import { CorrespondenceForm, checkCorrespondence, utcFromInput } from "./CorrespondenceForm.tsx";

const POST = "POST /v1/orders/ord%2F7/correspondence";

function fill(values: Record<string, string>) {
  for (const [label, value] of Object.entries(values))
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
}
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Record correspondence" }));

describe("CorrespondenceForm", () => {
  it("refuses an empty summary without calling the server, on the field, with focus there", () => {
    const api = mockApi({});
    render(<CorrespondenceForm orderId="ord/7" />);
    fill({ "Summary (required)": "   " });
    submit();
    const summary = screen.getByLabelText("Summary (required)");
    expect(summary.getAttribute("aria-invalid")).toBe("true");
    const errorId = summary.getAttribute("aria-describedby")!.split(" ").at(-1)!;
    expect(document.getElementById(errorId)?.textContent).toBe("a summary is required");
    expect(document.activeElement).toBe(summary);
    expect(api.calls).toHaveLength(0);
  });

  it("sends the server's body shape: UTC times with Z, null for what is left out, and the CSRF token", async () => {
    setCsrfToken("csrf-123");
    const api = mockApi({ [POST]: { status: 201, json: { id: "3f1c2a9e-corr" } } });
    const onSaved = vi.fn();
    render(<CorrespondenceForm orderId="ord/7" onSaved={onSaved} />);
    fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "non_compliance_notice" } });
    fill({
      "Sent or received (UTC)": "2026-03-02T09:30",
      "Summary (required)": "  Ministry says 3 items are still visible  ",
    });
    submit();
    await screen.findByRole("status");
    expect(api.calls).toHaveLength(1);
    const call = api.calls[0]!;
    expect(`${call.method} ${call.path}`).toBe(POST);
    expect(call.headers["x-csrf-token"]).toBe("csrf-123");
    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.body).toEqual({
      kind: "non_compliance_notice",
      direction: "incoming",
      at: "2026-03-02T09:30:00Z",
      deadline: null,
      summary: "Ministry says 3 items are still visible",
      body: null,
    });
    expect(onSaved).toHaveBeenCalledWith("3f1c2a9e-corr");
    expect(screen.getByRole("status").textContent).toBe("Recorded the non compliance notice (incoming).");
    // Ready for the next one.
    expect((screen.getByLabelText("Summary (required)") as HTMLInputElement).value).toBe("");
  });

  it("sends a deadline and the full text when given, and saves with Ctrl+Enter from the text", async () => {
    const api = mockApi({ [POST]: { status: 201, json: { id: "c2" } } });
    render(<CorrespondenceForm orderId="ord/7" />);
    fireEvent.change(screen.getByLabelText("Direction"), { target: { value: "outgoing" } });
    fill({
      "Sent or received (UTC)": "2026-03-02T09:30",
      "Deadline it sets (UTC, optional)": "2026-03-09T17:00",
      "Summary (required)": "Our reply",
      "Full text (optional)": "Dear Sir,\nwe have withheld…",
    });
    fireEvent.keyDown(screen.getByLabelText("Full text (optional)"), { key: "Enter", ctrlKey: true });
    await screen.findByRole("status");
    expect(api.calls[0]!.body).toMatchObject({
      kind: "letter",
      direction: "outgoing",
      deadline: "2026-03-09T17:00:00Z",
      body: "Dear Sir,\nwe have withheld…",
    });
  });

  it("shows the server's refusal, with its message on the field it names", async () => {
    mockApi({
      [POST]: {
        status: 400,
        json: errorBody("invalid_request", "body.summary: must not contain NUL characters", {
          issues: [{ path: "body.summary", message: "must not contain NUL characters" }],
        }),
      },
    });
    const onSaved = vi.fn();
    render(<CorrespondenceForm orderId="ord/7" onSaved={onSaved} />);
    fill({ "Summary (required)": "a\u0000b" });
    submit();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Not recorded");
    expect(alert.textContent).toContain("body.summary: must not contain NUL characters");
    expect(alert.textContent).toContain("(400 invalid_request)");
    const summary = screen.getByLabelText("Summary (required)");
    expect(summary.getAttribute("aria-invalid")).toBe("true");
    expect(onSaved).not.toHaveBeenCalled();
    // The draft is kept so it can be fixed.
    expect((summary as HTMLInputElement).value).toBe("a\u0000b");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("says when the role may not record it (403)", async () => {
    mockApi({
      [POST]: { status: 403, json: errorBody("forbidden", "the 'auditor' role may not decide order") },
    });
    render(<CorrespondenceForm orderId="ord/7" />);
    fill({ "Summary (required)": "x" });
    submit();
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Not allowed:"));
    expect(screen.getByRole("alert").textContent).toContain("the 'auditor' role may not decide order");
    expect(
      (screen.getByRole("button", { name: "Record correspondence" }) as HTMLButtonElement).disabled,
    ).toBe(false);
  });
});

describe("checkCorrespondence", () => {
  const draft = {
    kind: "call" as const,
    direction: "incoming" as const,
    at: "2026-03-02T09:30",
    deadline: "",
    summary: "s",
    body: "",
  };
  it("reads datetime-local values as UTC", () => {
    expect(utcFromInput("2026-03-02T09:30")).toBe("2026-03-02T09:30:00Z");
    expect(utcFromInput("2026-03-02T09:30:15")).toBe("2026-03-02T09:30:15Z");
    expect(utcFromInput("2026-13-02T09:30")).toBeNull();
    expect(utcFromInput("yesterday")).toBeNull();
  });
  it("names every problem, by field", () => {
    expect(
      checkCorrespondence({ ...draft, at: "", deadline: "soon", summary: "x".repeat(501) }).problems,
    ).toEqual({
      at: "when it was sent or received is required",
      deadline: "not a date and time",
      summary: "must be at most 500 characters",
    });
    expect(checkCorrespondence(draft).body).toEqual({
      kind: "call",
      direction: "incoming",
      at: "2026-03-02T09:30:00Z",
      deadline: null,
      summary: "s",
      body: null,
    });
  });
});
