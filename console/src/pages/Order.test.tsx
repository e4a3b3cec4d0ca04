// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Order, OrderItem } from "../lib/types.ts";
import { type ApiCall, errorBody, mockApi, renderAs, stubLayout } from "../test/dom.tsx";
import { OrderPage, sortItems } from "./Order.tsx";

// An order as GET /v1/orders/{id} serves it (src/http/routes/orders.ts, OrderOut): item ids are
// `<order id>:<position>`, recommendations as the recommender words them.
const ID = "5b0e8c1e-2f4a-4c55-9d4e-7a1f0c3b9e21";
const N = 40;
function item(n: number): OrderItem {
  const base: OrderItem = {
    id: `${ID}:${n}`,
    position: n,
    target: `@user${n}`,
    reason: "spreading rumours about the election commission",
    resolution: "resolved",
    subject: { type: "account", id: `a${String(n).padStart(6, "0")}` },
    resolutionNote: null,
    recommendation: {
      outcome: "withhold",
      countries: ["IN"],
      reasons: ["no platform-rule violation on record: withhold in IN only, as the law requires"],
      relisted: false,
    },
    decision: null,
  };
  if (n === 3)
    base.decision = {
      outcome: "withhold",
      reason: "as ordered",
      decidedAt: "2026-03-01T10:00:00.000Z",
      seq: 812,
    };
  if (n === 5)
    base.recommendation = {
      outcome: "no_action",
      reasons: [
        "protected speech: the account is registered as journalist (verified by legal1 on 2026-01-12); acting needs a written justification",
      ],
      relisted: false,
      protectedCategory: "journalist",
    };
  if (n === 7) {
    base.resolution = "unresolvable";
    base.subject = null;
    base.resolutionNote = "no account with the handle @user7";
    base.recommendation = {
      outcome: "no_action",
      reasons: ["nothing to act on: no account with the handle @user7"],
      relisted: false,
    };
  }
  if (n === 9)
    base.recommendation = {
      outcome: "global_action",
      rule: "platform_manipulation",
      reasons: ["platform manipulation: a member of coordinated campaign case 0c9d51d2"],
      relisted: true,
      botLikelihood: 0.91,
      botSignals: ["burst_posting +0.42", "new_account +0.21"],
      campaignCase: "0c9d51d2-7d0e-4a55-8f43-1b2a6f0c9e10",
    };
  return base;
}
const ORDER: Order = {
  id: ID,
  reference: "MeitY/69A/2026/0412",
  authority: {
    name: "Ministry of Electronics and IT",
    country: "IN",
    type: "government_agency",
    officer: "R. Sharma",
    rank: "Joint Secretary",
  },
  legalBasis: "Section 69A, Information Technology Act 2000",
  receivedAt: "2026-03-01T08:00:00.000Z",
  deadline: "2026-03-03T08:00:00.000Z",
  reviewDeadline: null,
  emergency: false,
  confidential: true,
  status: "in_review",
  items: Array.from({ length: N }, (_, i) => item(i + 1)),
};
const GET_ORDER = `GET /v1/orders/${ID}?limit=10000`;
const POST_DECISIONS = `POST /v1/orders/${ID}/decisions`;
const GET_TIMELINE = `GET /v1/orders/${ID}/timeline`;
const POST_CORRESPONDENCE = `POST /v1/orders/${ID}/correspondence`;

const TIMELINE = {
  events: [
    {
      at: "2026-03-01T08:00:00.000Z",
      kind: "received",
      summary: `order ${ORDER.reference} received from MeitY`,
    },
    { at: "2026-03-01T10:00:00.000Z", kind: "decided", summary: "1 item(s) decided: withhold" },
    { at: "2026-03-03T08:00:00.000Z", kind: "deadline", summary: "compliance deadline" },
  ],
};

