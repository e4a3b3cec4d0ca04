/**
 * Helpers for the console's render tests (files that start with `// @vitest-environment happy-dom`).
 * Only test files import this; nothing here reaches the bundle.
 *
 * - the API is mocked at the boundary: `mockApi` stubs `fetch` and answers like the server does
 *   (JSON bodies, `{ error: { code, message, details? } }` on failure) and records every call;
 * - happy-dom has no layout, so `stubLayout` gives elements a size for the virtualizer to window on;
 * - `withSession` renders as a logged-in user of a role, so `useCan` asks the server's policy table.
 */
import { cleanup, render } from "@testing-library/react";
import type { ReactElement } from "react";
import { afterEach, vi } from "vitest";
import { setCsrfToken } from "../lib/api.ts";
import { SessionContext } from "../lib/session.tsx";
import type { Role, SessionUser } from "../lib/types.ts";

// vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  setCsrfToken(null);
  restoreLayout?.();
  restoreLayout = null;
  window.history.replaceState(null, "", "/");
});

export interface ApiCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}
export interface Reply {
  status?: number;
  json?: unknown;
}
/** `"METHOD /path"` (path with its query string) → a reply, or a function of the call. */
export type Routes = Record<string, Reply | ((call: ApiCall) => Reply | Promise<Reply>)>;

export const errorBody = (code: string, message: string, details?: unknown) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Stub `fetch` with the given routes; an unknown route gets the server's 404 body. */
export function mockApi(routes: Routes): { calls: ApiCall[]; callsTo: (key: string) => ApiCall[] } {
  const calls: ApiCall[] = [];
  const fetchMock = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const path = String(input);
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    const call = { method, path, headers, body };
    calls.push(call);
    const route = routes[`${method} ${path}`];
    const reply: Reply = route
      ? typeof route === "function"
        ? await route(call)
        : route
      : { status: 404, json: errorBody("not_found", `no route for ${method} ${path.split("?")[0]}`) };
    const status = reply.status ?? 200;
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(reply.json ?? null), {
      status,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, callsTo: (key) => calls.filter((c) => `${c.method} ${c.path}` === key) };
}

let restoreLayout: (() => void) | null = null;

/**
 * Give elements the layout happy-dom lacks: every element is `size` big, and its content is as tall as
 * the tallest inline `height` inside it (a virtualizer's spacer), so it can scroll that far.
 */
export function stubLayout(size: { width: number; height: number } = { width: 1200, height: 600 }): void {
  const proto = HTMLElement.prototype;
  const keys = ["clientWidth", "clientHeight", "scrollHeight"] as const;
  const saved = keys.map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)] as const);
  Object.defineProperty(proto, "clientWidth", { configurable: true, get: () => size.width });
  Object.defineProperty(proto, "clientHeight", { configurable: true, get: () => size.height });
  Object.defineProperty(proto, "scrollHeight", {
    configurable: true,
    get(this: HTMLElement) {
      let h = size.height;
      for (const el of this.querySelectorAll<HTMLElement>("[style]"))
        h = Math.max(h, parseFloat(el.style.height) || 0);
      return h;
    },
  });
  restoreLayout = () => {
    for (const [k, d] of saved)
      if (d) Object.defineProperty(proto, k, d);
      else delete (proto as unknown as Record<string, unknown>)[k];
  };
}

export const user = (role: Role, username = `${role}1`): SessionUser => ({
  username,
  role,
  authority: role === "requester" ? "Ministry of Electronics and IT" : null,
});

/** Render inside a session of the given role (the policy table decides what it may do). */
export function renderAs(role: Role, ui: ReactElement) {
  const value = { user: user(role), logout: async () => {} };
  return render(<SessionContext.Provider value={value}>{ui}</SessionContext.Provider>);
}
