// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App.tsx";
import type { Role, Session } from "./lib/types.ts";
import { errorBody, mockApi, user } from "./test/dom.tsx";

const session = (role: Role): Session => ({ user: user(role), csrfToken: `csrf-${role}` });
const ALL = ["Orders", "Cases", "Appeals", "View as viewer", "Hashtags", "Transparency", "Audit log"];
const navLinks = async () => {
  const nav = await screen.findByRole("navigation", { name: "Main" });
  return within(nav)
    .getAllByRole("link")
    .map((a) => a.textContent);
};

describe("App: the policy table decides what shows", () => {
  it("a requester sees its orders and the transparency report, nothing else", async () => {
    mockApi({
      "GET /v1/session": { json: session("requester") },
      "GET /v1/orders": { json: { orders: [] } },
    });
    render(<App />);
    expect(await navLinks()).toEqual(["Orders", "Transparency"]);
    expect(screen.queryByRole("textbox", { name: "Open a subject" })).toBeNull();
    // Home is the first page the role may see.
    await waitFor(() => expect(window.location.pathname).toBe("/orders"));
  });

  it("a moderator works cases, not legal orders", async () => {
    mockApi({ "GET /v1/session": { json: session("moderator") } });
    render(<App />);
    const links = await navLinks();
    expect(links).toEqual(ALL.filter((l) => l !== "Orders"));
    expect(screen.getByRole("textbox", { name: "Open a subject" })).toBeTruthy();
    await waitFor(() => expect(window.location.pathname).toBe("/cases"));
  });

  it("an auditor reads, and may not act on hashtags or view as a viewer", async () => {
    mockApi({ "GET /v1/session": { json: session("auditor") }, "GET /v1/orders": { json: { orders: [] } } });
    render(<App />);
    expect(await navLinks()).toEqual(["Orders", "Cases", "Appeals", "Transparency", "Audit log"]);
  });
});

describe("App: signing in and out", () => {
  it("shows the login when there is no session, and sends the new CSRF token when logging out", async () => {
    const api = mockApi({
      "GET /v1/session": { status: 401, json: errorBody("unauthorized", "not logged in") },
      "POST /v1/session": { json: session("legal") },
      "GET /v1/orders": { json: { orders: [] } },
      "DELETE /v1/session": { status: 204 },
    });
    render(<App />);
    fireEvent.change(await screen.findByLabelText("Username"), { target: { value: "legal1" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "correct-horse-battery-1" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await navLinks()).toContain("Orders");
    expect(screen.getByText("legal1")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Log out" }));
    await screen.findByRole("button", { name: "Sign in" });
    const [logout] = api.callsTo("DELETE /v1/session");
    expect(logout?.headers["x-csrf-token"]).toBe("csrf-legal");
    expect(window.location.pathname).toBe("/login");
  });
});