const undecided = N - 1;
const decideBar = () => screen.getByRole("region", { name: "Decide" });
const submitButton = () => within(decideBar()).getByRole("button", { name: "Submit decisions" });
const row = (position: number) =>
  within(screen.getByRole("grid", { name: "Order items" }))
    .getAllByRole("row")
    .find((r) => r.getAttribute("aria-rowindex") !== null && r.textContent?.startsWith(String(position)))!;
const posts = (calls: ApiCall[]) => calls.filter((c) => c.method === "POST");

async function openOrder(role: "legal" | "admin" | "auditor", routes = {}) {
  const api = mockApi({ [GET_ORDER]: { json: ORDER }, [GET_TIMELINE]: { json: TIMELINE }, ...routes });
  renderAs(role, <OrderPage id={ID} />);
  await screen.findByRole("heading", { name: `Order ${ORDER.reference}` });
  return api;
}

describe("Order page: deciding", () => {
  beforeEach(() => stubLayout({ width: 1400, height: 600 }));

  it("shows the order and a window of its items", async () => {
    await openOrder("legal");
    expect(screen.getByText("Ministry of Electronics and IT")).toBeTruthy();
    expect(screen.getByText(`${N} of ${N} shown`, { exact: false })).toBeTruthy();
    expect(screen.getByRole("grid", { name: "Order items" }).getAttribute("aria-rowcount")).toBe(String(N));
    expect(
      within(decideBar()).getByText(`Decide all ${undecided} undecided items as recommended`, {
        exact: false,
      }),
    ).toBeTruthy();
  });

  it("filters the items: only protected ones", async () => {
    await openOrder("legal");
    fireEvent.click(screen.getByRole("checkbox", { name: "protected" }));
    expect(screen.getByText(`1 of ${N} shown`, { exact: false })).toBeTruthy();
    expect(screen.getByRole("grid", { name: "Order items" }).getAttribute("aria-rowcount")).toBe("1");
  });

  it("refuses a bulk decision without a reason, and sends nothing", async () => {
    const api = await openOrder("legal");
    const bulk = within(decideBar()).getByRole("checkbox");
    fireEvent.click(bulk);
    expect(within(decideBar()).getByText(`${undecided - 3} withhold`, { exact: false })).toBeTruthy();
    fireEvent.click(submitButton());
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Fix before submitting");
    expect(alert.textContent).toContain("the bulk decision needs a reason");
    expect(posts(api.calls)).toHaveLength(0);
  });

  it("refuses an override without a reason, naming the item", async () => {
    const api = await openOrder("legal");
    fireEvent.click(row(2));
    fireEvent.click(screen.getByRole("button", { name: "Override this item (o)" }));
    fireEvent.click(submitButton());
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("#2 @user2");
    expect(alert.textContent).toContain("every decision needs a reason");
    expect(posts(api.calls)).toHaveLength(0);
  });

  it("sends the overrides with the bulk selection, reports the result and reloads the order", async () => {
    const api = await openOrder("legal", {
      [POST_DECISIONS]: {
        json: { decided: undecided, ledgerEntries: 35, items: [], status: "partially_complied" },
      },
    });
    // Keyboard: j moves to item 2, o overrides it (the recommendation withhold flips to no action)
    // and puts the cursor in its reason.
    act(() => {
      fireEvent.keyDown(document.body, { key: "j" });
    });
    act(() => {
      fireEvent.keyDown(document.body, { key: "o" });
    });
    const reason = await screen.findByRole("textbox", { name: "Reason (required)" });
    await waitFor(() => expect(document.activeElement).toBe(reason));
    expect((screen.getByRole("combobox", { name: "Outcome" }) as HTMLSelectElement).value).toBe("no_action");
    fireEvent.change(reason, { target: { value: "satire of a minister, not unlawful in IN" } });
    fireEvent.click(within(decideBar()).getByRole("checkbox"));
    fireEvent.change(screen.getByRole("textbox", { name: "Reason for the bulk decision" }), {
      target: { value: "as required by the order under s.69A" },
    });
    fireEvent.click(submitButton());

    await screen.findByRole("status");
    const sent = posts(api.calls);
    expect(sent).toHaveLength(1);
    expect(`${sent[0]!.method} ${sent[0]!.path}`).toBe(POST_DECISIONS);
    expect(sent[0]!.body).toEqual({
      decisions: [
        { item: `${ID}:2`, outcome: "no_action", reason: "satire of a minister, not unlawful in IN" },
      ],
      bulk: { select: "recommended", reason: "as required by the order under s.69A" },
    });
    expect(screen.getByRole("status").textContent).toContain(
      `Recorded ${undecided} decision(s), 35 ledger entries. The order is now partially complied.`,
    );
    await waitFor(() => expect(api.callsTo(GET_ORDER)).toHaveLength(2));
  });

  it("shows the server's per-item refusal on the item", async () => {
    const problems = [
      { item: `${ID}:4 (@user4)`, message: "the target is deleted: only no_action is possible" },
    ];
    await openOrder("admin", {
      [POST_DECISIONS]: {
        status: 400,
        json: errorBody(
          "invalid_decisions",
          `no decision was recorded: 1 problem(s); first: item ${problems[0]!.item}: ${problems[0]!.message}`,
          { problems },
        ),
      },
    });
    fireEvent.click(within(decideBar()).getByRole("checkbox"));
    fireEvent.change(screen.getByRole("textbox", { name: "Reason for the bulk decision" }), {
      target: { value: "as ordered" },
    });
    fireEvent.click(submitButton());
    const refusal = await screen.findByText("The server refused the decisions", { exact: false });
    expect(refusal.closest("[role=alert]")!.textContent).toContain("(400 invalid_decisions)");
    expect(screen.getByRole("button", { name: "#4 @user4" }).parentElement!.textContent).toContain(
      "the target is deleted: only no_action is possible",
    );
    expect(row(4).className).toContain("has-problem");
    expect(screen.queryByRole("status")).toBeNull();
  });
});

