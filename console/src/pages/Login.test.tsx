// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Session } from "../lib/types.ts";
import { errorBody, mockApi } from "../test/dom.tsx";
import { LoginPage } from "./Login.tsx";

// POST /v1/session as src/http/routes/session.ts answers it.
const SESSION: Session = {
  user: { username: "priya", role: "legal", authority: null },
  csrfToken: "4f9c0a6e1b2d4c8e9f0a1b2c3d4e5f60",
};

function signIn(username: string, password: string) {
  fireEvent.change(screen.getByLabelText("Username"), { target: { value: username } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("LoginPage", () => {
  it("posts the credentials as JSON and hands the session on", async () => {
    const api = mockApi({ "POST /v1/session": { json: SESSION } });
    const onLogin = vi.fn();
    render(<LoginPage onLogin={onLogin} />);
    signIn("priya", "correct-horse-battery-1");
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith(SESSION));
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({
      method: "POST",
      path: "/v1/session",
      headers: { "content-type": "application/json" },
      body: { username: "priya", password: "correct-horse-battery-1" },
    });
    // Not logged in yet: there is no CSRF token to send.
    expect(api.calls[0]!.headers["x-csrf-token"]).toBeUndefined();
  });

  it("shows the server's refusal and lets the user try again", async () => {
    mockApi({
      "POST /v1/session": { status: 401, json: errorBody("unauthorized", "wrong username or password") },
    });
    const onLogin = vi.fn();
    render(<LoginPage onLogin={onLogin} />);
    signIn("priya", "wrong");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("wrong username or password");
    expect(alert.textContent).toContain("(401 unauthorized)");
    expect(onLogin).not.toHaveBeenCalled();
    expect((screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement).disabled).toBe(false);
    // The username stays; the user fixes the password.
    expect((screen.getByLabelText("Username") as HTMLInputElement).value).toBe("priya");
  });

  it("says so when the server cannot be reached", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    render(<LoginPage onLogin={vi.fn()} />);
    signIn("priya", "x");
    expect((await screen.findByRole("alert")).textContent).toContain(
      "the server could not be reached: Failed to fetch",
    );
  });
});