describe("Order page: what a role may do", () => {
  beforeEach(() => stubLayout({ width: 1400, height: 600 }));

  it("an auditor reads the order but gets no way to decide or override", async () => {
    const api = await openOrder("auditor");
    expect(screen.queryByRole("region", { name: "Decide" })).toBeNull();
    expect(screen.getByText("Your role may read this order but not decide it.")).toBeTruthy();
    fireEvent.click(row(2));
    expect(screen.getByRole("complementary", { name: "Selected item" }).textContent).toContain("Item #2");
    expect(screen.queryByRole("button", { name: "Override this item (o)" })).toBeNull();
    act(() => {
      fireEvent.keyDown(document.body, { key: "o" });
    });
    expect(screen.queryByRole("textbox", { name: "Reason (required)" })).toBeNull();
    expect(posts(api.calls)).toHaveLength(0);
  });

  it("an auditor sees the timeline without the correspondence form", async () => {
    await openOrder("auditor");
    fireEvent.click(screen.getByRole("tab", { name: "Timeline & correspondence" }));
    await screen.findByText("compliance deadline");
    expect(screen.queryByRole("region", { name: "Record correspondence" })).toBeNull();
  });

  it("legal records correspondence from the timeline, which then shows it", async () => {
    let recorded = false;
    const api = await openOrder("legal", {
      [GET_TIMELINE]: () => ({
        json: recorded
          ? {
              events: [
                ...TIMELINE.events,
                {
                  at: "2026-03-02T09:30:00.000Z",
                  kind: "non_compliance_notice",
                  summary: "incoming: two items still visible",
                  ref: "c1",
                },
              ],
            }
          : TIMELINE,
      }),
      [POST_CORRESPONDENCE]: () => {
        recorded = true;
        return { status: 201, json: { id: "c1" } };
      },
    });
    fireEvent.click(screen.getByRole("tab", { name: "Timeline & correspondence" }));
    const form = await screen.findByRole("region", { name: "Record correspondence" });
    fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "non_compliance_notice" } });
    fireEvent.change(within(form).getByLabelText("Sent or received (UTC)"), {
      target: { value: "2026-03-02T09:30" },
    });
    fireEvent.change(within(form).getByLabelText("Summary (required)"), {
      target: { value: "two items still visible" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Record correspondence" }));
    await screen.findByText("incoming: two items still visible");
    expect(api.callsTo(POST_CORRESPONDENCE)[0]!.body).toMatchObject({
      kind: "non_compliance_notice",
      at: "2026-03-02T09:30:00Z",
      summary: "two items still visible",
    });
    expect(api.callsTo(GET_TIMELINE)).toHaveLength(2);
  });
});

describe("Order page: a long order is read in pages", () => {
  beforeEach(() => stubLayout({ width: 1400, height: 600 }));

  it("shows the first 10,000 items at once, appends the rest, and allows submitting only when all are in", async () => {
    const TOTAL = 23_456;
    const many: Order = {
      ...ORDER,
      itemCount: TOTAL,
      items: Array.from({ length: TOTAL }, (_, i) => ({ ...item(1), id: `${ID}:${i + 1}`, position: i + 1 })),
    };
    const page = (offset: number) => ({ ...many, items: many.items.slice(offset, offset + 10_000) });
    let releaseLast: () => void = () => {};
    const last = new Promise<void>((r) => {
      releaseLast = r;
    });
    const api = mockApi({
      [GET_ORDER]: { json: page(0) },
      [`GET /v1/orders/${ID}?offset=10000&limit=10000`]: { json: page(10_000) },
      [`GET /v1/orders/${ID}?offset=20000&limit=10000`]: async () => {
        await last;
        return { json: page(20_000) };
      },
      [GET_TIMELINE]: { json: TIMELINE },
    });
    renderAs("legal", <OrderPage id={ID} />);
    await screen.findByText("reading the order: 20,000 of 23,456 items", { exact: false });
    const reading = within(decideBar()).getByRole("button", { name: "Reading the order…" });
    expect((reading as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("grid", { name: "Order items" }).getAttribute("aria-rowcount")).toBe("20000");
    releaseLast();
    await waitFor(() => expect((submitButton() as HTMLButtonElement).disabled).toBe(false));
    expect(screen.getByRole("grid", { name: "Order items" }).getAttribute("aria-rowcount")).toBe(
      String(TOTAL),
    );
    expect(
      screen.getByText(`${TOTAL.toLocaleString("en")} of ${TOTAL.toLocaleString("en")} shown`, {
        exact: false,
      }),
    ).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith(`/v1/orders/${ID}?`)).map((c) => c.path)).toEqual([
      `/v1/orders/${ID}?limit=10000`,
      `/v1/orders/${ID}?offset=10000&limit=10000`,
      `/v1/orders/${ID}?offset=20000&limit=10000`,
    ]);
  }, 30_000);
});

describe("sortItems", () => {
  const items = [item(10), item(2), item(9), item(1), item(5)];
  const columns = [
    { id: "target", accessorKey: "target" as const },
    { id: "bot", accessorFn: (i: OrderItem) => i.recommendation?.botLikelihood ?? -1 },
  ];
  it("leaves the order alone when nothing is sorted", () => {
    expect(sortItems(items, columns, [])).toBe(items);
  });
  it("sorts text naturally (user2 before user10), either way", () => {
    expect(sortItems(items, columns, [{ id: "target", desc: false }]).map((i) => i.position)).toEqual([
      1, 2, 5, 9, 10,
    ]);
    expect(sortItems(items, columns, [{ id: "target", desc: true }]).map((i) => i.position)).toEqual([
      10, 9, 5, 2, 1,
    ]);
  });
  it("sorts numbers by value, ties by position", () => {
    expect(sortItems(items, columns, [{ id: "bot", desc: true }]).map((i) => i.position)).toEqual([
      9, 1, 2, 5, 10,
    ]);
  });
});
